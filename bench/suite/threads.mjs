// The threads case, on a 64 MiB input (the corpus files one after another, repeated to fill it):
// - zstd level 3 compression by a Compressor with threads 1 (the calling thread) and 2 (libzstd
//   workers), beside `zstd -b3 -T1` and `-T2` on the same bytes (not in a quick run);
// - LZ4 frame compression (independent blocks) with threads 1 and 2;
// - decompression of the input compressed into 8 frames (zstd -3 and LZ4), with threads 1 and 2;
// in MB/s of uncompressed bytes.
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { lz4, zstd } from 'squish'

import { log, race } from './measure.mjs'

export const TABLE = 'zstd -3 compression with libzstd worker threads, MB/s'
export const LZ4_TABLE = 'LZ4 frame compression (independent blocks) on several threads, MB/s'
export const DECODE_TABLE = 'Decompression of an 8-frame input on several threads, MB/s'
/** Large one-shots both ways: the async ones copy their input on the calling thread first. */
export const ASYNC_TABLE = 'Large one-shots, sync beside async (an async call copies its input first), MB/s'
export const threadsName = (n) => `squish Compressor, threads: ${n}`
export const decodeName = (n) => `squish decompressSync, threads: ${n}`
export const lz4ThreadsName = (n) => `squish lz4.compressSync, threads: ${n}`
export const cliName = (n) => `zstd -b3 -T${n} (C)`
/** The shortest stretch of a full run's threads case, in seconds. */
export const STRETCH = 0.5

/** `size` bytes: the files' contents one after another, repeated. */
function mixed(files, size) {
  const all = Buffer.concat(files.map((f) => readFileSync(f.path)))
  const out = Buffer.alloc(size)
  for (let at = 0; at < size; at += all.length) all.copy(out, at, 0, Math.min(all.length, size - at))
  return out
}

/** `zstd -b3 -T<n>` on `path`: compression MB/s. */
function cli(path, threads, seconds) {
  const run = spawnSync('zstd', ['-q', '-b3', `-T${threads}`, `-i${seconds}`, path], { encoding: 'utf8' })
  const m = /^-3\s+\d+\s+\(\s*[\d.]+\)\s+([\d.]+) MB\/s/m.exec(`${run.stdout}${run.stderr}`)
  if (run.status !== 0 || !m) throw new Error(`zstd -b3 -T${threads} failed:\n${run.stdout}${run.stderr}`)
  return +m[1]
}

/** Returns table rows {table, column, contender, median, spread}. */
export async function threadsCase(files, { quick, rounds, seconds: stretch, cliSeconds }) {
  const size = (quick ? 8 : 64) << 20
  // A call on 64 MiB takes 10-300 ms: stretches of several calls each, not one.
  const seconds = quick ? stretch : Math.max(stretch, STRETCH)
  const column = `${size >> 20} MiB`
  log(`threads case: ${column}`)
  const input = mixed(files, size)
  const contenders = {}
  for (const n of [1, 2]) {
    const compressor = new zstd.Compressor({ level: 3, threads: n })
    const frame = compressor.compressSync(input)
    if (!zstd.decompressSync(frame, { maxOutputSize: Infinity }).equals(input)) throw new Error(`benchmark check failed: threads: ${n} does not round-trip`)
    contenders[threadsName(n)] = { units: size / 1e6, run: () => compressor.compressSync(input) }
  }
  const rows = Object.entries(await race(contenders, { rounds, seconds })).map(([contender, s]) => ({ table: TABLE, column, contender, ...s }))
  const one = lz4.compressSync(input, { blockLinked: false })
  const lz4Contenders = {}
  for (const n of [1, 2]) {
    const options = { blockLinked: false, threads: n }
    if (!lz4.compressSync(input, options).equals(one)) throw new Error(`benchmark check failed: lz4 threads: ${n} differs from one thread`)
    lz4Contenders[lz4ThreadsName(n)] = { units: size / 1e6, run: () => lz4.compressSync(input, options) }
  }
  for (const [contender, s] of Object.entries(await race(lz4Contenders, { rounds, seconds }))) rows.push({ table: LZ4_TABLE, column, contender, ...s })
  const frameSize = size / 8
  for (const [codec, frames, decompressSync] of [
    ['zstd -3', new zstd.Compressor({ level: 3, frameSize }).compressSync(input), zstd.decompressSync],
    ['lz4', lz4.compressSync(input, { frameSize, threads: 0 }), lz4.decompressSync],
  ]) {
    const decoders = {}
    // LZ4 also decodes into one reused output: the page faults of a fresh output are work no
    // thread count takes away.
    const output = codec === 'lz4' ? Buffer.alloc(size) : null
    for (const n of [1, 2]) {
      const options = { threads: n, maxOutputSize: Infinity }
      if (!decompressSync(frames, options).equals(input)) throw new Error(`benchmark check failed: ${codec} 8 frames, threads: ${n}`)
      decoders[decodeName(n)] = { units: size / 1e6, run: () => decompressSync(frames, options) }
      if (output) decoders[`squish decompressIntoSync (reused output), threads: ${n}`] = { units: size / 1e6, run: () => lz4.decompressIntoSync(frames, output, options) }
    }
    for (const [contender, s] of Object.entries(await race(decoders, { rounds, seconds }))) rows.push({ table: DECODE_TABLE, column: `${codec}, ${column}`, contender, ...s })
  }
  rows.push(...(await syncBesideAsync(input, column, { rounds, seconds })))
  if (quick) return rows
  const path = join(tmpdir(), `squish-bench-threads-${process.pid}`)
  writeFileSync(path, input)
  try {
    for (const n of [1, 2]) rows.push({ table: TABLE, column, contender: cliName(n), median: cli(path, n, cliSeconds), spread: null })
  } finally {
    rmSync(path)
  }
  return rows
}

/** Each large one-shot sync and async, one call at a time, on one thread. */
async function syncBesideAsync(input, column, settings) {
  const units = input.length / 1e6
  const zstdFrame = zstd.compressSync(input, { level: 3 })
  const lz4Frame = lz4.compressSync(input)
  const output = Buffer.alloc(input.length)
  const limit = { maxOutputSize: Infinity }
  const pairs = {
    'zstd -3 compress': [() => zstd.compressSync(input, { level: 3 }), () => zstd.compress(input, { level: 3 })],
    'lz4 compress': [() => lz4.compressSync(input), () => lz4.compress(input)],
    'zstd decompress': [() => zstd.decompressSync(zstdFrame, limit), () => zstd.decompress(zstdFrame, limit)],
    'lz4 decompress': [() => lz4.decompressSync(lz4Frame, limit), () => lz4.decompress(lz4Frame, limit)],
    'lz4 decompressInto (reused output)': [() => lz4.decompressIntoSync(lz4Frame, output, limit), () => lz4.decompressInto(lz4Frame, output, limit)],
  }
  const contenders = {}
  for (const [name, [sync, async]] of Object.entries(pairs)) {
    contenders[`squish ${name} (sync)`] = { units, run: sync }
    contenders[`squish ${name} (async)`] = { units, run: async }
  }
  const rows = []
  for (const [contender, s] of Object.entries(await race(contenders, settings))) rows.push({ table: ASYNC_TABLE, column, contender, ...s })
  return rows
}
