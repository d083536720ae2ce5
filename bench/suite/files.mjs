// The corpus-file case: one-shot compression and decompression of whole files, in MB/s of
// uncompressed bytes (1 MB = 10^6 B, as `zstd -b` and `lz4 -b` count), for squish, every Node
// peer, node:zlib's gzip and brotli as reference points, the C CLIs (`zstd -b#`, `lz4 -b#`) and
// the Rust core called directly (crates/core/examples/throughput.rs). Every contender's output is
// checked before it is timed.
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import zlib from 'node:zlib'

import { lz4, zstd } from 'squish'

import { lazy, log, race, rustCore } from './measure.mjs'

const zstdNapi = lazy('zstd-napi')
const mongo = lazy('@mongodb-js/zstd')
const fzstd = lazy('fzstd')
const lz4Napi = lazy('lz4-napi')
const nodeLz4 = lazy('lz4')

/** Level 19 is timed on the first 1 MiB of each file, to keep the full run under 15 minutes. */
const SLOW_LEVEL_BYTES = 1024 * 1024

/** The codecs and levels measured: [codec, level, cli level]. */
export function levels(quick) {
  return quick
    ? [['zstd', 3, 3], ['lz4', 0, 1]]
    : [['zstd', 1, 1], ['zstd', 3, 3], ['zstd', 9, 9], ['zstd', 19, 19], ['lz4', 0, 1], ['lz4', 9, 9]]
}

function check(ok, what) {
  if (!ok) throw new Error(`benchmark check failed: ${what}`)
}

/** `zstd -b#` / `lz4 -b#` on `path`: {compressedBytes, compressMBps, decompressMBps}. */
function cliBench(cli, level, path, seconds) {
  const run = spawnSync(cli, ['-q', `-b${level}`, `-i${seconds}`, path], { encoding: 'utf8' })
  const text = `${run.stdout}${run.stderr}`
  // "-3       330409 (1.983)  99.77 MB/s  559.3 MB/s  sql-wasm.wasm"
  const m = /^-\d+\s+(\d+)\s+\(\s*[\d.]+\)\s+([\d.]+) MB\/s\s+([\d.]+) MB\/s/m.exec(text)
  if (run.status !== 0 || !m) throw new Error(`${cli} -b${level} ${path} failed or printed something unexpected:\n${text}`)
  return { compressedBytes: +m[1], compressMBps: +m[2], decompressMBps: +m[3] }
}

/** Runs `fn` on a path holding `input`: the file itself, or a temporary copy of its head. */
function onDisk(path, input, whole, fn) {
  if (input.length === whole.length) return fn(path)
  const head = `${path}.head`
  writeFileSync(head, input)
  try {
    return fn(head)
  } finally {
    rmSync(head)
  }
}

/**
 * The contenders of one codec and level on `input`: compress and decompress, each name -> {units, run}.
 * A quick run leaves out the gzip and brotli reference points.
 */
function contenders(codec, level, input, quick) {
  const mb = input.length / 1e6
  const op = (run) => ({ units: mb, run })
  if (codec === 'zstd') {
    const frame = zstd.compressSync(input, { level })
    const limit = { maxOutputSize: Infinity }
    const compress = {
      'squish compressSync': op(() => zstd.compressSync(input, { level })),
      'zstd-napi compress': op(() => zstdNapi.compress(input, { compressionLevel: level })),
    }
    // The async twin costs the same handful of microseconds at any level: timed where it shows.
    if (level <= 3) compress['squish compress (async)'] = op(() => zstd.compress(input, { level }))
    // @mongodb-js/zstd 1.2.2 ignores its level argument and always compresses at level 3.
    if (level === 3) compress['@mongodb-js/zstd compress (async)'] = op(() => mongo.compress(input, level))
    const decompress = {
      'squish decompressSync': op(() => zstd.decompressSync(frame, limit)),
      'squish decompress (async)': op(() => zstd.decompress(frame, limit)),
      'zstd-napi decompress': op(() => zstdNapi.decompress(frame)),
      '@mongodb-js/zstd decompress (async)': op(() => mongo.decompress(frame)),
      'fzstd decompress (JavaScript)': op(() => fzstd.decompress(frame)),
    }
    if (typeof zlib.zstdCompressSync === 'function') {
      const params = { [zlib.constants.ZSTD_c_compressionLevel]: level }
      compress['node:zlib zstdCompressSync'] = op(() => zlib.zstdCompressSync(input, { params }))
      decompress['node:zlib zstdDecompressSync'] = op(() => zlib.zstdDecompressSync(frame))
    }
    if (level === 3 && !quick) {
      const gzip = zlib.gzipSync(input, { level: 6 })
      const brotliParams = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }
      const brotli = zlib.brotliCompressSync(input, brotliParams)
      compress['node:zlib gzip -6 (reference)'] = op(() => zlib.gzipSync(input, { level: 6 }))
      compress['node:zlib brotli -5 (reference)'] = op(() => zlib.brotliCompressSync(input, brotliParams))
      decompress['node:zlib gunzip (reference)'] = op(() => zlib.gunzipSync(gzip))
      decompress['node:zlib brotli (reference)'] = op(() => zlib.brotliDecompressSync(brotli))
    }
    return { frame, compress, decompress }
  }
  const frame = lz4.compressSync(input, { level })
  const theirs = nodeLz4.encode(input, { highCompression: level >= 3 })
  const compress = {
    'squish compressSync': op(() => lz4.compressSync(input, { level })),
    'squish compress (async)': op(() => lz4.compress(input, { level })),
    'lz4 (node-lz4) encode': op(() => nodeLz4.encode(input, { highCompression: level >= 3 })),
  }
  // One output buffer, written once before timing: the memory conditions `lz4 -b` has.
  const output = Buffer.alloc(input.length)
  const decompress = {
    'squish decompressSync': op(() => lz4.decompressSync(frame, { maxOutputSize: Infinity })),
    'squish decompressIntoSync (reused output)': op(() => output.subarray(0, lz4.decompressIntoSync(frame, output))),
    'squish decompress (async)': op(() => lz4.decompress(frame, { maxOutputSize: Infinity })),
    'lz4 (node-lz4) decode, its own frame': op(() => nodeLz4.decode(theirs)),
  }
  // lz4-napi has no compression levels.
  if (level === 0) {
    compress['lz4-napi compressFrameSync'] = op(() => lz4Napi.compressFrameSync(input))
    decompress['lz4-napi decompressFrameSync'] = op(() => lz4Napi.decompressFrameSync(frame))
  }
  return { frame, compress, decompress }
}

