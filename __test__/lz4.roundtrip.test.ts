import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

import { describe, expect, it } from 'vitest'

import { lz4, SquishError } from '../index'
import { binaryViews, noise, rejected, run, sample, thrown, xxh32 } from './helpers'

const KiB = 1024
const MiB = 1024 * 1024


// ---------------------------------------------------------------------------------------------
// What LZ4F_compressFrame (python-lz4's lz4.frame.compress) writes for given options.

const BLOCK_BYTES: Record<number, number> = { 4: 64 * KiB, 5: 256 * KiB, 6: MiB, 7: 4 * MiB }
const BLOCK_SIZES = [lz4.BLOCKSIZE_DEFAULT, lz4.BLOCKSIZE_MAX64KB, lz4.BLOCKSIZE_MAX256KB, lz4.BLOCKSIZE_MAX1MB, lz4.BLOCKSIZE_MAX4MB]
const LEVELS = [-10, 0, 3, 9, 16]

/** The block size id in the header: LZ4F_optimalBSID shrinks the requested size to fit the input. */
function expectedBlockSizeId(requested: number, size: number): number {
  if (requested === 0) return 4
  let id = 4
  let max = 64 * KiB
  while (requested > id) {
    if (size <= max) return id
    id++
    max *= 4
  }
  return requested
}

interface Expected {
  blockSizeId: number
  blockLinked: boolean
  contentChecksum: boolean
  blockChecksum: boolean
  contentSize: number | null
}

function expectedInfo(size: number, o: lz4.CompressOptions): Expected {
  const blockSizeId = expectedBlockSizeId(o.blockSize ?? 0, size)
  return {
    blockSizeId,
    // A single block needs no link: LZ4F_compressFrame makes it independent.
    blockLinked: (o.blockLinked ?? true) && size > BLOCK_BYTES[blockSizeId]!,
    contentChecksum: o.contentChecksum ?? false,
    blockChecksum: o.blockChecksum ?? false,
    // A content size of 0 means "unknown" to liblz4, so an empty input records none.
    contentSize: (o.storeSize ?? true) && size > 0 ? size : null,
  }
}

interface Walked {
  headerLength: number
  blocks: Array<{ size: number; compressed: boolean; checksum: number | null; data: Buffer }>
  contentChecksum: number | null
  length: number
}

/** Walks one frame at the start of `frame`, checking the header checksum on the way. */
function walkFrame(frame: Buffer): Walked {
  expect(frame.readUInt32LE(0)).toBe(0x184d2204)
  const flg = frame[4]!
  const hasSize = (flg & 0x08) !== 0
  const headerLength = 4 + 2 + (hasSize ? 8 : 0) + 1
  const descriptor = frame.subarray(4, headerLength - 1)
  expect(frame[headerLength - 1], 'header checksum byte').toBe((xxh32(descriptor) >>> 8) & 0xff)
  const blocks: Walked['blocks'] = []
  let pos = headerLength
  for (;;) {
    const word = frame.readUInt32LE(pos)
    pos += 4
    if (word === 0) break
    const size = word & 0x7fffffff
    const data = frame.subarray(pos, pos + size)
    pos += size
    let checksum: number | null = null
    if (flg & 0x10) {
      checksum = frame.readUInt32LE(pos)
      pos += 4
    }
    blocks.push({ size, compressed: (word & 0x80000000) === 0, checksum, data })
  }
  let contentChecksum: number | null = null
  if (flg & 0x04) {
    contentChecksum = frame.readUInt32LE(pos)
    pos += 4
  }
  return { headerLength, blocks, contentChecksum, length: pos }
}

/** Checks every byte of the frame layout that the options decide, and that it decodes to `data`. */
function checkFrame(frame: Buffer, data: Buffer, o: lz4.CompressOptions, dataHash: number) {
  const e = expectedInfo(data.length, o)
  const label = JSON.stringify({ size: data.length, ...o })
  const flg = 0x40 | (e.blockLinked ? 0 : 0x20) | (e.blockChecksum ? 0x10 : 0) | (e.contentSize !== null ? 0x08 : 0) | (e.contentChecksum ? 0x04 : 0)
  expect(frame[4], `FLG ${label}`).toBe(flg)
  expect(frame[5], `BD ${label}`).toBe(e.blockSizeId << 4)
  if (e.contentSize !== null) expect(Number(frame.readBigUInt64LE(6)), label).toBe(e.contentSize)

  const info = lz4.getFrameInfo(frame)
  expect(info, label).toEqual({ ...e, blockSize: BLOCK_BYTES[e.blockSizeId], skippable: false })

  const walked = walkFrame(frame)
  expect(walked.length, label).toBe(frame.length)
  const blockBytes = BLOCK_BYTES[e.blockSizeId]!
  expect(walked.blocks.length, label).toBe(Math.ceil(data.length / blockBytes))
  for (const block of walked.blocks) {
    expect(block.size).toBeLessThanOrEqual(blockBytes)
    if (e.blockChecksum) expect(block.checksum).toBe(xxh32(block.data))
  }
  if (e.contentChecksum) expect(walked.contentChecksum, label).toBe(dataHash)
  expect(lz4.decompressSync(frame).equals(data), label).toBe(true)
}

