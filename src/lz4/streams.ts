/** LZ4 streams and files: Node streams, Web streams, async iterables and frame files, over the shared adapters. */

import { native } from '../binding'
import { maxOutputSizeOption } from '../decompress-options'
import { fileTransformOf } from '../file-transform'
import { openerOf } from '../frame-file'
import { booleanOption, optionsObject } from '../options'
import { type Steps, CodecStream, STEP_OUTPUT, copyStreamOf, iteratorOf, type StreamOptions, streamOptions, webStreamClass } from '../stream'
import { AUTO_FLUSH, frameArgs, type FrameSettings } from './frame'

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
  return {
    update: (chunk) => withHeader(native.lz4EncoderUpdateAsync(encoder, chunk)),
    flush: () => withHeader(native.lz4EncoderFlushAsync(encoder, false)),
    final: () => withHeader(native.lz4EncoderFlushAsync(encoder, true)),
    close: () => native.lz4EncoderClose(encoder),
  }
}

/** Steps decoding concatenated LZ4 frames (skippable ones skipped). */
function decompressSteps(options: DecompressStreamOptions | undefined): Steps {
  const maxOutputSize = maxOutputSizeOption(optionsObject(options).maxOutputSize)
  const decoder = native.lz4DecoderNew()
  return {
    update: (chunk) => native.lz4DecoderStreamAsync(decoder, chunk, maxOutputSize, STEP_OUTPUT),
    pending: () => native.lz4DecoderPending(decoder),
    final: async () => {
      native.lz4DecoderFinish(decoder)
      return Buffer.alloc(0)
    },
    close: () => native.lz4DecoderClose(decoder),
  }
}

/** A Node Transform stream writing one LZ4 frame, compressed off the main thread. */
export function createCompressStream(options?: CompressStreamOptions & StreamOptions): CodecStream {
  return new CodecStream(compressSteps(options), streamOptions(options))
}

/** A Node Transform stream decoding LZ4 frames off the main thread. */
export function createDecompressStream(options?: DecompressStreamOptions & StreamOptions): CodecStream {
  return new CodecStream(decompressSteps(options), streamOptions(options))
}

/** A Web `TransformStream` compressing chunks into one LZ4 frame, off the main thread. */
export const CompressionStream = webStreamClass(compressSteps)
export type CompressionStream = InstanceType<typeof CompressionStream>

/** A Web `TransformStream` decoding LZ4 frames, off the main thread. */
export const DecompressionStream = webStreamClass(decompressSteps)
export type DecompressionStream = InstanceType<typeof DecompressionStream>

/** Compresses the chunks of any (async) iterable into one LZ4 frame, yielding output as it is ready. */
export const compressIter = iteratorOf(compressSteps)

/** Decodes LZ4 frames from the chunks of any (async) iterable, yielding output as it is ready. */
export const decompressIter = iteratorOf(decompressSteps)

/**
 * Compresses (or with `mode: 'decompress'`, decompresses) everything `readable` gives into
 * `writable`; resolves to `{bytesRead, bytesWritten}`.
 */
export const copyStream = copyStreamOf(createCompressStream, createDecompressStream)

export type OpenOptions = FrameSettings & DecompressStreamOptions

/**
 * Opens an LZ4-compressed file as a {@link FrameFile} (python-lz4's `lz4.frame.open`): mode
 * `'r'` (the default), `'w'`, `'a'` or `'x'`, binary or (`'rt'`, ...) text. Options are the frame
 * settings when writing, `maxOutputSize` (default none: reading decodes at most 4 MiB per step,
 * so memory stays bounded) when reading.
 */
export const open = openerOf<OpenOptions>((options) => ({
  compress: () => compressSteps(options),
  decompress: () => decompressSteps({ ...options, maxOutputSize: options?.maxOutputSize ?? Infinity }),
}))

/**
 * Compresses the file `source` into one LZ4 frame at `destination`, which appears only when
 * complete; resolves to `{bytesRead, bytesWritten}`.
 */
export const compressFile = fileTransformOf(createCompressStream, 1024 * 1024)

/**
 * Decompresses the LZ4 file `source` (every frame of it) into `destination`, which appears
 * only when complete; no `maxOutputSize` by default (memory stays bounded either way). Resolves
 * to `{bytesRead, bytesWritten}`.
 */
export const decompressFile = fileTransformOf(createDecompressStream, 512 * 1024, { maxOutputSize: Infinity })