/** Checks that every compressor's output decodes to `input` and every decompressor gives `input`. */
async function verify(name, codec, input, { compress, decompress }) {
  for (const [who, { run }] of Object.entries(compress)) {
    const out = Buffer.from(await run())
    if (who.includes('reference')) continue
    const back = codec === 'zstd' ? zstd.decompressSync(out, { maxOutputSize: Infinity }) : lz4.decompressSync(out, { maxOutputSize: Infinity })
    check(back.equals(input), `${name}: squish does not decode ${who}'s output to the input`)
  }
  for (const [who, { run }] of Object.entries(decompress)) {
    check(Buffer.from(await run()).equals(input), `${name}: ${who} does not give the input back`)
  }
}

/** Keeps only the contenders named in `names` (all when null). */
function only(group, names) {
  return names === null ? group : Object.fromEntries(Object.entries(group).filter(([name]) => names.includes(name)))
}

/**
 * Runs the case on `files` ([{name, path}]): returns rows
 * {codec, level, op, file, contender, median, spread, compressedBytes?}. With `zlibOnly`, only
 * squish's sync calls and node:zlib's zstd run, at zstd level 3 (for the run under Node.js 24), no CLI or Rust core.
 */
export async function filesCase(files, { quick, rounds, seconds, cliSeconds, zlibOnly = false }) {
  const cases = levels(quick).filter(([codec, level]) => !zlibOnly || (codec === 'zstd' && level === 3))
  const names = zlibOnly ? ['squish compressSync', 'squish decompressSync', 'node:zlib zstdCompressSync', 'node:zlib zstdDecompressSync'] : null
  const rows = []
  const coreCases = cases.filter(([, level]) => level !== 19).map(([codec, level]) => `${codec}:${level}`)
  const core = zlibOnly ? [] : rustCore(coreCases, files, { rounds, seconds })
  for (const file of files) {
    log(`files case: ${file.name}`)
    const whole = readFileSync(file.path)
    for (const [codec, level, cliLevel] of cases) {
      const input = level === 19 ? whole.subarray(0, SLOW_LEVEL_BYTES) : whole
      const name = `${file.name} ${codec} -${level}`
      const all = contenders(codec, level, input, quick)
      const set = { ...all, compress: only(all.compress, names), decompress: only(all.decompress, names) }
      await verify(name, codec, input, set)
      const push = (op, contender, s, compressedBytes) =>
        rows.push({ codec, level, op, file: file.name, bytes: input.length, contender, ...s, compressedBytes })
      for (const [op, group] of [['compress', set.compress], ['decompress', set.decompress]]) {
        for (const [contender, s] of Object.entries(await race(group, { rounds, seconds }))) push(op, contender, s)
      }
      rows.find((r) => r.op === 'compress' && r.contender === 'squish compressSync' && r.file === file.name && r.codec === codec && r.level === level).compressedBytes =
        set.frame.length
      if (zlibOnly) continue
      const cli = codec === 'zstd' ? 'zstd' : 'lz4'
      const c = onDisk(file.path, input, whole, (path) => cliBench(cli, cliLevel, path, cliSeconds))
      const label = `${cli} -b${cliLevel} (C)`
      // The CLIs report their fastest loop: that figure is their best as well as their median.
      push('compress', label, { median: c.compressMBps, best: c.compressMBps, spread: null, samples: 1 }, c.compressedBytes)
      push('decompress', label, { median: c.decompressMBps, best: c.decompressMBps, spread: null, samples: 1 })
      const fromCore = core.find((r) => r.file === file.name && r.codec === codec && r.level === level)
      if (fromCore) {
        push('compress', 'squish-core (Rust, no JS)', { median: fromCore.compressMBps, spread: null, samples: rounds }, fromCore.compressedBytes)
        push('decompress', 'squish-core (Rust, no JS)', { median: fromCore.decompressMBps, spread: null, samples: rounds })
      }
    }
  }
  return rows
}
