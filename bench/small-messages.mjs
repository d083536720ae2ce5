// Small-message throughput at level 3 against squish's targets, on 10,000 distinct JSON-like
// messages of 100 B and of 1 KiB (the same bytes crates/core/examples/small_messages.rs uses):
// - reused zstd.Compressor.compressSync:     >= 1.1x zstd-napi's reused Compressor, >= 0.9x the
//                                             Rust core's zstd::Compressor::compress;
// - reused zstd.Decompressor.decompressSync: >= 1.2x zstd-napi's reused Decompressor;
// - compressManySync / compressMany of 10,000 x 1 KiB: >= 1.7x a compressSync loop (2 cores).
// The module-level zstd.compressSync / zstd.decompressSync and libzstd driven directly from Rust
// are shown for reference. Each measurement runs for about half a second; contenders are
// interleaved and the best of 5 rounds is kept. Prints a table, then one JSON line of every figure.
// Usage: node bench/small-messages.mjs   (runs the Rust example through cargo; needs dist/ built)
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { performance } from 'node:perf_hooks'

import { zstd } from 'squish'

import { message } from './log-messages.mjs'

const napi = createRequire(import.meta.url)('zstd-napi')

const COUNT = 10_000
const SIZES = [100, 1024]
const ROUNDS = 5
const SECONDS = 0.5

/** FNV-1a over every message of every size. */
function fnv(sets) {
  let h = 0x811c9dc5
  for (const set of sets) for (const m of set) for (const b of m) h = Math.imul(h ^ b, 0x01000193) >>> 0
  return h
}

/** Best rate (units per second) of each pass over ROUNDS interleaved rounds of about SECONDS each;
 *  a pass goes once over a message set and returns the units it did. */
async function race(passes) {
  const reps = []
  for (const pass of passes) {
    await pass()
    const start = performance.now()
    await pass()
    reps.push(Math.ceil((SECONDS * 1e3) / (performance.now() - start)))
  }
  const best = passes.map(() => 0)
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, pass] of passes.entries()) {
      let units = 0
      const start = performance.now()
      for (let r = 0; r < reps[i]; r++) units += await pass()
      best[i] = Math.max(best[i], units / ((performance.now() - start) / 1e3))
    }
  }
  return best
}

const rust = JSON.parse(
  execFileSync('cargo', ['run', '-q', '--release', '-p', 'squish-core', '--example', 'small_messages'], {
    encoding: 'utf8',
  }),
)
const sets = SIZES.map((size) => Array.from({ length: COUNT }, (_, i) => message(i, size)))
if (rust.fnv !== fnv(sets)) throw new Error('the Rust example measured different messages')

const compressor = new zstd.Compressor({ level: 3 })
const decompressor = new zstd.Decompressor()
const zc = new napi.Compressor()
zc.setParameters({ compressionLevel: 3 })
const zd = new napi.Decompressor()
const frameSets = sets.map((set) => set.map((m) => compressor.compressSync(m)))
for (const [s, set] of sets.entries()) {
  set.forEach((m, i) => {
    if (!zstd.compressSync(m).equals(frameSets[s][i]) || !zd.decompress(frameSets[s][i]).equals(m)) {
      throw new Error(`message ${i} of ${SIZES[s]} B does not round-trip`)
    }
  })
}

