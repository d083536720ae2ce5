import { describe, expect, it } from 'vitest'

import { lz4, SquishError, type SquishErrorCode } from '../index'
import { noise, rejected, run, sample, thrown, xxh32 } from './helpers'


/** The header length a frame's FLG byte implies (magic, FLG, BD, content size, dict id, HC). */
function headerLength(flg: number): number {
  return 4 + 2 + (flg & 0x08 ? 8 : 0) + (flg & 0x01 ? 4 : 0) + 1
}

/** Whether liblz4 would accept the frame header at the start of `frame`. */
function headerValid(frame: Buffer): boolean {
  if (frame.readUInt32LE(0) !== 0x184d2204) return false
  const flg = frame[4]!
  const bd = frame[5]!
  if (flg >> 6 !== 1 || flg & 0x02) return false
  if (bd & 0x8f) return false
  if (((bd >> 4) & 7) < 4) return false
  const length = headerLength(flg)
  if (frame.length < length) return false
  return frame[length - 1] === ((xxh32(frame.subarray(4, length - 1)) >>> 8) & 0xff)
}

/** `frame` (which stores its content size) with the content size replaced and the HC byte fixed. */
function withContentSize(frame: Buffer, size: bigint): Buffer {
  expect(frame[4]! & 0x08).toBe(0x08)
  const copy = Buffer.from(frame)
  copy.writeBigUInt64LE(size, 6)
  copy[14] = (xxh32(copy.subarray(4, 14)) >>> 8) & 0xff
  expect(headerValid(copy)).toBe(true)
  return copy
}

// ---------------------------------------------------------------------------------------------

const data = sample(5000, 3)
/** With content and block checksums, and the content size. */
const checked = lz4.compressSync(data, { contentChecksum: true, blockChecksum: true })
/** No checksums, no content size. */
const plain = lz4.compressSync(data, { storeSize: false })
/** Several linked 64 KiB blocks, content checksum only. */
const bigData = Buffer.concat([sample(100_000, 4), noise(40_000, 5), sample(60_000, 6)])
const multi = lz4.compressSync(bigData, { blockSize: lz4.BLOCKSIZE_MAX64KB, blockLinked: true, contentChecksum: true })

/** Both twins fail on `input` with `code`; returns the sync error. */
async function bothFail(input: lz4.Input, code: SquishErrorCode, options?: lz4.DecompressOptions) {
  const error = thrown(() => lz4.decompressSync(input, options), code)
  await rejected(lz4.decompress(input, options), code)
  return error
}

/** The SquishError `fn` throws, whatever its code (it must throw one). */
function squishError(fn: () => unknown): SquishError {
  try {
    fn()
  } catch (error) {
    if (!(error instanceof SquishError)) throw new Error(`expected a SquishError, got ${String(error)}`)
    return error
  }
  throw new Error('expected a SquishError, but nothing was thrown')
}

function flippedBit(bytes: Buffer, index: number, bit: number): Buffer {
  const copy = Buffer.from(bytes)
  copy[index]! ^= 1 << bit
  return copy
}

interface Layout {
  header: number
  blocks: Array<{ sizeField: number; data: number; end: number; checksum: number | null }>
  endMark: number
  contentChecksum: number | null
}

function layout(frame: Buffer): Layout {
  const flg = frame[4]!
  const header = headerLength(flg)
  const blocks: Layout['blocks'] = []
  let pos = header
  for (;;) {
    const word = frame.readUInt32LE(pos)
    if (word === 0) break
    const start = pos + 4
    const end = start + (word & 0x7fffffff)
    blocks.push({ sizeField: pos, data: start, end, checksum: flg & 0x10 ? end : null })
    pos = end + (flg & 0x10 ? 4 : 0)
  }
  return { header, blocks, endMark: pos, contentChecksum: flg & 0x04 ? pos + 4 : null }
}

