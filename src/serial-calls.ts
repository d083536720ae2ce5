/**
 * Calls on one object that run one at a time: a call made while another is pending is
 * `ERR_SQUISH_BUSY`, and a call that fails fails the object, every later call failing with its
 * error.
 */

import { SquishError } from './errors'

export class SerialCalls {
  /** What the object is, in messages. */
  readonly #what: string
  #pending: Promise<unknown> | null = null
  #failure: unknown = null

  constructor(what: string) {
    this.#what = what
  }

  /** The call pending, if any; settles when it does, whether it succeeds or fails. */
  get pending(): Promise<unknown> | null {
    return this.#pending
  }

  /** The error a call failed with, or null. */
  get failure(): unknown {
    return this.#failure
  }

  /**
   * Runs `method`'s `op` with what `check` returns, as the pending call: `check` runs first and
   * throws if the object cannot take the call at all; then a pending call or an earlier failure
   * fails this one. Errors come back as rejections.
   */
  run<H, R>(method: string, check: () => H, op: (checked: H) => Promise<R>): Promise<R> {
    let call: Promise<R>
    try {
      const checked = check()
      if (this.#pending !== null) {
        throw new SquishError('ERR_SQUISH_BUSY', `${method}() was called while another call on this ${this.#what} was pending; await each call`)
      }
      if (this.#failure !== null) throw this.#failure
      call = op(checked).catch((error: unknown) => {
        this.#failure ??= error
        throw error
      })
    } catch (error) {
      return Promise.reject(error)
    }
    const settled = () => {
      this.#pending = null
    }
    this.#pending = call.then(settled, settled)
    return call
  }
}
