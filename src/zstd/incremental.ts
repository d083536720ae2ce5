/**
 * Incremental zstd: encoders, chunkers and decoders (python-zstandard's `compressobj`, `chunker`
 * and `decompressobj`), made by `Compressor.createEncoder`/`createChunker` and
 * `Decompressor.createDecoder`.
 */

import { native, nativeHandle } from '../binding'
import { invalidArg } from '../errors'
import { describe, toView, type Input } from '../input'
import type { DecoderHandle, EncoderHandle } from '../native'
import { decoderSteps, encoderSteps } from '../native-steps'
import type { Steps } from '../stream'

export type FlushMode = 'block' | 'frame'

export interface EncoderOptions {
  /**
   * The exact size of the content to come: recorded in the frame header, and input of another
   * size is `ERR_SQUISH_INVALID_ARG` rather than a wrong frame. Applies to the first frame.
   */
  pledgedSize?: number
}

export interface ChunkerOptions extends EncoderOptions {
  /** The size of every output chunk but the last; default 128 KiB. */
  chunkSize?: number
}

export interface DecoderOptions {
  /**
   * Decode frame after frame; with false, stop at the end of the first (`eof`): a decoder keeps
   * the bytes after it in `unusedData`, a stream ignores them. Default true.
   */
  readAcrossFrames?: boolean
  /** The most bytes the decoder may produce in all; default 256 MiB. */
  maxOutputSize?: number
}

/**
 * Compresses a stream of chunks into zstd frames. Each call returns the output ready so far,
 * which may be empty.
 */
export class Encoder {
  readonly #native: EncoderHandle

  /** @internal Made by {@link Compressor.createEncoder}. */
  constructor(handle: EncoderHandle) {
    this.#native = nativeHandle(handle, 'Compressor.createEncoder()')
  }

  /** Compresses `chunk` and returns the output that is ready. */
  update(chunk: Input): Buffer {
    return native.encoderUpdate(this.#native, toView(chunk, 'chunk'))
  }

  /**
   * Returns everything given so far: `'block'` (the default) as complete blocks that a reader
   * can decode at once, the frame going on; `'frame'` ending the frame, the next input
   * starting another.
   */
  flush(mode: FlushMode = 'block'): Buffer {
    if (mode !== 'block' && mode !== 'frame') throw invalidArg(`mode must be 'block' or 'frame'; received ${describe(mode)}`)
    return native.encoderFlush(this.#native, mode === 'frame')
  }

  /** Ends the frame and the encoder; further use is `ERR_SQUISH_CLOSED`. */
  final(): Buffer {
    return native.encoderFinal(this.#native)
  }

  /** @internal The encoder's steps on the worker pool, for streams. */
  static steps(encoder: Encoder): Steps {
    return encoderSteps(encoder.#native)
  }
}

/** Compresses a stream of chunks into output chunks of exactly `chunkSize` bytes, but the last. */
export class Chunker {
  readonly chunkSize: number
  readonly #encoder: Encoder
  #pending: Buffer[] = []
  #pendingLength = 0

  /** @internal Made by {@link Compressor.createChunker}. */
  constructor(encoder: Encoder, chunkSize: number) {
    // createChunker checks the chunk size; without one, #cut would never end.
    if (!(encoder instanceof Encoder) || !Number.isSafeInteger(chunkSize) || chunkSize < 1) throw invalidArg('this object is made by Compressor.createChunker(), not with new')
    this.#encoder = encoder
    this.chunkSize = chunkSize
  }

  #cut(output: Buffer, last: boolean): Buffer[] {
    if (output.length > 0) {
      this.#pending.push(output)
      this.#pendingLength += output.length
    }
    const chunks: Buffer[] = []
    if (this.#pendingLength < this.chunkSize && !(last && this.#pendingLength > 0)) return chunks
    const all = Buffer.concat(this.#pending, this.#pendingLength)
    let pos = 0
    for (; all.length - pos >= this.chunkSize; pos += this.chunkSize) chunks.push(all.subarray(pos, pos + this.chunkSize))
    const rest = all.subarray(pos)
    if (last && rest.length > 0) chunks.push(rest)
    this.#pending = last || rest.length === 0 ? [] : [rest]
    this.#pendingLength = last ? 0 : rest.length
    return chunks
  }

  /** Compresses `chunk`; returns the full output chunks now ready (often none). */
  update(chunk: Input): Buffer[] {
    return this.#cut(this.#encoder.update(chunk), false)
  }

  /** Flushes the encoder (see {@link Encoder.flush}); returns the full chunks now ready. */
  flush(mode: FlushMode = 'block'): Buffer[] {
    return this.#cut(this.#encoder.flush(mode), false)
  }

  /** Ends the frame; returns the remaining chunks, the last one possibly short. */
  final(): Buffer[] {
    return this.#cut(this.#encoder.final(), true)
  }
}

/** Decompresses zstd frames fed as chunks of any size. */
export class Decoder {
  readonly #native: DecoderHandle

  /** @internal Made by {@link Decompressor.createDecoder}. */
  constructor(handle: DecoderHandle) {
    this.#native = nativeHandle(handle, 'Decompressor.createDecoder()')
  }

  /** Decodes `chunk` and returns the output it completes (may be empty). */
  update(chunk: Input): Buffer {
    return native.zstdDecoderUpdate(this.#native, toView(chunk, 'chunk'))
  }

  /**
   * Checks that the input ended at a frame boundary: `ERR_SQUISH_TRUNCATED` if it ends inside a
   * frame or there was none, `ERR_SQUISH_INVALID_STATE` if the decoder failed.
   */
  final(): Buffer {
    native.decoderFinish(this.#native)
    return Buffer.alloc(0)
  }

  /** The frame has ended and `readAcrossFrames` is false: further input is not decoded. */
  get eof(): boolean {
    return native.zstdDecoderEof(this.#native)
  }

  /** The bytes after the end of the frame, once `eof` (empty before). */
  get unusedData(): Buffer {
    return native.zstdDecoderUnusedData(this.#native)
  }

  /** @internal The decoder's steps on the worker pool, for streams. */
  static steps(decoder: Decoder): Steps {
    return decoderSteps(decoder.#native)
  }
}
