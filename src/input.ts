import { invalidArg } from './errors'

/** Bytes squish accepts: a Buffer, any TypedArray, a DataView, an ArrayBuffer, or a string (UTF-8). */
export type Input = ArrayBufferView | ArrayBuffer | SharedArrayBuffer | string

/** A view of `data`'s bytes without copying them (strings are encoded as UTF-8). */
export function toView(data: Input, name = 'data'): ArrayBufferView {
  if (ArrayBuffer.isView(data)) return data
  if (typeof data === 'string') return Buffer.from(data, 'utf8')
  if (data instanceof ArrayBuffer || data instanceof SharedArrayBuffer) return new Uint8Array(data)
  throw invalidArg(
    `${name} must be a Buffer, TypedArray, DataView, ArrayBuffer or string; received ${describe(data)}`,
  )
}

export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'object') return `an instance of ${value.constructor?.name ?? 'Object'}`
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`
  return `${typeof value} ${String(value)}`
}
