/**
 * Incremental LZ4 frames: python-lz4's low-level context functions, and the `FrameCompressor`
 * and `FrameDecompressor` classes over them.
 */

import { native } from '../binding'
import { invalidArg, SquishError } from '../errors'
import { describe, toView, type Input } from '../input'
import type { DecoderHandle, EncoderHandle } from '../native'
import { booleanOption, integerOption, optionsObject } from '../options'
import { AUTO_FLUSH, frameArgs, type FrameSettings } from './settings'

/** An LZ4 compression context, for {@link compressBegin}, {@link compressChunk} and {@link compressFlush}. */
export interface CompressionContext {
  readonly [Symbol.toStringTag]: 'Lz4CompressionContext'
}

/** An LZ4 decompression context, for {@link decompressChunk}. */
export interface DecompressionContext {
  readonly [Symbol.toStringTag]: 'Lz4DecompressionContext'
}

const encoders = new WeakMap<object, EncoderHandle>()
const decoders = new WeakMap<object, DecoderHandle>()

function handle<H>(contexts: WeakMap<object, H>, ctx: unknown, kind: string): H {
  const found = typeof ctx === 'object' && ctx !== null ? contexts.get(ctx) : undefined
  if (found === undefined) {
    throw invalidArg(`context must be an LZ4 ${kind} context from lz4.create${kind === 'compression' ? 'Compression' : 'Decompression'}Context(); received ${describe(ctx)}`)
  }
  return found
}

/** A new compression context (python-lz4's `create_compression_context`). */
export function createCompressionContext(): CompressionContext {
  const ctx = Object.freeze({ [Symbol.toStringTag]: 'Lz4CompressionContext' as const })
  encoders.set(ctx, native.lz4EncoderNew())
  return ctx
}

export interface BeginOptions extends FrameSettings {
  /** The size of the content to come, recorded in the header when not 0; default 0. */
  sourceSize?: number
  /** Emit a block on every {@link compressChunk} call instead of buffering a whole block; default false. */
  autoFlush?: boolean
}

/**
 * Starts a frame on `ctx` and returns its header. Beginning a frame while another is in
 * progress is `ERR_SQUISH_INVALID_STATE`.
 */
export function compressBegin(ctx: CompressionContext, options?: BeginOptions): Buffer {
  const encoder = handle(encoders, ctx, 'compression')
  const o = optionsObject(options)
  const a = frameArgs(o)
  const sourceSize = integerOption(o.sourceSize, 'sourceSize', 0, 0, Number.MAX_SAFE_INTEGER)
  const flags = a.flags | (booleanOption(o.autoFlush, 'autoFlush', false) ? AUTO_FLUSH : 0)
  return native.lz4EncoderBegin(encoder, sourceSize, a.level, flags)
}

/**
 * Compresses `data` as part of the frame in progress and returns what is ready: without
 * `autoFlush`, nothing until a block fills.
 */
export function compressChunk(ctx: CompressionContext, data: Input): Buffer {
  return native.encoderUpdate(handle(encoders, ctx, 'compression'), toView(data))
}

/**
 * Returns the buffered input as a block and, with `endFrame` (the default), the end of the
 * frame, after which `ctx` can begin another.
 */
export function compressFlush(ctx: CompressionContext, options?: { endFrame?: boolean }): Buffer {
  const encoder = handle(encoders, ctx, 'compression')
  return native.encoderFlush(encoder, booleanOption(optionsObject(options).endFrame, 'endFrame', true))
}

/** A new decompression context (python-lz4's `create_decompression_context`). */
export function createDecompressionContext(): DecompressionContext {
  const ctx = Object.freeze({ [Symbol.toStringTag]: 'Lz4DecompressionContext' as const })
  decoders.set(ctx, native.lz4DecoderNew(Infinity))
  return ctx
}

/** Forgets the frame in progress on `ctx`, and any failure. */
export function resetDecompressionContext(ctx: DecompressionContext): void {
  native.lz4DecoderReset(handle(decoders, ctx, 'decompression'))
}

export interface ChunkOptions {
  /** The most bytes to return; -1 (the default) for no limit. Further output waits for the next call. */
  maxLength?: number
}

