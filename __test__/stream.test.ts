import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { lz4, SquishError, zstd } from '../index'
import { run, sample, split } from './helpers'

/** Streams `chunks` through `transform` and collects the output. */
async function through(chunks: Iterable<Buffer>, transform: Stream): Promise<Buffer> {
  const out: Buffer[] = []
  await pipeline(
    Readable.from(chunks),
    transform,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out.push(chunk)
        callback()
      },
    }),
  )
  return Buffer.concat(out)
}

async function failure(promise: Promise<unknown>): Promise<SquishError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(SquishError)
    return error as SquishError
  }
  throw new Error('expected the stream to fail')
}

type Stream = ReturnType<typeof zstd.createCompressStream>

interface Codec {
  name: string
  web: { CompressionStream: typeof zstd.CompressionStream; DecompressionStream: typeof zstd.DecompressionStream }
  copyStream: typeof zstd.copyStream
  compressIter: typeof zstd.compressIter
  decompressIter: typeof zstd.decompressIter
  compressStream: () => Stream
  decompressStream: (maxOutputSize?: number) => Stream
  compressSync: (data: Buffer) => Buffer
  decompressSync: (data: Buffer) => Buffer
  /** A frame whose content checksum is in its last 4 bytes. */
  checksummed: (data: Buffer) => Buffer
}

const codecs: Codec[] = [
  {
    name: 'zstd',
    web: zstd,
    copyStream: zstd.copyStream,
    compressIter: zstd.compressIter,
    decompressIter: zstd.decompressIter,
    compressStream: () => zstd.createCompressStream({ level: 3, checksum: true }),
    decompressStream: (maxOutputSize) => zstd.createDecompressStream({ maxOutputSize }),
    compressSync: (data) => zstd.compressSync(data),
    decompressSync: (data) => zstd.decompressSync(data, { maxOutputSize: Infinity }),
    checksummed: (data) => zstd.compressSync(data, { checksum: true }),
  },
  {
    name: 'lz4',
    web: lz4,
    copyStream: lz4.copyStream,
    compressIter: lz4.compressIter,
    decompressIter: lz4.decompressIter,
    compressStream: () => lz4.createCompressStream({ contentChecksum: true }),
    decompressStream: (maxOutputSize) => lz4.createDecompressStream({ maxOutputSize }),
    compressSync: (data) => lz4.compressSync(data),
    decompressSync: (data) => lz4.decompressSync(data, { maxOutputSize: Infinity }),
    checksummed: (data) => lz4.compressSync(data, { contentChecksum: true }),
  },
]

describe.each(codecs)('$name Node streams', (codec) => {
  it('compress and decompress streams round-trip at random chunk boundaries; the CLI reads the output', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 400_000 }), fc.array(fc.nat({ max: 1_000_000 }), { maxLength: 10 }), async (size, cuts) => {
        const data = sample(size, size + 1)
        const frame = await through(split(data, cuts), codec.compressStream())
        expect(codec.decompressSync(frame).equals(data)).toBe(true)
        const back = await through(split(frame, cuts), codec.decompressStream())
        expect(back.equals(data)).toBe(true)
      }),
      { numRuns: 25 },
    )
    const data = sample(300_000, 5)
    const frame = await through(split(data, [1000, 70_000]), codec.compressStream())
    expect(run(codec.name, ['-d', '-c'], frame).equals(data)).toBe(true)
    const skippable = Buffer.from([0x50, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 9, 9])
    const frames = Buffer.concat([codec.compressSync(data), skippable, codec.compressSync(data.subarray(7))])
    expect((await through(split(frames, [5, 50_000, 80_000]), codec.decompressStream())).equals(Buffer.concat([data, data.subarray(7)]))).toBe(true)
  })

  it('flush() emits everything written so far as decodable output', async () => {
    const stream = codec.compressStream()
    const received: Buffer[] = []
    stream.on('data', (chunk: Buffer) => received.push(chunk))
    let sent = ''
    for (const part of ['first, ', 'second, ', 'third']) {
      stream.write(part)
      sent += part
      await new Promise<void>((resolve) => stream.flush(resolve))
      await new Promise((resolve) => setImmediate(resolve))
      const decoder = codec.decompressStream()
      const partial: Buffer[] = []
      decoder.on('data', (chunk: Buffer) => partial.push(chunk))
      decoder.write(Buffer.concat(received))
      await new Promise((resolve) => setImmediate(resolve))
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(Buffer.concat(partial).toString()).toBe(sent)
      decoder.destroy()
    }
    stream.end()
    await new Promise((resolve) => stream.on('end', resolve))
    expect(codec.decompressSync(Buffer.concat(received)).toString()).toBe(sent)
  })

  it('corrupt or truncated input and the output limit destroy the stream with a SquishError', async () => {
    const frame = codec.checksummed(sample(200_000))
    const corrupt = Buffer.from(frame)
    corrupt[frame.length - 2]! ^= 0xff
    expect((await failure(through([corrupt], codec.decompressStream()))).code).toBe('ERR_SQUISH_CHECKSUM')
    expect((await failure(through([frame.subarray(0, frame.length - 1)], codec.decompressStream()))).code).toBe('ERR_SQUISH_TRUNCATED')
    expect((await failure(through([frame], codec.decompressStream(100_000)))).code).toBe('ERR_SQUISH_OUTPUT_LIMIT')
    expect((await failure(through([Buffer.from('not compressed data')], codec.decompressStream()))).code).toBe('ERR_SQUISH_CORRUPT')
  })

  it('copyStream compresses and decompresses between streams and counts both sides', async () => {
    const data = sample(500_000, 21)
    const compressed: Buffer[] = []
    const sink = (into: Buffer[]) =>
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          into.push(chunk)
          callback()
        },
      })
    const there = await codec.copyStream(Readable.from(split(data, [1, 100_000])), sink(compressed))
    const frame = Buffer.concat(compressed)
    expect(there).toEqual({ bytesRead: data.length, bytesWritten: frame.length })
    const restored: Buffer[] = []
    const back = await codec.copyStream(Readable.from([frame]), sink(restored), { mode: 'decompress' })
    expect(back).toEqual({ bytesRead: frame.length, bytesWritten: data.length })
    expect(Buffer.concat(restored).equals(data)).toBe(true)
    expect((await failure(codec.copyStream(Readable.from([data]), sink([]), { mode: 'decompress' }))).code).toBe('ERR_SQUISH_CORRUPT')
    expect((await failure(codec.copyStream(Readable.from([data]), sink([]), { mode: 'sideways' as never }))).code).toBe('ERR_SQUISH_INVALID_ARG')
  })

  it('destroying a stream mid-way leaves no unhandled rejection', async () => {
    const stream = codec.compressStream()
    stream.write(sample(1 << 20))
    stream.destroy()
    await new Promise((resolve) => setTimeout(resolve, 50))
  })

  it('compression runs off the main thread: the event loop stays responsive', async () => {
    const chunk = sample(1 << 20, 9)
    const histogram = monitorEventLoopDelay({ resolution: 5 })
    histogram.enable()
    let compressed = 0
    await pipeline(
      Readable.from((function* () {
        for (let i = 0; i < 256; i++) yield chunk
      })()),
      codec.compressStream(),
      new Writable({
        write(out: Buffer, _encoding, callback) {
          compressed += out.length
          callback()
        },
      }),
    )
    histogram.disable()
    expect(compressed).toBeGreaterThan(0)
    // Generous: each step is a pool task; the main thread only moves buffers.
    expect(histogram.max / 1e6).toBeLessThan(100)
  }, 60_000)
})

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const part of source) parts.push(part)
  return Buffer.concat(parts)
}