describe('lz4 frame errors', () => {
  it('SquishError is an Error with a stable code and name', () => {
    const error = thrown(() => lz4.decompressSync('not lz4 at all'), 'ERR_SQUISH_CORRUPT')
    expect(error).toBeInstanceOf(Error)
    expect(error).toBeInstanceOf(SquishError)
    expect(error.name).toBe('SquishError')
    expect(error.stack).toContain('lz4.errors.test.ts')
  })

  it('empty input is truncated', async () => {
    await bothFail(Buffer.alloc(0), 'ERR_SQUISH_TRUNCATED')
    await bothFail('', 'ERR_SQUISH_TRUNCATED')
  })

  for (const [name, frame] of [
    ['with content and block checksums', checked],
    ['without checksums or size', plain],
  ] as const) {
    it(`a frame ${name} truncated at every byte is truncated (sync)`, () => {
      for (let cut = 0; cut < frame.length; cut++) {
        const error = squishError(() => lz4.decompressSync(frame.subarray(0, cut)))
        expect(error.code, `cut at ${cut} of ${frame.length}`).toBe('ERR_SQUISH_TRUNCATED')
      }
      expect(lz4.decompressSync(frame).equals(data)).toBe(true)
    })

    it(`a frame ${name} truncated: a sample of cuts, async`, async () => {
      for (let cut = 0; cut < frame.length; cut += cut < 20 ? 1 : 97) {
        await rejected(lz4.decompress(frame.subarray(0, cut)), 'ERR_SQUISH_TRUNCATED')
      }
      await rejected(lz4.decompress(frame.subarray(0, frame.length - 1)), 'ERR_SQUISH_TRUNCATED')
    })
  }

  it('a multi-block linked frame truncated anywhere is truncated', async () => {
    const cuts = new Set<number>()
    for (let cut = 0; cut < multi.length; cut += 41) cuts.add(cut)
    for (const block of layout(multi).blocks) for (const at of [block.sizeField, block.sizeField + 2, block.data, block.end - 1, block.end]) cuts.add(at)
    for (let cut = multi.length - 10; cut < multi.length; cut++) cuts.add(cut)
    for (const cut of cuts) {
      expect(squishError(() => lz4.decompressSync(multi.subarray(0, cut))).code, `cut at ${cut}`).toBe('ERR_SQUISH_TRUNCATED')
    }
    await rejected(lz4.decompress(multi.subarray(0, multi.length >> 1)), 'ERR_SQUISH_TRUNCATED')
  })

  it('a truncated second frame, or a truncated skippable frame, is truncated', async () => {
    await bothFail(Buffer.concat([checked, checked.subarray(0, 30)]), 'ERR_SQUISH_TRUNCATED')
    await bothFail(Buffer.concat([checked, plain.subarray(0, 5)]), 'ERR_SQUISH_TRUNCATED')
    const skippable = Buffer.from('502a4d18ffffffff0102', 'hex')
    await bothFail(skippable, 'ERR_SQUISH_TRUNCATED')
    await bothFail(Buffer.concat([checked, skippable]), 'ERR_SQUISH_TRUNCATED')
  })

  it('a wrong magic number is corrupt', async () => {
    for (let i = 0; i < 4; i++) {
      for (let bit = 0; bit < 8; bit++) await bothFail(flippedBit(checked, i, bit), 'ERR_SQUISH_CORRUPT')
    }
    await bothFail(Buffer.from('GIF89a.........'), 'ERR_SQUISH_CORRUPT')
    // The zstd magic is not lz4 either.
    await bothFail(Buffer.from('28b52ffd2000010000', 'hex'), 'ERR_SQUISH_CORRUPT')
  })

  it('every flipped bit in the frame descriptor (FLG, BD, content size) or the header checksum is corrupt', async () => {
    let tested = 0
    for (const frame of [checked, plain, multi]) {
      const length = headerLength(frame[4]!)
      for (let i = 4; i < length; i++) {
        for (let bit = 0; bit < 8; bit++) {
          const bad = flippedBit(frame, i, bit)
          // Skip the rare flip that still leaves a valid header (a moved HC byte that happens to match).
          if (headerValid(bad)) continue
          const error = squishError(() => lz4.decompressSync(bad))
          expect(error.code, `byte ${i} bit ${bit} of a ${frame.length}-byte frame`).toBe('ERR_SQUISH_CORRUPT')
          tested++
        }
      }
      // Async for the header checksum byte and the FLG byte.
      await rejected(lz4.decompress(flippedBit(frame, length - 1, 3)), 'ERR_SQUISH_CORRUPT')
      await rejected(lz4.decompress(flippedBit(frame, 4, 5)), 'ERR_SQUISH_CORRUPT')
    }
    expect(tested).toBeGreaterThanOrEqual(190)
  })

  it('a flipped high bit of a stored content size is caught by the header checksum, not taken as a size', async () => {
    // Byte 13 is the top byte of the 8-byte content size: flipping bit 7 claims 2^63 + 5000 bytes.
    const bad = flippedBit(checked, 13, 7)
    expect(headerValid(bad)).toBe(false)
    await bothFail(bad, 'ERR_SQUISH_CORRUPT')
    await bothFail(bad, 'ERR_SQUISH_CORRUPT', { maxOutputSize: Infinity })
  })

  it('flipped bits in block data are a checksum or corrupt error, never wrong output (block checksums on)', async () => {
    const { blocks } = layout(checked)
    for (const block of blocks) {
      for (let i = block.data; i < block.end; i += 13) {
        const bad = flippedBit(checked, i, i % 8)
        const error = squishError(() => lz4.decompressSync(bad))
        expect(['ERR_SQUISH_CHECKSUM', 'ERR_SQUISH_CORRUPT'], `byte ${i}`).toContain(error.code)
      }
      await rejected(lz4.decompress(flippedBit(checked, block.data + 1, 0)), 'ERR_SQUISH_CHECKSUM')
    }
  })

  it('flipped bits anywhere after the header never give wrong output when a checksum is on', async () => {
    const allowed: SquishErrorCode[] = ['ERR_SQUISH_CHECKSUM', 'ERR_SQUISH_CORRUPT', 'ERR_SQUISH_TRUNCATED']
    for (const [frame, expected] of [
      [checked, data],
      [multi, bigData],
    ] as const) {
      const start = headerLength(frame[4]!)
      const step = frame.length > 10_000 ? 211 : 1
      for (let i = start; i < frame.length; i += step) {
        const bad = flippedBit(frame, i, (i * 5) % 8)
        let out: Buffer
        try {
          out = lz4.decompressSync(bad)
        } catch (error) {
          expect(error, `byte ${i}`).toBeInstanceOf(SquishError)
          expect(allowed, `byte ${i}: ${(error as Error).message}`).toContain((error as SquishError).code)
          continue
        }
        expect(out.equals(expected), `byte ${i} decoded to wrong output`).toBe(true)
      }
    }
    // Without checksums corruption may go unnoticed, but errors are still typed.
    const start = headerLength(plain[4]!)
    for (let i = start; i < plain.length; i += 3) {
      try {
        lz4.decompressSync(flippedBit(plain, i, 6))
      } catch (error) {
        expect(error).toBeInstanceOf(SquishError)
        expect(allowed).toContain((error as SquishError).code)
      }
    }
  })

  it('a flipped bit in a block checksum is a checksum error', async () => {
    for (const block of layout(checked).blocks) {
      for (let k = 0; k < 4; k++) {
        for (const bit of [0, 7]) await bothFail(flippedBit(checked, block.checksum! + k, bit), 'ERR_SQUISH_CHECKSUM')
      }
    }
  })

  it('a flipped bit in the content checksum is a checksum error', async () => {
    for (const frame of [checked, multi]) {
      const at = layout(frame).contentChecksum!
      expect(at + 4).toBe(frame.length)
      for (let k = 0; k < 4; k++) {
        for (let bit = 0; bit < 8; bit += 3) await bothFail(flippedBit(frame, at + k, bit), 'ERR_SQUISH_CHECKSUM')
      }
    }
    // The content checksum is also checked across frames, for every frame.
    const bad = flippedBit(multi, multi.length - 1, 1)
    await bothFail(Buffer.concat([checked, bad]), 'ERR_SQUISH_CHECKSUM')
  })

  it('a stored content size that does not match the blocks is corrupt', async () => {
    await bothFail(withContentSize(checked, BigInt(data.length + 1)), 'ERR_SQUISH_CORRUPT')
    await bothFail(withContentSize(checked, BigInt(data.length - 1)), 'ERR_SQUISH_CORRUPT')
    await bothFail(withContentSize(checked, 1n), 'ERR_SQUISH_CORRUPT')
  })

  it('a stored content size of 0 means "unknown" as in liblz4: one-shot decodes the frame as decompressChunk and lz4 -d do', async () => {
    // liblz4 never writes the content-size flag with 0 (0 is its "unknown"), but it, lz4 -d and
    // python-lz4 read such a frame by its blocks; getFrameInfo reports contentSize 0.
    const zero = withContentSize(lz4.compressSync(data), 0n)
    expect(lz4.getFrameInfo(zero).contentSize).toBe(0)
    expect(run('lz4', ['-d', '-c'], zero).equals(data)).toBe(true)
    const chunk = lz4.decompressChunk(lz4.createDecompressionContext(), zero)
    expect(chunk.data.equals(data)).toBe(true)
    expect(new lz4.FrameDecompressor().decompress(zero).equals(data)).toBe(true)
    expect(lz4.decompressSync(zero).equals(data)).toBe(true)
    expect((await lz4.decompress(zero)).equals(data)).toBe(true)
  })

  it('a header claiming 2^60 bytes fails fast with ERR_SQUISH_OUTPUT_LIMIT and allocates nothing large', async () => {
    const bomb = withContentSize(lz4.compressSync(sample(1000)), 2n ** 60n)
    const info = lz4.getFrameInfo(bomb)
    expect(info.contentSize).toBe(2n ** 60n)
    expect(lz4.getFrameInfo(withContentSize(lz4.compressSync(sample(1000)), 2n ** 53n - 1n)).contentSize).toBe(Number.MAX_SAFE_INTEGER)
    expect(lz4.getFrameInfo(withContentSize(lz4.compressSync(sample(1000)), 2n ** 53n)).contentSize).toBe(2n ** 53n)
    const before = process.memoryUsage()
    for (let i = 0; i < 1000; i++) thrown(() => lz4.decompressSync(bomb), 'ERR_SQUISH_OUTPUT_LIMIT')
    await bothFail(bomb, 'ERR_SQUISH_OUTPUT_LIMIT')
    await bothFail(bomb, 'ERR_SQUISH_OUTPUT_LIMIT', { maxOutputSize: Infinity })
    thrown(() => lz4.decompressSync(bomb, { returnBytesRead: true }), 'ERR_SQUISH_OUTPUT_LIMIT')
    await rejected(lz4.decompress(bomb, { returnBytesRead: true }), 'ERR_SQUISH_OUTPUT_LIMIT')
    const after = process.memoryUsage()
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(16 << 20)
    expect(after.rss - before.rss).toBeLessThan(64 << 20)
    // The header alone fails the same way, and so does the bomb as a second frame.
    await bothFail(bomb.subarray(0, 15), 'ERR_SQUISH_OUTPUT_LIMIT')
    await bothFail(Buffer.concat([checked, bomb]), 'ERR_SQUISH_OUTPUT_LIMIT')
  })

  it('a header claiming more than maxOutputSize is refused even if its blocks are small', async () => {
    const small = sample(1000)
    const claims = withContentSize(lz4.compressSync(small), 2000n)
    await bothFail(claims, 'ERR_SQUISH_OUTPUT_LIMIT', { maxOutputSize: 1500 })
  })

  it('maxOutputSize smaller than the content is ERR_SQUISH_OUTPUT_LIMIT, with or without a stored size', async () => {
    for (const frame of [checked, plain]) {
      await bothFail(frame, 'ERR_SQUISH_OUTPUT_LIMIT', { maxOutputSize: data.length - 1 })
      await bothFail(frame, 'ERR_SQUISH_OUTPUT_LIMIT', { maxOutputSize: 0 })
      await bothFail(frame, 'ERR_SQUISH_OUTPUT_LIMIT', { maxOutputSize: 100, returnBytesRead: true } as lz4.DecompressOptions)
    }
    await bothFail(multi, 'ERR_SQUISH_OUTPUT_LIMIT', { maxOutputSize: bigData.length - 1 })
    const error = thrown(() => lz4.decompressSync(plain, { maxOutputSize: 10 }), 'ERR_SQUISH_OUTPUT_LIMIT')
    expect(error.message).toMatch(/ 10 bytes left within the output limit and the output; maxOutputSize sets the limit$/)
    expect((await rejected(lz4.decompress(plain, { maxOutputSize: 10 }), 'ERR_SQUISH_OUTPUT_LIMIT')).message).toBe(error.message)
  })

  it('trailing garbage and a second frame with readAcrossFrames: false are corrupt', async () => {
    await bothFail(Buffer.concat([checked, Buffer.from('!garbage!')]), 'ERR_SQUISH_CORRUPT')
    await bothFail(Buffer.concat([checked, plain]), 'ERR_SQUISH_CORRUPT', { readAcrossFrames: false })
  })

  it('getFrameInfo fails with typed errors', () => {
    expect(squishError(() => lz4.getFrameInfo(Buffer.alloc(0))).code).toBe('ERR_SQUISH_TRUNCATED')
    expect(squishError(() => lz4.getFrameInfo(checked.subarray(0, 5))).code).toBe('ERR_SQUISH_TRUNCATED')
    expect(squishError(() => lz4.getFrameInfo(Buffer.from('GIF89a.........'))).code).toBe('ERR_SQUISH_CORRUPT')
    expect(squishError(() => lz4.getFrameInfo(flippedBit(checked, 14, 0))).code).toBe('ERR_SQUISH_CORRUPT')
  })
})

