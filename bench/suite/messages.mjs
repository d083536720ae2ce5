// The small-message and batch cases: pieces of 100 B, 1 KiB and 16 KiB cut one after another from
// logs.ndjson, each its own frame; ops/s, sync and async, one-shot and with a reused context, for
// squish, its Node peers and the Rust core (crates/core/examples/throughput.rs on the same
// pieces). The async one-shot calls of squish and its peers also run with 16 and 64 calls in
// flight, a new one starting as soon as one ends, as a server's requests do. The batch case:
// 10,000 pieces of 1 KiB in one compressMany / decompressMany call against one call per piece,
// in MB/s.
import { readFileSync } from 'node:fs'

import { lz4, zstd } from 'squish'

import { lazy, log, pass, race, rustCore } from './measure.mjs'

const zstdNapi = lazy('zstd-napi')
const mongo = lazy('@mongodb-js/zstd')
const fzstd = lazy('fzstd')
const lz4Napi = lazy('lz4-napi')
const nodeLz4 = lazy('lz4')

const LEVEL = 3
/** Messages per timed run; the runs go round the whole set. */
const WINDOW = 100
/** Calls in flight in the concurrent rows, and messages per timed run there. */
export const IN_FLIGHT = [16, 64]
const IN_FLIGHT_WINDOW = 1000
/** The name of a concurrent row of `contender`. */
export const inFlightName = (contender, calls) => `${contender}, ${calls} in flight`
const KIB = 1024

/** The sizes measured and how many pieces of each; then the batch's. */
const cuts = (quick) => (quick ? [[100, 1000]] : [[100, 10_000], [KIB, 10_000], [16 * KIB, 1000]])
const batchCut = (quick) => [KIB, quick ? 1000 : 10_000]

/** The batch case's contenders, for compression and decompression alike. */
export const ONE_BY_ONE = 'one call per message: Compressor.compressSync / Decompressor.decompressSync'
export const MANY_SYNC = 'compressManySync / decompressManySync'
export const MANY = 'compressMany / decompressMany (async)'

/** squish's async one-shot contenders, and its sync ones they are set against. */
export const ZSTD_ASYNC = { compress: 'squish zstd.compress (async, one-shot)', decompress: 'squish zstd.decompress (async, one-shot)' }
export const ZSTD_SYNC = { compress: 'squish zstd.compressSync (one-shot)', decompress: 'squish zstd.decompressSync (one-shot)' }
export const LZ4_ASYNC = { compress: 'squish lz4.compress (async)', decompress: 'squish lz4.decompress (async)' }
export const LZ4_SYNC = { compress: 'squish lz4.compressSync', decompress: 'squish lz4.decompressSync' }

export const label = (size) => (size < KIB ? `${size} B` : `${size / KIB} KiB`)

function check(ok, what) {
  if (!ok) throw new Error(`benchmark check failed: ${what}`)
}

/** Checks that `f` over the first 1,000 `items` gives `expected` (or, when `decode` is given, what decodes to it). */
async function verify(name, items, f, expected, decode = (x) => x) {
  for (const [i, item] of items.slice(0, 1000).entries()) {
    const out = Buffer.from(await f(item))
    check(decode(out).equals(expected[i]), `${name}: item ${i} does not give the input back`)
  }
}

/**
 * zstd contenders on `pieces`: {compress, decompress}, each name -> per-piece function, and the
 * async ones also run with several calls in flight.
 */
