import { native } from '../binding'
import { toView, type Input } from '../input'
import { optionsObject } from '../options'
import { type Format, formatOption } from './params'

/** What a frame header records. Sizes beyond `Number.MAX_SAFE_INTEGER` are `bigint`s. */
export interface FrameParameters {
  /** The decompressed size, or `null` when the frame does not record it (0 for a skippable frame). */
  contentSize: number | bigint | null
  /** The window (history) the decoder needs, in bytes. */
  windowSize: number | bigint
  /** The dictionary the frame was compressed with; 0 for none or not recorded. */
  dictId: number
  hasChecksum: boolean
  /** The size of the frame header in bytes. */
  headerSize: number
  /** A skippable frame: user data that decoders pass over. */
  skippable: boolean
}

export interface FrameOptions {
  format?: Format
}

function magicless(options: FrameOptions | undefined): boolean {
  return formatOption(optionsObject(options).format) === 'magicless'
}

/**
 * Reads the header of the frame at the start of `data`. Input shorter than the header is
 * `ERR_SQUISH_TRUNCATED`; input that is not a zstd frame is `ERR_SQUISH_CORRUPT`.
 */
export function getFrameParameters(data: Input, options?: FrameOptions): FrameParameters {
  const p = native.zstdFrameParameters(toView(data), magicless(options))
  return {
    contentSize: p.contentSize ?? null,
    windowSize: p.windowSize,
    dictId: p.dictId,
    hasChecksum: p.hasChecksum,
    headerSize: p.headerSize,
    skippable: p.skippable,
  }
}

/** The content size the frame at the start of `data` records, or `null` when it records none. */
export function frameContentSize(data: Input, options?: FrameOptions): number | bigint | null {
  return native.zstdFrameContentSize(toView(data), magicless(options))
}

/** The size in bytes of the header of the frame at the start of `data`. */
export function frameHeaderSize(data: Input, options?: FrameOptions): number {
  return getFrameParameters(data, options).headerSize
}
