import { MAX_THREADS, native } from '../binding'
import { QUEUED, queued } from '../call-queue'
import { batchViews, type Input } from '../input'
import type { ZstdCompressorHandle, ZstdDecompressorHandle } from '../native'
import { booleanOption, integerOption, optionsObject } from '../options'
import { decompressArgs, type DecompressOptions, maxOutputSizeOption } from '../decompress-options'
import { unpackBatch } from '../output'
import { type AsyncOptions, controlled } from '../control'
import { type Dictionary, nativeDictionary } from './dictionary'
import * as oneshot from '../oneshot'
import type { Decoding, Encoding } from '../oneshot'
import { CodecStream, type StreamOptions, streamOptions } from '../stream'
import { Chunker, type ChunkerOptions, Decoder, type DecoderOptions, Encoder, type EncoderOptions } from './incremental'
import {
  type CompressOptions,
  compressArgs,
  CHECKSUM,
  CONTENT_SIZE,
  decoding,
  DICT_ID,
  THREADS_SHIFT,
  DEFAULT_MAX_WINDOW_SIZE,
  MAX_WINDOW_SIZE,
  MIN_WINDOW_SIZE,
} from './oneshot'
import { type CompressionParameters, type Format, formatOption, parameterRecord } from './params'

export interface CompressorOptions extends CompressOptions {
  /** Compress with this dictionary; frames then need it to decompress. */
  dictionary?: Dictionary
  /** Advanced parameters, applied over those the level implies. */
  params?: CompressionParameters
  /** Default `'standard'`. */
  format?: Format
}

export interface BatchOptions {
  /** Threads to spread the batch over; default one per worker in squish's pool. */
  threads?: number
}

/** Progress of the most recently completed frame, as libzstd counts it. */
export interface FrameProgression {
  ingested: number
  consumed: number
  produced: number
}

function batchThreads(options: BatchOptions | undefined): number {
  return integerOption(optionsObject(options).threads, 'threads', 0, 0, MAX_THREADS)
}

function pledgedSizeOption(options: EncoderOptions | undefined): number {
  return integerOption(optionsObject(options).pledgedSize, 'pledgedSize', -1, 0, Number.MAX_SAFE_INTEGER)
}

/**
 * A reusable zstd compressor. Its settings are fixed at construction, and it keeps a small pool
 * of contexts set up with them, so one instance can serve many concurrent `compress()` calls,
 * each producing exactly the bytes a sequential call would.
 */
/** A `Compressor`'s calls take no settings: they are the instance's. */
const noArgs = (): undefined => undefined

export class Compressor {
  readonly #native: ZstdCompressorHandle
  readonly #encoding: Encoding<undefined>
  /** The dictionary frames are compressed with, if any. */
  readonly dictionary: Dictionary | undefined

