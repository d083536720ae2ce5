import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { lz4, SquishError, zstd } from '../index'
import { rejected, sample, thrown, withTempDir, xxh32 } from './helpers'
import { answer, api, chunks, CHUNKINGS, type Codec, collect, type Options, paths } from './paths'

/** Checks that every path, in every chunking, answers `expected` for `input`. */
async function everyPath(codec: Codec, input: Buffer, expected: string, options: Options = {}): Promise<void> {
  const answers: Record<string, string> = {}
  const wanted: Record<string, string> = {}
  for (const size of CHUNKINGS) {
    for (const [name, decode] of Object.entries(paths(codec, options, size))) {
      const label = `${name}, chunks of ${size === 0 ? 'all' : size}`
      answers[label] = await answer(() => decode(input))
      wanted[label] = expected
    }
  }
  expect(answers).toEqual(wanted)
}

const ok = (data: Buffer | string) => `ok ${Buffer.from(data).toString('hex')}`

describe('every decoding path gives one answer per input', () => {
  it('valid multi-frame input decodes the same everywhere', async () => {
    const data = sample(3000, 5)
    for (const codec of ['zstd', 'lz4'] as const) {
      const c = api[codec] as typeof zstd
      const input = Buffer.concat([c.compressSync(data.subarray(0, 1000)), c.compressSync(data.subarray(1000))])
      await everyPath(codec, input, ok(data))
    }
  })

  it('bytes after the last frame that cannot start one are ERR_SQUISH_CORRUPT, however few', async () => {
    for (const codec of ['zstd', 'lz4'] as const) {
      const frame = (api[codec] as typeof zstd).compressSync('data')
      for (const extra of ['01', '010203', '00000000ff']) {
        await everyPath(codec, Buffer.concat([frame, Buffer.from(extra, 'hex')]), 'ERR_SQUISH_CORRUPT')
      }
    }
  })

  it('a zstd frame that decodes to another size than its header records is ERR_SQUISH_CORRUPT', async () => {
    // Claims 128 bytes of content; one empty last block, and the checksum of no content.
    const lying = Buffer.from('28b52ffd248001000099e9d851', 'hex')
    await everyPath('zstd', lying, 'ERR_SQUISH_CORRUPT')
    // The same with a raw block of 3 bytes, then the empty last block: too short.
    const short = Buffer.from('28b52ffd2080' + '180000616263' + '010000', 'hex')
    await everyPath('zstd', short, 'ERR_SQUISH_CORRUPT')
  })

  it('an LZ4 frame that names a dictionary is ERR_SQUISH_DICTIONARY, incremental paths included', async () => {
    const data = sample(1000, 6)
    const plain = lz4.compressSync(data, { storeSize: false })
    // The dictID flag set, dictionary id 0x01020304 after the BD byte, the header checksum redone.
    const header = Buffer.concat([Buffer.from([plain[4]! | 1, plain[5]!]), Buffer.from('04030201', 'hex')])
    const named = Buffer.concat([plain.subarray(0, 4), header, Buffer.from([(xxh32(header) >>> 8) & 0xff]), plain.subarray(7)])
    expect(lz4.getFrameInfo(named).blockSize).toBe(64 * 1024)
    await everyPath('lz4', named, 'ERR_SQUISH_DICTIONARY')

    for (const size of CHUNKINGS) {
      const context = lz4.createDecompressionContext()
      const decompressor = new lz4.FrameDecompressor()
      const code = (fn: () => unknown) => {
        try {
          fn()
          return 'no error'
        } catch (error) {
          return (error as SquishError).code
        }
      }
      const viaChunks = chunks(named, size).map((chunk) => code(() => lz4.decompressChunk(context, chunk)))
      const viaDecompressor = chunks(named, size).map((chunk) => code(() => decompressor.decompress(chunk)))
      for (const seen of [viaChunks, viaDecompressor]) {
        const first = seen.findIndex((c) => c !== 'no error')
        expect(seen[first], `chunks of ${size}`).toBe('ERR_SQUISH_DICTIONARY')
        // Nothing was decoded: the header is refused as soon as its flags are all there.
        expect(first, `chunks of ${size}`).toBe(size === 0 ? 0 : Math.floor(10 / size))
      }
    }
  })

  it('empty input is ERR_SQUISH_TRUNCATED everywhere', async () => {
    await everyPath('zstd', Buffer.alloc(0), 'ERR_SQUISH_TRUNCATED')
    await everyPath('lz4', Buffer.alloc(0), 'ERR_SQUISH_TRUNCATED')
    // Empty chunks are no input either.
    const decoder = new zstd.Decompressor().createDecoder()
    expect(decoder.update(Buffer.alloc(0)).length).toBe(0)
    thrown(() => decoder.final(), 'ERR_SQUISH_TRUNCATED')
    await rejected(collect(zstd.decompressIter([Buffer.alloc(0), '', new Uint8Array(0)])), 'ERR_SQUISH_TRUNCATED')
    await rejected(collect(lz4.decompressIter([Buffer.alloc(0)])), 'ERR_SQUISH_TRUNCATED')
  })

  it('a zstd frame is held to maxWindowSize by the window memory it needs: min(window, content size)', async () => {
    // Records its content size (3 bytes, raw block "abc") and a 256 MiB window: it needs 3 bytes.
    const small = Buffer.from('28b52ffd' + '80' + '90' + '03000000' + '190000616263', 'hex')
    expect(zstd.getFrameParameters(small).windowSize).toBe(256 * 1024 * 1024)
    await everyPath('zstd', small, ok('abc'))
    // Of unknown size with a 2 GiB window: it needs the window.
    const wide = Buffer.from('28b52ffd00' + 'a8' + '010000', 'hex')
    await everyPath('zstd', wide, 'ERR_SQUISH_WINDOW_TOO_LARGE')
    await everyPath('zstd', wide, ok(''), { maxWindowSize: 2 ** 31 })
    // One segment of 200 MiB (so a window of that size), as zstd --long writes a large file: it
    // needs 200 MiB. The one-shot decoders, which decode it straight into its output, are
    // outside this rule so far.
    const large = Buffer.concat([Buffer.from('28b52ffd' + 'e0', 'hex'), Buffer.from(new BigUint64Array([200n << 20n]).buffer), Buffer.from('190000616263', 'hex')])
    expect(zstd.getFrameParameters(large).windowSize).toBe(200 * 1024 * 1024)
    await everyPath('zstd', large, 'ERR_SQUISH_WINDOW_TOO_LARGE')
  })
})

