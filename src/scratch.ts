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
  let count = 0
  let total = 0
  while (total < result.length) {
    total += 8 + result.readDoubleLE(count * 8)
    count++
  }
  const out = new Array<Buffer>(count)
  let pos = count * 8
  for (let i = 0; i < count; i++) {
    const length = result.readDoubleLE(i * 8)
    const item = Buffer.allocUnsafe(length)
    result.copy(item, 0, pos, pos + length)
    out[i] = item
    pos += length
  }
  return out
}
