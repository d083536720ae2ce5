import { MAX_THREADS, native } from '../binding'
import { type AsyncOptions, controlled } from '../control'
import { ALLOW_EXTRA_DATA, decompressArgs, type DecompressOptions } from '../decompress-options'
import { invalidArg } from '../errors'
import { describe, toView, type Input } from '../input'
import { booleanOption, integerOption, optionsObject } from '../options'
import * as oneshot from '../oneshot'
import type { Decoding, Encoding } from '../oneshot'

export type { Input }
export { DEFAULT_MAX_OUTPUT_SIZE, type DecompressOptions } from '../decompress-options'

/** The version of the bundled liblz4. */
export const VERSION: string = native.versions().lz4

/** Block size ids, as in a frame header: the default is 64 KiB. */
export const BLOCKSIZE_DEFAULT = 0
export const BLOCKSIZE_MAX64KB = 4
export const BLOCKSIZE_MAX256KB = 5
export const BLOCKSIZE_MAX1MB = 6
export const BLOCKSIZE_MAX4MB = 7
const BLOCK_SIZES = [BLOCKSIZE_DEFAULT, BLOCKSIZE_MAX64KB, BLOCKSIZE_MAX256KB, BLOCKSIZE_MAX1MB, BLOCKSIZE_MAX4MB]

/** The default level: liblz4's fast compression. Negative levels are faster still. */
export const COMPRESSIONLEVEL_MIN = 0
/** The first high-compression level. */
export const COMPRESSIONLEVEL_MINHC = 3
/** The strongest level; higher ones compress as this one does. */
export const COMPRESSIONLEVEL_MAX = 16

/** Frame settings shared by one-shot and incremental compression. */
export interface FrameSettings {
  /**
   * Compression level: negative values are fast with that acceleration, 0 to 2 the default
   * (fast), 3 to 16 high compression; higher values act as 16. Default 0.
   */
  level?: number
  /** One of the `BLOCKSIZE_*` constants; default {@link BLOCKSIZE_DEFAULT} (64 KiB). */
  blockSize?: number
  /** Let blocks refer to earlier blocks: better ratio, no independent decoding; default true. */
  blockLinked?: boolean
  /** Append a checksum of the whole content; default false. */
  contentChecksum?: boolean
  /** Append a checksum to every block; default false. */
  blockChecksum?: boolean
}

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

export interface FrameArgs {
  level: number
  /** The block size id and the boolean settings, packed as native code takes them. */
  flags: number
}

const {
  LZ4_BLOCK_LINKED: BLOCK_LINKED,
  LZ4_CONTENT_CHECKSUM: CONTENT_CHECKSUM,
  LZ4_BLOCK_CHECKSUM: BLOCK_CHECKSUM,
  LZ4_STORE_SIZE: STORE_SIZE,
  LZ4_BLOCK_SIZE_SHIFT: BLOCK_SIZE_SHIFT,
  COMPRESS_THREADS_SHIFT: THREADS_SHIFT,
} = native
export const { LZ4_AUTO_FLUSH: AUTO_FLUSH } = native

const INT_MIN = -(2 ** 31)
const INT_MAX = 2 ** 31 - 1

/** Validates frame settings into the level and flags native code takes. */
export function frameArgs(o: Partial<FrameSettings>): FrameArgs {
  const blockSize = o.blockSize ?? BLOCKSIZE_DEFAULT
  if (!BLOCK_SIZES.includes(blockSize as number)) {
    throw invalidArg(`options.blockSize must be one of lz4's BLOCKSIZE_* constants (0, 4, 5, 6, 7); received ${describe(blockSize)}`)
  }
  const flags =
    (blockSize << BLOCK_SIZE_SHIFT) |
    (booleanOption(o.blockLinked, 'blockLinked', true) ? BLOCK_LINKED : 0) |
    (booleanOption(o.contentChecksum, 'contentChecksum', false) ? CONTENT_CHECKSUM : 0) |
    (booleanOption(o.blockChecksum, 'blockChecksum', false) ? BLOCK_CHECKSUM : 0)
  return { level: integerOption(o.level, 'level', 0, INT_MIN, INT_MAX), flags }
}

/** One-shot settings as native code takes them: the frame's, with the size recording and threads in its flags. */
interface CompressArgs extends FrameArgs {
  frameSize: number
}

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
const encoding: Encoding<CompressArgs> = {
  compressSync: (input, pool, offset, a) => native.lz4CompressSync(input, pool, offset, a.level, a.flags, a.frameSize),
  compress: (input, a, control) => native.lz4Compress(input, a.level, a.flags, a.frameSize, control),
}

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
const decoding: Decoding = { decompressSync: native.lz4DecompressSync, decompress: native.lz4Decompress }

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

/** What an LZ4 frame header records (python-lz4's `get_frame_info`). */
export interface FrameInfo {
  /** The largest block, in bytes (0 for a skippable frame). */
  blockSize: number
  /** The header's block size id, one of the `BLOCKSIZE_*` values (0 for a skippable frame). */
  blockSizeId: number
  blockLinked: boolean
  contentChecksum: boolean
  blockChecksum: boolean
  /**
   * The decompressed size, `null` when not recorded; for a skippable frame, the size of its user
   * data. Sizes beyond `Number.MAX_SAFE_INTEGER` are `bigint`s.
   */
  contentSize: number | bigint | null
  /** A skippable frame (user data that decoders pass over). */
  skippable: boolean
}

/** Reads the header of the LZ4 frame at the start of `data`. */
export function getFrameInfo(data: Input): FrameInfo {
  const info = native.lz4FrameInfo(toView(data))
  return {
    blockSize: info.blockSize,
    blockSizeId: info.blockSizeId,
    blockLinked: info.blockLinked,
    contentChecksum: info.contentChecksum,
    blockChecksum: info.blockChecksum,
    contentSize: info.contentSize ?? null,
    skippable: info.skippable,
  }
}
