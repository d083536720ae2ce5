// Compresses and decompresses a sample with squish and prints sizes, ratio and speed.
// Usage: npm run demo [-- path/to/file]   (default: TypeScript's 8.9 MB compiler source)
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'

import { backend, zstd } from 'squish'

const path = process.argv[2] ?? createRequire(import.meta.url).resolve('typescript/lib/typescript.js')
const data = readFileSync(path)
const mb = (bytes, ms) => (bytes / 1e6 / (ms / 1e3)).toFixed(0).padStart(6)

/** Median time of `fn` over `runs` calls, in milliseconds, with its last result. */
async function time(fn, runs) {
  const times = []
  let result
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    result = await fn()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return { ms: times[Math.floor(runs / 2)], result }
}

console.log(`squish ${backend.target} (libzstd ${backend.versions.zstd}, ${backend.threads} pool threads)`)
console.log(`sample: ${path} (${data.length.toLocaleString('en')} bytes)\n`)
console.log('level        mode    compressed   ratio   compress MB/s   decompress MB/s')
for (const level of [-5, 1, 3, 9, 19]) {
  for (const mode of ['sync', 'async']) {
    if (level === 19 && mode === 'async') continue
    const runs = level >= 19 ? 1 : 5
    const compress = mode === 'sync' ? () => zstd.compressSync(data, { level }) : () => zstd.compress(data, { level })
    const c = await time(compress, runs)
    const frame = c.result
    const decompress = mode === 'sync' ? () => zstd.decompressSync(frame) : () => zstd.decompress(frame)
    const d = await time(decompress, 5)
    if (!d.result.equals(data)) throw new Error(`level ${level} ${mode}: round trip differs`)
    console.log(
      `${String(level).padStart(5)}  ${mode.padStart(10)}  ${frame.length.toLocaleString('en').padStart(12)}` +
        `  ${(data.length / frame.length).toFixed(2).padStart(6)}  ${mb(data.length, c.ms).padStart(14)}` +
        `  ${mb(data.length, d.ms).padStart(16)}`,
    )
  }
}
console.log('\nEvery round trip reproduced the input exactly.')