describe('lz4 block errors', () => {
  const block = lz4.compressBlockSync(data)
  const bare = lz4.compressBlockSync(data, { storeSize: false })

  async function blockFails(input: lz4.Input, codes: SquishErrorCode[], options?: lz4.DecompressBlockOptions) {
    const error = squishError(() => lz4.decompressBlockSync(input, options))
    expect(codes, error.message).toContain(error.code)
    let asyncError: unknown
    try {
      await lz4.decompressBlock(input, options)
    } catch (e) {
      asyncError = e
    }
    expect(asyncError).toBeInstanceOf(SquishError)
    expect(codes, (asyncError as Error).message).toContain((asyncError as SquishError).code)
    return error
  }

  function withPrefix(size: number, body: Buffer): Buffer {
    const prefix = Buffer.alloc(4)
    prefix.writeUInt32LE(size >>> 0, 0)
    return Buffer.concat([prefix, body])
  }

  it('corrupt blocks are ERR_SQUISH_CORRUPT', async () => {
    await blockFails(withPrefix(100, Buffer.from('ffffffffffffffffffffffffffff', 'hex')), ['ERR_SQUISH_CORRUPT'])
    // A match reaching before the start of the output.
    await blockFails(withPrefix(100, Buffer.from('1f41ffff', 'hex')), ['ERR_SQUISH_CORRUPT'])
    await blockFails(Buffer.from('1f41ffff', 'hex'), ['ERR_SQUISH_CORRUPT'], { uncompressedSize: 100 })
    // A stored size that differs from what the block decodes to.
    await blockFails(withPrefix(data.length + 1, block.subarray(4)), ['ERR_SQUISH_CORRUPT'])
    await blockFails(withPrefix(data.length - 1, block.subarray(4)), ['ERR_SQUISH_CORRUPT'])
  })

  it('a block cut short is a typed error', async () => {
    for (const cut of [5, 10, block.length >> 1, block.length - 1]) {
      await blockFails(block.subarray(0, cut), ['ERR_SQUISH_CORRUPT', 'ERR_SQUISH_TRUNCATED'])
    }
    await blockFails(bare.subarray(0, bare.length - 3), ['ERR_SQUISH_CORRUPT', 'ERR_SQUISH_TRUNCATED'], { uncompressedSize: data.length })
  })

  it('a short size prefix is truncated', async () => {
    for (const cut of [0, 1, 2, 3]) await blockFails(block.subarray(0, cut), ['ERR_SQUISH_TRUNCATED'])
  })

  it('a negative (>= 2^31) size prefix, or one beyond any lz4 block, is a typed error', async () => {
    await blockFails(withPrefix(2 ** 31 - 1, block.subarray(4)), ['ERR_SQUISH_CORRUPT', 'ERR_SQUISH_OUTPUT_LIMIT'])
    await blockFails(withPrefix(-1, block.subarray(4)), ['ERR_SQUISH_CORRUPT', 'ERR_SQUISH_OUTPUT_LIMIT'])
    await blockFails(withPrefix(2 ** 31, block.subarray(4)), ['ERR_SQUISH_CORRUPT', 'ERR_SQUISH_OUTPUT_LIMIT'])
  })

  it('a stored size larger than maxOutputSize is ERR_SQUISH_OUTPUT_LIMIT, before allocating', async () => {
    await blockFails(block, ['ERR_SQUISH_OUTPUT_LIMIT'], { maxOutputSize: data.length - 1 })
    await blockFails(withPrefix(1 << 30, block.subarray(4)), ['ERR_SQUISH_OUTPUT_LIMIT'])
    await blockFails(withPrefix(300 << 20, block.subarray(4)), ['ERR_SQUISH_OUTPUT_LIMIT'])
    await blockFails(bare, ['ERR_SQUISH_OUTPUT_LIMIT'], { uncompressedSize: 2 ** 40 })
    await blockFails(bare, ['ERR_SQUISH_OUTPUT_LIMIT'], { uncompressedSize: data.length, maxOutputSize: data.length - 1 })
    expect(lz4.decompressBlockSync(block, { maxOutputSize: data.length }).equals(data)).toBe(true)
  })

  it('uncompressedSize too small is a typed error', async () => {
    await blockFails(bare, ['ERR_SQUISH_CORRUPT', 'ERR_SQUISH_OUTPUT_LIMIT'], { uncompressedSize: data.length - 1 })
    await blockFails(bare, ['ERR_SQUISH_CORRUPT', 'ERR_SQUISH_OUTPUT_LIMIT'], { uncompressedSize: 0 })
  })

  it('a block that needs a dictionary fails without it', async () => {
    const dict = sample(20_000, 9)
    const withDict = lz4.compressBlockSync(sample(2000, 9), { dict })
    await blockFails(withDict, ['ERR_SQUISH_CORRUPT', 'ERR_SQUISH_DICTIONARY'])
  })
})