function zstdContenders(pieces) {
  const compressor = new zstd.Compressor({ level: LEVEL })
  const decompressor = new zstd.Decompressor()
  const zc = new zstdNapi.Compressor()
  zc.setParameters({ compressionLevel: LEVEL })
  const zd = new zstdNapi.Decompressor()
  const frames = pieces.map((p) => compressor.compressSync(p))
  return {
    frames,
    compress: {
      'squish Compressor.compressSync (reused context)': (m) => compressor.compressSync(m),
      [ZSTD_SYNC.compress]: (m) => zstd.compressSync(m, { level: LEVEL }),
      'squish Compressor.compress (async, reused context)': (m) => compressor.compress(m),
      [ZSTD_ASYNC.compress]: (m) => zstd.compress(m, { level: LEVEL }),
      'zstd-napi Compressor.compress (reused context)': (m) => zc.compress(m),
      'zstd-napi compress (one-shot)': (m) => zstdNapi.compress(m, { compressionLevel: LEVEL }),
      '@mongodb-js/zstd compress (async, one-shot)': (m) => mongo.compress(m, LEVEL),
    },
    decompress: {
      'squish Decompressor.decompressSync (reused context)': (f) => decompressor.decompressSync(f),
      [ZSTD_SYNC.decompress]: (f) => zstd.decompressSync(f),
      'squish Decompressor.decompress (async, reused context)': (f) => decompressor.decompress(f),
      [ZSTD_ASYNC.decompress]: (f) => zstd.decompress(f),
      'zstd-napi Decompressor.decompress (reused context)': (f) => zd.decompress(f),
      'zstd-napi decompress (one-shot)': (f) => zstdNapi.decompress(f),
      '@mongodb-js/zstd decompress (async, one-shot)': (f) => mongo.decompress(f),
      'fzstd decompress (JavaScript)': (f) => fzstd.decompress(f),
    },
    inFlight: {
      compress: [ZSTD_ASYNC.compress, '@mongodb-js/zstd compress (async, one-shot)'],
      decompress: [ZSTD_ASYNC.decompress, '@mongodb-js/zstd decompress (async, one-shot)'],
    },
  }
}

/** LZ4 frame contenders on `pieces` (python-lz4's default frame settings for squish). */
function lz4Contenders(pieces) {
  const frames = pieces.map((p) => lz4.compressSync(p))
  const own = pieces.map((p) => nodeLz4.encode(p))
  const ownIndex = new Map(frames.map((f, i) => [f, i]))
  return {
    frames,
    compress: {
      [LZ4_SYNC.compress]: (m) => lz4.compressSync(m),
      [LZ4_ASYNC.compress]: (m) => lz4.compress(m),
      'lz4-napi compressFrameSync': (m) => lz4Napi.compressFrameSync(m),
      'lz4-napi compressFrame (async)': (m) => lz4Napi.compressFrame(m),
      'lz4 (node-lz4) encode': (m) => nodeLz4.encode(m),
    },
    decompress: {
      [LZ4_SYNC.decompress]: (f) => lz4.decompressSync(f),
      [LZ4_ASYNC.decompress]: (f) => lz4.decompress(f),
      'lz4-napi decompressFrameSync': (f) => lz4Napi.decompressFrameSync(f),
      'lz4-napi decompressFrame (async)': (f) => lz4Napi.decompressFrame(f),
      // node-lz4 cannot read linked-block frames: it decodes its own frame of the same piece.
      'lz4 (node-lz4) decode, its own frame': (f) => nodeLz4.decode(own[ownIndex.get(f)]),
    },
    inFlight: {
      compress: [LZ4_ASYNC.compress, 'lz4-napi compressFrame (async)'],
      decompress: [LZ4_ASYNC.decompress, 'lz4-napi decompressFrame (async)'],
    },
  }
}

/** `measure()` run once per round: `get(round)` gives that round's result. */
function perRound(measure) {
  const results = []
  return (round) => (results[round] ??= measure())
}

/**
 * Runs the small-message and batch cases on `logs` ({path} of logs.ndjson): returns table rows
 * {table, column, contender, median, spread}.
 */
