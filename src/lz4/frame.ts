/** LZ4 frame headers: what the header of a frame records. */

import { native } from '../binding'
import { toView, type Input } from '../input'

/** What an LZ4 frame header records (python-lz4's `get_frame_info`). */
export interface FrameInfo {
  /** The largest block, in bytes (0 for a skippable frame). */
  blockSize: number
  /** The header's block size id, one of the `BLOCKSIZE_*` values (0 for a skippable frame). */
  blockSizeId: number
  blockLinked: boolean
  contentChecksum: boolean
  blockChecksum: boolean
  /**
   * The decompressed size, `null` when not recorded; for a skippable frame, the size of its user
   * data. Sizes beyond `Number.MAX_SAFE_INTEGER` are `bigint`s.
   */
  contentSize: number | bigint | null
  /** A skippable frame (user data that decoders pass over). */
  skippable: boolean
}

/** Reads the header of the LZ4 frame at the start of `data`. */
export function getFrameInfo(data: Input): FrameInfo {
  const info = native.lz4FrameInfo(toView(data))
  return {
    blockSize: info.blockSize,
    blockSizeId: info.blockSizeId,
    blockLinked: info.blockLinked,
    contentChecksum: info.contentChecksum,
    blockChecksum: info.blockChecksum,
    contentSize: info.contentSize ?? null,
    skippable: info.skippable,
  }
}
