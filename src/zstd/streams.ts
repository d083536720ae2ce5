/** zstd streams and files: Node streams, Web streams, async iterables and frame files, over the shared adapters. */

import { fileTransformOf } from '../file-transform'
import { openerOf } from '../frame-file'
import { CodecStream, copyStreamOf, iteratorOf, type StreamOptions, webStreamClass } from '../stream'
import { Decoder, type DecoderOptions, Encoder, type EncoderOptions } from './incremental'
import { Compressor, type CompressorOptions, Decompressor, type DecompressorOptions } from './instances'

export type CompressStreamOptions = CompressorOptions & EncoderOptions
export type DecompressStreamOptions = DecompressorOptions & DecoderOptions

const compressSteps = (options?: CompressStreamOptions) => Encoder.steps(new Compressor(options).createEncoder(options))
const decompressSteps = (options?: DecompressStreamOptions) => Decoder.steps(new Decompressor(options).createDecoder(options))

/** A Node Transform stream: `new Compressor(options).createCompressStream(options)`. */
export function createCompressStream(options?: CompressStreamOptions & StreamOptions): CodecStream {
  return new Compressor(options).createCompressStream(options)
}

/** A Node Transform stream: `new Decompressor(options).createDecompressStream(options)`. */
export function createDecompressStream(options?: DecompressStreamOptions & StreamOptions): CodecStream {
  return new Decompressor(options).createDecompressStream(options)
}

/** A Web `TransformStream` compressing chunks into one zstd frame, off the main thread. */
export const CompressionStream = webStreamClass(compressSteps)
export type CompressionStream = InstanceType<typeof CompressionStream>

/** A Web `TransformStream` decoding zstd frames, off the main thread. */
export const DecompressionStream = webStreamClass(decompressSteps)
export type DecompressionStream = InstanceType<typeof DecompressionStream>

/** Compresses the chunks of any (async) iterable into one zstd frame, yielding output as it is ready. */
export const compressIter = iteratorOf(compressSteps)

/** Decodes zstd frames from the chunks of any (async) iterable, yielding output as it is ready. */
export const decompressIter = iteratorOf(decompressSteps)

/**
 * Compresses (or with `mode: 'decompress'`, decompresses) everything `readable` gives into
 * `writable` (python-zstandard's `copy_stream`); resolves to `{bytesRead, bytesWritten}`.
 */
export const copyStream = copyStreamOf(createCompressStream, createDecompressStream)

export type OpenOptions = CompressorOptions & DecompressorOptions & Pick<DecoderOptions, 'maxOutputSize'>

/**
 * Opens a zstd-compressed file as a {@link FrameFile} (python-zstandard's `open`): mode `'r'`
 * (the default), `'w'`, `'a'` or `'x'`, binary or (`'rt'`, ...) text. Options are the
 * `Compressor`'s when writing, the `Decompressor`'s and `maxOutputSize` (default none: reading
 * decodes at most 4 MiB per step, so memory stays bounded) when reading.
 */
export const open = openerOf<OpenOptions>((options) => ({
  compress: () => compressSteps(options),
  decompress: () => decompressSteps({ ...options, maxOutputSize: options?.maxOutputSize ?? Infinity, readAcrossFrames: true }),
}))

/**
 * Compresses the file `source` into one zstd frame at `destination`, which appears only when
 * complete; resolves to `{bytesRead, bytesWritten}`.
 */
export const compressFile = fileTransformOf(createCompressStream, 1024 * 1024)

/**
 * Decompresses the zstd file `source` (every frame of it) into `destination`, which appears
 * only when complete; no `maxOutputSize` by default (memory stays bounded either way). Resolves
 * to `{bytesRead, bytesWritten}`.
 */
export const decompressFile = fileTransformOf(createDecompressStream, 512 * 1024, { maxOutputSize: Infinity })