describe('lz4 option validation', () => {
  it('bad options are ERR_SQUISH_INVALID_ARG, sync and async', async () => {
    const cases: Array<[string, () => unknown, () => Promise<unknown>]> = [
      ['data 42', () => lz4.compressSync(42 as never), () => lz4.compress(42 as never)],
      ['data null', () => lz4.compressSync(null as never), () => lz4.compress(null as never)],
      ['data {}', () => lz4.decompressSync({} as never), () => lz4.decompress({} as never)],
      ['level "3"', () => lz4.compressSync('x', { level: '3' as never }), () => lz4.compress('x', { level: '3' as never })],
      ['level 2.5', () => lz4.compressSync('x', { level: 2.5 }), () => lz4.compress('x', { level: 2.5 })],
      ['level NaN', () => lz4.compressSync('x', { level: NaN }), () => lz4.compress('x', { level: NaN })],
      ['blockSize 3', () => lz4.compressSync('x', { blockSize: 3 }), () => lz4.compress('x', { blockSize: 3 })],
      ['blockSize 8', () => lz4.compressSync('x', { blockSize: 8 }), () => lz4.compress('x', { blockSize: 8 })],
      ['blockSize 65536', () => lz4.compressSync('x', { blockSize: 65536 }), () => lz4.compress('x', { blockSize: 65536 })],
      ['blockSize "4"', () => lz4.compressSync('x', { blockSize: '4' as never }), () => lz4.compress('x', { blockSize: '4' as never })],
      ['blockLinked 1', () => lz4.compressSync('x', { blockLinked: 1 as never }), () => lz4.compress('x', { blockLinked: 1 as never })],
      ['contentChecksum "yes"', () => lz4.compressSync('x', { contentChecksum: 'yes' as never }), () => lz4.compress('x', { contentChecksum: 'yes' as never })],
      ['blockChecksum 0', () => lz4.compressSync('x', { blockChecksum: 0 as never }), () => lz4.compress('x', { blockChecksum: 0 as never })],
      ['storeSize "no"', () => lz4.compressSync('x', { storeSize: 'no' as never }), () => lz4.compress('x', { storeSize: 'no' as never })],
      ['options "fast"', () => lz4.compressSync('x', 'fast' as never), () => lz4.compress('x', 'fast' as never)],
      ['maxOutputSize -1', () => lz4.decompressSync(checked, { maxOutputSize: -1 }), () => lz4.decompress(checked, { maxOutputSize: -1 })],
      ['maxOutputSize NaN', () => lz4.decompressSync(checked, { maxOutputSize: NaN }), () => lz4.decompress(checked, { maxOutputSize: NaN })],
      ['maxOutputSize "1"', () => lz4.decompressSync(checked, { maxOutputSize: '1' as never }), () => lz4.decompress(checked, { maxOutputSize: '1' as never })],
      ['readAcrossFrames "no"', () => lz4.decompressSync(checked, { readAcrossFrames: 'no' as never }), () => lz4.decompress(checked, { readAcrossFrames: 'no' as never })],
      ['allowExtraData 1', () => lz4.decompressSync(checked, { allowExtraData: 1 as never }), () => lz4.decompress(checked, { allowExtraData: 1 as never })],
      ['returnBytesRead "yes"', () => lz4.decompressSync(checked, { returnBytesRead: 'yes' as never }), () => lz4.decompress(checked, { returnBytesRead: 'yes' as never })],
      ['block mode "turbo"', () => lz4.compressBlockSync('x', { mode: 'turbo' as never }), () => lz4.compressBlock('x', { mode: 'turbo' as never })],
      ['block mode 1', () => lz4.compressBlockSync('x', { mode: 1 as never }), () => lz4.compressBlock('x', { mode: 1 as never })],
      ['block acceleration "x"', () => lz4.compressBlockSync('x', { mode: 'fast', acceleration: 'x' as never }), () => lz4.compressBlock('x', { mode: 'fast', acceleration: 'x' as never })],
      ['block acceleration 1.5', () => lz4.compressBlockSync('x', { mode: 'fast', acceleration: 1.5 }), () => lz4.compressBlock('x', { mode: 'fast', acceleration: 1.5 })],
      ['block compression "x"', () => lz4.compressBlockSync('x', { mode: 'highCompression', compression: 'x' as never }), () => lz4.compressBlock('x', { mode: 'highCompression', compression: 'x' as never })],
      ['block storeSize 1', () => lz4.compressBlockSync('x', { storeSize: 1 as never }), () => lz4.compressBlock('x', { storeSize: 1 as never })],
      ['block dict 42', () => lz4.compressBlockSync('x', { dict: 42 as never }), () => lz4.compressBlock('x', { dict: 42 as never })],
      ['block data 42', () => lz4.compressBlockSync(42 as never), () => lz4.compressBlock(42 as never)],
      ['uncompressedSize -1', () => lz4.decompressBlockSync(checked, { uncompressedSize: -1 }), () => lz4.decompressBlock(checked, { uncompressedSize: -1 })],
      ['uncompressedSize 1.5', () => lz4.decompressBlockSync(checked, { uncompressedSize: 1.5 }), () => lz4.decompressBlock(checked, { uncompressedSize: 1.5 })],
      ['block maxOutputSize -1', () => lz4.decompressBlockSync(checked, { maxOutputSize: -1 }), () => lz4.decompressBlock(checked, { maxOutputSize: -1 })],
      ['block dict 7', () => lz4.decompressBlockSync(checked, { dict: 7 as never }), () => lz4.decompressBlock(checked, { dict: 7 as never })],
    ]
    for (const [label, sync, async] of cases) {
      const error = squishError(sync)
      expect(error.code, `${label}: ${error.message}`).toBe('ERR_SQUISH_INVALID_ARG')
      let asyncError: unknown
      try {
        await async()
      } catch (e) {
        asyncError = e
      }
      expect(asyncError, label).toBeInstanceOf(SquishError)
      expect((asyncError as SquishError).code, label).toBe('ERR_SQUISH_INVALID_ARG')
    }
  })

  it('the error message names the option', () => {
    expect(thrown(() => lz4.compressSync('x', { blockSize: 3 }), 'ERR_SQUISH_INVALID_ARG').message).toMatch(/blockSize/)
    expect(thrown(() => lz4.compressSync('x', { level: 2.5 }), 'ERR_SQUISH_INVALID_ARG').message).toMatch(/level/)
    expect(thrown(() => lz4.compressBlockSync('x', { mode: 'turbo' as never }), 'ERR_SQUISH_INVALID_ARG').message).toMatch(/mode/)
  })

  it('incremental options are validated too', () => {
    const ctx = lz4.createCompressionContext()
    thrown(() => lz4.compressBegin(ctx, { blockSize: 9 }), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => lz4.compressBegin(ctx, { level: 'high' as never }), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => lz4.compressBegin(ctx, { autoFlush: 1 as never }), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => lz4.compressBegin(ctx, { sourceSize: -1 }), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => lz4.compressBegin(ctx, { sourceSize: 1.5 }), 'ERR_SQUISH_INVALID_ARG')
    // A failed begin starts nothing: a valid one still works.
    const frame = Buffer.concat([lz4.compressBegin(ctx), lz4.compressChunk(ctx, 'abc'), lz4.compressFlush(ctx)])
    expect(lz4.decompressSync(frame).toString()).toBe('abc')
    thrown(() => lz4.compressChunk(ctx, 42 as never), 'ERR_SQUISH_INVALID_ARG')
    const dctx = lz4.createDecompressionContext()
    thrown(() => lz4.decompressChunk(dctx, checked, { maxLength: -2 }), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => lz4.decompressChunk(dctx, checked, { maxLength: 1.5 }), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => lz4.decompressChunk(dctx, checked, { maxLength: 'all' as never }), 'ERR_SQUISH_INVALID_ARG')
    expect(() => new lz4.FrameCompressor({ blockSize: 9 })).toThrow(SquishError)
    thrown(() => new lz4.FrameCompressor({ blockSize: 9 }), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => new lz4.FrameCompressor({ autoFlush: 'yes' as never }), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => new lz4.FrameDecompressor().decompress(checked, { maxLength: -5 }), 'ERR_SQUISH_INVALID_ARG')
  })
})

