/** LZ4 Node streams, over the one stream adapter both codecs share. */

import { native } from '../binding'
import { maxOutputSizeOption } from '../decompress-options'
import { booleanOption, optionsObject } from '../options'
import { CodecStream, type StreamOptions, streamOptions } from '../stream'
import { AUTO_FLUSH, frameArgs, type FrameSettings } from './frame'

export interface CompressStreamOptions extends FrameSettings, StreamOptions {
  /** Emit a block for every chunk written instead of buffering whole blocks; default false. */
  autoFlush?: boolean
}

export interface DecompressStreamOptions extends StreamOptions {
  /** The most bytes the stream may produce in all; default 256 MiB. */
  maxOutputSize?: number
}

/** A Transform stream writing one LZ4 frame, compressed off the main thread. */
export function createCompressStream(options?: CompressStreamOptions): CodecStream {
  const o = optionsObject(options)
  const a = frameArgs(o)
  const flags = a.flags | (booleanOption(o.autoFlush, 'autoFlush', false) ? AUTO_FLUSH : 0)
  const encoder = native.lz4EncoderNew()
  let header: Buffer | null = native.lz4EncoderBegin(encoder, 0, a.level, a.blockSize, flags)
  // The frame header goes out with the first output.
  const withHeader = (step: Promise<Buffer>) =>
    header === null
      ? step
      : step.then((output) => {
          const first = Buffer.concat([header!, output])
          header = null
          return first
        })
  return new CodecStream(
    {
      update: (chunk) => withHeader(native.lz4EncoderUpdateAsync(encoder, chunk)),
      flush: () => withHeader(native.lz4EncoderFlushAsync(encoder, false)),
      final: () => withHeader(native.lz4EncoderFlushAsync(encoder, true)),
    },
    streamOptions(options),
  )
}

/** A Transform stream decoding LZ4 frames (concatenated, skippable ones skipped) off the main thread. */
export function createDecompressStream(options?: DecompressStreamOptions): CodecStream {
  const maxOutputSize = maxOutputSizeOption(optionsObject(options).maxOutputSize)
  const decoder = native.lz4DecoderNew()
  return new CodecStream(
    {
      update: (chunk) => native.lz4DecoderStreamAsync(decoder, chunk, maxOutputSize),
      final: async () => {
        native.lz4DecoderFinish(decoder)
        return Buffer.alloc(0)
      },
    },
    streamOptions(options),
  )
}