export interface DecompressedChunk {
  data: Buffer
  /** Bytes of the chunk consumed: fewer than given when a frame ended or `maxLength` was reached. */
  bytesRead: number
  /** A frame ended in this chunk; the context is ready for the next frame. */
  endOfFrame: boolean
}

function maxLengthOption(options: ChunkOptions | undefined): number {
  return integerOption(optionsObject(options).maxLength, 'maxLength', -1, -1, Number.MAX_SAFE_INTEGER)
}

/**
 * Decodes a chunk of a frame (python-lz4's `decompress_chunk`). After a failure, the context
 * must be reset before further use (`ERR_SQUISH_INVALID_STATE` otherwise).
 */
export function decompressChunk(ctx: DecompressionContext, data: Input, options?: ChunkOptions): DecompressedChunk {
  const decoder = handle(decoders, ctx, 'decompression')
  return native.lz4DecoderDecompress(decoder, toView(data), maxLengthOption(options))
}

export interface FrameCompressorOptions extends FrameSettings {
  /** Emit a block on every `compress()` call instead of buffering a whole block; default false. */
  autoFlush?: boolean
}

function invalidState(message: string): SquishError {
  return new SquishError('ERR_SQUISH_INVALID_STATE', message)
}

/**
 * Compresses one frame at a time from chunks (python-lz4's `LZ4FrameCompressor`):
 * `begin()`, then `compress()` for each chunk, then `flush()`, which ends the frame.
 */
export class FrameCompressor {
  readonly #options: BeginOptions
  #context: CompressionContext | null = null

  constructor(options?: FrameCompressorOptions) {
    const o = optionsObject(options)
    frameArgs(o)
    booleanOption(o.autoFlush, 'autoFlush', false)
    this.#options = { ...o }
  }

  /** Starts a frame and returns its header; `sourceSize` (when not 0) is recorded in it. */
  begin(sourceSize = 0): Buffer {
    if (this.#context !== null) throw invalidState('FrameCompressor.begin() called while a frame is in progress; call flush() or reset() first')
    const context = createCompressionContext()
    const header = compressBegin(context, { ...this.#options, sourceSize })
    this.#context = context
    return header
  }

  /** Compresses a chunk of the frame; returns what is ready (possibly nothing). */
  compress(data: Input): Buffer {
    if (this.#context === null) throw invalidState('FrameCompressor.compress() called before begin()')
    return compressChunk(this.#context, data)
  }

  /** Ends the frame and returns its last bytes; the compressor is then ready for `begin()`. */
  flush(): Buffer {
    if (this.#context === null) throw invalidState('FrameCompressor.flush() called before begin()')
    const tail = compressFlush(this.#context, { endFrame: true })
    this.reset()
    return tail
  }

  /** Abandons the frame in progress, if any. */
  reset(): void {
    this.#context = null
  }

  /** Whether a frame is in progress (it holds a compression context). */
  hasContext(): boolean {
    return this.#context !== null
  }

  /** Whether `begin()` has started a frame that is not yet flushed. */
  started(): boolean {
    return this.#context !== null
  }
}

/**
 * Decompresses one frame from chunks (python-lz4's `LZ4FrameDecompressor`). With `maxLength`,
 * output beyond it stays buffered: while `needsInput` is false, call `decompress()` with an
 * empty chunk to drain it.
 */
export class FrameDecompressor {
  readonly #native = native.lz4FrameDecompressorNew()

  /** The frame has ended. */
  get eof(): boolean {
    return native.lz4FrameDecompressorState(this.#native)[0]!
  }

  /** The bytes after the end of the frame, once it has ended (`null` before, or if there were none). */
  get unusedData(): Buffer | null {
    return native.lz4FrameDecompressorUnusedData(this.#native)
  }

  /** False while input given earlier is still to be decoded (pass an empty chunk to continue). */
  get needsInput(): boolean {
    return native.lz4FrameDecompressorState(this.#native)[1]!
  }

  decompress(data: Input, options?: ChunkOptions): Buffer {
    const input = toView(data)
    return native.lz4FrameDecompressorDecompress(this.#native, input, maxLengthOption(options))
  }

  /** Forgets the frame, ready to decode another. */
  reset(): void {
    native.lz4FrameDecompressorReset(this.#native)
  }
}
