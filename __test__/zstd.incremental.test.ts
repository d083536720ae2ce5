import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { zstd } from '../index'
import { noise, run, sample, split, thrown } from './helpers'

const KiB = 1024

const dataArb = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }).map((u) => Buffer.from(u)),
  fc.tuple(fc.integer({ min: 0, max: 300 * KiB }), fc.integer({ min: 1, max: 1000 })).map(([n, seed]) => sample(n, seed)),
  fc.tuple(fc.integer({ min: 0, max: 100 * KiB }), fc.integer({ min: 1, max: 1000 })).map(([n, seed]) => noise(n, seed)),
)
const cutsArb = fc.array(fc.nat({ max: 1_000_000 }), { maxLength: 12 })

describe('zstd encoders', () => {
  it('chunks at random boundaries, with random block flushes, decode to the input', () => {
    fc.assert(
      fc.property(dataArb, cutsArb, fc.array(fc.boolean(), { maxLength: 13 }), fc.integer({ min: 1, max: 19 }), (data, cuts, flushes, level) => {
        const encoder = new zstd.Compressor({ level }).createEncoder()
        const out: Buffer[] = []
        split(data, cuts).forEach((part, i) => {
          out.push(encoder.update(part))
          if (flushes[i]) out.push(encoder.flush('block'))
        })
        out.push(encoder.final())
        expect(zstd.decompressSync(Buffer.concat(out)).equals(data)).toBe(true)
      }),
      { numRuns: 60 },
    )
  })

  it('a block flush makes everything given so far decodable at once', () => {
    const encoder = new zstd.Compressor().createEncoder()
    const decoder = new zstd.Decompressor().createDecoder()
    for (const part of ['first part, ', 'second part, ', 'third']) {
      const flushed = Buffer.concat([encoder.update(part), encoder.flush('block')])
      expect(decoder.update(flushed).toString()).toBe(part)
    }
    expect(decoder.update(encoder.final()).length).toBe(0)
    decoder.final()
  })

  it('frame flushes end frames; zstd -d reads them all', () => {
    const encoder = new zstd.Compressor({ checksum: true }).createEncoder({ pledgedSize: 5 })
    const out = Buffer.concat([encoder.update('one, '), encoder.flush('frame'), encoder.update('two'), encoder.flush('frame'), encoder.update('!'), encoder.final()])
    expect(zstd.getFrameParameters(out).contentSize).toBe(5)
    expect(zstd.decompressSync(out).toString()).toBe('one, two!')
    expect(run('zstd', ['-d', '-c'], out).toString()).toBe('one, two!')
    expect(zstd.decompressSync(new zstd.Compressor().createEncoder().final()).length).toBe(0)
    // final() after a frame flush ends the encoder without an extra empty frame.
    const once = new zstd.Compressor().createEncoder()
    const single = Buffer.concat([once.update('x'), once.flush('frame'), once.final()])
    expect(zstd.decompressSync(single, { readAcrossFrames: false }).toString()).toBe('x')
  })

  it('a wrong pledgedSize is a typed error, not a wrong frame', () => {
    const compressor = new zstd.Compressor()
    const short = compressor.createEncoder({ pledgedSize: 10 })
    short.update('12345')
    thrown(() => short.final(), 'ERR_SQUISH_INVALID_ARG')
    const long = compressor.createEncoder({ pledgedSize: 3 })
    thrown(() => {
      long.update('123456')
      long.final()
    }, 'ERR_SQUISH_INVALID_ARG')
    thrown(() => compressor.createEncoder({ pledgedSize: -1 }), 'ERR_SQUISH_INVALID_ARG')
  })

  it('use after final() is ERR_SQUISH_CLOSED', () => {
    const encoder = new zstd.Compressor().createEncoder()
    encoder.final()
    thrown(() => encoder.update('x'), 'ERR_SQUISH_CLOSED')
    thrown(() => encoder.flush(), 'ERR_SQUISH_CLOSED')
    thrown(() => encoder.final(), 'ERR_SQUISH_CLOSED')
    thrown(() => encoder.flush('sideways' as never), 'ERR_SQUISH_INVALID_ARG')
  })

  it('chunkers emit chunks of exactly chunkSize bytes but the last', () => {
    fc.assert(
      fc.property(dataArb, cutsArb, fc.integer({ min: 1, max: 5000 }), (data, cuts, chunkSize) => {
        const chunker = new zstd.Compressor().createChunker({ chunkSize })
        const chunks = [...split(data, cuts).flatMap((part) => chunker.update(part)), ...chunker.final()]
        chunks.slice(0, -1).forEach((c) => expect(c.length).toBe(chunkSize))
        expect(chunks.at(-1)!.length).toBeGreaterThan(0)
        expect(chunks.at(-1)!.length).toBeLessThanOrEqual(chunkSize)
        expect(zstd.decompressSync(Buffer.concat(chunks)).equals(data)).toBe(true)
      }),
      { numRuns: 40 },
    )
  })
})

