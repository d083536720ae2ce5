import { native } from './binding'
import { invalidArg, SquishError } from './errors'
import { describe } from './input'
import type { ControlHandle } from './native'

/** How much of an operation is done. */
export interface Progress {
  /** Input consumed so far, in bytes. */
  bytesIn: number
  /** Output produced so far, in bytes. */
  bytesOut: number
}

/** Cancellation and progress, taken by every async operation. */
export interface AsyncOptions {
  /**
   * Aborts the operation: if the signal has already aborted, the call rejects at once; otherwise
   * the work stops within one block or job (about 1 MiB) and the call rejects with
   * `ERR_SQUISH_ABORTED`, whose `cause` is the signal's reason.
   */
  signal?: AbortSignal
  /**
   * Called on the main thread as the work goes on, at most every {@link PROGRESS_INTERVAL} ms,
   * and once more with the totals before the promise resolves. Inputs over 1 MiB report as they
   * go; smaller items of a batch report when each is done. If it throws, the operation is
   * aborted and rejects with that error.
   */
  onProgress?: (progress: Progress) => void
}

/** The shortest time between two `onProgress` calls, in milliseconds. */
export const PROGRESS_INTERVAL = 100

/** The control of operations with neither `signal` nor `onProgress`: their work runs undivided. */
const NONE = native.controlNew(false)

/** Whether `options` has neither `signal` nor `onProgress`. */
export function uncontrolled(options: AsyncOptions | undefined): boolean {
  return options?.signal === undefined && options?.onProgress === undefined
}

/** The error of an operation that `signal` aborted. */
export function abortedBy(signal: AbortSignal): SquishError {
  return new SquishError('ERR_SQUISH_ABORTED', 'The operation was aborted', { cause: signal.reason })
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return typeof value === 'object' && value !== null && typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function'
}

/** The checked `signal` and `onProgress` of `options`. */
export function asyncArgs(options: AsyncOptions | undefined): AsyncOptions {
  const signal = options?.signal
  const onProgress = options?.onProgress
  if (signal !== undefined && !isAbortSignal(signal)) throw invalidArg(`options.signal must be an AbortSignal; received ${describe(signal)}`)
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw invalidArg(`options.onProgress must be a function; received ${describe(onProgress)}`)
  }
  return { signal, onProgress }
}

/** `onProgress`, called at most every {@link PROGRESS_INTERVAL} ms unless `last`. */
export function throttled(onProgress: (progress: Progress) => void): (progress: Progress, last?: boolean) => void {
  let at = performance.now()
  return (progress, last = false) => {
    const now = performance.now()
    if (!last && now - at < PROGRESS_INTERVAL) return
    at = now
    onProgress(progress)
  }
}

/**
 * Starts an async native operation with a control for `options`' `signal` and `onProgress`, and
 * returns its promise. An error thrown while starting it becomes the rejection.
 */
export function controlled<T>(options: AsyncOptions | undefined, start: (control: ControlHandle) => Promise<T>): Promise<T> {
  try {
    if (uncontrolled(options)) return start(NONE)
    const { signal, onProgress } = asyncArgs(options)
    if (signal?.aborted) return Promise.reject(abortedBy(signal))
    return watch(start, signal, onProgress)
  } catch (error) {
    return Promise.reject(error)
  }
}

function watch<T>(
  start: (control: ControlHandle) => Promise<T>,
  signal: AbortSignal | undefined,
  onProgress: ((progress: Progress) => void) | undefined,
): Promise<T> {
  const control = native.controlNew(true)
  let failure: { error: unknown } | undefined
  const cancel = (): void => native.controlCancel(control)
  let reported = [0, 0]
  const report = (): void => {
    const now = native.controlProgress(control)
    if (now[0] === reported[0] && now[1] === reported[1]) return
    reported = now
    try {
      onProgress!({ bytesIn: now[0]!, bytesOut: now[1]! })
    } catch (error) {
      failure ??= { error }
      cancel()
    }
  }
  signal?.addEventListener('abort', cancel, { once: true })
  const timer = onProgress === undefined ? undefined : setInterval(report, PROGRESS_INTERVAL).unref()
  const stop = (): void => {
    signal?.removeEventListener('abort', cancel)
    clearInterval(timer)
  }
  let promise: Promise<T>
  try {
    promise = start(control)
  } catch (error) {
    stop()
    throw error
  }
  return promise.then(
    (value) => {
      stop()
      if (onProgress !== undefined) report()
      if (failure !== undefined) throw failure.error
      return value
    },
    (error: unknown) => {
      stop()
      if (failure !== undefined) throw failure.error
      if (error instanceof SquishError && error.code === 'ERR_SQUISH_ABORTED' && signal !== undefined) throw abortedBy(signal)
      throw error
    },
  )
}
