/**
 * One-shot calls, written once for both codecs: options are validated here, native code is
 * called once and its result returned. Each codec gives its native functions as a {@link Decoding}.
 */

import { type AsyncOptions, controlled } from './control'
import { type DecompressArgs, decompressArgs, type DecompressOptions } from './decompress-options'
import { toView, type Input } from './input'
import type { ControlHandle } from './native'
import { out, reserve, take, MAX_POOLED } from './output'

/** A codec's native one-shot decompression, with the settings of the decompressor it is for. */
export interface Decoding {
  /** The output's length, when it was written in `pool` at `offset`, or the output. */
  decompressSync(input: ArrayBufferView, pool: Buffer, offset: number, maxOutputSize: number, flags: number): number | Buffer
  decompress(input: ArrayBufferView, maxOutputSize: number, flags: number, control: ControlHandle): Promise<Buffer>
}

/** Decompresses `data` (one or more frames), on the calling thread. */
export function decompressSync(decoding: Decoding, data: Input, options?: DecompressOptions): Buffer {
  return decodeSync(decoding, toView(data), decompressArgs(options))
}

/** {@link decompressSync} with its arguments checked. */
export function decodeSync(decoding: Decoding, input: ArrayBufferView, a: DecompressArgs): Buffer {
  // Room for any output small enough for the pool, so that native code never needs a retry.
  reserve(MAX_POOLED)
  const result = decoding.decompressSync(input, out.pool, out.offset, a.maxOutputSize, a.flags)
  return typeof result === 'number' ? take(result) : result
}

/** Decompresses `data` (one or more frames) on squish's worker pool, as it is when the call is made. */
export function decompress(decoding: Decoding, data: Input, options?: DecompressOptions & AsyncOptions): Promise<Buffer> {
  return controlled(options, (control) => {
    const a = decompressArgs(options)
    return decoding.decompress(toView(data), a.maxOutputSize, a.flags, control)
  })
}