  constructor(options?: CompressorOptions) {
    const o = optionsObject(options)
    const frame = compressArgs(o)
    const record = parameterRecord(o.params)
    record.level = frame.level
    record.checksum = frame.flags & CHECKSUM ? 1 : 0
    record.contentSize = frame.flags & CONTENT_SIZE ? 1 : 0
    record.dictId = frame.flags & DICT_ID ? 1 : 0
    record.threads = frame.flags >> THREADS_SHIFT
    record.format = formatOption(o.format) === 'magicless' ? 1 : 0
    const handle = native.zstdCompressorNew(record, nativeDictionary(o.dictionary), frame.frameSize)
    this.#native = handle
    this.#encoding = {
      compressSync: (input, pool, offset) => native.zstdCompressorCompressSync(handle, input, pool, offset),
      compress: (input, _, control) => native.zstdCompressorCompress(handle, input, control),
      queue: (input) => queued(QUEUED.zstdCompressor, input, 0, 0, 0, handle),
    }
    this.dictionary = o.dictionary
  }

  /** Compresses `data` into one frame (or frames of `frameSize`), on the calling thread (and the pool, for frames). */
  compressSync(data: Input): Buffer {
    return oneshot.compressSync(this.#encoding, data, undefined, noArgs)
  }

  /** Compresses `data` into one frame (or frames of `frameSize`) on squish's worker pool, as `data` is when the call is made. */
  compress(data: Input, options?: AsyncOptions): Promise<Buffer> {
    return oneshot.compress(this.#encoding, data, options, noArgs)
  }

  /**
   * Compresses each input into its own frame, spread over the worker pool and the calling thread,
   * in one call into native code. Results are in input order; a failure names the item's `index`.
   */
  compressManySync(data: Iterable<Input>, options?: BatchOptions): Buffer[] {
    return unpackBatch(native.zstdCompressorCompressManySync(this.#native, batchViews(data, 'data'), batchThreads(options)))
  }

  /** The promise twin of {@link compressManySync}, run entirely off the main thread. */
  compressMany(data: Iterable<Input>, options?: BatchOptions & AsyncOptions): Promise<Buffer[]> {
    return controlled(options, (control) =>
      native.zstdCompressorCompressMany(this.#native, batchViews(data, 'data'), batchThreads(options), control),
    ).then(unpackBatch)
  }

  /** An incremental encoder with this compressor's settings (python-zstandard's `compressobj`). */
  createEncoder(options?: EncoderOptions): Encoder {
    return new Encoder(native.zstdEncoderNew(this.#native, pledgedSizeOption(options)))
  }

  /** A Transform stream that compresses with this compressor's settings, off the main thread. */
  createCompressStream(options?: EncoderOptions & StreamOptions): CodecStream {
    return new CodecStream(Encoder.steps(this.createEncoder(options)), streamOptions(options))
  }

  /** A chunker: output in chunks of exactly `chunkSize` bytes but the last (python-zstandard's `chunker`). */
  createChunker(options?: ChunkerOptions): Chunker {
    const chunkSize = integerOption(optionsObject(options).chunkSize, 'chunkSize', 128 * 1024, 1, 2 ** 31 - 1)
    return new Chunker(this.createEncoder(options), chunkSize)
  }

  /** Bytes held by the instance's idle contexts and its dictionary. */
  get memorySize(): number {
    return native.zstdCompressorMemorySize(this.#native)
  }

  /** Bytes ingested, consumed and produced for the most recently completed frame. */
  get frameProgression(): FrameProgression {
    const [ingested, consumed, produced] = native.zstdCompressorFrameProgression(this.#native)
    return { ingested: ingested!, consumed: consumed!, produced: produced! }
  }
}

export interface DecompressorOptions {
  /** The dictionary frames were compressed with. */
  dictionary?: Dictionary
  /**
   * The largest window a frame of unknown content size may make the decoder allocate, 1 KiB to
   * 2 GiB; default {@link DEFAULT_MAX_WINDOW_SIZE}. Frames from `zstd --long=31` need 2 GiB.
   */
  maxWindowSize?: number
  /** Default `'standard'`. */
  format?: Format
}

export interface ContentDictChainOptions {
  /** The most bytes any frame of the chain may decode to; default 256 MiB. */
  maxOutputSize?: number
}

/**
 * A reusable zstd decompressor with a dictionary, window limit and frame format, safe to share
 * between concurrent calls.
 */
export class Decompressor {
  readonly #native: ZstdDecompressorHandle
  readonly #decoding: Decoding
  readonly dictionary: Dictionary | undefined

  constructor(options?: DecompressorOptions) {
    const o = optionsObject(options)
    const maxWindowSize = integerOption(o.maxWindowSize, 'maxWindowSize', DEFAULT_MAX_WINDOW_SIZE, MIN_WINDOW_SIZE, MAX_WINDOW_SIZE)
    const magicless = formatOption(o.format) === 'magicless'
    this.#native = native.zstdDecompressorNew(nativeDictionary(o.dictionary), maxWindowSize, magicless)
    this.#decoding = decoding(this.#native)
    this.dictionary = o.dictionary
  }

  /** Decompresses `data` (one or more frames), on the calling thread. */
  decompressSync(data: Input, options?: DecompressOptions): Buffer {
    return oneshot.decompressSync(this.#decoding, data, options)
  }

  /** Decompresses `data` on squish's worker pool, as `data` is when the call is made. */
  decompress(data: Input, options?: DecompressOptions & AsyncOptions): Promise<Buffer> {
    return oneshot.decompress(this.#decoding, data, options)
  }

  /**
   * Decompresses each input separately, spread over the worker pool and the calling thread, in
   * one call into native code. Results are in input order; a failure names the item's `index`.
   */
  decompressManySync(data: Iterable<Input>, options?: DecompressOptions & BatchOptions): Buffer[] {
    const a = decompressArgs(options)
    return unpackBatch(
      native.zstdDecompressorDecompressManySync(
        this.#native,
        batchViews(data, 'data'), a.maxOutputSize, a.flags, batchThreads(options),
      ),
    )
  }

  /** The promise twin of {@link decompressManySync}, run entirely off the main thread. */
  decompressMany(data: Iterable<Input>, options?: DecompressOptions & BatchOptions & AsyncOptions): Promise<Buffer[]> {
    return controlled(options, (control) => {
      const a = decompressArgs(options)
      return native.zstdDecompressorDecompressMany(
        this.#native,
        batchViews(data, 'data'), a.maxOutputSize, a.flags, batchThreads(options), control,
      )
    }).then(unpackBatch)
  }

  /**
   * Decodes a content-dictionary chain: the first frame on its own, each later frame with the
   * previous frame's content as its dictionary. Returns the last frame's content. Every frame
   * must record its content size.
   */
  decompressContentDictChainSync(frames: Iterable<Input>, options?: ContentDictChainOptions): Buffer {
    return native.zstdDecompressorContentDictChainSync(this.#native, batchViews(frames, 'frames'), decompressArgs(options).maxOutputSize)
  }

  /** The promise twin of {@link decompressContentDictChainSync}. */
  decompressContentDictChain(frames: Iterable<Input>, options?: ContentDictChainOptions & AsyncOptions): Promise<Buffer> {
    return controlled(options, (control) =>
      native.zstdDecompressorContentDictChain(this.#native, batchViews(frames, 'frames'), decompressArgs(options).maxOutputSize, control),
    )
  }

  /** A Transform stream that decompresses with this decompressor's settings, off the main thread. */
  createDecompressStream(options?: DecoderOptions & StreamOptions): CodecStream {
    return new CodecStream(Decoder.steps(this.createDecoder(options)), streamOptions(options))
  }

  /** An incremental decoder with this decompressor's settings (python-zstandard's `decompressobj`). */
  createDecoder(options?: DecoderOptions): Decoder {
    const o = optionsObject(options)
    return new Decoder(
      native.zstdDecoderNew(this.#native, booleanOption(o.readAcrossFrames, 'readAcrossFrames', true), maxOutputSizeOption(o.maxOutputSize)),
    )
  }

  /** Bytes held by the instance's idle contexts and its dictionary. */
  get memorySize(): number {
    return native.zstdDecompressorMemorySize(this.#native)
  }
}
