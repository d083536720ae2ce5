/** LZ4 blocks without a frame (python-lz4's `lz4.block`). */

import { native } from '../binding'
import { type AsyncOptions, controlled } from '../control'
import { maxOutputSizeOption } from '../decompress-options'
import { invalidArg } from '../errors'
import { describe, toView, type Input } from '../input'
import { booleanOption, integerOption, optionsObject } from '../options'
import * as oneshot from '../oneshot'
import type { Encoding } from '../oneshot'
import { out, pooled } from '../output'

export type BlockMode = 'default' | 'fast' | 'highCompression'

export interface CompressBlockOptions {
  /** `'default'`, `'fast'` (with `acceleration`) or `'highCompression'` (with `compression`); default `'default'`. */
  mode?: BlockMode
  /** For `'fast'`: larger is faster and compresses less; default 1. */
  acceleration?: number
  /** For `'highCompression'`: the level, 1 to 12 (below 1 means 9, above 12 means 12); default 9. */
  compression?: number
  /** Prefix the block with its size as 4 little-endian bytes, as python-lz4 does; default true. */
  storeSize?: boolean
  /** Bytes the block may refer to (only their last 64 KiB count); decompress with the same. */
  dict?: Input
}

export interface DecompressBlockOptions {
  /**
   * For a block without the size prefix: the most it may decode to (the output is as long as
   * the block decodes to). Without it, the size is read from the block's 4-byte prefix.
   */
  uncompressedSize?: number
  /** The dictionary the block was compressed with. */
  dict?: Input
  /** The most bytes the block may claim or decode to; default 256 MiB. */
  maxOutputSize?: number
}

const MODES: Record<BlockMode, number> = { default: 0, fast: 1, highCompression: 2 }
const INT_MAX = 2 ** 31 - 1

interface CompressBlockArgs {
  mode: number
  param: number
  storeSize: boolean
  dict: ArrayBufferView | null
}

function compressBlockArgs(options: CompressBlockOptions | undefined): CompressBlockArgs {
  const o = optionsObject(options)
  const name = o.mode ?? 'default'
  const mode = Object.hasOwn(MODES, name) ? MODES[name] : undefined
  if (mode === undefined) {
    throw invalidArg(`options.mode must be 'default', 'fast' or 'highCompression'; received ${describe(name)}`)
  }
  const acceleration = integerOption(o.acceleration, 'acceleration', 1, 1, INT_MAX)
  const compression = integerOption(o.compression, 'compression', 9, -INT_MAX, INT_MAX)
  return {
    mode,
    param: name === 'highCompression' ? compression : acceleration,
    storeSize: booleanOption(o.storeSize, 'storeSize', true),
    dict: o.dict === undefined ? null : toView(o.dict, 'options.dict'),
  }
}

/** The native one-shot block compression. */
const encoding: Encoding<CompressBlockArgs> = {
  compressSync: (input, pool, offset, a) => native.lz4CompressBlockSync(input, pool, offset, a.mode, a.param, a.storeSize, a.dict),
  compress: (input, a, control) => native.lz4CompressBlock(input, a.mode, a.param, a.storeSize, a.dict, control),
}

/** Compresses `data` into one LZ4 block, on the calling thread. */
export function compressBlockSync(data: Input, options?: CompressBlockOptions): Buffer {
  return oneshot.compressSync(encoding, data, options, compressBlockArgs)
}

/** Compresses `data` into one LZ4 block on squish's worker pool, as `data` is when the call is made. */
export function compressBlock(data: Input, options?: CompressBlockOptions & AsyncOptions): Promise<Buffer> {
  return oneshot.compress(encoding, data, options, compressBlockArgs)
}

interface DecompressBlockArgs {
  uncompressedSize: number
  dict: ArrayBufferView | null
  maxOutputSize: number
}

function decompressBlockArgs(options: DecompressBlockOptions | undefined): DecompressBlockArgs {
  const o = optionsObject(options)
  return {
    uncompressedSize: integerOption(o.uncompressedSize, 'uncompressedSize', -1, 0, Number.MAX_SAFE_INTEGER),
    dict: o.dict === undefined ? null : toView(o.dict, 'options.dict'),
    maxOutputSize: maxOutputSizeOption(o.maxOutputSize),
  }
}

/** Decompresses one LZ4 block, on the calling thread. */
export function decompressBlockSync(data: Input, options?: DecompressBlockOptions): Buffer {
  const input = toView(data)
  const { uncompressedSize, dict, maxOutputSize } = decompressBlockArgs(options)
  return pooled(native.lz4DecompressBlockSync(input, out.pool, out.offset, uncompressedSize, dict, maxOutputSize))
}

/** Decompresses one LZ4 block on squish's worker pool, as `data` is when the call is made. */
export function decompressBlock(data: Input, options?: DecompressBlockOptions & AsyncOptions): Promise<Buffer> {
  return controlled(options, (control) => {
    const input = toView(data)
    const { uncompressedSize, dict, maxOutputSize } = decompressBlockArgs(options)
    return native.lz4DecompressBlock(input, uncompressedSize, dict, maxOutputSize, control)
  })
}
