/** Small writes gathered into one buffer, so that each compression step gets a worthwhile piece of input. */

export class WriteStage {
  readonly size: number
  #buffer: Buffer | null = null
  #length = 0

  constructor(size: number) {
    this.size = size
  }

  /** Whether `length` more bytes fit beside those staged. */
  fits(length: number): boolean {
    return this.#length + length <= this.size
  }

  /** Copies `bytes`, which must fit, into the stage. */
  add(bytes: Buffer): void {
    this.#buffer ??= Buffer.allocUnsafe(this.size)
    bytes.copy(this.#buffer, this.#length)
    this.#length += bytes.length
  }

  /** The staged bytes, emptying the stage (null if none); valid until the next `add`. */
  take(): Buffer | null {
    if (this.#length === 0) return null
    const staged = this.#buffer!.subarray(0, this.#length)
    this.#length = 0
    return staged
  }
}
