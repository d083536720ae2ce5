/**
 * One Node.js stream adapter for both codecs: a Transform over an incremental encoder or decoder
 * whose steps run on squish's worker pool, so compression never blocks the event loop.
 */

import { Transform, type TransformCallback, type TransformOptions } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { type Transformer, TransformStream } from 'node:stream/web'

import { abortedBy, type AsyncOptions, asyncArgs, type Progress, throttled } from './control'
import { invalidArg } from './errors'
import { describe, toView, type Input } from './input'

/**
 * The most a decoding step produces, about: a small input that expands hugely is decoded over
 * several steps, so memory stays bounded however the input is chunked.
 */
export const STEP_OUTPUT = 4 * 1024 * 1024

const EMPTY = Buffer.alloc(0)

/** Incremental codec steps, each resolving to the output it makes ready. */
export interface AsyncCodec {
  update(chunk: Buffer): Promise<Buffer>
  /** The last step stopped at {@link STEP_OUTPUT}: `update` with an empty chunk gives more (decoders only). */
  pending?(): boolean
  /** Everything given so far, as output a reader can decode at once (compression only). */
  flush?(): Promise<Buffer>
  /** The end of the input: the remaining output, or a typed error if the input ended too soon. */
  final(): Promise<Buffer>
  /** Frees the native context now (once a pending step settles); further steps fail. */
  close(): void
}

/** Stream settings passed to Node: buffering and an AbortSignal that destroys the stream. */
export type StreamOptions = Pick<TransformOptions, 'highWaterMark' | 'signal'>

export function streamOptions(options: StreamOptions | undefined): TransformOptions | undefined {
  if (options === undefined || options === null) return undefined
  const { highWaterMark, signal } = options
  return { highWaterMark, signal }
}

/** Resolves `step`, then steps `codec` on while output is pending, passing each output to `emit`. */
export async function drain(codec: AsyncCodec, step: Promise<Buffer>, emit: (output: Buffer) => void): Promise<void> {
  for (let output = await step; ; output = await codec.update(EMPTY)) {
    if (output.length > 0) emit(output)
    if (codec.pending?.() !== true) return
  }
}

/** The chunk `flush()` writes through the stream, so that it stays in order with the data. */
const FLUSH = Buffer.alloc(0)

/**
 * A Transform stream over an {@link AsyncCodec}. Backpressure is Node's own: one step runs at a
 * time, and the next chunk is taken when its output has been pushed. A codec error destroys the
 * stream with that `SquishError`.
 */
export class CodecStream extends Transform {
  readonly #codec: AsyncCodec

  constructor(codec: AsyncCodec, options?: TransformOptions) {
    super(options)
    this.#codec = codec
  }

  #settle(step: Promise<Buffer>, callback: TransformCallback): void {
    drain(this.#codec, step, (output) => this.push(output)).then(
      () => callback(),
      (error: Error) => callback(error),
    )
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (chunk === FLUSH) {
      if (this.#codec.flush === undefined) return callback()
      return this.#settle(this.#codec.flush(), callback)
    }
    if (chunk.length === 0) return callback()
    this.#settle(this.#codec.update(chunk), callback)
  }

  override _flush(callback: TransformCallback): void {
    this.#settle(this.#codec.final(), callback)
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Ended or destroyed mid-way, the stream frees its context now, not at garbage collection.
    this.#codec.close()
    callback(error)
  }

  /**
   * Emits everything written so far as output a reader can decode at once (as zlib's `flush()`
   * does); `callback` runs once it has been pushed. zlib's `flush(kind, callback)` form is
   * accepted, its `kind` ignored. A no-op on decompression streams.
   */
  flush(kindOrCallback?: number | (() => void), callback?: () => void): void {
    const done = typeof kindOrCallback === 'function' ? kindOrCallback : callback
    this.write(FLUSH, done === undefined ? undefined : () => done())
  }
}

function asBuffer(chunk: Input): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk
  const view = toView(chunk, 'chunk')
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength)
}

