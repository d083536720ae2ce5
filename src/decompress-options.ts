import { constants as bufferConstants } from 'node:buffer'

import { MAX_THREADS, native } from './binding'
import { booleanOption, integerOption, optionsObject } from './options'

/** The default `maxOutputSize` for decompression: 256 MiB. */
export const DEFAULT_MAX_OUTPUT_SIZE: number = native.defaultMaxOutputSize()

/** The bounds and frame handling of a decompression, the same for both codecs. */
export interface DecompressOptions {
  /**
   * The most bytes decompression may produce; default {@link DEFAULT_MAX_OUTPUT_SIZE} (256 MiB).
   * Larger output fails with `ERR_SQUISH_OUTPUT_LIMIT`, and a frame that claims a larger content
   * size fails before anything is allocated. `Infinity` means the largest Buffer Node.js allows.
   */
  maxOutputSize?: number
  /** Decode every frame of the input and concatenate the results; default true. */
  readAcrossFrames?: boolean
  /** Ignore bytes after the last frame instead of failing with `ERR_SQUISH_CORRUPT`; default false. */
  allowExtraData?: boolean
  /**
   * Decode the frames of a multi-frame input side by side on this many threads, the calling one
   * and squish's pool workers (0: one per worker); default 1. It applies when every frame
   * records its content size and the output is over 64 KiB; the output is the same.
   */
  threads?: number
}

/** Decompression settings as native code takes them: the limit, and the rest packed in flags. */
export interface DecompressArgs {
  maxOutputSize: number
  /** The native `READ_ACROSS_FRAMES` and `ALLOW_EXTRA_DATA` bits, and `threads` in the bits above them. */
  flags: number
}

export const { READ_ACROSS_FRAMES, ALLOW_EXTRA_DATA } = native
const THREADS_SHIFT = native.DECOMPRESS_THREADS_SHIFT

const DEFAULT_DECOMPRESS: DecompressArgs = {
  maxOutputSize: DEFAULT_MAX_OUTPUT_SIZE,
  flags: READ_ACROSS_FRAMES | (1 << THREADS_SHIFT),
}

/** `maxOutputSize` as native code takes it: `Infinity` and oversized values become Node's Buffer limit. */
export function maxOutputSizeOption(value: unknown): number {
  const limit = value === Infinity ? bufferConstants.MAX_LENGTH : value
  return Math.min(
    integerOption(limit, 'maxOutputSize', DEFAULT_MAX_OUTPUT_SIZE, 0, Number.MAX_SAFE_INTEGER),
    bufferConstants.MAX_LENGTH,
  )
}

export function decompressArgs(options: DecompressOptions | undefined): DecompressArgs {
  if (options === undefined) return DEFAULT_DECOMPRESS
  const o = optionsObject(options)
  return {
    maxOutputSize: maxOutputSizeOption(o.maxOutputSize),
    flags:
      (booleanOption(o.readAcrossFrames, 'readAcrossFrames', true) ? READ_ACROSS_FRAMES : 0) |
      (booleanOption(o.allowExtraData, 'allowExtraData', false) ? ALLOW_EXTRA_DATA : 0) |
      (integerOption(o.threads, 'threads', 1, 0, MAX_THREADS) << THREADS_SHIFT),
  }
}
