/**
 * Bytes waiting to be read, as a queue of Buffers: appended whole, and taken from the front
 * without copying wherever a single Buffer holds what is asked for.
 */
export class ByteQueue {
  #chunks: Buffer[] = []
  /** Where the unread part of `#chunks[0]` starts. */
  #offset = 0
  /** Bytes in the queue. */
  length = 0

  push(bytes: Buffer): void {
    if (bytes.length === 0) return
    this.#chunks.push(bytes)
    this.length += bytes.length
  }

  /** Every byte in the queue, as one Buffer (joining its chunks into one if need be). */
  all(): Buffer {
    if (this.#chunks.length > 1) {
      this.#chunks = [Buffer.concat([this.#chunks[0]!.subarray(this.#offset), ...this.#chunks.slice(1)], this.length)]
      this.#offset = 0
    }
    return this.#chunks[0]?.subarray(this.#offset) ?? EMPTY
  }

  /** Takes `size` bytes (no more than the queue holds) from the front; with `keep` false, drops them. */
  take(size: number, keep = true): Buffer {
    size = Math.min(size, this.length)
    this.length -= size
    const first = this.#chunks[0]
    if (first !== undefined && first.length - this.#offset >= size) {
      const bytes = first.subarray(this.#offset, this.#offset + size)
      this.#advance(first, size)
      return bytes
    }
    const parts: Buffer[] = []
    for (let left = size; left > 0; ) {
      const chunk = this.#chunks[0]!
      const part = chunk.subarray(this.#offset, this.#offset + left)
      if (keep) parts.push(part)
      left -= part.length
      this.#advance(chunk, part.length)
    }
    return keep ? Buffer.concat(parts, size) : EMPTY
  }

  #advance(chunk: Buffer, size: number): void {
    this.#offset += size
    if (this.#offset === chunk.length) {
      this.#chunks.shift()
      this.#offset = 0
    }
  }

  /**
   * Where the first line ends (just after its newline), counted from the front and searching
   * from `from`; -1 if the queue holds no newline. A newline is a 0x0a byte, or with `unit` 2
   * (UTF-16) a 0x0a 0x00 pair at an even position.
   */
  lineEnd(from: number, unit: 1 | 2): number {
    let base = 0
    for (const [i, chunk] of this.#chunks.entries()) {
      const start = i === 0 ? this.#offset : 0
      for (let at = chunk.indexOf(0x0a, start + Math.max(0, from - base)); at >= 0; at = chunk.indexOf(0x0a, at + 1)) {
        const index = base + at - start
        if (unit === 1) return index + 1
        const next = at + 1 < chunk.length ? chunk[at + 1] : this.#chunks[i + 1]?.[0]
        if (index % 2 === 0 && next === 0) return index + 2
      }
      base += chunk.length - start
    }
    return -1
  }

  clear(): void {
    this.#chunks = []
    this.#offset = this.length = 0
  }
}

const EMPTY = Buffer.alloc(0)