/** A Web `TransformStream` transformer over an {@link AsyncCodec}. */
function webTransformer(codec: AsyncCodec): Transformer<Input, Uint8Array> {
  return {
    transform: (chunk, controller) =>
      drain(codec, codec.update(asBuffer(chunk)), (output) => controller.enqueue(output)).catch((error: unknown) => {
        codec.close()
        throw error
      }),
    flush: (controller) => drain(codec, codec.final(), (output) => controller.enqueue(output)).finally(() => codec.close()),
  }
}

/** Runs every chunk of `source` through `codec`, yielding the output as it is ready. */
async function* iterate(codec: AsyncCodec, source: AsyncIterable<Input> | Iterable<Input>): AsyncGenerator<Buffer> {
  const ready: Buffer[] = []
  try {
    for await (const chunk of source) {
      await drain(codec, codec.update(asBuffer(chunk)), (output) => ready.push(output))
      yield* ready.splice(0)
    }
    await drain(codec, codec.final(), (output) => ready.push(output))
  } finally {
    codec.close()
  }
  yield* ready
}

/** A Web `TransformStream` class over the codec steps that `steps` makes from its options. */
export function webStreamClass<O>(steps: (options?: O) => AsyncCodec) {
  return class extends TransformStream<Input, Uint8Array> {
    constructor(options?: O) {
      super(webTransformer(steps(options)))
    }
  }
}

/** An async-generator function over the codec steps that `steps` makes from its options. */
export function iteratorOf<O>(steps: (options?: O) => AsyncCodec) {
  return (source: AsyncIterable<Input> | Iterable<Input>, options?: O): AsyncGenerator<Buffer> => iterate(steps(options), source)
}

/** What a copy read and wrote. */
export interface CopyResult {
  bytesRead: number
  bytesWritten: number
}

/**
 * Pipes `readable` through `transform` into `writable`, counting the bytes on each side, with
 * `options`' `signal` and `onProgress` (called with the counts so far).
 */
export async function copyThrough(
  readable: NodeJS.ReadableStream,
  writable: NodeJS.WritableStream,
  transform: CodecStream,
  options?: AsyncOptions,
): Promise<CopyResult> {
  // Callers check an aborted signal before they make `transform`, which errors on its own then.
  const { signal, onProgress } = asyncArgs(options)
  const result: CopyResult = { bytesRead: 0, bytesWritten: 0 }
  const report = onProgress === undefined ? undefined : throttled(onProgress)
  const progress = (): Progress => ({ bytesIn: result.bytesRead, bytesOut: result.bytesWritten })
  const count = (key: keyof CopyResult) =>
    async function* (source: AsyncIterable<Buffer | string>) {
      for await (const chunk of source) {
        result[key] += Buffer.byteLength(chunk)
        report?.(progress())
        yield chunk
      }
    }
  try {
    await pipeline(readable, count('bytesRead'), transform, count('bytesWritten'), writable, { signal })
  } catch (error) {
    throw signal?.aborted ? abortedBy(signal) : error
  }
  report?.(progress(), true)
  return result
}

export interface CopyModeOptions extends AsyncOptions {
  /** `'compress'` (the default) or `'decompress'`. */
  mode?: 'compress' | 'decompress'
}

/**
 * A codec's `copyStream(readable, writable, options)`: compresses (or with `mode: 'decompress'`,
 * decompresses) everything `readable` gives into `writable`, resolving to the byte counts.
 */
export function copyStreamOf<C, D>(compress: (options?: C) => CodecStream, decompress: (options?: D) => CodecStream) {
  return (readable: NodeJS.ReadableStream, writable: NodeJS.WritableStream, options?: C & D & CopyModeOptions): Promise<CopyResult> => {
    try {
      const mode = options?.mode ?? 'compress'
      if (mode !== 'compress' && mode !== 'decompress') {
        throw invalidArg(`options.mode must be 'compress' or 'decompress'; received ${describe(mode)}`)
      }
      // Checked before the stream exists: a stream made with an aborted signal errors on its own.
      const { signal } = asyncArgs(options)
      if (signal?.aborted) throw abortedBy(signal)
      return copyThrough(readable, writable, mode === 'compress' ? compress(options) : decompress(options), options)
    } catch (error) {
      return Promise.reject(error)
    }
  }
}
