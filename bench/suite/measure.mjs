// Timing for the benchmark suite: contenders are interleaved round by round, each round timing
// one stretch of about `seconds` per contender (at least one operation), after a full garbage
// collection; the result per contender is the median rate over the rounds, the spread
// ((max - min) / median) of those rates, and the best round (the statistic `zstd -b` and
// `lz4 -b` report, so ratios to the C library compare best with best).
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
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

/** Median, spread and best of a list of rates. */
export function summary(rates) {
  const sorted = [...rates].sort((a, b) => a - b)
  const median = sorted[sorted.length >> 1]
  return { median, spread: median > 0 ? (sorted.at(-1) - sorted[0]) / median : 0, best: sorted.at(-1), samples: rates.length }
}

/**
 * Rates (units per second) of each contender: `contenders` maps a name to `{ units, run }`, where
 * `run()` does one operation (sync or returning a promise) worth `units`; or a contender measured
 * elsewhere, `{ rate(round) }`, gives its rate for each round itself. Returns name -> summary.
 */
export async function race(contenders, { rounds, seconds }) {
  const entries = Object.entries(contenders)
  const reps = {}
  for (const [name, { run }] of entries) {
    if (!run) continue
    await settle()
    await run()
    const start = performance.now()
    await run()
    reps[name] = Math.max(1, Math.round((seconds * 1e3) / Math.max(performance.now() - start, 1e-3)))
  }
  const rates = Object.fromEntries(entries.map(([name]) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    for (const [name, { units, run, rate }] of entries) {
      if (rate) {
        rates[name].push(rate(round))
        continue
      }
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

let example = null
/** The Rust throughput example's executable, built (release) on first use. */
function throughputExample() {
  if (example === null) {
    const args = ['build', '-q', '--release', '-p', 'squish-core', '--example', 'throughput', '--message-format=json']
    const messages = execFileSync('cargo', args, { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n').map((line) => JSON.parse(line))
    example = messages.find((m) => m.reason === 'compiler-artifact' && m.target?.name === 'throughput')?.executable
    if (!example) throw new Error('cargo built no throughput example')
  }
  return example
}

/**
 * The Rust core (crates/core/examples/throughput.rs) on `cases` ("zstd:3", "zstd:3@100x10000", ...)
 * over `files` ([{path}]): one parsed JSON line per file and case.
 */
export function rustCore(cases, files, { rounds, seconds }) {
  const args = [String(seconds), String(rounds), ...cases, '--', ...files.map((f) => f.path)]
  return execFileSync(throughputExample(), args, { encoding: 'utf8', maxBuffer: 1 << 24 })
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
}

/**
 * A `race` contender calling `f` on `items`: each run goes through the next `size` items
 * (cycling through all of them over the runs), sync calls in a loop or, when `f` returns
 * promises, each awaited in turn, or `inFlight` at a time: a call starts as soon as one ends, as
 * a server's requests do. A run is worth `units` (default: `size` operations).
 */
export function pass(items, f, { size = items.length, units = size, inFlight = 1 } = {}) {
  const n = items.length
  let at = 0
  const next = () => {
    const start = at
    at = (at + size) % n
    return start
  }
  const first = f(items[0])
  if (first instanceof Promise) {
    first.catch(() => {}) // a failure shows in the timed runs
    if (inFlight > 1) return { units, run: () => concurrently(size, inFlight, (i, start) => f(items[(start + i) % n]), next()) }
    return {
      units,
      run: async () => {
        const start = next()
        for (let i = 0; i < size; i++) await f(items[(start + i) % n])
      },
    }
  }
  return {
    units,
    run: () => {
      const start = next()
      for (let i = 0; i < size; i++) f(items[(start + i) % n])
    },
  }
}

/** Calls `call(i, start)` for i from 0 to `count` - 1, with `inFlight` promises pending at a time. */
export function concurrently(count, inFlight, call, start) {
  return new Promise((resolve, reject) => {
    let started = 0
    let done = 0
    const launch = () => {
      call(started++, start).then(() => {
        if (++done === count) resolve()
        else if (started < count) launch()
      }, reject)
    }
    for (let k = 0; k < Math.min(inFlight, count); k++) launch()
  })
}

const started = performance.now()
/** Progress on stderr, with the seconds since the run started. */
export const log = (what) => console.error(`[${((performance.now() - started) / 1e3).toFixed(0).padStart(4)} s] ${what}`)

const require = createRequire(import.meta.url)
/**
 * A peer package, loaded on first use: node-lz4 is built for one Node.js ABI only, and the run
 * under Node.js 24 does not touch it.
 */
export const lazy = (name) => new Proxy({}, { get: (_, key) => require(name)[key] })
