import { invalidArg } from './errors'

/** Bytes squish accepts: a Buffer, any TypedArray, a DataView, an ArrayBuffer, or a string (UTF-8). */
export type Input = ArrayBufferView | ArrayBuffer | SharedArrayBuffer | string

/** A view of `data`'s bytes without copying them (strings are encoded as UTF-8). */
export function toView(data: Input, name = 'data'): ArrayBufferView {
  if (ArrayBuffer.isView(data)) {
    if (data.byteLength === 0) attached(data.buffer, name)
    return data
  }
  if (typeof data === 'string') return Buffer.from(data, 'utf8')
  if (data instanceof ArrayBuffer || data instanceof SharedArrayBuffer) return new Uint8Array(attached(data, name))
  throw invalidArg(
    `${name} must be a Buffer, TypedArray, DataView, ArrayBuffer or string; received ${describe(data)}`,
  )
}

/**
 * `buffer`, unless it is detached (transferred, say), which is `ERR_SQUISH_INVALID_ARG`: its
 * bytes are gone, and reading it as empty would be a wrong answer.
 */
function attached<B extends ArrayBufferLike>(buffer: B, name: string): B {
  // A detached ArrayBuffer has no bytes and cannot be viewed (`detached` is not in Node.js 20).
  if (buffer.byteLength === 0 && buffer instanceof ArrayBuffer) {
    try {
      new Uint8Array(buffer)
    } catch {
      throw invalidArg(`${name} is backed by a detached ArrayBuffer (transferred, say): its bytes are gone`)
    }
  }
  return buffer
}

/** The views of a batch's items; a bad item is `ERR_SQUISH_INVALID_ARG` with its `index`. */
export function batchViews(items: Iterable<Input>, name: string): ArrayBufferView[] {
  if (items === null || typeof items !== 'object' || !(Symbol.iterator in items)) {
    throw invalidArg(`${name} must be an array of Buffers, TypedArrays or strings; received ${describe(items)}`)
  }
  return Array.from(items, (item, i) => {
    try {
      return toView(item, `${name}[${i}]`)
    } catch (error) {
      throw Object.assign(invalidArg(`item ${i} of the batch: ${(error as Error).message}`), { index: i })
    }
  })
}

export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'object') return `an instance of ${value.constructor?.name ?? 'Object'}`
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`
  return `${typeof value} ${String(value)}`
}
