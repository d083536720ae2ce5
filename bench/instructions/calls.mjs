// N calls of one squish operation on one message, after the same warm-up whatever N is, for
// callgrind to count (bench/suite/instructions.mjs).
//   node calls.mjs OP SIZE FILE N   OP: one of CALLS; the message is SIZE bytes of FILE from byte 4321
// The 'Node-API call' and NODE_API_ASYNC are the addon built from node-api-call.c, at the path
// SQUISH_NODE_API_CALL names.
// The async operations keep IN_FLIGHT calls pending, a new one starting as each ends.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

import { lz4, zstd } from 'squish'

import { concurrently } from '../suite/measure.mjs'

/**
 * Enough that V8 has compiled every function a call runs before the count: after 10,000 calls of
 * 1,000 B, V8 still compiled the facade's pool refill (every eighth call) among the counted calls,
 * about 1,450 instructions a call of compiling counted as the call's own.
 */
const WARM_UP = 50_000
/** V8 optimizes the async path's functions later: some only after 15,000 calls (under callgrind). */
const ASYNC_WARM_UP = 30_000
export const IN_FLIGHT = 8
const AT = 4321

const nodeApi = process.env.SQUISH_NODE_API_CALL && createRequire(import.meta.url)(process.env.SQUISH_NODE_API_CALL)
const pool = Buffer.allocUnsafeSlow(8192)
const compressor = new zstd.Compressor({ level: 3 })
const decompressor = new zstd.Decompressor()

/** Each operation: what it is given (from the message), and the call. */
export const CALLS = {
  'zstd.compressSync': [(m) => m, (m) => zstd.compressSync(m)],
  'Compressor.compressSync': [(m) => m, (m) => compressor.compressSync(m)],
  'zstd.decompressSync': [(m) => zstd.compressSync(m), (f) => zstd.decompressSync(f)],
  'Decompressor.decompressSync': [(m) => zstd.compressSync(m), (f) => decompressor.decompressSync(f)],
  'lz4.compressSync': [(m) => m, (m) => lz4.compressSync(m)],
  'lz4.decompressSync': [(m) => lz4.compressSync(m), (f) => lz4.decompressSync(f)],
  'Node-API call': [(m) => m, (m) => nodeApi.call(m, pool, 0, 1 << 30, 0)],
}

/** The async operations, whose JavaScript thread's share is counted. */
export const ASYNC_CALLS = {
  [`zstd.compress, ${IN_FLIGHT} in flight`]: [(m) => m, (m) => zstd.compress(m)],
  [`zstd.decompress, ${IN_FLIGHT} in flight`]: [(m) => zstd.compressSync(m), (f) => zstd.decompress(f)],
  [`Compressor.compress, ${IN_FLIGHT} in flight`]: [(m) => m, (m) => compressor.compress(m)],
  [`lz4.compress, ${IN_FLIGHT} in flight`]: [(m) => m, (m) => lz4.compress(m)],
  [`lz4.decompress, ${IN_FLIGHT} in flight`]: [(m) => lz4.compressSync(m), (f) => lz4.decompress(f)],
}

/** The Node-API floor of the async calls (see node-api-call.c), counted as they are. */
export const NODE_API_ASYNC = `Node-API async call, ${IN_FLIGHT} in flight`
const asyncCalls = { ...ASYNC_CALLS, [NODE_API_ASYNC]: [(m) => m, (m) => nodeApi.settled(m)] }

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const [op, size, file, n] = process.argv.slice(2)
  const message = readFileSync(file).subarray(AT, AT + Number(size))
  const count = Number(n)
  if (op in asyncCalls) {
    const [given, call] = asyncCalls[op]
    const input = given(message)
    // One run: its end (a new promise's resolve called from optimized code) costs a deoptimization,
    // the same whatever the count.
    await concurrently(ASYNC_WARM_UP + count, IN_FLIGHT, () => call(input))
  } else {
    const [given, call] = CALLS[op]
    const input = given(message)
    for (let i = 0; i < WARM_UP; i++) call(input)
    // A collection now (the instructions case runs Node with --expose-gc), so that none falls
    // among the counted calls: the warm-up's Buffers would otherwise bring one there in some runs.
    globalThis.gc?.()
    for (let i = 0; i < count; i++) call(input)
  }
}