function optionProduct(): lz4.CompressOptions[] {
  const all: lz4.CompressOptions[] = []
  for (const blockSize of BLOCK_SIZES) {
    for (const blockLinked of [true, false]) {
      for (const contentChecksum of [false, true]) {
        for (const blockChecksum of [false, true]) {
          for (const storeSize of [true, false]) all.push({ blockSize, blockLinked, contentChecksum, blockChecksum, storeSize })
        }
      }
    }
  }
  return all
}

// ---------------------------------------------------------------------------------------------

describe('lz4 frame round trips: every option combination on small and medium inputs', () => {
  const combos = optionProduct()
  for (const size of [0, 1, 64 * KiB - 1, 64 * KiB, 64 * KiB + 1]) {
    const data = sample(size, size + 1)
    const hash = xxh32(data)
    for (const level of LEVELS) {
      it(`${size} bytes at level ${level}, ${combos.length} option sets, sync`, () => {
        for (const combo of combos) {
          const options = { level, ...combo }
          checkFrame(lz4.compressSync(data, options), data, options, hash)
        }
      })
      it(`${size} bytes at level ${level}, async matches sync`, async () => {
        for (const combo of combos.filter((_, i) => i % 7 === level % 7 || i % 7 === 0)) {
          const options = { level, ...combo }
          const frame = await lz4.compress(data, options)
          expect(frame.equals(lz4.compressSync(data, options)), JSON.stringify(options)).toBe(true)
          expect((await lz4.decompress(frame)).equals(data)).toBe(true)
        }
      })
    }
  }
})

describe('lz4 frame round trips: representative option sets on large inputs', () => {
  const large: Array<[number, lz4.CompressOptions[]]> = [
    [
      4 * MiB - 1,
      [
        {},
        { level: -10, blockSize: lz4.BLOCKSIZE_MAX4MB, blockLinked: false, blockChecksum: true },
        { level: 3, blockSize: lz4.BLOCKSIZE_MAX1MB, contentChecksum: true, storeSize: false },
        { level: 0, blockSize: lz4.BLOCKSIZE_MAX256KB, contentChecksum: true, blockChecksum: true },
      ],
    ],
    [
      4 * MiB,
      [
        {},
        { level: 16, blockSize: lz4.BLOCKSIZE_MAX4MB, contentChecksum: true },
        { level: -10, blockSize: lz4.BLOCKSIZE_MAX64KB, blockLinked: false, storeSize: false, blockChecksum: true },
        { level: 0, blockSize: lz4.BLOCKSIZE_MAX1MB, blockLinked: true, contentChecksum: true },
      ],
    ],
    [
      4 * MiB + 1,
      [
        {},
        { level: 9, blockSize: lz4.BLOCKSIZE_MAX4MB, blockChecksum: true, contentChecksum: true },
        { level: 0, blockSize: lz4.BLOCKSIZE_MAX4MB, blockLinked: false, storeSize: false },
        { level: 3, blockSize: lz4.BLOCKSIZE_MAX256KB, blockLinked: true, blockChecksum: true },
      ],
    ],
    [
      16 * MiB,
      [
        {},
        { level: -10, blockSize: lz4.BLOCKSIZE_MAX4MB, contentChecksum: true, blockChecksum: true },
        { level: 3, blockSize: lz4.BLOCKSIZE_MAX1MB, blockLinked: false, storeSize: false },
        { level: 0, blockSize: lz4.BLOCKSIZE_MAX64KB, blockLinked: true, contentChecksum: true, storeSize: false },
      ],
    ],
  ]
  for (const [size, optionSets] of large) {
    const data = sample(size, size + 1)
    const hash = optionSets.some((o) => o.contentChecksum) ? xxh32(data) : 0
    optionSets.forEach((options, i) => {
      it(`${size} bytes with ${JSON.stringify(options)}, sync`, () => {
        checkFrame(lz4.compressSync(data, options), data, options, hash)
      })
      // Async for two of the four sets per size (both directions).
      if (i % 2 === 0) {
        it(`${size} bytes with ${JSON.stringify(options)}, async`, async () => {
          const frame = await lz4.compress(data, options)
          expect(frame.equals(lz4.compressSync(data, options))).toBe(true)
          expect((await lz4.decompress(frame)).equals(data)).toBe(true)
        })
      }
    })
  }

  it('incompressible data round-trips, stored in uncompressed blocks', async () => {
    const data = noise(MiB + 3)
    for (const options of [{}, { level: 9 }, { blockSize: lz4.BLOCKSIZE_MAX4MB, blockChecksum: true }]) {
      const frame = lz4.compressSync(data, options)
      expect(frame.length).toBeLessThan(data.length + 200)
      expect(walkFrame(frame).blocks.every((b) => !b.compressed)).toBe(true)
      expect(lz4.decompressSync(frame).equals(data)).toBe(true)
      expect((await lz4.decompress(frame)).equals(data)).toBe(true)
    }
  })
})