describe('lz4 incremental misuse', () => {
  it('data that does not add up to sourceSize is ERR_SQUISH_INVALID_ARG, and the context begins again', () => {
    const ctx = lz4.createCompressionContext()
    lz4.compressBegin(ctx, { sourceSize: 10 })
    lz4.compressChunk(ctx, 'abcde')
    thrown(() => lz4.compressFlush(ctx), 'ERR_SQUISH_INVALID_ARG')
    const frame = Buffer.concat([lz4.compressBegin(ctx, { sourceSize: 5 }), lz4.compressChunk(ctx, 'abcde'), lz4.compressFlush(ctx)])
    expect(lz4.decompressSync(frame).toString()).toBe('abcde')
  })

  it('compressChunk or compressFlush before compressBegin is ERR_SQUISH_INVALID_STATE', () => {
    const ctx = lz4.createCompressionContext()
    thrown(() => lz4.compressChunk(ctx, 'data'), 'ERR_SQUISH_INVALID_STATE')
    thrown(() => lz4.compressFlush(ctx), 'ERR_SQUISH_INVALID_STATE')
    // After a frame ends, the context needs a new begin.
    lz4.compressBegin(ctx)
    lz4.compressChunk(ctx, 'data')
    lz4.compressFlush(ctx)
    thrown(() => lz4.compressChunk(ctx, 'more'), 'ERR_SQUISH_INVALID_STATE')
  })

  it('compressBegin twice is ERR_SQUISH_INVALID_STATE', () => {
    const ctx = lz4.createCompressionContext()
    const header = lz4.compressBegin(ctx, { contentChecksum: true })
    thrown(() => lz4.compressBegin(ctx), 'ERR_SQUISH_INVALID_STATE')
    thrown(() => lz4.compressBegin(ctx, { blockSize: lz4.BLOCKSIZE_MAX4MB }), 'ERR_SQUISH_INVALID_STATE')
    // The frame in progress is untouched.
    const frame = Buffer.concat([header, lz4.compressChunk(ctx, data), lz4.compressFlush(ctx)])
    expect(lz4.decompressSync(frame).equals(data)).toBe(true)
    expect(lz4.getFrameInfo(frame).contentChecksum).toBe(true)
  })

  it('anything but a context of the right kind is ERR_SQUISH_INVALID_ARG', () => {
    const cctx = lz4.createCompressionContext()
    const dctx = lz4.createDecompressionContext()
    for (const wrong of [{}, dctx, null, undefined, 42, 'ctx', Object.freeze({ [Symbol.toStringTag]: 'Lz4CompressionContext' })]) {
      const ctx = wrong as unknown as lz4.CompressionContext
      thrown(() => lz4.compressBegin(ctx), 'ERR_SQUISH_INVALID_ARG')
      thrown(() => lz4.compressChunk(ctx, 'x'), 'ERR_SQUISH_INVALID_ARG')
      thrown(() => lz4.compressFlush(ctx), 'ERR_SQUISH_INVALID_ARG')
    }
    for (const wrong of [{}, cctx, null, undefined, 42, Object.freeze({ [Symbol.toStringTag]: 'Lz4DecompressionContext' })]) {
      const ctx = wrong as unknown as lz4.DecompressionContext
      thrown(() => lz4.decompressChunk(ctx, checked), 'ERR_SQUISH_INVALID_ARG')
      thrown(() => lz4.resetDecompressionContext(ctx), 'ERR_SQUISH_INVALID_ARG')
    }
    // The real contexts still work after all that.
    const frame = Buffer.concat([lz4.compressBegin(cctx), lz4.compressChunk(cctx, 'ok'), lz4.compressFlush(cctx)])
    expect(lz4.decompressChunk(dctx, frame).data.toString()).toBe('ok')
  })

  it('decompressChunk after a corrupt chunk is ERR_SQUISH_INVALID_STATE until resetDecompressionContext', () => {
    const ctx = lz4.createDecompressionContext()
    thrown(() => lz4.decompressChunk(ctx, flippedBit(checked, 14, 2)), 'ERR_SQUISH_CORRUPT')
    thrown(() => lz4.decompressChunk(ctx, checked), 'ERR_SQUISH_INVALID_STATE')
    thrown(() => lz4.decompressChunk(ctx, Buffer.alloc(0)), 'ERR_SQUISH_INVALID_STATE')
    lz4.resetDecompressionContext(ctx)
    const ok = lz4.decompressChunk(ctx, checked)
    expect(ok.data.equals(data)).toBe(true)
    expect(ok.endOfFrame).toBe(true)
    expect(ok.bytesRead).toBe(checked.length)

    // The same after a checksum failure midway through a frame.
    const badSum = flippedBit(checked, checked.length - 1, 0)
    lz4.decompressChunk(ctx, badSum.subarray(0, 20))
    thrown(() => lz4.decompressChunk(ctx, badSum.subarray(20)), 'ERR_SQUISH_CHECKSUM')
    thrown(() => lz4.decompressChunk(ctx, checked), 'ERR_SQUISH_INVALID_STATE')
    lz4.resetDecompressionContext(ctx)
    expect(lz4.decompressChunk(ctx, checked).data.equals(data)).toBe(true)
  })

  it('a reset midway through a frame forgets it', () => {
    const ctx = lz4.createDecompressionContext()
    const first = lz4.decompressChunk(ctx, multi.subarray(0, 1000))
    expect(first.endOfFrame).toBe(false)
    lz4.resetDecompressionContext(ctx)
    const whole = lz4.decompressChunk(ctx, checked)
    expect(whole.data.equals(data)).toBe(true)
    expect(whole.endOfFrame).toBe(true)
  })

  it('FrameCompressor: compress or flush before begin, and begin twice, are ERR_SQUISH_INVALID_STATE', () => {
    const compressor = new lz4.FrameCompressor({ contentChecksum: true })
    expect(compressor.started()).toBe(false)
    thrown(() => compressor.compress('data'), 'ERR_SQUISH_INVALID_STATE')
    thrown(() => compressor.flush(), 'ERR_SQUISH_INVALID_STATE')
    const header = compressor.begin()
    expect(compressor.started()).toBe(true)
    expect(compressor.hasContext()).toBe(true)
    thrown(() => compressor.begin(), 'ERR_SQUISH_INVALID_STATE')
    const frame = Buffer.concat([header, compressor.compress(data), compressor.flush()])
    expect(lz4.decompressSync(frame).equals(data)).toBe(true)
    // flush() ends the frame: compress needs another begin.
    expect(compressor.started()).toBe(false)
    thrown(() => compressor.compress('data'), 'ERR_SQUISH_INVALID_STATE')
    // reset() abandons a frame; begin works again.
    compressor.begin()
    compressor.compress('partial')
    compressor.reset()
    expect(compressor.started()).toBe(false)
    const again = Buffer.concat([compressor.begin(), compressor.compress('x'), compressor.flush()])
    expect(lz4.decompressSync(again).toString()).toBe('x')
  })

  it('FrameDecompressor: decompress after eof is ERR_SQUISH_INVALID_STATE until reset', () => {
    const decompressor = new lz4.FrameDecompressor()
    expect(decompressor.decompress(checked).equals(data)).toBe(true)
    expect(decompressor.eof).toBe(true)
    thrown(() => decompressor.decompress(checked), 'ERR_SQUISH_INVALID_STATE')
    thrown(() => decompressor.decompress(Buffer.alloc(0)), 'ERR_SQUISH_INVALID_STATE')
    decompressor.reset()
    expect(decompressor.eof).toBe(false)
    expect(decompressor.decompress(plain).equals(data)).toBe(true)
    expect(decompressor.eof).toBe(true)
  })

  it('FrameDecompressor: corrupt input is a typed error, then ERR_SQUISH_INVALID_STATE until reset', () => {
    const decompressor = new lz4.FrameDecompressor()
    thrown(() => decompressor.decompress(Buffer.from('this is not an lz4 frame')), 'ERR_SQUISH_CORRUPT')
    thrown(() => decompressor.decompress(checked), 'ERR_SQUISH_INVALID_STATE')
    decompressor.reset()
    decompressor.decompress(checked.subarray(0, 100))
    thrown(() => decompressor.decompress(flippedBit(checked, checked.length - 2, 4).subarray(100)), 'ERR_SQUISH_CHECKSUM')
    thrown(() => decompressor.decompress(Buffer.alloc(0)), 'ERR_SQUISH_INVALID_STATE')
    decompressor.reset()
    expect(decompressor.decompress(checked).equals(data)).toBe(true)
  })
})
