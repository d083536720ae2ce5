// 100,000 compressions of 100-byte messages at level 3: squish's module-level zstd.compressSync
// against the same work in Rust on a context the caller holds, on squish-core's cached context,
// and on a new context per call. Prints ops/s and the ratios.
// Usage: node bench/small-messages.mjs   (after npm run build)
import { execFileSync } from 'node:child_process'
import { performance } from 'node:perf_hooks'

import { zstd } from 'squish'

const MESSAGES = 100_000
const SIZE = 100
const ROUNDS = 5

const messages = Array.from({ length: MESSAGES }, (_, i) => {
  const head = `{"id":${i},"user":"u${i % 977}","event":"click","ok":true,"tags":["a","b"],"pad":"`
  return Buffer.from(head.padEnd(SIZE - 2, 'x') + '"}')
})

let best = 0
for (let round = 0; round < ROUNDS; round++) {
  const start = performance.now()
  for (const m of messages) zstd.compressSync(m)
  best = Math.max(best, MESSAGES / ((performance.now() - start) / 1e3))
}

const rust = JSON.parse(
  execFileSync('cargo', ['run', '-q', '--release', '-p', 'squish-core', '--example', 'small_messages'], {
    encoding: 'utf8',
  }),
)
const row = (name, ops) => `${name.padEnd(44)} ${Math.round(ops).toLocaleString('en').padStart(10)} ops/s`
console.log(row('Rust, context held by the caller', rust.held))
console.log(row('Rust, squish-core cached context', rust.cached))
console.log(row('Rust, new context per call', rust.fresh))
console.log(row('Node, zstd.compressSync (module-level)', best))
console.log(`\ncached / held (Rust):            ${(rust.cached / rust.held).toFixed(3)}`)
console.log(`compressSync / held context:     ${(best / rust.held).toFixed(3)}`)
console.log(`compressSync / new context each: ${(best / rust.fresh).toFixed(3)}`)