describe('lz4 frame one-shot details', () => {
  it('golden bytes: "hello hello hello hello" with defaults (python-lz4 lz4.frame.compress)', () => {
    const text = 'hello hello hello hello'
    const frame = lz4.compressSync(Buffer.from(text))
    // Magic, FLG 0x68 (version 01, independent blocks as there is one, content size), BD 0x40
    // (64 KiB), content size 23, header checksum.
    expect(frame.subarray(0, 4).toString('hex')).toBe('04224d18')
    expect(frame[4]).toBe(0x68)
    expect(frame[5]).toBe(0x40)
    expect(frame.subarray(6, 14).toString('hex')).toBe('1700000000000000')
    expect(frame[14]).toBe((xxh32(frame.subarray(4, 14)) >>> 8) & 0xff)
    expect(frame[14]).toBe(0x32)
    // One compressed block of 15 bytes, then the end mark.
    expect(frame.toString('hex')).toBe('04224d1868401700000000000000320f0000006868656c6c6f2006005068656c6c6f00000000')
    expect(run('lz4', ['-d', '-c'], frame).toString()).toBe(text)
    // With a content checksum: the same block, then XXH32 of the content.
    const checked = lz4.compressSync(text, { contentChecksum: true })
    expect(checked.toString('hex')).toBe('04224d186c40170000000000000007' + '0f0000006868656c6c6f2006005068656c6c6f' + '00000000' + 'f26b940b')
    expect(xxh32(Buffer.from(text))).toBe(0x0b946bf2)
    expect(run('lz4', ['-d', '-c'], checked).toString()).toBe(text)
  })

  it('golden bytes: the empty frame records no content size', async () => {
    const empty = '04224d1860408200000000'
    expect(lz4.compressSync(Buffer.alloc(0)).toString('hex')).toBe(empty)
    expect((await lz4.compress('')).toString('hex')).toBe(empty)
    expect(lz4.compressSync('', { storeSize: false }).toString('hex')).toBe(empty)
    expect(lz4.decompressSync(Buffer.from(empty, 'hex')).length).toBe(0)
    expect((await lz4.decompress(Buffer.from(empty, 'hex'))).length).toBe(0)
    expect(lz4.decompressSync(Buffer.from(empty, 'hex'), { maxOutputSize: 0 }).length).toBe(0)
    expect(lz4.getFrameInfo(Buffer.from(empty, 'hex')).contentSize).toBeNull()
  })

  it('levels 0 to 2 are the same fast mode, and levels above 16 act as 16', async () => {
    const data = sample(300 * KiB, 5)
    const zero = lz4.compressSync(data, { level: 0 })
    expect(lz4.compressSync(data).equals(zero)).toBe(true)
    expect(lz4.compressSync(data, { level: 1 }).equals(zero)).toBe(true)
    // liblz4 1.10 made level 2 a high-compression level; squish keeps python-lz4's levels.
    expect(lz4.compressSync(data, { level: 2 }).equals(zero)).toBe(true)
    const max = lz4.compressSync(data, { level: 16 })
    expect(lz4.compressSync(data, { level: 17 }).equals(max)).toBe(true)
    expect((await lz4.compress(data, { level: 1000 })).equals(max)).toBe(true)
    // High compression is smaller than fast, and fast with acceleration larger.
    expect(max.length).toBeLessThan(zero.length)
    expect(lz4.compressSync(data, { level: -10 }).length).toBeGreaterThan(zero.length)
    for (const level of [-(2 ** 31), -70_000, -1000, -1, 3, 12, 2 ** 31 - 1]) {
      expect(lz4.decompressSync(lz4.compressSync(data, { level })).equals(data), `level ${level}`).toBe(true)
    }
  })

  it('small async outputs, many in flight, share memory without overwriting each other', async () => {
    const inputs = Array.from({ length: 400 }, (_, i) => noise([0, 1, 100, 1000, 3000, 4000, 4095, 4096, 5000][i % 9]! + (i % 3), i + 1))
    const frames = await Promise.all(inputs.map((d, i) => lz4.compress(d, { storeSize: i % 2 === 0 })))
    const blocks = await Promise.all(inputs.map((d) => lz4.compressBlock(d)))
    const decoded = await Promise.all(frames.map((f) => lz4.decompress(f)))
    const fromBlocks = await Promise.all(blocks.map((b) => lz4.decompressBlock(b)))
    inputs.forEach((d, i) => {
      expect(frames[i]!.equals(lz4.compressSync(d, { storeSize: i % 2 === 0 })), `frame ${i}`).toBe(true)
      expect(blocks[i]!.equals(lz4.compressBlockSync(d)), `block ${i}`).toBe(true)
      expect(decoded[i]!.equals(d), `decoded ${i}`).toBe(true)
      expect(fromBlocks[i]!.equals(d), `decoded block ${i}`).toBe(true)
    })
    for (const output of [...frames, ...blocks, ...decoded, ...fromBlocks]) {
      expect(Buffer.isBuffer(output)).toBe(true)
      if (output.length >= 4096) expect(output.buffer.byteLength).toBe(output.length)
      else expect(output.buffer.byteLength).toBeLessThanOrEqual(Math.max(8192, Buffer.poolSize))
    }
  })

  it('a pooled output transferred away copies its memory, as Node pooled Buffers do: outputs beside it keep their bytes', async () => {
    const data = noise(100, 7)
    const calls = Array.from({ length: 20 }, () => lz4.compress(data))
    for (const outputs of [Array.from({ length: 20 }, () => lz4.compressSync(data)), await Promise.all(calls)]) {
      expect(outputs.filter((out) => out.buffer === outputs[0]!.buffer).length).toBeGreaterThan(10)
      try {
        const memory = outputs[0]!.buffer as ArrayBuffer
        structuredClone(memory, { transfer: [memory] })
      } catch (error) {
        expect((error as Error).name).toBe('DataCloneError')
      }
      for (const out of outputs) expect(lz4.decompressSync(out).equals(data)).toBe(true)
    }
  })

  it('small sync outputs share a pool without overwriting each other, across pool refills', () => {
    // Sizes around the 4 KiB pooling limit and enough calls to refill the pool many times.
    const inputs = Array.from({ length: 400 }, (_, i) => noise([0, 1, 100, 1000, 3000, 4000, 4095, 4096, 5000][i % 9]! + (i % 3), i + 1))
    const frames = inputs.map((d, i) => lz4.compressSync(d, { storeSize: i % 2 === 0, contentChecksum: i % 3 === 0 }))
    const blocks = inputs.map((d) => lz4.compressBlockSync(d))
    const bare = inputs.map((d) => lz4.compressBlockSync(d, { storeSize: false }))
    const decoded = frames.map((f) => lz4.decompressSync(f))
    const fromBlocks = blocks.map((b) => lz4.decompressBlockSync(b))
    const fromBare = bare.map((b, i) => lz4.decompressBlockSync(b, { uncompressedSize: inputs[i]!.length + (i % 5) }))
    inputs.forEach((d, i) => {
      expect(frames[i]!.equals(lz4.compressSync(d, { storeSize: i % 2 === 0, contentChecksum: i % 3 === 0 })), `frame ${i}`).toBe(true)
      expect(blocks[i]!.equals(lz4.compressBlockSync(d)), `block ${i}`).toBe(true)
      expect(bare[i]!.equals(blocks[i]!.subarray(4)), `bare block ${i}`).toBe(true)
      expect(decoded[i]!.equals(d), `decoded ${i}`).toBe(true)
      expect(fromBlocks[i]!.equals(d), `decoded block ${i}`).toBe(true)
      expect(fromBare[i]!.equals(d), `decoded bare block ${i}`).toBe(true)
    })
    for (const output of [...frames, ...blocks, ...bare, ...decoded, ...fromBlocks, ...fromBare]) {
      expect(Buffer.isBuffer(output)).toBe(true)
      if (output.length >= 4096) expect(output.buffer.byteLength).toBe(output.length)
      else expect(output.buffer.byteLength).toBeLessThanOrEqual(Math.max(8192, Buffer.poolSize))
    }
  })

  it('sync and async calls interleave without interfering', async () => {
    const inputs = Array.from({ length: 40 }, (_, i) => sample(20_000 + i * 1000, i))
    const pending = inputs.map((d, i) => lz4.compress(d, { level: i % 2 ? 9 : 0, contentChecksum: true }))
    const sync = inputs.map((d, i) => lz4.compressSync(d, { level: i % 2 ? 9 : 0, contentChecksum: true }))
    const frames = await Promise.all(pending)
    frames.forEach((f, i) => expect(f.equals(sync[i]!)).toBe(true))
    const decoded = await Promise.all(frames.map((f) => lz4.decompress(f)))
    decoded.forEach((d, i) => expect(d.equals(inputs[i]!)).toBe(true))
  })

  it('accepts every input type and compresses the same bytes', async () => {
    const bytes = sample(4096, 9)
    const expected = lz4.compressSync(bytes)
    const inputs: lz4.Input[] = [...binaryViews(bytes), bytes.toString('latin1')]
    for (const input of inputs) {
      const name = typeof input === 'string' ? 'string' : input.constructor.name
      expect(lz4.compressSync(input).equals(expected), name).toBe(true)
      expect((await lz4.compress(input)).equals(expected), name).toBe(true)
    }
    // Frames in any container decode the same.
    const frameCopy = () => {
      const ab = new ArrayBuffer(expected.length + 8)
      new Uint8Array(ab, 8).set(expected)
      return ab
    }
    const frames: lz4.Input[] = [
      new Uint8Array(frameCopy(), 8),
      new DataView(frameCopy(), 8),
      new Uint8Array(expected).buffer,
      new Int8Array(frameCopy(), 8),
    ]
    for (const frame of frames) {
      expect(lz4.decompressSync(frame).equals(bytes), frame.constructor.name).toBe(true)
      expect((await lz4.decompress(frame)).equals(bytes), frame.constructor.name).toBe(true)
      expect(lz4.getFrameInfo(frame).contentSize).toBe(bytes.length)
    }
  })

  it('encodes strings as UTF-8', async () => {
    const text = 'squish — lz4 ✓ 圧縮 🗜️'.repeat(50)
    expect(lz4.decompressSync(lz4.compressSync(text)).toString('utf8')).toBe(text)
    expect((await lz4.decompress(await lz4.compress(text))).toString('utf8')).toBe(text)
    expect(lz4.compressSync(text).equals(lz4.compressSync(Buffer.from(text, 'utf8')))).toBe(true)
    expect(lz4.getFrameInfo(lz4.compressSync(text)).contentSize).toBe(Buffer.byteLength(text))
  })
})

