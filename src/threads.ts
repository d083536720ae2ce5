import { MAX_THREADS, native } from './binding'
import { integerOption } from './options'

export { MAX_THREADS }

/**
 * Threads in squish's worker pool, which runs every async operation and the extra threads of
 * `threads` options: one per available core unless `SQUISH_THREADS` or {@link setThreads} says
 * otherwise.
 */
export let threads: number = native.poolThreads()

const listeners: Array<() => void> = []

/**
 * Sets the number of threads in squish's worker pool, from 1 to {@link MAX_THREADS}; 0 goes back
 * to one per available core. Extra threads stop once they finish their current work; new ones
 * start with the next piece of work. Work already running is unaffected.
 */
export function setThreads(count: number): void {
  native.setPoolThreads(integerOption(count, 'count', 0, 0, MAX_THREADS))
  threads = native.poolThreads()
  for (const listener of listeners) listener()
}

/**
 * Calls `listener` after every change of {@link threads}, so the ES module entry (whose bindings
 * are its own) keeps its `threads` current.
 * @internal
 */
export function onThreadsChange(listener: () => void): void {
  listeners.push(listener)
}