describe.each(codecs)('$name Web streams and iterables', (codec) => {
  it('round-trip through pipeThrough and through async iterables at random chunk boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 300_000 }), fc.array(fc.nat({ max: 1_000_000 }), { maxLength: 8 }), async (size, cuts) => {
        const data = sample(size, size + 3)
        const readable = new ReadableStream<Uint8Array>({
          start(controller) {
            for (const part of split(data, cuts)) controller.enqueue(new Uint8Array(part))
            controller.close()
          },
        })
        const frame = await collect(readable.pipeThrough(new codec.web.CompressionStream()))
        expect(codec.decompressSync(frame).equals(data)).toBe(true)
        const body = new Response(new Blob([frame]).stream().pipeThrough(new codec.web.DecompressionStream()))
        expect(Buffer.from(await body.arrayBuffer()).equals(data)).toBe(true)

        const viaIter = await collect(codec.compressIter(split(data, cuts)))
        expect(codec.decompressSync(viaIter).equals(data)).toBe(true)
        const back = await collect(codec.decompressIter((async function* () {
          yield* split(viaIter, cuts)
        })()))
        expect(back.equals(data)).toBe(true)
      }),
      { numRuns: 15 },
    )
  })

  it('bad input rejects with a SquishError', async () => {
    const frame = codec.checksummed(sample(50_000))
    const cut = frame.subarray(0, frame.length - 1)
    expect((await failure(collect(codec.decompressIter([cut])))).code).toBe('ERR_SQUISH_TRUNCATED')
    const body = new Response(new Blob([Buffer.from('not compressed data')]).stream().pipeThrough(new codec.web.DecompressionStream()))
    expect((await failure(body.arrayBuffer())).code).toBe('ERR_SQUISH_CORRUPT')
  })
})

describe('zstd streams from instances', () => {
  it('a Compressor with a pledged size records it', async () => {
    const data = sample(300_000, 5)
    const frame = await through(split(data, [1000, 70_000]), new zstd.Compressor({ level: 9 }).createCompressStream({ pledgedSize: data.length }))
    expect(zstd.getFrameParameters(frame).contentSize).toBe(data.length)
    expect(new zstd.Decompressor().decompressSync(frame).equals(data)).toBe(true)
  })
})

describe('zstd decompress streams with readAcrossFrames: false', () => {
  it('end at the first frame and ignore what follows, however the input is chunked', async () => {
    const first = sample(100_000, 1)
    const frames = Buffer.concat([zstd.compressSync(first), zstd.compressSync(sample(50_000, 2)), Buffer.from('trailing')])
    const frameLength = zstd.compressSync(first).length
    for (const cuts of [[], [frameLength], [frameLength - 1, frameLength + 1], [5, frameLength + 3, frameLength + 100]]) {
      const out = await through(split(frames, cuts), zstd.createDecompressStream({ readAcrossFrames: false }))
      expect(out.equals(first)).toBe(true)
    }
  })
})