/** A skippable frame: magic 0x184D2A50 + nibble, 4-byte little-endian length, payload. */
function skippable(nibble: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32LE(0x184d2a50 + nibble, 0)
  head.writeUInt32LE(payload.length, 4)
  return Buffer.concat([head, payload])
}

describe('lz4 concatenated and skippable frames', () => {
  const a = sample(70_000, 3)
  const b = sample(500, 4)
  const fa = lz4.compressSync(a, { contentChecksum: true })
  const fb = lz4.compressSync(b, { storeSize: false, blockChecksum: true })
  const input = Buffer.concat([fa, skippable(0, Buffer.from('metadata')), fb, skippable(0xf, Buffer.alloc(0))])
  const both = Buffer.concat([a, b])

  it('decode to the concatenation, skipping skippable frames (readAcrossFrames default)', async () => {
    expect(lz4.decompressSync(input).equals(both)).toBe(true)
    expect((await lz4.decompress(input)).equals(both)).toBe(true)
    expect(lz4.decompressSync(input, { readAcrossFrames: true }).equals(both)).toBe(true)
  })

  it('every skippable magic 0x184D2A50..5F is skipped, before, between and after frames', async () => {
    for (let nibble = 0; nibble < 16; nibble++) {
      const payload = noise(nibble * 37, nibble + 1)
      const joined = Buffer.concat([skippable(nibble, payload), fa, skippable(nibble, payload), fb, skippable(nibble, payload)])
      expect(lz4.decompressSync(joined).equals(both), `0x184d2a5${nibble.toString(16)}`).toBe(true)
      expect((await lz4.decompress(joined)).equals(both)).toBe(true)
      const info = lz4.getFrameInfo(skippable(nibble, payload))
      expect(info.skippable).toBe(true)
      expect(info.contentSize).toBe(payload.length)
    }
  })

  it('input made only of skippable frames decodes to nothing', async () => {
    const only = Buffer.concat([skippable(0, Buffer.from('abc')), skippable(5, Buffer.alloc(0))])
    expect(lz4.decompressSync(only).length).toBe(0)
    expect((await lz4.decompress(only)).length).toBe(0)
  })

  it('readAcrossFrames: false decodes the first frame; the rest is extra data', async () => {
    thrown(() => lz4.decompressSync(input, { readAcrossFrames: false }), 'ERR_SQUISH_CORRUPT')
    await rejected(lz4.decompress(input, { readAcrossFrames: false }), 'ERR_SQUISH_CORRUPT')
    expect(lz4.decompressSync(input, { readAcrossFrames: false, allowExtraData: true }).equals(a)).toBe(true)
    expect((await lz4.decompress(input, { readAcrossFrames: false, allowExtraData: true })).equals(a)).toBe(true)
    // A single frame is fine either way.
    expect(lz4.decompressSync(fa, { readAcrossFrames: false }).equals(a)).toBe(true)
  })

  it('trailing non-frame bytes are corrupt unless allowExtraData', async () => {
    const trailing = Buffer.concat([input, Buffer.from('!!garbage!!')])
    thrown(() => lz4.decompressSync(trailing), 'ERR_SQUISH_CORRUPT')
    await rejected(lz4.decompress(trailing), 'ERR_SQUISH_CORRUPT')
    expect(lz4.decompressSync(trailing, { allowExtraData: true }).equals(both)).toBe(true)
    expect((await lz4.decompress(trailing, { allowExtraData: true })).equals(both)).toBe(true)
  })

  it('returnBytesRead returns {data, bytesRead}: where the frames end', async () => {
    const all = lz4.decompressSync(input, { returnBytesRead: true })
    expect(all.data.equals(both)).toBe(true)
    expect(all.bytesRead).toBe(input.length)
    const first = lz4.decompressSync(input, { returnBytesRead: true, readAcrossFrames: false })
    expect(first.data.equals(a)).toBe(true)
    expect(first.bytesRead).toBe(fa.length)
    const asyncFirst = await lz4.decompress(input, { returnBytesRead: true, readAcrossFrames: false })
    expect(asyncFirst.data.equals(a)).toBe(true)
    expect(asyncFirst.bytesRead).toBe(fa.length)
    // Trailing bytes are not an error then; bytesRead says where they start.
    const trailing = Buffer.concat([input, Buffer.from('!!garbage!!')])
    const withExtra = lz4.decompressSync(trailing, { returnBytesRead: true })
    expect(withExtra.data.equals(both)).toBe(true)
    expect(withExtra.bytesRead).toBe(input.length)
    const asyncExtra = await lz4.decompress(trailing, { returnBytesRead: true })
    expect(asyncExtra.data.equals(both)).toBe(true)
    expect(asyncExtra.bytesRead).toBe(input.length)
    const single = lz4.decompressSync(Buffer.concat([fb, Buffer.from([1, 2, 3])]), { returnBytesRead: true })
    expect(single.bytesRead).toBe(fb.length)
    expect(single.data.equals(b)).toBe(true)
  })

  it('many small frames decode to the concatenation', async () => {
    const parts = Array.from({ length: 200 }, (_, i) => sample(i * 13, i))
    const joined = Buffer.concat(parts.map((p, i) => lz4.compressSync(p, { storeSize: i % 2 === 0, level: (i % 5) * 3 })))
    expect(lz4.decompressSync(joined).equals(Buffer.concat(parts))).toBe(true)
    expect((await lz4.decompress(joined)).equals(Buffer.concat(parts))).toBe(true)
  })
})

