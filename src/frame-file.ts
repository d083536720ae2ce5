/**
 * One file class for both codecs (python-lz4's `LZ4FrameFile`, python-zstandard's `open`): a
 * compressed file read and written as its decompressed content, in binary or text mode. Codec
 * work runs on squish's worker pool, one step of up to 128 KiB of file data at a time.
 */

import type { PathLike } from 'node:fs'
import { type FileHandle, open as openFile } from 'node:fs/promises'

import { ByteQueue } from './byte-queue'
import { invalidArg, SquishError } from './errors'
import { describe, toView, type Input } from './input'
import { optionsObject } from './options'
import { SerialCalls } from './serial-calls'
import type { Steps } from './stream'
import { characterEnd, multibyte, textEncoding, type TextOptions, unitOf } from './text'
import { WriteStage } from './write-stage'

/** Binary modes: read (`'r'`, the default), write (`'w'`, truncating), append (`'a'`), create (`'x'`, failing if the file exists). */
export type BinaryMode = 'r' | 'rb' | 'w' | 'wb' | 'a' | 'ab' | 'x' | 'xb'
/** Text modes: as the binary ones, with strings in and out (sizes and positions still count bytes). */
export type TextMode = 'rt' | 'wt' | 'at' | 'xt'

/** A file to open: a path, or a `FileHandle` (read from its start, written at its position, left open on close). */
export type FileTarget = PathLike | FileHandle

/** What `flush()` ends: the frame (the default) or the block. */
export type FlushMode = 'frame' | 'block'

/** A codec as a file uses it: steps compressing each frame written, steps decoding concatenated frames. */
export interface Codec {
  compress(): Steps
  decompress(): Steps
}

/** A codec's `open(file, mode, options)`. */
export interface OpenFunction<O> {
  (file: FileTarget, mode: TextMode, options?: O & TextOptions): Promise<FrameFile<string>>
  (file: FileTarget, mode?: BinaryMode, options?: O): Promise<FrameFile<Buffer>>
}

/** Compressed bytes read from the file per decoding step. */
const READ_SIZE = 128 * 1024
/** Written bytes gathered before a compression step. */
const STAGE_SIZE = 1024 * 1024
/** Decoded bytes `peek` returns beyond the size asked for, if they are decoded already. */
const PEEK_SIZE = 64 * 1024
const EMPTY = Buffer.alloc(0)
const FS_FLAGS = { r: 'r', w: 'w', a: 'a', x: 'wx' } as const

type Access = keyof typeof FS_FLAGS

function isFileHandle(file: unknown): file is FileHandle {
  return typeof file === 'object' && file !== null && typeof (file as FileHandle).fd === 'number' && typeof (file as FileHandle).read === 'function'
}

function parseMode(mode: unknown): { access: Access; text: boolean } {
  const match = typeof mode === 'string' ? /^([rwax])([bt]?)$/.exec(mode) : null
  if (match === null) {
    throw invalidArg(`mode must be 'r', 'w', 'a' or 'x', optionally followed by 'b' or 't'; received ${describe(mode)}`)
  }
  return { access: match[1] as Access, text: match[2] === 't' }
}

function sizeArgument(value: unknown, name: string): number {
  if (value === undefined || value === -1) return Infinity
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidArg(`${name} must be a non-negative integer, or -1 for no limit; received ${describe(value)}`)
  }
  return value
}

/** Passed by `open` to the constructor: a FrameFile made with `new` has no file behind it. */
const opened = Symbol('opened')

/**
 * A compressed file, read and written as its decompressed content. Made by `zstd.open` and
 * `lz4.open`. Reading decodes frame after frame, so appended frames read as one stream;
 * `flush()` ends the frame being written. Read results are Buffers in binary mode and strings in
 * text mode; sizes and positions count decompressed bytes in both.
 *
 * One call at a time: a call made while another is pending is `ERR_SQUISH_BUSY`. Use after
 * `close()` is `ERR_SQUISH_CLOSED`; a call the mode does not allow is `ERR_SQUISH_INVALID_ARG`.
 */
