// Timing for the benchmark suite: contenders are interleaved round by round, each round timing
// one stretch of about `seconds` per contender (at least one operation), after a full garbage
// collection; the result per contender is the median rate over the rounds and the spread
// ((max - min) / median) of those rates.
import { performance } from 'node:perf_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc')

/** Collects garbage, lets finalizers of native Buffers run, and collects again. */
export async function settle() {
  gc()
  await new Promise((resolve) => setImmediate(resolve))
  gc()
}

/** Median and spread of a list of rates. */
export function summary(rates) {
  const sorted = [...rates].sort((a, b) => a - b)
  const median = sorted[sorted.length >> 1]
  return { median, spread: median > 0 ? (sorted.at(-1) - sorted[0]) / median : 0, samples: rates.length }
}

/**
 * Rates (units per second) of each contender: `contenders` maps a name to `{ units, run }`, where
 * `run()` does one operation (sync or returning a promise) worth `units`. Returns name -> summary.
 */
export async function race(contenders, { rounds, seconds }) {
  const entries = Object.entries(contenders)
  const reps = {}
  for (const [name, { run }] of entries) {
    await settle()
    await run()
    const start = performance.now()
    await run()
    reps[name] = Math.max(1, Math.round((seconds * 1e3) / Math.max(performance.now() - start, 1e-3)))
  }
  const rates = Object.fromEntries(entries.map(([name]) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    for (const [name, { units, run }] of entries) {
      await settle()
      const start = performance.now()
      for (let i = 0; i < reps[name]; i++) {
        const result = run()
        if (result instanceof Promise) await result
      }
      rates[name].push((units * reps[name]) / ((performance.now() - start) / 1e3))
    }
  }
  return Object.fromEntries(entries.map(([name]) => [name, summary(rates[name])]))
}