describe('lz4 maxOutputSize', () => {
  const data = sample(100_000, 12)

  it('exactly the content size passes and one byte less fails, with and without a stored size', async () => {
    for (const storeSize of [true, false]) {
      for (const options of [{ storeSize }, { storeSize, blockSize: lz4.BLOCKSIZE_MAX4MB, contentChecksum: true }]) {
        const frame = lz4.compressSync(data, options)
        expect(lz4.decompressSync(frame, { maxOutputSize: data.length }).equals(data)).toBe(true)
        expect((await lz4.decompress(frame, { maxOutputSize: data.length })).equals(data)).toBe(true)
        thrown(() => lz4.decompressSync(frame, { maxOutputSize: data.length - 1 }), 'ERR_SQUISH_OUTPUT_LIMIT')
        await rejected(lz4.decompress(frame, { maxOutputSize: data.length - 1 }), 'ERR_SQUISH_OUTPUT_LIMIT')
        thrown(() => lz4.decompressSync(frame, { maxOutputSize: 0 }), 'ERR_SQUISH_OUTPUT_LIMIT')
        expect(lz4.decompressSync(frame, { maxOutputSize: Infinity }).equals(data)).toBe(true)
      }
    }
  })

  it('the limit covers the sum of concatenated frames', async () => {
    const joined = Buffer.concat([lz4.compressSync(data), lz4.compressSync(data, { storeSize: false })])
    expect(lz4.decompressSync(joined, { maxOutputSize: 2 * data.length }).length).toBe(2 * data.length)
    thrown(() => lz4.decompressSync(joined, { maxOutputSize: 2 * data.length - 1 }), 'ERR_SQUISH_OUTPUT_LIMIT')
    await rejected(lz4.decompress(joined, { maxOutputSize: 2 * data.length - 1 }), 'ERR_SQUISH_OUTPUT_LIMIT')
    const reversed = Buffer.concat([lz4.compressSync(data, { storeSize: false }), lz4.compressSync(data)])
    thrown(() => lz4.decompressSync(reversed, { maxOutputSize: 2 * data.length - 1 }), 'ERR_SQUISH_OUTPUT_LIMIT')
  })

  it('decompressInto writes into the start of a caller\'s buffer, bounded by its length and maxOutputSize', async () => {
    const joined = Buffer.concat([lz4.compressSync(data), lz4.compressSync(data, { storeSize: false })])
    for (const frames of [lz4.compressSync(data), lz4.compressSync(data, { storeSize: false }), joined]) {
      const size = frames === joined ? 2 * data.length : data.length
      const output = Buffer.alloc(size + 10, 0xee)
      expect(lz4.decompressIntoSync(frames, output)).toBe(size)
      expect(output.subarray(0, data.length).equals(data)).toBe(true)
      expect(output.subarray(size).equals(Buffer.alloc(10, 0xee))).toBe(true)
      const view = new DataView(new ArrayBuffer(size))
      expect(await lz4.decompressInto(frames, view)).toBe(size)
      expect(Buffer.from(view.buffer).subarray(0, data.length).equals(data)).toBe(true)
      thrown(() => lz4.decompressIntoSync(frames, Buffer.alloc(size - 1)), 'ERR_SQUISH_OUTPUT_LIMIT')
      await rejected(lz4.decompressInto(frames, Buffer.alloc(size - 1)), 'ERR_SQUISH_OUTPUT_LIMIT')
      thrown(() => lz4.decompressIntoSync(frames, output, { maxOutputSize: size - 1 }), 'ERR_SQUISH_OUTPUT_LIMIT')
    }
    thrown(() => lz4.decompressIntoSync(joined, 'not a buffer' as never), 'ERR_SQUISH_INVALID_ARG')
  })

  it('the default limit is DEFAULT_MAX_OUTPUT_SIZE', () => {
    expect(lz4.DEFAULT_MAX_OUTPUT_SIZE).toBe(256 * MiB)
  })
})