export class FrameFile<T extends Buffer | string = Buffer> implements AsyncIterable<T> {
  /** The mode the file was opened with. */
  readonly mode: string
  readonly #access: Access
  readonly #encoding: BufferEncoding | null
  readonly #unit: 1 | 2
  readonly #codec: Codec
  readonly #owned: boolean
  #handle: FileHandle | null
  /** One call at a time; the error a read or write failed with fails every later call. */
  readonly #calls = new SerialCalls('file')
  #closing: Promise<void> | null = null
  /** Decompressed bytes read, skipped or written so far. */
  #position = 0
  /** The decoder (reading) or the compressor of the current frame (writing). */
  #steps: Steps | null
  // Reading: decoded bytes not yet returned.
  readonly #unread = new ByteQueue()
  #filePosition = 0
  #input: Buffer | null = null
  #eof = false
  // Writing.
  readonly #stage = new WriteStage(STAGE_SIZE)
  #frameOpen = false
  #frameWritten = false

  /** @internal Made by a codec's `open`. */
  constructor(
    token: typeof opened,
    handle: FileHandle,
    owned: boolean,
    mode: string,
    access: Access,
    encoding: BufferEncoding | null,
    codec: Codec,
    steps: Steps,
    hasFrames: boolean,
  ) {
    if (token !== opened) throw invalidArg('a FrameFile is made by zstd.open() or lz4.open(), not with new')
    this.#handle = handle
    this.#owned = owned
    this.mode = mode
    this.#access = access
    this.#encoding = encoding
    this.#unit = unitOf(encoding)
    this.#codec = codec
    this.#steps = steps
    this.#frameWritten = hasFrames
  }

  /** The file was opened for reading. */
  get readable(): boolean {
    return this.#access === 'r'
  }

  /** The file was opened for writing (`'w'`, `'a'` or `'x'`). */
  get writable(): boolean {
    return this.#access !== 'r'
  }

  /** `close()` has been called. */
  get closed(): boolean {
    return this.#handle === null || this.#closing !== null
  }