const loop = (items, f) => () => {
  for (const x of items) f(x)
  return items.length
}
// [key, label, pass over (messages, frames)]; a null pass is a figure from the Rust example.
const ROWS = [
  ['compressor', 'squish Compressor.compressSync', (ms) => loop(ms, (m) => compressor.compressSync(m))],
  ['compressSync', 'squish zstd.compressSync', (ms) => loop(ms, (m) => zstd.compressSync(m))],
  ['zstdNapi', 'zstd-napi Compressor.compress', (ms) => loop(ms, (m) => zc.compress(m))],
  ['core', 'core Compressor::compress (Rust)', null],
  ['libzstd', 'libzstd CCtx (Rust, reference)', null],
  ['decompressor', 'squish Decompressor.decompressSync', (_, frames) => loop(frames, (f) => decompressor.decompressSync(f))],
  ['decompressSync', 'squish zstd.decompressSync', (_, frames) => loop(frames, (f) => zstd.decompressSync(f))],
  ['zstdNapiDecompress', 'zstd-napi Decompressor.decompress', (_, frames) => loop(frames, (f) => zd.decompress(f))],
  ['coreDecompress', 'core Decompressor (Rust)', null],
  ['libzstdDecompress', 'libzstd DCtx (Rust, reference)', null],
]
const RUST = {
  core: 'compress',
  libzstd: 'libzstd_compress',
  coreDecompress: 'decompress',
  libzstdDecompress: 'libzstd_decompress',
}
const measured = ROWS.filter(([, , pass]) => pass)
const flat = await race(SIZES.flatMap((_, s) => measured.map(([, , pass]) => pass(sets[s], frameSets[s]))))
const ops = Object.fromEntries(
  SIZES.map((size, s) => [
    size,
    Object.fromEntries([
      ...measured.map(([key], j) => [key, flat[s * measured.length + j]]),
      ...Object.entries(RUST).map(([key, field]) => [key, rust[size][field]]),
    ]),
  ]),
)

const big = sets[1]
const mb = (big.length * big[0].length) / 1e6
const [loopMBs, manySyncMBs, manyMBs] = await race([
  () => (loop(big, (m) => compressor.compressSync(m))(), mb),
  () => (compressor.compressManySync(big), mb),
  async () => (await compressor.compressMany(big), mb),
])

const fmt = (n) => Math.round(n).toLocaleString('en')
const line = (label, cells) => console.log(label.padEnd(40) + cells.map((c) => String(c).padStart(12)).join(''))
const parallelism = availableParallelism()
console.log(`squish, zstd ${zstd.VERSION}, level 3, node ${process.version}, availableParallelism ${parallelism}`)
for (const [s, size] of SIZES.entries()) {
  const avg = frameSets[s].reduce((sum, f) => sum + f.length, 0) / COUNT
  console.log(`${size} B messages compress to ${avg.toFixed(1)} B on average`)
}
console.log()
line('ops/s', SIZES.map((s) => `${s} B`))
for (const [key, label] of ROWS) line(label, SIZES.map((s) => fmt(ops[s][key])))
console.log()
line(`batch, ${fmt(COUNT)} x 1 KiB`, ['MB/s'])
line('compressSync loop', [loopMBs.toFixed(1)])
line('compressManySync', [manySyncMBs.toFixed(1)])
line('await compressMany', [manyMBs.toFixed(1)])

const targets = [
  ...SIZES.flatMap((size) => [
    [`Compressor.compressSync / zstd-napi, ${size} B`, ops[size].compressor / ops[size].zstdNapi, 1.1],
    [`Compressor.compressSync / core, ${size} B`, ops[size].compressor / ops[size].core, 0.9],
    [`Decompressor.decompressSync / zstd-napi, ${size} B`, ops[size].decompressor / ops[size].zstdNapiDecompress, 1.2],
  ]),
  ['compressManySync / compressSync loop', manySyncMBs / loopMBs, 1.7],
  ['compressMany / compressSync loop', manyMBs / loopMBs, 1.7],
].map(([name, ratio, target]) => ({ name, ratio: +ratio.toFixed(3), target, pass: ratio >= target }))
console.log(`\n${'target'.padEnd(52)}${'ratio'.padStart(8)}${'goal'.padStart(8)}`)
for (const t of targets) {
  const goal = `>= ${t.target}`
  console.log(`${t.name.padEnd(52)}${t.ratio.toFixed(3).padStart(8)}${goal.padStart(8)}  ${t.pass ? 'PASS' : 'FAIL'}`)
}

const rounded = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v)]))
console.log(
  JSON.stringify({
    zstd: zstd.VERSION,
    node: process.version,
    availableParallelism: parallelism,
    opsPerSec: Object.fromEntries(SIZES.map((size) => [size, rounded(ops[size])])),
    batchMBps: {
      compressSyncLoop: +loopMBs.toFixed(1),
      compressManySync: +manySyncMBs.toFixed(1),
      compressMany: +manyMBs.toFixed(1),
    },
    targets,
  }),
)