describe('zstd decoders', () => {
  it('frames fed at random boundaries decode as the one-shot call does', () => {
    fc.assert(
      fc.property(fc.array(dataArb, { minLength: 1, maxLength: 3 }), cutsArb, (inputs, cuts) => {
        const frames = Buffer.concat(inputs.map((d, i) => zstd.compressSync(d, { contentSize: i % 2 === 0 })))
        const decoder = new zstd.Decompressor().createDecoder()
        const out = split(frames, cuts).map((part) => decoder.update(part))
        decoder.final()
        expect(Buffer.concat(out).equals(Buffer.concat(inputs))).toBe(true)
      }),
      { numRuns: 50 },
    )
  })

  it('readAcrossFrames: false stops at the end of the first frame, with the rest in unusedData', () => {
    const first = zstd.compressSync('first')
    const rest = Buffer.concat([zstd.compressSync('second'), Buffer.from('trailing')])
    const decoder = new zstd.Decompressor().createDecoder({ readAcrossFrames: false })
    expect(decoder.eof).toBe(false)
    expect(decoder.unusedData.length).toBe(0)
    expect(decoder.update(Buffer.concat([first, rest])).toString()).toBe('first')
    expect(decoder.eof).toBe(true)
    expect(decoder.unusedData.equals(rest)).toBe(true)
    thrown(() => decoder.update('more'), 'ERR_SQUISH_CLOSED')
  })

  it('a truncated end, corrupt data and the output limit are typed errors', () => {
    const frame = zstd.compressSync(sample(100 * KiB), { checksum: true })
    const cut = new zstd.Decompressor().createDecoder()
    cut.update(frame.subarray(0, frame.length - 1))
    thrown(() => cut.final(), 'ERR_SQUISH_TRUNCATED')

    const corrupt = Buffer.from(frame)
    corrupt[frame.length - 2]! ^= 0xff
    const bad = new zstd.Decompressor().createDecoder()
    thrown(() => bad.update(corrupt), 'ERR_SQUISH_CHECKSUM')
    thrown(() => bad.update(frame), 'ERR_SQUISH_INVALID_STATE')

    const limited = new zstd.Decompressor().createDecoder({ maxOutputSize: 100 * KiB - 1 })
    thrown(() => limited.update(frame), 'ERR_SQUISH_OUTPUT_LIMIT')
    thrown(() => new zstd.Decompressor().createDecoder().update(Buffer.from('not zstd at all')), 'ERR_SQUISH_CORRUPT')
  })

  it('decoders use their decompressor\'s dictionary', () => {
    const dictionary = new zstd.Dictionary(sample(8 * KiB, 3), { type: 'raw' })
    const frame = new zstd.Compressor({ dictionary }).compressSync(sample(4 * KiB, 3))
    const decoder = new zstd.Decompressor({ dictionary }).createDecoder()
    expect(decoder.update(frame).equals(sample(4 * KiB, 3))).toBe(true)
  })
})
