/**
 * One Node.js stream adapter for both codecs: a Transform over an incremental encoder or decoder
 * whose steps run on squish's worker pool, so compression never blocks the event loop.
 */

import { Transform, type TransformCallback, type TransformOptions } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { ReadableStream, type ReadableStreamDefaultReader, TransformStream, type WritableStream } from 'node:stream/web'

import { abortedBy, type AsyncOptions, asyncArgs, type Progress, throttled } from './control'
import { invalidArg } from './errors'
import { describe, toView, type Input } from './input'
import { integerOption } from './options'

/**
 * The most a decoding step produces, about: a small input that expands hugely is decoded over
 * several steps, so memory stays bounded however the input is chunked.
 */
export const STEP_OUTPUT = 4 * 1024 * 1024

const EMPTY = Buffer.alloc(0)

/** Incremental codec steps, each resolving to the output it makes ready. */
export interface Steps {
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
  if (highWaterMark !== undefined) integerOption(highWaterMark, 'highWaterMark', 0, 0, Number.MAX_SAFE_INTEGER)
  asyncArgs({ signal })
  return { highWaterMark, signal }
}

/**
 * The output of `first()` and of the steps after it while output is pending, one piece at a
 * time: the next step runs only when the consumer asks for the next piece.
 */
async function* pieces(steps: Steps, first: () => Promise<Buffer>): AsyncGenerator<Buffer> {
  for (let output = await first(); ; output = await steps.update(EMPTY)) {
    if (output.length > 0) yield output
    if (steps.pending?.() !== true) return
  }
}

/** The chunk `flush()` writes through the stream, so that it stays in order with the data. */
const FLUSH = Buffer.alloc(0)

/**
 * A Transform stream over {@link Steps}. One step runs at a time; the next chunk is
 * taken when the last one's output has been pushed, and a step that leaves output pending waits
 * for the reader to want more before the next, so the stream holds at most about one piece
 * beyond its `highWaterMark`, whatever the input expands to. A codec error destroys the stream
 * with that `SquishError`.
 */
export class CodecStream extends Transform {
  readonly #steps: Steps
  /** Resumes the steps once the reader wants more, or the stream is destroyed. */
  #wake: (() => void) | null = null

  constructor(steps: Steps, options?: TransformOptions) {
    super(options)
    this.#steps = steps
  }

  #settle(first: () => Promise<Buffer>, callback: TransformCallback): void {
    this.#emit(first).then(
      () => callback(),
      (error: Error) => callback(error),
    )
  }

  async #emit(first: () => Promise<Buffer>): Promise<void> {
    for await (const output of pieces(this.#steps, first)) {
      if (!this.push(output) && !this.destroyed) await new Promise<void>((resolve) => (this.#wake = resolve))
      if (this.destroyed) return
    }
  }

  #resume(): void {
    const wake = this.#wake
    this.#wake = null
    wake?.()
  }

  override _read(size: number): void {
    this.#resume()
    super._read(size)
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#resume()
    // Ended or destroyed mid-way, the stream frees its context now, not at garbage collection.
    this.#steps.close()
    super._destroy(error, callback)
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (chunk === FLUSH) {
      if (this.#steps.flush === undefined) return callback()
      return this.#settle(() => this.#steps.flush!(), callback)
    }
    if (chunk.length === 0) return callback()
    this.#settle(() => this.#steps.update(chunk), callback)
  }

  override _flush(callback: TransformCallback): void {
    this.#settle(() => this.#steps.final(), callback)
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

/** Runs every chunk of `source` through `steps`, yielding the output piece by piece as the consumer asks. */
async function* iterate(steps: Steps, source: AsyncIterable<Input> | Iterable<Input>): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of source) yield* pieces(steps, () => steps.update(asBuffer(chunk)))
    yield* pieces(steps, () => steps.final())
  } finally {
    // Ended, failed or abandoned, the iteration frees its context now, not at garbage collection.
    steps.close()
  }
}

/** The chunks a reader gives, as an async iterable. */
async function* chunksOf<T>(reader: ReadableStreamDefaultReader<T>): AsyncGenerator<T> {
  for (let next = await reader.read(); !next.done; next = await reader.read()) yield next.value
}

/**
 * A Web transform stream over {@link Steps}: a `{readable, writable}` pair, as the
 * global `CompressionStream` is. The readable side decodes a piece only when its reader wants
 * one (it queues one piece ahead), and the writable side takes a chunk only when the decoding
 * needs it, so memory stays bounded with a slow reader whatever the input expands to. A codec
 * error errors both sides with the `SquishError`.
 */
function webPair(steps: Steps): { readable: ReadableStream<Uint8Array>; writable: WritableStream<Input> } {
  const input = new TransformStream<Input, Buffer>(
    { transform: (chunk, controller) => controller.enqueue(asBuffer(chunk)) },
    { highWaterMark: 1 },
    { highWaterMark: 0 },
  )
  const reader = input.readable.getReader()
  const outputs = iterate(steps, chunksOf(reader))
  const readable = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await outputs.next()
          if (next.done) controller.close()
          else controller.enqueue(next.value)
        } catch (error) {
          // The writable side fails with it too, and whatever pipes into it stops.
          void reader.cancel(error)
          throw error
        }
      },
      async cancel(reason) {
        await reader.cancel(reason)
        await outputs.return(undefined)
      },
    },
    { highWaterMark: 1 },
  )
  return { readable, writable: input.writable }
}

/** A Web transform stream class: a `{readable, writable}` pair made from options `O`. */
export interface WebStreamClass<O> {
  new (options?: O): { readonly readable: ReadableStream<Uint8Array>; readonly writable: WritableStream<Input> }
}

/** A Web transform stream class over the codec steps that `steps` makes from its options. */
export function webStreamClass<O>(steps: (options?: O) => Steps): WebStreamClass<O> {
  return class {
    readonly readable: ReadableStream<Uint8Array>
    readonly writable: WritableStream<Input>

    constructor(options?: O) {
      ;({ readable: this.readable, writable: this.writable } = webPair(steps(options)))
    }
  }
}

function isIterable(value: unknown): value is AsyncIterable<Input> | Iterable<Input> {
  return (
    typeof value === 'object' &&
    value !== null &&
    (typeof (value as AsyncIterable<Input>)[Symbol.asyncIterator] === 'function' || typeof (value as Iterable<Input>)[Symbol.iterator] === 'function')
  )
}

/** An async-generator function over the codec steps that `steps` makes from its options. */
export function iteratorOf<O>(steps: (options?: O) => Steps) {
  return (source: AsyncIterable<Input> | Iterable<Input>, options?: O): AsyncGenerator<Buffer> => {
    if (!isIterable(source)) throw invalidArg(`source must be an iterable or async iterable of chunks; received ${describe(source)}`)
    return iterate(steps(options), source)
  }
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
