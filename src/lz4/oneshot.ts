/** LZ4 frames, one-shot: compression and decompression of whole inputs, sync and async. */

import { MAX_THREADS, native } from '../binding'
import { QUEUED, queued } from '../call-queue'
import { type AsyncOptions, controlled } from '../control'
import { ALLOW_EXTRA_DATA, decompressArgs, type DecompressOptions } from '../decompress-options'
import { invalidArg } from '../errors'
import { describe, toView, type Input } from '../input'
import { booleanOption, integerOption, optionsObject } from '../options'
import * as oneshot from '../oneshot'
import type { CompressArgs, Decoding } from '../oneshot'
import { BLOCK_LINKED, BLOCK_SIZE_SHIFT, BLOCKSIZE_DEFAULT, frameArgs, type FrameSettings } from './settings'

export type { Input }
export { DEFAULT_MAX_OUTPUT_SIZE, type DecompressOptions } from '../decompress-options'

/** The version of the bundled liblz4. */
export const VERSION: string = native.versions().lz4

export interface CompressOptions extends FrameSettings {
  /** Record the content size in the frame header; default true. */
  storeSize?: boolean
  /**
   * Compress on this many threads, the calling one and squish's pool workers (0: one per
   * worker); default 1. With more than one, blocks are independent (`blockLinked` is ignored)
   * and an input of more than one block is compressed in parallel: the frame is byte for byte
   * the one `blockLinked: false` gives on one thread.
   */
  threads?: number
  /**
   * Cut inputs larger than this into independent frames of this many bytes each (the last may
   * be shorter), compressed side by side on `threads` threads. With `storeSize`, each frame
   * records its size, so decompression with `threads` decodes them side by side too. Default 0:
   * one frame.
   */
  frameSize?: number
}

/** `returnBytesRead` makes decompression return where the frames end. */
export interface DecompressBytesReadOptions extends DecompressOptions {
  /**
   * Return `{data, bytesRead}`, where `bytesRead` counts the bytes the frames took. Bytes after
   * them are then not an error (`allowExtraData` is implied).
   */
  returnBytesRead: true
}

export interface DecompressResult {
  data: Buffer
  /** Bytes of the input the frames took (skippable frames included). */
  bytesRead: number
}

const { LZ4_STORE_SIZE: STORE_SIZE, COMPRESS_THREADS_SHIFT: THREADS_SHIFT } = native

const DEFAULT_COMPRESS: CompressArgs = {
  level: 0,
  flags: (BLOCKSIZE_DEFAULT << BLOCK_SIZE_SHIFT) | BLOCK_LINKED | STORE_SIZE | (1 << THREADS_SHIFT),
  frameSize: 0,
}

function compressArgs(options: CompressOptions | undefined): CompressArgs {
  if (options === undefined) return DEFAULT_COMPRESS
  const o = optionsObject(options)
  const frame = frameArgs(o)
  return {
    level: frame.level,
    flags:
      frame.flags |
      (booleanOption(o.storeSize, 'storeSize', true) ? STORE_SIZE : 0) |
      (integerOption(o.threads, 'threads', 1, 0, MAX_THREADS) << THREADS_SHIFT),
    frameSize: integerOption(o.frameSize, 'frameSize', 0, 0, Number.MAX_SAFE_INTEGER),
  }
}

/** The native one-shot compression. */
const encoding = oneshot.encodingOf(native.lz4CompressSync, native.lz4Compress, QUEUED.lz4Compress)

/** Compresses `data` into one LZ4 frame, on the calling thread (python-lz4's `lz4.frame.compress`). */
export function compressSync(data: Input, options?: CompressOptions): Buffer {
  return oneshot.compressSync(encoding, data, options, compressArgs)
}

/**
 * Compresses `data` into one LZ4 frame on squish's worker pool. `data` is read as it is when the
 * call is made.
 */
export function compress(data: Input, options?: CompressOptions & AsyncOptions): Promise<Buffer> {
  return oneshot.compress(encoding, data, options, compressArgs)
}

function wantsBytesRead(options: DecompressOptions | undefined): boolean {
  return options !== undefined && booleanOption(optionsObject(options as DecompressBytesReadOptions).returnBytesRead, 'returnBytesRead', false)
}

/** LZ4's native one-shot decompression. */
const decoding: Decoding = {
  decompressSync: native.lz4DecompressSync,
  decompress: native.lz4Decompress,
  queue: (input, maxOutputSize, flags) => queued(QUEUED.lz4Decompress, input, maxOutputSize, flags, 0),
}

/** Decompresses LZ4 `data` (one or more frames), on the calling thread. */
export function decompressSync(data: Input, options: DecompressBytesReadOptions): DecompressResult
export function decompressSync(data: Input, options?: DecompressOptions): Buffer
export function decompressSync(data: Input, options?: DecompressOptions): Buffer | DecompressResult {
  if (wantsBytesRead(options)) {
    const input = toView(data)
    const a = decompressArgs(options)
    const bytesRead = native.lz4BytesRead(input, a.maxOutputSize, a.flags)
    return { data: oneshot.decodeSync(decoding, input, { ...a, flags: a.flags | ALLOW_EXTRA_DATA }), bytesRead }
  }
  return oneshot.decompressSync(decoding, data, options)
}

/**
 * Decompresses LZ4 `data` (one or more frames) on squish's worker pool. `data` is read as it is
 * when the call is made.
 */
export function decompress(data: Input, options: DecompressBytesReadOptions & AsyncOptions): Promise<DecompressResult>
export function decompress(data: Input, options?: DecompressOptions & AsyncOptions): Promise<Buffer>
export function decompress(data: Input, options?: DecompressOptions & AsyncOptions): Promise<Buffer | DecompressResult> {
  if (!wantsBytesRead(options)) return oneshot.decompress(decoding, data, options)
  return controlled(options, (control) => {
    const input = toView(data)
    const a = decompressArgs(options)
    const bytesRead = native.lz4BytesRead(input, a.maxOutputSize, a.flags)
    return decoding.decompress(input, a.maxOutputSize, a.flags | ALLOW_EXTRA_DATA, control).then((output) => ({ data: output, bytesRead }))
  })
}

function outputView(output: ArrayBufferView): ArrayBufferView {
  if (!ArrayBuffer.isView(output)) throw invalidArg(`output must be a Buffer, TypedArray or DataView; received ${describe(output)}`)
  return output
}

/**
 * Decompresses LZ4 `data` into the start of `output`, on the calling thread, and returns the
 * number of bytes written. Output that does not fit (or is over `maxOutputSize`) fails with
 * `ERR_SQUISH_OUTPUT_LIMIT`. Reusing one output buffer spares an allocation per call.
 */
export function decompressIntoSync(data: Input, output: ArrayBufferView, options?: DecompressOptions): number {
  const a = decompressArgs(options)
  return native.lz4DecompressIntoSync(toView(data), outputView(output), a.maxOutputSize, a.flags)
}

/**
 * {@link decompressIntoSync} on squish's worker pool. `data` is read as it is when the call is
 * made; the output is copied into `output` when the work is done, just before the promise
 * settles. If `output` was detached or shrunk below the output meanwhile, the promise rejects
 * with `ERR_SQUISH_OUTPUT_LIMIT` and `output` is left as it is.
 */
export function decompressInto(data: Input, output: ArrayBufferView, options?: DecompressOptions & AsyncOptions): Promise<number> {
  return controlled(options, (control) => {
    const a = decompressArgs(options)
    return native.lz4DecompressInto(toView(data), outputView(output), a.maxOutputSize, a.flags, control)
  })
}
