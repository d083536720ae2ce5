/**
 * Small async one-shot calls, handed to native code in rounds (see `crates/node/src/call_queue.rs`):
 * the calls that one turn of the event loop makes cross into native code once, at the end of the
 * turn, and come back in groups. Each input is copied into the stage as the call is made, so the
 * call reads it as it was then, whatever happens to it afterwards.
 */

import { native } from './binding'
import type { ZstdCompressorHandle, ZstdDecompressorHandle } from './native'
import { newPool } from './output-pool'

/** The operations a queued call runs. */
export const QUEUED = {
  zstdCompress: native.QUEUE_ZSTD_COMPRESS,
  zstdDecompress: native.QUEUE_ZSTD_DECOMPRESS,
  lz4Compress: native.QUEUE_LZ4_COMPRESS,
  lz4Decompress: native.QUEUE_LZ4_DECOMPRESS,
  zstdCompressor: native.QUEUE_ZSTD_COMPRESSOR,
  zstdDecompressor: native.QUEUE_ZSTD_DECOMPRESSOR,
}

/** The zstd instance a queued call runs with: a `Compressor`'s or a `Decompressor`'s. */
export type Instance = ZstdCompressorHandle | ZstdDecompressorHandle

/**
 * Inputs up to this size are queued. A larger one is a call of its own: its copy and its work
 * outweigh what a call costs.
 */
export const MAX_QUEUED = 64 << 10

const STAGE_SIZE = 256 << 10
const MAX_JOBS = 1024
const FIELDS = native.QUEUE_JOB_FIELDS
const OWN = 0xffffffff
const FAILED = 0xfffffffe

/** The round being queued: its inputs one after another, its jobs' fields, its promises. */
const stage = Buffer.allocUnsafeSlow(STAGE_SIZE)
const jobs = new Float64Array(MAX_JOBS * FIELDS)
const jobBytes = new Uint8Array(jobs.buffer)
let count = 0
let used = 0
/** The zstd instance of the round's calls that have one: one per round. */
let roundInstance: Instance | null = null
let resolves: Array<(output: Buffer) => void> = []
let rejects: Array<(error: unknown) => void> = []

interface Round {
  resolves: Array<(output: Buffer) => void>
  rejects: Array<(error: unknown) => void>
  /** Its promises not yet settled. */
  left: number
}
const rounds = new Map<number, Round>()
let nextRound = 0

// A promise's resolving functions, taken out of its executor without a closure per promise.
let resolveNext: (output: Buffer) => void
let rejectNext: (error: unknown) => void
const capture = (resolve: (output: Buffer | PromiseLike<Buffer>) => void, reject: (error: unknown) => void): void => {
  resolveNext = resolve
  rejectNext = reject
}

/**
 * Queues a call of `op` on `input` (at most {@link MAX_QUEUED} bytes) with its settings (see
 * `QUEUE_JOB_FIELDS`) and, for a `Compressor`'s or a `Decompressor`'s call, its `instance`;
 * returns the promise of its output.
 */
export function queued(op: number, input: ArrayBufferView, a: number, b: number, c: number, instance: Instance | null = null): Promise<Buffer> {
  const length = input.byteLength
  const otherInstance = instance !== null && roundInstance !== null && instance !== roundInstance
  if (count === MAX_JOBS || used + length > STAGE_SIZE || otherInstance) submit()
  if (count === 0) queueMicrotask(submit)
  if (instance !== null) roundInstance = instance
  stage.set(input instanceof Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, length), used)
  used += length
  const at = count * FIELDS
  jobs[at] = op
  jobs[at + 1] = used
  jobs[at + 2] = a
  jobs[at + 3] = b
  jobs[at + 4] = c
  count++
  const promise = new Promise<Buffer>(capture)
  resolves.push(resolveNext)
  rejects.push(rejectNext)
  return promise
}

/** Hands the queued round to native code. */
function submit(): void {
  if (count === 0) return
  const id = nextRound
  nextRound = (nextRound + 1) >>> 0
  const round = { resolves, rejects, left: count }
  rounds.set(id, round)
  try {
    native.callQueueSubmit(id, stage, jobBytes, count, roundInstance)
  } catch (error) {
    rounds.delete(id)
    for (const reject of round.rejects) reject(error)
  }
  count = 0
  used = 0
  roundInstance = null
  resolves = []
  rejects = []
}

/** The pool the outputs of the settlings since it was made are in (see `callQueueInit`). */
let outputs: Buffer
function newOutputs(): Buffer {
  outputs = newPool()
  return outputs
}

/** Settles `count` promises of round `id` from `first` on (see `callQueueInit`). */
function settle(id: number, first: number, count: number, offset: number, own?: Buffer[], errors?: Error[]): void {
  const round = rounds.get(id)!
  let at = offset
  let nextOwn = 0
  let nextError = 0
  for (let i = first; i < first + count; i++) {
    const length = outputs.readUInt32LE(at)
    at += 4
    if (length === OWN) round.resolves[i]!(own![nextOwn++]!)
    else if (length === FAILED) round.rejects[i]!(errors![nextError++])
    else {
      round.resolves[i]!(outputs.subarray(at, at + length))
      at += (length + 3) & ~3
    }
  }
  round.left -= count
  if (round.left === 0) rounds.delete(id)
}

native.callQueueInit(settle, newOutputs)