describe('lz4 getFrameInfo', () => {
  it('reports every option as written', () => {
    const data = sample(300 * KiB, 2)
    for (const options of optionProduct()) {
      const info = lz4.getFrameInfo(lz4.compressSync(data, options))
      const e = expectedInfo(data.length, options)
      expect(info, JSON.stringify(options)).toEqual({ ...e, blockSize: BLOCK_BYTES[e.blockSizeId], skippable: false })
    }
  })

  it('reads the header alone', () => {
    const frame = lz4.compressSync(sample(10_000), { storeSize: true, blockChecksum: true })
    const header = frame.subarray(0, 15)
    expect(lz4.getFrameInfo(header)).toEqual({
      blockSize: 64 * KiB,
      blockSizeId: 4,
      blockLinked: false,
      contentChecksum: false,
      blockChecksum: true,
      contentSize: 10_000,
      skippable: false,
    })
  })

  it('fails with a SquishError on non-frames', () => {
    const error = (() => {
      try {
        lz4.getFrameInfo(Buffer.from('definitely not lz4'))
      } catch (e) {
        return e
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(SquishError)
    expect(['ERR_SQUISH_CORRUPT']).toContain((error as SquishError).code)
  })
})

describe('lz4 constants', () => {
  it('match liblz4 and python-lz4', () => {
    expect(lz4.BLOCKSIZE_DEFAULT).toBe(0)
    expect(lz4.BLOCKSIZE_MAX64KB).toBe(4)
    expect(lz4.BLOCKSIZE_MAX256KB).toBe(5)
    expect(lz4.BLOCKSIZE_MAX1MB).toBe(6)
    expect(lz4.BLOCKSIZE_MAX4MB).toBe(7)
    expect(lz4.COMPRESSIONLEVEL_MIN).toBe(0)
    expect(lz4.COMPRESSIONLEVEL_MINHC).toBe(3)
    expect(lz4.COMPRESSIONLEVEL_MAX).toBe(16)
    expect(lz4.VERSION).toBe('1.10.0')
    expect(lz4.DEFAULT_MAX_OUTPUT_SIZE).toBe(268_435_456)
  })
})

describe('lz4 block round trips', () => {
  const SIZES = [0, 1, 1000, 64 * KiB, MiB + 7]

  it('golden bytes: "hello hello hello hello" as a block, with and without the size prefix', async () => {
    const body = '6868656c6c6f2006005068656c6c6f'
    expect(lz4.compressBlockSync('hello hello hello hello').toString('hex')).toBe('17000000' + body)
    expect((await lz4.compressBlock('hello hello hello hello')).toString('hex')).toBe('17000000' + body)
    expect(lz4.compressBlockSync('hello hello hello hello', { storeSize: false }).toString('hex')).toBe(body)
    expect(lz4.compressBlockSync('').toString('hex')).toBe('0000000000')
    expect(lz4.decompressBlockSync(Buffer.from('0000000000', 'hex')).length).toBe(0)
  })

  for (const size of SIZES) {
    const data = sample(size, size + 3)
    it(`${size} bytes in every mode, sync and async`, async () => {
      const cases: lz4.CompressBlockOptions[] = [
        {},
        { mode: 'default' },
        { mode: 'fast' },
        { mode: 'fast', acceleration: 1 },
        { mode: 'fast', acceleration: 8 },
        { mode: 'fast', acceleration: 1000 },
        { mode: 'highCompression' },
        { mode: 'highCompression', compression: 1 },
        // Empty input at the optimal-parser levels (10 to 12) has its own test at the end of this
        // file: it crashed the process once, and a crash here would hide every later result.
        ...(size === 0 ? [] : [{ mode: 'highCompression' as const, compression: 12 }]),
      ]
      for (const options of cases) {
        const label = JSON.stringify(options)
        const block = lz4.compressBlockSync(data, options)
        expect(block.readUInt32LE(0), label).toBe(size)
        expect(lz4.decompressBlockSync(block).equals(data), label).toBe(true)
        expect((await lz4.compressBlock(data, options)).equals(block), label).toBe(true)
        expect((await lz4.decompressBlock(block)).equals(data), label).toBe(true)

        const bare = lz4.compressBlockSync(data, { ...options, storeSize: false })
        expect(bare.equals(block.subarray(4)), label).toBe(true)
        expect((await lz4.compressBlock(data, { ...options, storeSize: false })).equals(bare)).toBe(true)
        expect(lz4.decompressBlockSync(bare, { uncompressedSize: size }).equals(data), label).toBe(true)
        expect((await lz4.decompressBlock(bare, { uncompressedSize: size })).equals(data), label).toBe(true)
        // uncompressedSize is a capacity: more room gives the same output.
        expect(lz4.decompressBlockSync(bare, { uncompressedSize: size + 100 }).equals(data), label).toBe(true)
        expect((await lz4.decompressBlock(bare, { uncompressedSize: size + 100 })).equals(data), label).toBe(true)
      }
    })
  }

  it('fast with acceleration 1 is the default mode; compression above 12 acts as 12', () => {
    const data = sample(200 * KiB, 8)
    expect(lz4.compressBlockSync(data, { mode: 'fast' }).equals(lz4.compressBlockSync(data))).toBe(true)
    const hc12 = lz4.compressBlockSync(data, { mode: 'highCompression', compression: 12 })
    expect(lz4.compressBlockSync(data, { mode: 'highCompression', compression: 16 }).equals(hc12)).toBe(true)
    expect(lz4.compressBlockSync(data, { mode: 'highCompression' }).equals(lz4.compressBlockSync(data, { mode: 'highCompression', compression: 9 }))).toBe(true)
    expect(hc12.length).toBeLessThan(lz4.compressBlockSync(data).length)
    expect(lz4.compressBlockSync(data, { mode: 'fast', acceleration: 100 }).length).toBeGreaterThan(lz4.compressBlockSync(data).length)
    for (const options of [
      { mode: 'fast' as const, acceleration: 2 ** 31 - 1 },
      { mode: 'fast' as const, acceleration: 65_537 },
      { mode: 'highCompression' as const, compression: -(2 ** 31) + 1 },
      { mode: 'highCompression' as const, compression: 0 },
      { mode: 'highCompression' as const, compression: 2 ** 31 - 1 },
    ]) {
      expect(lz4.decompressBlockSync(lz4.compressBlockSync(data, options)).equals(data), JSON.stringify(options)).toBe(true)
    }
  })

  it('incompressible blocks round-trip', async () => {
    const data = noise(300_000)
    for (const options of [{}, { mode: 'highCompression' as const }, { storeSize: false }]) {
      const block = lz4.compressBlockSync(data, options)
      const decoded = options.storeSize === false ? lz4.decompressBlockSync(block, { uncompressedSize: data.length }) : lz4.decompressBlockSync(block)
      expect(decoded.equals(data)).toBe(true)
      expect((await lz4.compressBlock(data, options)).equals(block)).toBe(true)
    }
  })

  it('accepts every input type', async () => {
    const data = sample(5000, 4)
    const block = lz4.compressBlockSync(data)
    for (const input of [new Uint8Array(data), new DataView(new Uint8Array(data).buffer), new Uint8Array(data).buffer, data.toString('latin1')]) {
      expect(lz4.compressBlockSync(input).equals(block)).toBe(true)
      expect((await lz4.compressBlock(input)).equals(block)).toBe(true)
    }
    for (const input of [new Uint8Array(block), new DataView(new Uint8Array(block).buffer), new Uint8Array(block).buffer]) {
      expect(lz4.decompressBlockSync(input).equals(data)).toBe(true)
      expect((await lz4.decompressBlock(input)).equals(data)).toBe(true)
    }
  })

  it('dictionaries: the same dictionary round-trips; a missing or wrong one never gives the data back', async () => {
    const dict = sample(64 * KiB, 100)
    const other = sample(64 * KiB, 200)
    const data = sample(3000, 101)
    for (const options of [{}, { mode: 'fast' as const, acceleration: 4 }, { mode: 'highCompression' as const }, { storeSize: false }]) {
      const label = JSON.stringify(options)
      const block = lz4.compressBlockSync(data, { ...options, dict })
      expect((await lz4.compressBlock(data, { ...options, dict })).equals(block), label).toBe(true)
      expect(block.length, label).toBeLessThan(lz4.compressBlockSync(data, options).length)
      const size = options.storeSize === false ? { uncompressedSize: data.length } : {}
      expect(lz4.decompressBlockSync(block, { ...size, dict }).equals(data), label).toBe(true)
      expect((await lz4.decompressBlock(block, { ...size, dict: new Uint8Array(dict) })).equals(data), label).toBe(true)
      for (const wrong of [undefined, other]) {
        let out: Buffer | undefined
        try {
          out = lz4.decompressBlockSync(block, wrong === undefined ? size : { ...size, dict: wrong })
        } catch (error) {
          expect(error, label).toBeInstanceOf(SquishError)
          expect(['ERR_SQUISH_CORRUPT', 'ERR_SQUISH_DICTIONARY'], label).toContain((error as SquishError).code)
          continue
        }
        expect(out.equals(data), label).toBe(false)
      }
    }
  })
})

describe('lz4 block edge cases that once crashed', () => {
  // Empty input at the optimal-parser levels (10 to 12) crashed the process. It runs in a child
  // process first (on the built dist/), so that a crash fails this test alone instead of ending
  // the whole file; only when the child survives does it run here too.
  it('empty input in high-compression mode at levels 10 to 12 and above, sync and async', async () => {
    const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url))
    const script = `
      const { lz4 } = require(${JSON.stringify(dist)})
      ;(async () => {
        for (const compression of [10, 11, 12, 16]) {
          const sync = lz4.compressBlockSync(Buffer.alloc(0), { mode: 'highCompression', compression }).toString('hex')
          const async = (await lz4.compressBlock(Buffer.alloc(0), { mode: 'highCompression', compression })).toString('hex')
          process.stdout.write(sync + ' ' + async + '\\n')
        }
      })()`
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' })
    expect({ status: child.status, signal: child.signal, stderr: child.stderr }).toEqual({ status: 0, signal: null, stderr: '' })
    expect(child.stdout).toBe('0000000000 0000000000\n'.repeat(4))

    for (const compression of [10, 11, 12, 16]) {
      for (const storeSize of [true, false]) {
        const block = lz4.compressBlockSync(Buffer.alloc(0), { mode: 'highCompression', compression, storeSize })
        expect(block.toString('hex'), `compression ${compression}`).toBe(storeSize ? '0000000000' : '00')
        expect((await lz4.compressBlock(Buffer.alloc(0), { mode: 'highCompression', compression, storeSize })).equals(block)).toBe(true)
        const decoded = storeSize ? lz4.decompressBlockSync(block) : lz4.decompressBlockSync(block, { uncompressedSize: 0 })
        expect(decoded.length).toBe(0)
      }
    }
  })
})
