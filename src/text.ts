/** Text mode of frame files: its encodings, and where a character that a byte count cuts ends. */

import { invalidArg } from './errors'
import { describe } from './input'

/** Encodings of text mode. */
export type TextEncoding = 'utf8' | 'utf-8' | 'utf16le' | 'utf-16le' | 'ucs2' | 'ucs-2' | 'latin1' | 'binary' | 'ascii'

export interface TextOptions {
  /** The text encoding; default `'utf8'`. Text mode only. */
  encoding?: TextEncoding
}

const TEXT_ENCODINGS = new Set(['utf8', 'utf-8', 'utf16le', 'utf-16le', 'ucs2', 'ucs-2', 'latin1', 'binary', 'ascii'])

/** The encoding of a file opened in text mode (`text`), from `options.encoding`; null in binary mode. */
export function textEncoding(value: unknown, text: boolean): BufferEncoding | null {
  if (!text) {
    if (value !== undefined) throw invalidArg(`options.encoding applies to text modes ('rt', 'wt', 'at', 'xt') only`)
    return null
  }
  if (value === undefined) return 'utf8'
  if (typeof value !== 'string' || !TEXT_ENCODINGS.has(value)) {
    throw invalidArg(`options.encoding must be one of ${[...TEXT_ENCODINGS].join(', ')}; received ${describe(value)}`)
  }
  return value as BufferEncoding
}

/** The bytes of a code unit: 2 in UTF-16, 1 otherwise. */
export function unitOf(encoding: BufferEncoding | null): 1 | 2 {
  return encoding === 'utf16le' || encoding === 'utf-16le' || encoding === 'ucs2' || encoding === 'ucs-2' ? 2 : 1
}

/** Whether a character of `encoding` (null: binary mode) may take more than one byte. */
export function multibyte(encoding: BufferEncoding | null): boolean {
  return encoding === 'utf8' || encoding === 'utf-8' || unitOf(encoding) === 2
}

/**
 * `size` extended to the end of the character it cuts in `bytes`, which hold at least 3 bytes
 * past `size` or all there are, in a {@link multibyte} encoding of code units of `unit` bytes.
 */
export function characterEnd(bytes: Buffer, size: number, unit: 1 | 2): number {
  if (unit === 2) {
    let end = size + (size % 2)
    const last = end >= 2 && end <= bytes.length ? bytes.readUInt16LE(end - 2) : 0
    if (last >= 0xd800 && last < 0xdc00) end += 2
    return end
  }
  let lead = size - 1
  while (lead > 0 && lead > size - 4 && (bytes[lead]! & 0xc0) === 0x80) lead--
  const byte = bytes[lead]!
  const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
  return Math.max(size, lead + length)
}
