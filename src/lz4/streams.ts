/** LZ4 streams and files: Node streams, Web streams, async iterables and frame files, over the shared adapters. */

import { native } from '../binding'
import { maxOutputSizeOption } from '../decompress-options'
import { booleanOption, optionsObject } from '../options'
import { decoderSteps, encoderSteps } from '../native-steps'
import type { Steps } from '../stream'
import { streamApiOf } from '../stream-api'
import { AUTO_FLUSH, frameArgs, type FrameSettings } from './settings'

export interface CompressStreamOptions extends FrameSettings {
  /** Emit a block for every chunk written instead of buffering whole blocks; default false. */
  autoFlush?: boolean
}

export interface DecompressStreamOptions {
  /** The most bytes the stream may produce in all; default 256 MiB. */
  maxOutputSize?: number
}

/** Steps writing one LZ4 frame; its header goes out with the first output. */
function compressSteps(options: CompressStreamOptions | undefined): Steps {
  const o = optionsObject(options)
  const a = frameArgs(o)
  const flags = a.flags | (booleanOption(o.autoFlush, 'autoFlush', false) ? AUTO_FLUSH : 0)
  const encoder = native.lz4EncoderNew()
  let header: Buffer | null = native.lz4EncoderBegin(encoder, 0, a.level, flags)
  const withHeader = (step: Promise<Buffer>) =>
    header === null
      ? step
      : step.then((output) => {
          const first = Buffer.concat([header!, output])
          header = null
          return first
        })
  const steps = encoderSteps(encoder)
  return {
    update: (chunk) => withHeader(steps.update(chunk)),
    flush: () => withHeader(steps.flush!()),
    final: () => withHeader(steps.final()),
    close: steps.close,
  }
}

/** Steps decoding concatenated LZ4 frames (skippable ones skipped). */
function decompressSteps(options: DecompressStreamOptions | undefined): Steps {
  return decoderSteps(native.lz4DecoderNew(maxOutputSizeOption(optionsObject(options).maxOutputSize)))
}

/** The options of `open` (python-lz4's `lz4.frame.open`): the frame settings when writing, `maxOutputSize` when reading. */
export type OpenOptions = FrameSettings & DecompressStreamOptions

export const { createCompressStream, createDecompressStream, CompressionStream, DecompressionStream, compressIter, decompressIter, copyStream, open, compressFile, decompressFile } = streamApiOf(compressSteps, decompressSteps, (options?: OpenOptions) => ({
  compress: () => compressSteps(options),
  decompress: () => decompressSteps({ ...options, maxOutputSize: options?.maxOutputSize ?? Infinity }),
}))
export type CompressionStream = InstanceType<typeof CompressionStream>
export type DecompressionStream = InstanceType<typeof DecompressionStream>