describe('misuse is a typed SquishError', () => {
  it('an invalid highWaterMark or signal is ERR_SQUISH_INVALID_ARG', () => {
    for (const make of [zstd.createDecompressStream, zstd.createCompressStream, lz4.createDecompressStream, lz4.createCompressStream]) {
      for (const highWaterMark of [-1, 1.5, 'big', NaN, Infinity]) {
        thrown(() => make({ highWaterMark } as never), 'ERR_SQUISH_INVALID_ARG')
      }
      thrown(() => make({ signal: 'stop' } as never), 'ERR_SQUISH_INVALID_ARG')
      expect(make({ highWaterMark: 0 }).readableHighWaterMark).toBe(0)
    }
  })

  it('decompressIter and compressIter of something that is not iterable are ERR_SQUISH_INVALID_ARG', () => {
    for (const iter of [zstd.decompressIter, zstd.compressIter, lz4.decompressIter, lz4.compressIter]) {
      for (const source of [42, null, undefined, {}]) {
        const error = thrown(() => iter(source as never), 'ERR_SQUISH_INVALID_ARG')
        expect(error.message).toMatch(/iterable/)
      }
    }
  })

  it('a zstd Decoder that failed keeps failing, final() included, with ERR_SQUISH_INVALID_STATE', () => {
    const decoder = new zstd.Decompressor().createDecoder()
    thrown(() => decoder.update(Buffer.from('not zstd data at all')), 'ERR_SQUISH_CORRUPT')
    thrown(() => decoder.final(), 'ERR_SQUISH_INVALID_STATE')
    thrown(() => decoder.final(), 'ERR_SQUISH_INVALID_STATE')
    thrown(() => decoder.update(zstd.compressSync('fine')), 'ERR_SQUISH_INVALID_STATE')
    // Over the output limit, too.
    const limited = new zstd.Decompressor().createDecoder({ maxOutputSize: 10 })
    thrown(() => limited.update(zstd.compressSync(sample(100))), 'ERR_SQUISH_OUTPUT_LIMIT')
    thrown(() => limited.final(), 'ERR_SQUISH_INVALID_STATE')
  })

  it('FrameFile.seek before the start is ERR_SQUISH_INVALID_ARG and moves nothing', () =>
    withTempDir(async (dir) => {
      const data = sample(10_000, 4)
      for (const codec of ['zstd', 'lz4'] as const) {
        const path = join(dir, `f.${codec}`)
        const c = api[codec] as typeof zstd
        writeFileSync(path, c.compressSync(data))
        const file = await c.open(path, 'r')
        expect(await file.seek(100)).toBe(100)
        await rejected(file.seek(-10, 0), 'ERR_SQUISH_INVALID_ARG')
        await rejected(file.seek(-101, 1), 'ERR_SQUISH_INVALID_ARG')
        expect(file.tell()).toBe(100)
        // From the end, known only once the file is decoded: the position is then at the end.
        await rejected(file.seek(-10_001, 2), 'ERR_SQUISH_INVALID_ARG')
        expect(file.tell()).toBe(data.length)
        // The file still works.
        expect(await file.seek(-10, 2)).toBe(data.length - 10)
        expect((await file.read()).equals(data.subarray(-10))).toBe(true)
        expect(await file.seek(20_000)).toBe(data.length)
        await file.close()
      }
    }))
})
