/** Stable codes carried by every {@link SquishError}. */
export type SquishErrorCode =
  /** The input is not valid compressed data, or has trailing bytes that are not a frame. */
  | 'ERR_SQUISH_CORRUPT'
  /** The input ends in the middle of a frame (this includes empty input). */
  | 'ERR_SQUISH_TRUNCATED'
  /** A frame decoded, but its checksum does not match its content. */
  | 'ERR_SQUISH_CHECKSUM'
  /** The output would exceed `maxOutputSize`. */
  | 'ERR_SQUISH_OUTPUT_LIMIT'
  /** A frame needs a larger window (history buffer) than the decoder allows. */
  | 'ERR_SQUISH_WINDOW_TOO_LARGE'
  /** A frame needs a dictionary that was not supplied, or a different one. */
  | 'ERR_SQUISH_DICTIONARY'
  /** An argument or option has the wrong type or is out of range. */
  | 'ERR_SQUISH_INVALID_ARG'
  /**
   * A stateful object was used out of order: a chunk before its frame began, a second begin,
   * or use after a failure without a reset.
   */
  | 'ERR_SQUISH_INVALID_STATE'
  /** A stateful object was used while an asynchronous call on it was still pending. */
  | 'ERR_SQUISH_BUSY'
  /** A stream, encoder or file was used after it was finished or closed. */
  | 'ERR_SQUISH_CLOSED'
  /** Memory for the output or a codec context could not be allocated. */
  | 'ERR_SQUISH_MEMORY'
  /** The operation's `signal` aborted it; the error's `cause` is the signal's reason. */
  | 'ERR_SQUISH_ABORTED'
  /** No native binary could be loaded for this platform. */
  | 'ERR_SQUISH_NO_BINARY'
  /** A failure inside squish that no input should cause; please report it. */
  | 'ERR_SQUISH_INTERNAL'

/** The error squish throws or rejects with. Switch on {@link SquishError.code}. */
export class SquishError extends Error {
  readonly code: SquishErrorCode
  /** For a batch operation (`compressMany`, `decompressMany`, ...), the position of the item that failed. */
  declare readonly index?: number

  constructor(code: SquishErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}

Object.defineProperty(SquishError.prototype, 'name', {
  value: 'SquishError',
  writable: true,
  configurable: true,
})

export function invalidArg(message: string): SquishError {
  return new SquishError('ERR_SQUISH_INVALID_ARG', message)
}