  #check(method: string, reading: boolean | null): FileHandle {
    if (this.#handle === null || this.#closing !== null) {
      throw new SquishError('ERR_SQUISH_CLOSED', `${method}() was called on a closed file`)
    }
    if (reading !== null && reading !== this.readable) {
      const needed = reading ? "reading ('r')" : "writing ('w', 'a' or 'x')"
      throw invalidArg(`${method}() needs a file opened for ${needed}; this file was opened with mode '${this.mode}'`)
    }
    return this.#handle
  }

  /**
   * Runs `op` with the arguments `args` checks, as the file's one pending call, once `method`
   * may run now. An error from `op` fails the file: later calls fail with it too.
   */
  #run<A, R>(method: string, reading: boolean | null, args: () => A, op: (handle: FileHandle, args: A) => Promise<R>): Promise<R> {
    return this.#calls.run(
      method,
      () => this.#check(method, reading),
      (handle) => op(handle, args()),
    )
  }

  #result(bytes: Buffer): T {
    return (this.#encoding === null ? bytes : bytes.toString(this.#encoding)) as T
  }

  // Reading

  /** Decodes the next piece of the file; false once the file has ended. */
  async #decodeMore(handle: FileHandle): Promise<boolean> {
    if (this.#eof) return false
    this.#steps ??= this.#codec.decompress()
    let output: Buffer
    if (this.#steps.pending?.() === true) {
      output = await this.#steps.update(EMPTY)
      this.#unread.push(output)
      return true
    }
    this.#input ??= Buffer.allocUnsafe(READ_SIZE)
    const { bytesRead } = await handle.read(this.#input, 0, READ_SIZE, this.#filePosition)
    if (bytesRead === 0) {
      output = await this.#steps.final()
      this.#eof = true
    } else {
      this.#filePosition += bytesRead
      output = await this.#steps.update(this.#input.subarray(0, bytesRead))
    }
    this.#unread.push(output)
    return true
  }

  async #fill(handle: FileHandle, size: number): Promise<void> {
    while (this.#unread.length < size && (await this.#decodeMore(handle)));
  }

  /** Takes `size` bytes (no more than are available) from the decoded bytes; with `keep` false, drops them. */
  #take(size: number, keep = true): Buffer {
    this.#position += Math.min(size, this.#unread.length)
    return this.#unread.take(size, keep)
  }

  /**
   * `size` extended to the end of the character it cuts, in text mode, with the bytes to do so
   * decoded; `size` itself in binary mode.
   */
  async #wholeCharacters(handle: FileHandle, size: number): Promise<number> {
    if (!multibyte(this.#encoding) || size >= this.#unread.length) return size
    await this.#fill(handle, size + 3)
    return characterEnd(this.#unread.all(), size, this.#unit)
  }

  /**
   * Reads up to `size` decompressed bytes (all the rest when `size` is omitted or -1); fewer
   * only at the end of the file, where the result is empty. In text mode the result is a
   * string, and a character that `size` would cut is read whole.
   */
  read(size?: number): Promise<T> {
    return this.#run('read', true, () => sizeArgument(size, 'size'), async (handle, limit) => {
      await this.#fill(handle, limit)
      return this.#result(this.#take(await this.#wholeCharacters(handle, limit)))
    })
  }

  /**
   * Reads one line, up to and including its `\n` (the last line of the file may lack it); at
   * most `size` bytes when given. The result is empty at the end of the file.
   */
  readLine(size?: number): Promise<T> {
    return this.#run('readLine', true, () => sizeArgument(size, 'size'), (handle, limit) => this.#readLine(handle, limit))
  }

  async #readLine(handle: FileHandle, limit: number): Promise<T> {
    let scanned = 0
    for (;;) {
      const end = this.#unread.lineEnd(scanned, this.#unit)
      if (end >= 0 && end <= limit) return this.#result(this.#take(end))
      if (this.#unread.length >= limit) return this.#result(this.#take(await this.#wholeCharacters(handle, limit)))
      scanned = this.#unread.length - (this.#unread.length % this.#unit)
      if (!(await this.#decodeMore(handle))) return this.#result(this.#take(this.#unread.length))
    }
  }

  /**
   * Returns decoded bytes without consuming them: at least `size` (default 1) unless the file
   * ends sooner, and up to 64 KiB more if they are decoded already. Always a Buffer.
   */
  peek(size?: number): Promise<Buffer> {
    return this.#run('peek', true, () => (size === undefined ? 1 : sizeArgument(size, 'size')), async (handle, limit) => {
      await this.#fill(handle, limit)
      return Buffer.from(this.#unread.all().subarray(0, Math.max(limit, PEEK_SIZE)))
    })
  }

  /**
   * Moves to a position in the decompressed content: `offset` from the start (`whence` 0, the
   * default), from the current position (1) or from the end (2). A position past the end moves
   * to the end; one before the start is `ERR_SQUISH_INVALID_ARG`, and the position stays where
   * it was (for `whence` 2, at the end). Forward seeks decode and discard; backward seeks decode
   * again from the start of the file, and seeking from the end decodes the whole file first:
   * both are slow on large files. Resolves to the new position.
   */
  seek(offset: number, whence: 0 | 1 | 2 = 0): Promise<number> {
    const before = (target: number) => invalidArg(`seek(${offset}, ${whence}) moves to ${target}, before the start of the file`)
    const args = () => {
      if (typeof offset !== 'number' || !Number.isSafeInteger(offset)) throw invalidArg(`offset must be an integer; received ${describe(offset)}`)
      if (whence !== 0 && whence !== 1 && whence !== 2) throw invalidArg(`whence must be 0, 1 or 2; received ${describe(whence)}`)
      const target = whence === 0 ? offset : whence === 1 ? this.#position + offset : null
      if (target !== null && target < 0) throw before(target)
      return target
    }
    // A target before the start found once the end is known fails this call alone, not the file.
    const op = async (handle: FileHandle, known: number | null): Promise<number | SquishError> => {
      let target = known
      if (target === null) {
        await this.#skip(handle, Infinity)
        target = this.#position + offset
        if (target < 0) return before(target)
      }
      if (target < this.#position) this.#rewind()
      await this.#skip(handle, target - this.#position)
      return this.#position
    }
    return this.#run('seek', true, args, op).then((position) => {
      if (position instanceof SquishError) throw position
      return position
    })
  }

  async #skip(handle: FileHandle, size: number): Promise<void> {
    for (;;) {
      const skipped = Math.min(size, this.#unread.length)
      this.#take(skipped, false)
      size -= skipped
      if (size <= 0 || !(await this.#decodeMore(handle))) return
    }
  }

  /** Frees the codec's native context now, not at garbage collection. */
  #dropSteps(): void {
    this.#steps?.close()
    this.#steps = null
  }

  #rewind(): void {
    this.#dropSteps()
    this.#unread.clear()
    this.#position = this.#filePosition = 0
    this.#eof = false
  }

  /** The position in the decompressed content: bytes read or skipped, or bytes written. */
  tell(): number {
    if (this.#handle === null || this.#closing !== null) throw new SquishError('ERR_SQUISH_CLOSED', 'tell() was called on a closed file')
    return this.#position
  }

  /** The lines of the file, each with its `\n`. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const line = await this.readLine()
      if (line.length === 0) return
      yield line
    }
  }

  // Writing

  /** Compresses `data` into the file (strings in the file's encoding, UTF-8 in binary mode); resolves to its size in bytes. */
  write(data: Input): Promise<number> {
    const args = () => {
      const view = typeof data === 'string' ? Buffer.from(data, this.#encoding ?? 'utf8') : toView(data)
      return Buffer.from(view.buffer, view.byteOffset, view.byteLength)
    }
    return this.#run('write', false, args, async (handle, bytes) => {
      if (!this.#stage.fits(bytes.length)) await this.#drainStage(handle)
      if (bytes.length >= STAGE_SIZE) {
        await this.#compress(handle, bytes)
      } else {
        this.#stage.add(bytes)
      }
      this.#position += bytes.length
      return bytes.length
    })
  }

  async #drainStage(handle: FileHandle): Promise<void> {
    const staged = this.#stage.take()
    if (staged !== null) await this.#compress(handle, staged)
  }

  async #compress(handle: FileHandle, bytes: Buffer): Promise<void> {
    this.#steps ??= this.#codec.compress()
    this.#frameOpen = true
    await this.#writeOut(handle, await this.#steps.update(bytes))
  }

  async #writeOut(handle: FileHandle, bytes: Buffer): Promise<void> {
    for (let done = 0; done < bytes.length; ) {
      done += (await handle.write(bytes, done, bytes.length - done, null)).bytesWritten
    }
  }

  /** Ends the frame being written, if any data went into it; with `always`, also writes an empty frame into a file with none. */
  async #endFrame(handle: FileHandle, always: boolean): Promise<void> {
    await this.#drainStage(handle)
    if (!this.#frameOpen && !(always && !this.#frameWritten)) return
    this.#steps ??= this.#codec.compress()
    const output = await this.#steps.final()
    this.#dropSteps()
    this.#frameOpen = false
    this.#frameWritten = true
    await this.#writeOut(handle, output)
  }

  /**
   * Writes out everything written so far, so that it decodes at once: `'frame'` (the default)
   * ends the current frame, as python-lz4 does, and the next write starts a new one; `'block'`
   * ends the current block, and the frame goes on (smaller files when flushing often). Does
   * nothing on a file opened for reading.
   */
  flush(mode: FlushMode = 'frame'): Promise<void> {
    const args = () => {
      if (mode !== 'frame' && mode !== 'block') throw invalidArg(`mode must be 'frame' or 'block'; received ${describe(mode)}`)
    }
    return this.#run('flush', null, args, async (handle) => {
      if (!this.writable) return
      if (mode === 'frame') return this.#endFrame(handle, false)
      await this.#drainStage(handle)
      if (this.#frameOpen && this.#steps!.flush !== undefined) await this.#writeOut(handle, await this.#steps!.flush())
    })
  }

  /**
   * Ends the last frame (a new file written with no data still gets one, empty frame), then
   * closes the file if `open` opened it. Waits for a pending call first; closing again does
   * nothing. After a failed write, it closes the file and rejects with that failure.
   */
  close(): Promise<void> {
    if (this.#closing !== null) return this.#closing
    if (this.#handle === null) return Promise.resolve()
    const handle = this.#handle
    this.#closing = (async () => {
      await this.#calls.pending
      try {
        if (this.writable && this.#calls.failure !== null) throw this.#calls.failure
        if (this.writable) await this.#endFrame(handle, true)
      } finally {
        this.#handle = null
        this.#dropSteps()
        this.#unread.clear()
        if (this.#owned) await handle.close()
      }
    })()
    return this.#closing
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }
}

/** A codec's `open`, over the codec steps that `codec` makes from the options. */
export function openerOf<O>(codec: (options: O | undefined) => Codec): OpenFunction<O> {
  return (async (file: FileTarget, mode: unknown = 'r', options?: O & TextOptions) => {
    const { access, text } = parseMode(mode)
    const encoding = textEncoding(optionsObject(options).encoding, text)
    const steps = codec(options)
    const first = access === 'r' ? steps.decompress() : steps.compress()
    const owned = !isFileHandle(file)
    const handle = owned ? await openFile(file, FS_FLAGS[access]) : file
    let hasFrames = false
    try {
      hasFrames = access === 'a' && (await handle.stat()).size > 0
    } catch (error) {
      if (owned) await handle.close()
      throw error
    }
    return new FrameFile(opened, handle, owned, mode as string, access, encoding, steps, first, hasFrames)
  }) as OpenFunction<O>
}
