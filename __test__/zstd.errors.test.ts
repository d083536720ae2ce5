import { describe, expect, it } from 'vitest'

import { SquishError, zstd, type SquishErrorCode } from '../index'
import { rejected, sample, thrown } from './helpers'

const data = sample(100_000)
const frame = zstd.compressSync(data, { checksum: true })

/** Both twins fail on `input` with `code`; returns the sync error. */
async function bothFail(input: zstd.Input, code: SquishErrorCode, options?: zstd.DecompressOptions) {
  const error = thrown(() => zstd.decompressSync(input, options), code)
  await rejected(zstd.decompress(input, options), code)
  return error
}

function flipped(bytes: Buffer, index: number): Buffer {
  const copy = Buffer.from(bytes)
  copy[index]! ^= 0x40
  return copy
}

describe('zstd errors', () => {
  it('SquishError is an Error with a stable code', () => {
    const error = thrown(() => zstd.decompressSync('not zstd'), 'ERR_SQUISH_CORRUPT')
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('SquishError')
    expect(String(error)).toMatch(/^SquishError: input is not zstd data/)
    expect(error.stack).toContain('zstd.errors.test.ts')
  })

  it('empty input is truncated', async () => {
    const error = await bothFail(Buffer.alloc(0), 'ERR_SQUISH_TRUNCATED')
    expect(error.message).toContain('empty')
  })

  it('garbage is corrupt and the message shows its first bytes', async () => {
    const error = await bothFail(Buffer.from('GIF89a....'), 'ERR_SQUISH_CORRUPT')
    expect(error.message).toContain('0x47494638')
  })

  it('truncation at any point is truncated', async () => {
    for (const cut of [1, 3, 4, 5, 8, 12, 100, frame.length >> 1, frame.length - 4, frame.length - 1]) {
      await bothFail(frame.subarray(0, cut), 'ERR_SQUISH_TRUNCATED')
    }
  })

  it('a truncated second frame is truncated', async () => {
    const two = Buffer.concat([frame, frame.subarray(0, 30)])
    await bothFail(two, 'ERR_SQUISH_TRUNCATED')
  })

  it('a wrong checksum is a checksum error', async () => {
    await bothFail(flipped(frame, frame.length - 2), 'ERR_SQUISH_CHECKSUM')
  })

  it('corrupt block data never passes silently', async () => {
    for (let i = 20; i < frame.length - 4; i += Math.ceil(frame.length / 40)) {
      const bad = flipped(frame, i)
      let out: Buffer | undefined
      try {
        out = zstd.decompressSync(bad)
      } catch (error) {
        expect(error).toBeInstanceOf(SquishError)
        expect(['ERR_SQUISH_CORRUPT', 'ERR_SQUISH_CHECKSUM', 'ERR_SQUISH_TRUNCATED']).toContain(
          (error as SquishError).code,
        )
        continue
      }
      // The frame carries a checksum, so any output that comes back must be the original.
      expect(out.equals(data)).toBe(true)
    }
  })

  it('trailing garbage is corrupt unless allowExtraData', async () => {
    const input = Buffer.concat([frame, Buffer.from('!!garbage!!')])
    const error = await bothFail(input, 'ERR_SQUISH_CORRUPT')
    expect(error.message).toContain('allowExtraData')
    expect(zstd.decompressSync(input, { allowExtraData: true }).equals(data)).toBe(true)
  })

  it('a second frame with readAcrossFrames: false is extra data', async () => {
    const error = await bothFail(Buffer.concat([frame, frame]), 'ERR_SQUISH_CORRUPT', { readAcrossFrames: false })
    expect(error.message).toContain('readAcrossFrames')
  })

  it('a frame that claims 1 TiB fails fast with ERR_SQUISH_OUTPUT_LIMIT and allocates nothing large', async () => {
    // Single-segment header with an 8-byte content size of 2^40, then one empty raw block.
    const bomb = Buffer.concat([
      Buffer.from('28b52ffde0', 'hex'),
      Buffer.from((2n ** 40n).toString(16).padStart(16, '0'), 'hex').reverse(),
      Buffer.from('010000', 'hex'),
    ])
    const before = process.memoryUsage()
    for (let i = 0; i < 1000; i++) thrown(() => zstd.decompressSync(bomb), 'ERR_SQUISH_OUTPUT_LIMIT')
    const error = await bothFail(bomb, 'ERR_SQUISH_OUTPUT_LIMIT', { maxOutputSize: Infinity })
    expect(error.message).toContain('1099511627776 bytes')
    const after = process.memoryUsage()
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(16 << 20)
    expect(after.rss - before.rss).toBeLessThan(64 << 20)
    // The header alone (no blocks) fails the same way.
    await bothFail(bomb.subarray(0, 13), 'ERR_SQUISH_OUTPUT_LIMIT')
  })

  it('maxOutputSize bounds output of known and unknown size', async () => {
    const sized = zstd.compressSync(data)
    const error = await bothFail(sized, 'ERR_SQUISH_OUTPUT_LIMIT', { maxOutputSize: data.length - 1 })
    expect(error.message).toContain('maxOutputSize')
    const unsized = zstd.compressSync(data, { contentSize: false })
    await bothFail(unsized, 'ERR_SQUISH_OUTPUT_LIMIT', { maxOutputSize: data.length - 1 })
    await bothFail(unsized, 'ERR_SQUISH_OUTPUT_LIMIT', { maxOutputSize: 0 })
    expect(zstd.decompressSync(unsized, { maxOutputSize: data.length }).equals(data)).toBe(true)
    // The limit covers the sum of concatenated frames.
    await bothFail(Buffer.concat([sized, unsized]), 'ERR_SQUISH_OUTPUT_LIMIT', {
      maxOutputSize: data.length * 2 - 1,
    })
  })

  it('a frame that needs a dictionary names its id', async () => {
    // Header with dictionary id 0x01020304 (4-byte dictId field), content size 1, one raw block "x".
    const needsDict = Buffer.from('28b52ffd' + '23' + '04030201' + '01' + '090000' + '78', 'hex')
    const error = await bothFail(needsDict, 'ERR_SQUISH_DICTIONARY')
    expect(error.message).toContain(String(0x01020304))
  })

  it('a window over the limit is refused before allocating it', async () => {
    // A frame of unknown size whose window descriptor asks for 2 GiB (window log 31).
    const wide = Buffer.from('28b52ffd00' + 'a8' + '010000', 'hex')
    const error = await bothFail(wide, 'ERR_SQUISH_WINDOW_TOO_LARGE')
    expect(error.message).toContain('2147483648 bytes')
  })

  it('invalid inputs and options are ERR_SQUISH_INVALID_ARG, sync and async', async () => {
    const cases: Array<[() => unknown, () => Promise<unknown>, RegExp]> = [
      [() => zstd.compressSync(42 as never), () => zstd.compress(42 as never), /data must be/],
      [() => zstd.compressSync(null as never), () => zstd.compress(null as never), /received null/],
      [() => zstd.decompressSync({} as never), () => zstd.decompress({} as never), /instance of Object/],
      [() => zstd.compressSync('x', { level: 23 }), () => zstd.compress('x', { level: 23 }), /level.*-131072 to 22/],
      [() => zstd.compressSync('x', { level: 2.5 }), () => zstd.compress('x', { level: 2.5 }), /options\.level/],
      [() => zstd.compressSync('x', { level: '3' as never }), () => zstd.compress('x', { level: '3' as never }), /level/],
      [() => zstd.compressSync('x', { checksum: 1 as never }), () => zstd.compress('x', { checksum: 1 as never }), /options\.checksum must be a boolean/],
      [() => zstd.compressSync('x', 'fast' as never), () => zstd.compress('x', 'fast' as never), /options must be an object/],
      [() => zstd.decompressSync(frame, { maxOutputSize: -1 }), () => zstd.decompress(frame, { maxOutputSize: -1 }), /maxOutputSize/],
      [() => zstd.decompressSync(frame, { maxOutputSize: NaN }), () => zstd.decompress(frame, { maxOutputSize: NaN }), /maxOutputSize/],
      [() => zstd.decompressSync(frame, { allowExtraData: 'yes' as never }), () => zstd.decompress(frame, { allowExtraData: 'yes' as never }), /allowExtraData/],
    ]
    for (const [sync, async, message] of cases) {
      expect(thrown(sync, 'ERR_SQUISH_INVALID_ARG').message).toMatch(message)
      expect((await rejected(async(), 'ERR_SQUISH_INVALID_ARG')).message).toMatch(message)
    }
  })
})
