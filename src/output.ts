/**
 * Where synchronous calls put their output. Like Node's `Buffer.allocUnsafe`, squish keeps a
 * pool of memory for small outputs: native code writes an output straight into the pool's free
 * part, and the caller gets a Buffer over exactly those bytes, which costs neither a memory
 * allocation nor a copy. Larger outputs get Buffers of their own. Each JavaScript thread loads
 * its own copy of this module, and a synchronous call cannot be interleaved with another, so the
 * pool needs no locking.
 */

import { native } from './binding'
import { newPool, POOL_SIZE } from './output-pool'

/** Outputs up to this size (under 4 KiB) go in the pool, larger ones in Buffers of their own. */
export const MAX_POOLED: number = native.pooledOutputMax()

/** The pool, and the offset of its free part, for native calls. */
export const out = { pool: newPool(), offset: 0 }

/** Makes sure the pool has `size` bytes free, for sizes up to {@link MAX_POOLED}. */
export function reserve(size: number): void {
  if (size <= MAX_POOLED && size > POOL_SIZE - out.offset) {
    out.pool = newPool()
    out.offset = 0
  }
}

/** The `length` bytes native code wrote at the pool's free offset, as a Buffer of their own. */
export function take(length: number): Buffer {
  // subarray: a Buffer over the same memory, made without fetching the pool's ArrayBuffer.
  const buffer = out.pool.subarray(out.offset, out.offset + length)
  // Keep the next output 8-byte aligned, as Node's pool does.
  out.offset = (out.offset + length + 7) & ~7
  return buffer
}

/**
 * A native call's output: its length, when native code wrote it in the pool's free part, or a
 * Buffer of its own. A small output that came back on its own did not fit in what was left of
 * the pool, so the outputs after it go in a new pool.
 */
export function pooled(result: number | Buffer): Buffer {
  if (typeof result === 'number') return take(result)
  if (result.length <= MAX_POOLED) {
    out.pool = newPool()
    out.offset = 0
  }
  return result
}

const EMPTY: Buffer = Buffer.alloc(0)

/**
 * Cuts a batch's output (a Buffer of each item's length as a little-endian f64, then chunks
 * holding the items one after another) into one Buffer per item, without copying: an item is in
 * the current chunk if it fits in what is left of it, and starts the next chunk otherwise, by the
 * rule native code filled them with.
 */
export function unpackBatch(result: Buffer[]): Buffer[] {
  const lengths = result[0]!
  const view = new DataView(lengths.buffer, lengths.byteOffset, lengths.length)
  const count = lengths.length / 8
  const items = new Array<Buffer>(count)
  let next = 1
  let chunk: Buffer = EMPTY
  let at = 0
  for (let i = 0; i < count; i++) {
    const length = view.getFloat64(i * 8, true)
    if (at + length > chunk.length) {
      chunk = result[next++]!
      at = 0
    }
    // An empty item holds on to no chunk.
    items[i] = length === 0 ? Buffer.alloc(0) : chunk.subarray(at, at + length)
    at += length
  }
  return items
}
