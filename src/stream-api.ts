/**
 * A codec's stream and file API, made once for both codecs from the codec's steps: Node streams,
 * Web streams, async iterables, `copyStream`, frame files and whole-file transforms.
 */

import type { PathLike } from 'node:fs'

import type { AsyncOptions } from './control'
import { fileTransformOf } from './file-transform'
import { type Codec, type FrameFile, type OpenFunction, openerOf } from './frame-file'
import type { Input } from './input'
import {
  CodecStream,
  copyStreamOf,
  type CopyModeOptions,
  type CopyResult,
  iteratorOf,
  type Steps,
  type StreamOptions,
  streamOptions,
  type WebStreamClass,
  webStreamClass,
} from './stream'

/** A codec's stream and file API; the codec's module exports each member under its name. */
export interface StreamApi<C, D, F> {
  /** A Node Transform stream compressing into one frame, off the main thread. */
  createCompressStream(options?: C & StreamOptions): CodecStream
  /** A Node Transform stream decoding frames, off the main thread. */
  createDecompressStream(options?: D & StreamOptions): CodecStream
  /** A Web `TransformStream` compressing chunks into one frame, off the main thread. */
  CompressionStream: WebStreamClass<C>
  /** A Web `TransformStream` decoding frames, off the main thread. */
  DecompressionStream: WebStreamClass<D>
  /** Compresses the chunks of any (async) iterable into one frame, yielding output as it is ready. */
  compressIter(source: AsyncIterable<Input> | Iterable<Input>, options?: C): AsyncGenerator<Buffer>
  /** Decodes frames from the chunks of any (async) iterable, yielding output as it is ready. */
  decompressIter(source: AsyncIterable<Input> | Iterable<Input>, options?: D): AsyncGenerator<Buffer>
  /**
   * Compresses (or with `mode: 'decompress'`, decompresses) everything `readable` gives into
   * `writable`; resolves to `{bytesRead, bytesWritten}`.
   */
  copyStream(readable: NodeJS.ReadableStream, writable: NodeJS.WritableStream, options?: C & D & StreamOptions & CopyModeOptions): Promise<CopyResult>
  /**
   * Opens a compressed file as a {@link FrameFile}: mode `'r'` (the default), `'w'`, `'a'` or
   * `'x'`, binary or (`'rt'`, ...) text. Reading decodes at most 4 MiB per step, so memory
   * stays bounded without a `maxOutputSize` (none by default).
   */
  open: OpenFunction<F>
  /**
   * Compresses the file `source` into one frame at `destination`, which appears only when
   * complete; resolves to `{bytesRead, bytesWritten}`.
   */
  compressFile(source: PathLike, destination: PathLike, options?: C & StreamOptions & AsyncOptions): Promise<CopyResult>
  /**
   * Decompresses the file `source` (every frame of it) into `destination`, which appears only
   * when complete; no `maxOutputSize` by default (memory stays bounded either way). Resolves
   * to `{bytesRead, bytesWritten}`.
   */
  decompressFile(source: PathLike, destination: PathLike, options?: D & StreamOptions & AsyncOptions): Promise<CopyResult>
}

/**
 * The API over `compressSteps` (one frame from the chunks given) and `decompressSteps` (the
 * frames in the chunks given); `fileSteps` gives a frame file's steps from `open`'s options.
 */
export function streamApiOf<C, D extends { maxOutputSize?: number }, F>(
  compressSteps: (options?: C) => Steps,
  decompressSteps: (options?: D) => Steps,
  fileSteps: (options?: F) => Codec,
): StreamApi<C, D, F> {
  const createCompressStream = (options?: C & StreamOptions): CodecStream => new CodecStream(compressSteps(options), streamOptions(options))
  const createDecompressStream = (options?: D & StreamOptions): CodecStream => new CodecStream(decompressSteps(options), streamOptions(options))
  return {
    createCompressStream,
    createDecompressStream,
    CompressionStream: webStreamClass(compressSteps),
    DecompressionStream: webStreamClass(decompressSteps),
    compressIter: iteratorOf(compressSteps),
    decompressIter: iteratorOf(decompressSteps),
    copyStream: copyStreamOf(createCompressStream, createDecompressStream),
    open: openerOf<F>(fileSteps),
    compressFile: fileTransformOf(createCompressStream, 1024 * 1024),
    decompressFile: fileTransformOf(createDecompressStream, 512 * 1024, { maxOutputSize: Infinity } as Partial<D & StreamOptions>),
  }
}
