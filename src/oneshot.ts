/**
 * One-shot calls, written once for both codecs: options are validated, native code is called once
 * and its result returned. Each codec gives its native functions as an {@link Encoding} and a
 * {@link Decoding}.
 */

import { MAX_QUEUED, queued } from './call-queue'
import { type AsyncOptions, controlled, uncontrolled } from './control'
import { type DecompressArgs, decompressArgs, type DecompressOptions } from './decompress-options'
import { toView, type Input } from './input'
import type { ControlHandle } from './native'
import { MAX_POOLED, out, pooled, reserve } from './output'

/** A codec's native one-shot decompression, with the settings of the decompressor it is for. */
export interface Decoding {
  /** The output's length, when it was written in `pool` at `offset`, or the output. */
  decompressSync(input: ArrayBufferView, pool: Buffer, offset: number, maxOutputSize: number, flags: number): number | Buffer
  decompress(input: ArrayBufferView, maxOutputSize: number, flags: number, control: ControlHandle): Promise<Buffer>
  /** {@link Decoding.decompress} through the call queue (see `src/call-queue.ts`), for small inputs with neither `signal` nor `onProgress`. */
  queue?(input: ArrayBufferView, maxOutputSize: number, flags: number): Promise<Buffer>
}

/** Decompresses `data` (one or more frames), on the calling thread. */
export function decompressSync(decoding: Decoding, data: Input, options?: DecompressOptions): Buffer {
  return decodeSync(decoding, toView(data), decompressArgs(options))
}

/** {@link decompressSync} with its arguments checked. */
export function decodeSync(decoding: Decoding, input: ArrayBufferView, a: DecompressArgs): Buffer {
  return pooled(decoding.decompressSync(input, out.pool, out.offset, a.maxOutputSize, a.flags))
}

/** Decompresses `data` (one or more frames) on squish's worker pool, as it is when the call is made. */
export function decompress(decoding: Decoding, data: Input, options?: DecompressOptions & AsyncOptions): Promise<Buffer> {
  if (decoding.queue !== undefined && uncontrolled(options)) {
    try {
      const a = decompressArgs(options)
      const input = toView(data)
      if (input.byteLength <= MAX_QUEUED) return decoding.queue(input, a.maxOutputSize, a.flags)
    } catch (error) {
      return Promise.reject(error)
    }
  }
  return controlled(options, (control) => {
    const a = decompressArgs(options)
    return decoding.decompress(toView(data), a.maxOutputSize, a.flags, control)
  })
}

/** A codec's native one-shot compression, for its settings `A` as its facade checks them. */
export interface Encoding<A> {
  /** The output's length, when it was written in `pool` at `offset`, or the output. */
  compressSync(input: ArrayBufferView, pool: Buffer, offset: number, a: A): number | Buffer
  compress(input: ArrayBufferView, a: A, control: ControlHandle): Promise<Buffer>
  /** {@link Encoding.compress} through the call queue (see `src/call-queue.ts`), for small inputs with neither `signal` nor `onProgress`. */
  queue?(input: ArrayBufferView, a: A): Promise<Buffer>
}

/** The settings of a module-level one-shot compression, as both codecs' native calls take them. */
export interface CompressArgs {
  level: number
  /** The codec's settings bits, and `threads` above them. */
  flags: number
  frameSize: number
}

/**
 * The {@link Encoding} of native calls that take {@link CompressArgs} as three arguments, and of
 * the call queue's operation `queued`.
 */
export function encodingOf(
  compressSync: (input: ArrayBufferView, pool: Buffer, offset: number, level: number, flags: number, frameSize: number) => number | Buffer,
  compress: (input: ArrayBufferView, level: number, flags: number, frameSize: number, control: ControlHandle) => Promise<Buffer>,
  op: number,
): Encoding<CompressArgs> {
  return {
    compressSync: (input, pool, offset, a) => compressSync(input, pool, offset, a.level, a.flags, a.frameSize),
    compress: (input, a, control) => compress(input, a.level, a.flags, a.frameSize, control),
    queue: (input, a) => queued(op, input, a.level, a.flags, a.frameSize),
  }
}

/** Compresses `data` with the settings `args` makes of `options`, on the calling thread (and the pool, for parts). */
export function compressSync<O, A>(encoding: Encoding<A>, data: Input, options: O, args: (options: O) => A): Buffer {
  const input = toView(data)
  const a = args(options)
  // Room for a small input's output, which either codec keeps within 128 bytes of the input, so
  // that native code finds its bound free in the pool rather than copying the output out.
  reserve(Math.min(input.byteLength + 128, MAX_POOLED))
  return pooled(encoding.compressSync(input, out.pool, out.offset, a))
}

/** Compresses `data` on squish's worker pool, as it is when the call is made. */
export function compress<O extends AsyncOptions | undefined, A>(
  encoding: Encoding<A>,
  data: Input,
  options: O,
  args: (options: O) => A,
): Promise<Buffer> {
  if (encoding.queue !== undefined && uncontrolled(options)) {
    try {
      const input = toView(data)
      const a = args(options)
      if (input.byteLength <= MAX_QUEUED) return encoding.queue(input, a)
    } catch (error) {
      return Promise.reject(error)
    }
  }
  return controlled(options, (control) => {
    const input = toView(data)
    return encoding.compress(input, args(options), control)
  })
}
