import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { SquishError, zstd } from '../index'
import { run, sample, split } from './helpers'

/** Streams `chunks` through `transform` and collects the output. */
async function through(chunks: Iterable<Buffer>, transform: NodeJS.ReadWriteStream): Promise<Buffer> {
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

describe('zstd Node streams', () => {
  it('compress and decompress streams round-trip at random chunk boundaries; zstd -d reads the output', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 400_000 }), fc.array(fc.nat({ max: 1_000_000 }), { maxLength: 10 }), async (size, cuts) => {
        const data = sample(size, size + 1)
        const frame = await through(split(data, cuts), zstd.createCompressStream({ level: 3, checksum: true }))
        expect(zstd.decompressSync(frame).equals(data)).toBe(true)
        const back = await through(split(frame, cuts), zstd.createDecompressStream())
        expect(back.equals(data)).toBe(true)
      }),
      { numRuns: 25 },
    )
    const data = sample(300_000, 5)
    const frame = await through(split(data, [1000, 70_000]), new zstd.Compressor({ level: 9 }).createCompressStream({ pledgedSize: data.length }))
    expect(zstd.getFrameParameters(frame).contentSize).toBe(data.length)
    expect(run('zstd', ['-d', '-c'], frame).equals(data)).toBe(true)
  })

  it('flush() emits everything written so far as decodable output', async () => {
    const stream = zstd.createCompressStream()
    const decoder = new zstd.Decompressor().createDecoder()
    const received: Buffer[] = []
    stream.on('data', (chunk: Buffer) => received.push(chunk))
    for (const part of ['first, ', 'second, ', 'third']) {
      stream.write(part)
      await new Promise<void>((resolve) => stream.flush(resolve))
      await new Promise((resolve) => setImmediate(resolve))
      expect(decoder.update(Buffer.concat(received.splice(0))).toString()).toBe(part)
    }
    stream.end()
    await new Promise((resolve) => stream.on('end', resolve))
    decoder.update(Buffer.concat(received))
    decoder.final()
  })

  it('corrupt or truncated input and the output limit destroy the stream with a SquishError', async () => {
    const frame = zstd.compressSync(sample(200_000), { checksum: true })
    const corrupt = Buffer.from(frame)
    corrupt[frame.length - 2]! ^= 0xff
    expect((await failure(through([corrupt], zstd.createDecompressStream()))).code).toBe('ERR_SQUISH_CHECKSUM')
    expect((await failure(through(split(frame, [frame.length - 1]).slice(0, 1), zstd.createDecompressStream()))).code).toBe('ERR_SQUISH_TRUNCATED')
    expect((await failure(through([frame], zstd.createDecompressStream({ maxOutputSize: 100_000 })))).code).toBe('ERR_SQUISH_OUTPUT_LIMIT')
    expect((await failure(through([Buffer.from('not zstd')], zstd.createDecompressStream()))).code).toBe('ERR_SQUISH_CORRUPT')
  })

  it('destroying a stream mid-way leaves no unhandled rejection', async () => {
    const stream = zstd.createCompressStream()
    stream.write(sample(1 << 20))
    stream.destroy()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(stream.destroyed).toBe(true)
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
      zstd.createCompressStream({ level: 3 }),
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
