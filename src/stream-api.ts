/**
 * A codec's stream and file API, made once for both codecs from the codec's steps: Node streams,
 * Web streams, async iterables, `copyStream`, frame files and whole-file transforms.
 */

import { fileTransformOf } from './file-transform'
import { type Codec, openerOf } from './frame-file'
import { CodecStream, copyStreamOf, iteratorOf, type Steps, type StreamOptions, streamOptions, webStreamClass } from './stream'

/**
 * The API over `compressSteps` (one frame from the chunks given) and `decompressSteps` (the
 * frames in the chunks given); `fileSteps` gives a frame file's steps from `open`'s options.
 */
export function streamApiOf<C, D extends { maxOutputSize?: number }, F>(compressSteps: (options?: C) => Steps, decompressSteps: (options?: D) => Steps, fileSteps: (options?: F) => Codec) {
  const createCompressStream = (options?: C & StreamOptions): CodecStream => new CodecStream(compressSteps(options), streamOptions(options))
  const createDecompressStream = (options?: D & StreamOptions): CodecStream => new CodecStream(decompressSteps(options), streamOptions(options))
  return {
    /** A Node Transform stream compressing into one frame, off the main thread. */
    createCompressStream,
    /** A Node Transform stream decoding frames, off the main thread. */
    createDecompressStream,
    /** A Web `TransformStream` compressing chunks into one frame, off the main thread. */
    CompressionStream: webStreamClass(compressSteps),
    /** A Web `TransformStream` decoding frames, off the main thread. */
    DecompressionStream: webStreamClass(decompressSteps),
    /** Compresses the chunks of any (async) iterable into one frame, yielding output as it is ready. */
    compressIter: iteratorOf(compressSteps),
    /** Decodes frames from the chunks of any (async) iterable, yielding output as it is ready. */
    decompressIter: iteratorOf(decompressSteps),
    /**
     * Compresses (or with `mode: 'decompress'`, decompresses) everything `readable` gives into
     * `writable`; resolves to `{bytesRead, bytesWritten}`.
     */
    copyStream: copyStreamOf(createCompressStream, createDecompressStream),
    /**
     * Opens a compressed file as a {@link FrameFile}: mode `'r'` (the default), `'w'`, `'a'` or
     * `'x'`, binary or (`'rt'`, ...) text. Reading decodes at most 4 MiB per step, so memory
     * stays bounded without a `maxOutputSize` (none by default).
     */
    open: openerOf<F>(fileSteps),
    /**
     * Compresses the file `source` into one frame at `destination`, which appears only when
     * complete; resolves to `{bytesRead, bytesWritten}`.
     */
    compressFile: fileTransformOf(createCompressStream, 1024 * 1024),
    /**
     * Decompresses the file `source` (every frame of it) into `destination`, which appears only
     * when complete; no `maxOutputSize` by default (memory stays bounded either way). Resolves
     * to `{bytesRead, bytesWritten}`.
     */
    decompressFile: fileTransformOf(createDecompressStream, 512 * 1024, { maxOutputSize: Infinity } as Partial<D & StreamOptions>),
  }
}
