/** zstd streams and files: Node streams, Web streams, async iterables and frame files, over the shared adapters. */

import { streamApiOf } from '../stream-api'
import { Decoder, type DecoderOptions, Encoder, type EncoderOptions } from './incremental'
import { Compressor, type CompressorOptions, Decompressor, type DecompressorOptions } from './instances'

export type CompressStreamOptions = CompressorOptions & EncoderOptions
export type DecompressStreamOptions = DecompressorOptions & DecoderOptions

const compressSteps = (options?: CompressStreamOptions) => Encoder.steps(new Compressor(options).createEncoder(options))
const decompressSteps = (options?: DecompressStreamOptions) => Decoder.steps(new Decompressor(options).createDecoder(options))

/**
 * The options of `open` (python-zstandard's `open`): the `Compressor`'s when writing, the
 * `Decompressor`'s and `maxOutputSize` when reading. `copyStream` is python-zstandard's
 * `copy_stream`.
 */
export type OpenOptions = CompressorOptions & DecompressorOptions & Pick<DecoderOptions, 'maxOutputSize'>

export const { createCompressStream, createDecompressStream, CompressionStream, DecompressionStream, compressIter, decompressIter, copyStream, open, compressFile, decompressFile } = streamApiOf(compressSteps, decompressSteps, (options?: OpenOptions) => ({
  compress: () => compressSteps(options),
  decompress: () => decompressSteps({ ...options, maxOutputSize: options?.maxOutputSize ?? Infinity, readAcrossFrames: true }),
}))
export type CompressionStream = InstanceType<typeof CompressionStream>
export type DecompressionStream = InstanceType<typeof DecompressionStream>
