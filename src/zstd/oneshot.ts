import { native } from '../binding'
import { QUEUED, queued } from '../call-queue'
import { invalidArg } from '../errors'
import { describe, type Input } from '../input'
import type { ZstdDecompressorHandle } from '../native'
import type { DecompressOptions } from '../decompress-options'
import * as oneshot from '../oneshot'
import type { CompressArgs, Decoding } from '../oneshot'
import { booleanOption, integerOption, numberOption, optionsObject } from '../options'
import { threadsOption } from './params'
import type { AsyncOptions } from '../control'

export type { Input }
export { DEFAULT_MAX_OUTPUT_SIZE, type DecompressOptions } from '../decompress-options'

const [minLevel, maxLevel] = native.zstdLevelRange()

/** The fastest compression level libzstd accepts (negative levels trade ratio for speed). */
export const MIN_LEVEL: number = minLevel
/** The strongest compression level libzstd accepts. */
export const MAX_LEVEL: number = maxLevel
/** The level used when none is given. */
export const DEFAULT_LEVEL = 3
/** The version of the bundled libzstd. */
export const VERSION: string = native.versions().zstd

const [minWindow, maxWindow, defaultWindow] = native.zstdWindowSizes()

/** The smallest `maxWindowSize` a `Decompressor` accepts: 1 KiB. */
export const MIN_WINDOW_SIZE: number = minWindow!
/** The largest `maxWindowSize` a `Decompressor` accepts: 2 GiB (1 GiB on 32-bit platforms). */
export const MAX_WINDOW_SIZE: number = maxWindow!
/** The largest window a frame of unknown size may need by default: 128 MiB, as libzstd's. */
export const DEFAULT_MAX_WINDOW_SIZE: number = defaultWindow!

export interface CompressOptions {
  /** Compression level from {@link MIN_LEVEL} to {@link MAX_LEVEL}; default 3. 0 also means 3. */
  level?: number
  /** Append a 32-bit checksum of the content to the frame; default false. */
  checksum?: boolean
  /** Record the content size in the frame header; default true. */
  contentSize?: boolean
  /** Record the dictionary id in the frame header when a dictionary is used; default true. */
  dictId?: boolean
  /**
   * Compress on this many threads (0: one per thread of squish's pool); default 1, the calling
   * thread. More than one are libzstd workers, and the output is still one standard frame. The
   * workers are threads of a libzstd thread pool that every compression with the same count
   * shares (at most as many as squish's pool).
   */
  threads?: number
  /**
   * Cut inputs larger than this into independent frames of this many bytes each (the last may
   * be shorter), compressed side by side on `threads` threads. Each frame records its size, so
   * decompression with `threads` decodes them side by side too. Default 0: one frame.
   */
  frameSize?: number
}

export const { ZSTD_CHECKSUM: CHECKSUM, ZSTD_CONTENT_SIZE: CONTENT_SIZE, ZSTD_DICT_ID: DICT_ID, COMPRESS_THREADS_SHIFT: THREADS_SHIFT } = native

const DEFAULT_COMPRESS: CompressArgs = { level: DEFAULT_LEVEL, flags: CONTENT_SIZE | DICT_ID, frameSize: 0 }
export function compressArgs(options: CompressOptions | undefined): CompressArgs {
  if (options === undefined) return DEFAULT_COMPRESS
  const o = optionsObject(options)
  return {
    level: numberOption(o.level, 'level', DEFAULT_LEVEL),
    flags:
      (booleanOption(o.checksum, 'checksum', false) ? CHECKSUM : 0) |
      (booleanOption(o.contentSize, 'contentSize', true) ? CONTENT_SIZE : 0) |
      (booleanOption(o.dictId, 'dictId', true) ? DICT_ID : 0) |
      (threadsOption(o.threads) << THREADS_SHIFT),
    frameSize: integerOption(o.frameSize, 'frameSize', 0, 0, Number.MAX_SAFE_INTEGER),
  }
}

/** The module-level functions' native compression. */
const encoding = oneshot.encodingOf(native.zstdCompressSync, native.zstdCompress, QUEUED.zstdCompress)

/** Compresses `data` into one zstd frame (or frames of `frameSize`), on the calling thread (and the pool, for frames). */
export function compressSync(data: Input, options?: CompressOptions): Buffer {
  return oneshot.compressSync(encoding, data, options, compressArgs)
}

/** The most a frame of `size` bytes can compress to (libzstd's `ZSTD_COMPRESSBOUND`). */
export function compressBound(size: number): number {
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw invalidArg(`size must be a non-negative integer; received ${describe(size)}`)
  }
  return native.zstdCompressBound(size)
}

/**
 * Compresses `data` into one zstd frame (or frames of `frameSize`) on squish's worker pool.
 * `data` is read as it is when the call is made.
 */
export function compress(data: Input, options?: CompressOptions & AsyncOptions): Promise<Buffer> {
  return oneshot.compress(encoding, data, options, compressArgs)
}

/** `decoder`'s native one-shot decompression. */
export function decoding(decoder: ZstdDecompressorHandle): Decoding {
  return {
    decompressSync: (input, pool, offset, maxOutputSize, flags) => native.zstdDecompressorDecompressSync(decoder, input, pool, offset, maxOutputSize, flags),
    decompress: (input, maxOutputSize, flags, control) => native.zstdDecompressorDecompress(decoder, input, maxOutputSize, flags, control),
    queue: (input, maxOutputSize, flags) => queued(QUEUED.zstdDecompressor, input, maxOutputSize, flags, 0, decoder),
  }
}

/** The module-level functions' decompression: no dictionary, the default window limit (native code's own decompressor). */
const moduleDecoding: Decoding = {
  decompressSync: native.zstdDecompressSync,
  decompress: native.zstdDecompress,
  queue: (input, maxOutputSize, flags) => queued(QUEUED.zstdDecompress, input, maxOutputSize, flags, 0),
}

/** Decompresses zstd `data` (one or more frames), on the calling thread. */
export function decompressSync(data: Input, options?: DecompressOptions): Buffer {
  return oneshot.decompressSync(moduleDecoding, data, options)
}

/**
 * Decompresses zstd `data` (one or more frames) on squish's worker pool. `data` is read as it is
 * when the call is made.
 */
export function decompress(data: Input, options?: DecompressOptions & AsyncOptions): Promise<Buffer> {
  return oneshot.decompress(moduleDecoding, data, options)
}
