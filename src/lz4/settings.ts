/** LZ4 frame settings, shared by one-shot, incremental and stream compression. */

import { native } from '../binding'
import { invalidArg } from '../errors'
import { describe } from '../input'
import { booleanOption, integerOption } from '../options'

/** Block size ids, as in a frame header: the default is 64 KiB. */
export const BLOCKSIZE_DEFAULT = 0
export const BLOCKSIZE_MAX64KB = 4
export const BLOCKSIZE_MAX256KB = 5
export const BLOCKSIZE_MAX1MB = 6
export const BLOCKSIZE_MAX4MB = 7
const BLOCK_SIZES = [BLOCKSIZE_DEFAULT, BLOCKSIZE_MAX64KB, BLOCKSIZE_MAX256KB, BLOCKSIZE_MAX1MB, BLOCKSIZE_MAX4MB]

/** The default level: liblz4's fast compression. Negative levels are faster still. */
export const COMPRESSIONLEVEL_MIN = 0
/** The first high-compression level. */
export const COMPRESSIONLEVEL_MINHC = 3
/** The strongest level; higher ones compress as this one does. */
export const COMPRESSIONLEVEL_MAX = 16

/** Frame settings shared by one-shot and incremental compression. */
export interface FrameSettings {
  /**
   * Compression level: negative values are fast with that acceleration, 0 to 2 the default
   * (fast), 3 to 16 high compression; higher values act as 16. Default 0.
   */
  level?: number
  /** One of the `BLOCKSIZE_*` constants; default {@link BLOCKSIZE_DEFAULT} (64 KiB). */
  blockSize?: number
  /** Let blocks refer to earlier blocks: better ratio, no independent decoding; default true. */
  blockLinked?: boolean
  /** Append a checksum of the whole content; default false. */
  contentChecksum?: boolean
  /** Append a checksum to every block; default false. */
  blockChecksum?: boolean
}

export interface FrameArgs {
  level: number
  /** The block size id and the boolean settings, packed as native code takes them. */
  flags: number
}

export const {
  LZ4_BLOCK_LINKED: BLOCK_LINKED,
  LZ4_CONTENT_CHECKSUM: CONTENT_CHECKSUM,
  LZ4_BLOCK_CHECKSUM: BLOCK_CHECKSUM,
  LZ4_BLOCK_SIZE_SHIFT: BLOCK_SIZE_SHIFT,
  LZ4_AUTO_FLUSH: AUTO_FLUSH,
} = native

const INT_MIN = -(2 ** 31)
const INT_MAX = 2 ** 31 - 1

/** Validates frame settings into the level and flags native code takes. */
export function frameArgs(o: Partial<FrameSettings>): FrameArgs {
  const blockSize = o.blockSize ?? BLOCKSIZE_DEFAULT
  if (!BLOCK_SIZES.includes(blockSize as number)) {
    throw invalidArg(`options.blockSize must be one of lz4's BLOCKSIZE_* constants (0, 4, 5, 6, 7); received ${describe(blockSize)}`)
  }
  const flags =
    (blockSize << BLOCK_SIZE_SHIFT) |
    (booleanOption(o.blockLinked, 'blockLinked', true) ? BLOCK_LINKED : 0) |
    (booleanOption(o.contentChecksum, 'contentChecksum', false) ? CONTENT_CHECKSUM : 0) |
    (booleanOption(o.blockChecksum, 'blockChecksum', false) ? BLOCK_CHECKSUM : 0)
  return { level: integerOption(o.level, 'level', 0, INT_MIN, INT_MAX), flags }
}
