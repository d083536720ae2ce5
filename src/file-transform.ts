/**
 * Whole-file compression and decompression for both codecs: the destination appears only
 * complete, under a temporary name until then, and nothing is left behind on failure.
 */

import { randomBytes } from 'node:crypto'
import type { PathLike } from 'node:fs'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { abortedBy, type AsyncOptions, asyncArgs } from './control'
import { invalidArg } from './errors'
import { describe } from './input'
import { type CodecStream, copyThrough, type CopyResult, type StreamOptions } from './stream'

function pathString(path: unknown, name: string): string {
  if (typeof path === 'string') return path
  if (path instanceof URL) return fileURLToPath(path)
  if (Buffer.isBuffer(path)) return path.toString()
  throw invalidArg(`${name} must be a path (string, Buffer or file: URL); received ${describe(path)}`)
}

/**
 * A codec's `compressFile` or `decompressFile`: streams `source` through the stream `transform`
 * makes into a temporary file beside `destination` (with the source's permissions), reading
 * `readSize` bytes at a time, then syncs it to disk and renames it to `destination` (replacing
 * any file there). Resolves to `{bytesRead, bytesWritten}`.
 */
export function fileTransformOf<O extends StreamOptions>(transform: (options?: O) => CodecStream, readSize: number) {
  return async (source: PathLike, destination: PathLike, options?: O & AsyncOptions): Promise<CopyResult> => {
    const from = pathString(source, 'source')
    const to = pathString(destination, 'destination')
    const { signal } = asyncArgs(options)
    if (signal?.aborted) throw abortedBy(signal)
    // Made before any file is touched, so that bad options fail first. An abort while the files
    // open destroys it; the pipeline below then rejects with that error.
    const stream = transform(options).on('error', () => {})
    let input, output
    const temporary = join(dirname(to), `.${basename(to)}.${randomBytes(6).toString('hex')}.tmp`)
    try {
      input = await open(from, 'r')
      output = await open(temporary, 'wx', (await input.stat()).mode & 0o7777)
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
      await rename(temporary, to)
      return result
    } catch (error) {
      await Promise.allSettled([input.close(), output.close()])
      await rm(temporary, { force: true })
      throw error
    }
  }
}