export async function messagesCase(logs, { quick, rounds, seconds }) {
  const text = readFileSync(logs.path)
  const rows = []
  const push = (table, column, results) => {
    for (const [contender, s] of Object.entries(results)) rows.push({ table, column, contender, ...s })
  }
  for (const [size, count] of cuts(quick)) {
    log(`small messages: ${label(size)}`)
    const pieces = Array.from({ length: count }, (_, i) => text.subarray(i * size, (i + 1) * size))
    check(pieces.at(-1).length === size, `logs.ndjson is too short for ${count} pieces of ${size} B`)
    for (const [codec, contenders, decode] of [
      ['zstd -3', zstdContenders, (f) => zstd.decompressSync(f)],
      ['lz4', lz4Contenders, (f) => lz4.decompressSync(f)],
    ]) {
      const { frames, compress, decompress, inFlight } = contenders(pieces)
      // One race for both directions, so that the Rust core's figures, one run of the example
      // per round, are taken between the Node contenders' stretches of that round.
      const timed = { compress: {}, decompress: {} }
      for (const [name, f] of Object.entries(compress)) {
        await verify(`${codec} ${name}`, pieces, f, pieces, decode)
        timed.compress[name] = pass(pieces, f, { size: WINDOW })
      }
      for (const [name, f] of Object.entries(decompress)) {
        await verify(`${codec} ${name}`, frames, f, pieces)
        timed.decompress[name] = pass(frames, f, { size: WINDOW })
      }
      for (const [op, items, group] of [['compress', pieces, compress], ['decompress', frames, decompress]]) {
        for (const name of inFlight[op]) {
          for (const calls of IN_FLIGHT) {
            timed[op][inFlightName(name, calls)] = pass(items, group[name], { size: IN_FLIGHT_WINDOW, inFlight: calls })
          }
        }
      }
      if (codec.startsWith('zstd')) {
        const core = perRound(() => rustCore([`zstd:${LEVEL}@${size}x${count}`], [logs], { rounds: 1, seconds })[0])
        timed.compress['squish-core Compressor::compress (Rust, no JS)'] = { rate: (r) => core(r).compressOps }
        timed.compress['libzstd ZSTD_compress2 (Rust, reference)'] = { rate: (r) => core(r).libzstdCompressOps }
        timed.decompress['squish-core Decompressor (Rust, no JS)'] = { rate: (r) => core(r).decompressOps }
        timed.decompress['libzstd ZSTD_decompressDCtx (Rust, reference)'] = { rate: (r) => core(r).libzstdDecompressOps }
      }
      const all = Object.entries(timed).flatMap(([op, group]) => Object.entries(group).map(([name, c]) => [`${op}\t${name}`, c]))
      for (const [key, s] of Object.entries(await race(Object.fromEntries(all), { rounds, seconds }))) {
        const [op, name] = key.split('\t')
        rows.push({ table: `${codec} small messages: ${op}, ops/s`, column: label(size), contender: name, ...s })
      }
    }
  }

  const [size, count] = batchCut(quick)
  log(`batch: ${count} x ${label(size)}`)
  const pieces = Array.from({ length: count }, (_, i) => text.subarray(i * size, (i + 1) * size))
  const compressor = new zstd.Compressor({ level: LEVEL })
  const decompressor = new zstd.Decompressor()
  const frames = compressor.compressManySync(pieces)
  const same = (a, b) => a.length === b.length && a.every((x, i) => Buffer.from(x).equals(b[i]))
  check(same(frames, pieces.map((p) => compressor.compressSync(p))), 'compressManySync differs from compressSync one by one')
  check(same(await compressor.compressMany(pieces), frames), 'compressMany differs from compressManySync')
  check(same(decompressor.decompressManySync(frames), pieces), 'decompressManySync does not give the pieces back')
  check(same(await decompressor.decompressMany(frames), pieces), 'decompressMany does not give the pieces back')
  const mb = (count * size) / 1e6
  const table = `zstd -3 batch of ${count.toLocaleString('en')} x ${label(size)} messages, MB/s`
  const once = (run) => ({ units: mb, run })
  push(table, 'compress', await race({
    [ONE_BY_ONE]: pass(pieces, (m) => compressor.compressSync(m), { units: mb }),
    [MANY_SYNC]: once(() => compressor.compressManySync(pieces)),
    [MANY]: once(() => compressor.compressMany(pieces)),
  }, { rounds, seconds }))
  push(table, 'decompress', await race({
    [ONE_BY_ONE]: pass(frames, (f) => decompressor.decompressSync(f), { units: mb }),
    [MANY_SYNC]: once(() => decompressor.decompressManySync(frames)),
    [MANY]: once(() => decompressor.decompressMany(frames)),
  }, { rounds, seconds }))
  return rows
}
