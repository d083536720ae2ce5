// The decoding paths of both codecs, for tests that feed one input to all of them.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

import { lz4, SquishError, zstd } from '../index'
import { withTempDir } from './helpers'

export type Codec = 'zstd' | 'lz4'
export type Options = Record<string, unknown>
export const api = { zstd, lz4 }

/** Input chunk sizes every streaming path is fed with (0: the whole input as one chunk). */
export const CHUNKINGS = [0, 1, 2, 3, 7]

export function chunks(input: Buffer, size: number): Buffer[] {
  if (size === 0) return input.length === 0 ? [] : [input]
  const out: Buffer[] = []
  for (let pos = 0; pos < input.length; pos += size) out.push(input.subarray(pos, pos + size))
  return out
}

function sink(out: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out.push(chunk)
      callback()
    },
  })
}

export async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Buffer[] = []
  for await (const piece of source) out.push(Buffer.from(piece))
  return Buffer.concat(out)
}

/** Every path that decodes a whole input, fed in chunks of `size` where it takes chunks. */
export function paths(codec: Codec, options: Options, size: number): Record<string, (input: Buffer) => Promise<Buffer>> {
  const c = api[codec] as typeof zstd
  // maxWindowSize is a Decompressor's setting.
  const oneShot = options.maxWindowSize === undefined ? c : new zstd.Decompressor(options)
  return {
    decompressSync: async (input) => oneShot.decompressSync(input, options),
    decompress: (input) => oneShot.decompress(input, options),
    'node stream': async (input) => {
      const out: Buffer[] = []
      await pipeline(Readable.from(chunks(input, size)), c.createDecompressStream(options), sink(out))
      return Buffer.concat(out)
    },
    'web stream': (input) => {
      const source = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks(input, size)) controller.enqueue(chunk)
          controller.close()
        },
      })
      return collect(source.pipeThrough(new c.DecompressionStream(options)))
    },
    decompressIter: (input) => collect(c.decompressIter(chunks(input, size), options)),
    copyStream: async (input) => {
      const out: Buffer[] = []
      await c.copyStream(Readable.from(chunks(input, size)), sink(out), { ...options, mode: 'decompress' })
      return Buffer.concat(out)
    },
    open: (input) =>
      withTempDir(async (dir) => {
        writeFileSync(join(dir, 'in'), input)
        const file = await c.open(join(dir, 'in'), 'r', options)
        try {
          return await file.read()
        } finally {
          await file.close()
        }
      }),
    decompressFile: (input) =>
      withTempDir(async (dir) => {
        writeFileSync(join(dir, 'in'), input)
        await c.decompressFile(join(dir, 'in'), join(dir, 'out'), options)
        return readFileSync(join(dir, 'out'))
      }),
    ...(codec === 'zstd'
      ? {
          Decoder: async (input: Buffer) => {
            const decoder = new zstd.Decompressor(options).createDecoder(options)
            const out = chunks(input, size).map((chunk) => decoder.update(chunk))
            out.push(decoder.final())
            return Buffer.concat(out)
          },
        }
      : {}),
  }
}

/** The answer of `decode`: the output's hex, or the SquishError's code. */
export async function answer(decode: () => Promise<Buffer>): Promise<string> {
  try {
    return `ok ${(await decode()).toString('hex')}`
  } catch (error) {
    if (error instanceof SquishError) return error.code
    return `not a SquishError: ${String(error)}`
  }
}

