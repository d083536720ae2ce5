/**
 * Whole-file compression and decompression for both codecs: the destination appears only
 * complete, under a temporary name until then, and nothing is left behind on failure.
 */

import { randomBytes } from 'node:crypto'
import type { PathLike } from 'node:fs'
import { open, readlink, rename, rm } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

import { abortedBy, type AsyncOptions, asyncArgs } from './control'
import { invalidArg } from './errors'
import { describe } from './input'
import { type CodecStream, copyThrough, type CopyResult, type StreamOptions } from './stream'

/**
 * A path, as text to do path arithmetic on and as the file system takes it. A Buffer path's
 * bytes are read as latin1, one character per byte and back, so names that are not UTF-8 reach
 * the file system unchanged.
 */
class FilePath {
  private constructor(
    readonly text: string,
    private readonly encoding: 'utf8' | 'latin1',
  ) {}

  static of(path: unknown, name: string): FilePath {
    if (typeof path === 'string') return new FilePath(path, 'utf8')
    if (path instanceof URL) return new FilePath(fileURLToPath(path), 'utf8')
    if (Buffer.isBuffer(path)) return new FilePath(path.toString('latin1'), 'latin1')
    throw invalidArg(`${name} must be a path (string, Buffer or file: URL); received ${describe(path)}`)
  }

  get fs(): string | Buffer {
    return this.encoding === 'utf8' ? this.text : Buffer.from(this.text, 'latin1')
  }

  /** A path of the same kind. */
  with(text: string): FilePath {
    return new FilePath(text, this.encoding)
  }

  /** Where writing to this path lands: the end of its chain of symbolic links, if it is one. */
  async target(): Promise<FilePath> {
    let path: FilePath = this
    for (let hops = 0; hops < MAX_LINKS; hops++) {
      let link: string
      try {
        link = await readlink(path.fs, { encoding: path.encoding })
      } catch {
        return path // not a link (or not there): the file itself
      }
      path = path.with(resolve(dirname(path.text), link))
    }
    throw Object.assign(new Error(`ELOOP: too many symbolic links encountered, '${this.text}'`), { code: 'ELOOP', path: this.text })
  }
}

/** Symbolic links followed from a destination at most, as Linux's path resolution does. */
const MAX_LINKS = 40

/** Fills in the options `defaults` has and `options` leaves undefined (anything but an object is left for the codec to reject). */
function withDefaults<O extends object>(options: O | undefined, defaults: Partial<O>): O | undefined {
  if (options !== undefined && (typeof options !== 'object' || options === null)) return options
  const filled: Record<string, unknown> = { ...options }
  for (const [key, value] of Object.entries(defaults)) filled[key] ??= value
  return filled as O
}

/**
 * A codec's `compressFile` or `decompressFile`: streams `source` through the stream `transform`
 * makes into a temporary file beside `destination` (with the source's permissions), reading
 * `readSize` bytes at a time, then syncs it to disk and renames it to `destination` (replacing
 * any file there; when `destination` is a symbolic link, the file it leads to). Options
 * `defaults` has and the caller leaves out take its values. Resolves to `{bytesRead, bytesWritten}`.
 */
export function fileTransformOf<O extends StreamOptions>(
  transform: (options?: O) => CodecStream,
  readSize: number,
  defaults: Partial<O> = {},
) {
  return async (source: PathLike, destination: PathLike, options?: O & AsyncOptions): Promise<CopyResult> => {
    const from = FilePath.of(source, 'source')
    const to = FilePath.of(destination, 'destination')
    const { signal } = asyncArgs(options)
    if (signal?.aborted) throw abortedBy(signal)
    // Made before any file is touched, so that bad options fail first. An abort while the files
    // open destroys it; the pipeline below then rejects with that error.
    const stream = transform(withDefaults(options, defaults)).on('error', () => {})
    let input, output, final, temporary
    try {
      final = await to.target()
      temporary = final.with(join(dirname(final.text), `.${basename(final.text)}.${randomBytes(6).toString('hex')}.tmp`))
      input = await open(from.fs, 'r')
      output = await open(temporary.fs, 'wx', (await input.stat()).mode & 0o7777)
    } catch (error) {
      stream.destroy()
      await input?.close()
      throw signal?.aborted ? abortedBy(signal) : error
    }
    try {
      const result = await copyThrough(
        input.createReadStream({ highWaterMark: readSize }),
        output.createWriteStream({ flush: true }),
        stream,
        options,
      )
      await rename(temporary.fs, final.fs)
      return result
    } catch (error) {
      await Promise.allSettled([input.close(), output.close()])
      await rm(temporary.fs, { force: true })
      throw error
    }
  }
}
