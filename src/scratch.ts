/**
 * The output area of synchronous calls. Native code writes results of up to 64 KiB here, and
 * they are copied into a Buffer of their own: small ones come from Node's Buffer pool, as
 * `Buffer.from()`'s do, which spares a memory allocation per call. Each JavaScript thread loads
 * its own copy of this module, and a synchronous call cannot be interleaved with another, so one
 * area is enough.
 */
export const scratch: Buffer = Buffer.allocUnsafeSlow(64 * 1024)

/** A copy of the first `length` bytes of {@link scratch}. */
export function fromScratch(length: number): Buffer {
  const out = Buffer.allocUnsafe(length)
  scratch.copy(out, 0, 0, length)
  return out
}

/** Cuts a batch's packed output (each length as a little-endian f64, then the items) into Buffers. */
export function unpackBatch(result: Buffer | Buffer[]): Buffer[] {
  if (Array.isArray(result)) return result
  const view = new DataView(result.buffer, result.byteOffset, result.length)
  let count = 0
  for (let total = 0; total < result.length; count++) total += 8 + view.getFloat64(count * 8, true)
  const out = new Array<Buffer>(count)
  let pos = count * 8
  for (let i = 0; i < count; i++) {
    const length = view.getFloat64(i * 8, true)
    const item = Buffer.allocUnsafe(length)
    item.set(result.subarray(pos, pos + length))
    out[i] = item
    pos += length
  }
  return out
}
