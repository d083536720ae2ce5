import { describe, expect, it } from 'vitest'

import { lz4, type SquishError, zstd } from '../index'
import { noise, rejected, run, sample, thrown } from './helpers'

describe('LZ4 frames compressed on several threads', () => {
  const BLOCKS: Array<[number, number]> = [
    [lz4.BLOCKSIZE_MAX64KB, 64 << 10],
    [lz4.BLOCKSIZE_MAX256KB, 256 << 10],
    [lz4.BLOCKSIZE_MAX1MB, 1 << 20],
    [lz4.BLOCKSIZE_MAX4MB, 4 << 20],
  ]

  it('are byte for byte the single-threaded frame of independent blocks, sync and async', async () => {
    const data = Buffer.concat([sample(3_000_000, 3), noise(700_000), sample(2_500_001, 4)])
    for (const [blockSize, bytes] of BLOCKS) {
      // High compression is slow: one block size is enough to check it.
      const cases: Array<[number, boolean, boolean]> = [[0, false, true], [-5, true, false], ...(bytes === 64 << 10 ? [[9, true, true] as [number, boolean, boolean]] : [])]
      for (const [level, checksums, storeSize] of cases) {
        const settings = { blockSize, level, contentChecksum: checksums, blockChecksum: checksums, storeSize }
        const one = lz4.compressSync(data, { ...settings, blockLinked: false })
        for (const threads of [0, 2, 3]) {
          expect(lz4.compressSync(data, { ...settings, threads }).equals(one), `${bytes} B blocks, level ${level}, ${threads} threads`).toBe(true)
          expect((await lz4.compress(data, { ...settings, threads })).equals(one)).toBe(true)
        }
      }
    }
  })

  it('at every size around a block and a job boundary', () => {
    for (const size of [0, 1, (64 << 10) - 1, 64 << 10, (64 << 10) + 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, (2 << 20) + 3]) {
      const data = sample(size, size)
      const one = lz4.compressSync(data, { blockLinked: false, contentChecksum: true })
      const many = lz4.compressSync(data, { threads: 2, contentChecksum: true })
      expect(many.equals(one), `${size} B`).toBe(true)
      // Made on several threads: a Buffer of its own, exactly as long as the frame.
      if (size > 1 << 20) expect(many.buffer.byteLength).toBe(many.length)
      expect(lz4.decompressSync(one).equals(data)).toBe(true)
    }
  })

  it('decode with lz4 -d, checksums checked', () => {
    const data = sample(9_000_000, 8)
    const frame = lz4.compressSync(data, { threads: 2, contentChecksum: true, blockChecksum: true, level: 3 })
    expect(run('lz4', ['-d', '-c'], frame).equals(data)).toBe(true)
  })

  it('refuse a thread count that is not an integer from 0 to 1024', () => {
    for (const threads of [-1, 1.5, 1025, '2']) {
      thrown(() => lz4.compressSync(Buffer.alloc(10), { threads: threads as number }), 'ERR_SQUISH_INVALID_ARG')
    }
  })
})

describe('independent frames of frameSize', () => {
  const data = Buffer.concat([sample(2_000_000, 21), noise(300_000, 3), sample(1_234_567, 22)])
  const FRAME = 500_000
  const pieces = Array.from({ length: Math.ceil(data.length / FRAME) }, (_, i) => data.subarray(i * FRAME, (i + 1) * FRAME))

  it('zstd: a Compressor cuts large inputs into the frames it makes of each piece, sync and async', async () => {
    const framed = new zstd.Compressor({ level: 5, checksum: true, frameSize: FRAME })
    const plain = new zstd.Compressor({ level: 5, checksum: true })
    const expected = Buffer.concat(pieces.map((p) => plain.compressSync(p)))
    expect(framed.compressSync(data).equals(expected)).toBe(true)
    expect((await framed.compress(data)).equals(expected)).toBe(true)
    expect(framed.compressSync(pieces[0]!).equals(plain.compressSync(pieces[0]!))).toBe(true)
    expect(zstd.getFrameParameters(expected).contentSize).toBe(FRAME)
    expect(run('zstd', ['-d', '-c'], expected).equals(data)).toBe(true)
  })

  it('lz4: compressSync and compress cut large inputs into the frames of each piece, on any number of threads', async () => {
    const settings = { level: 3, contentChecksum: true, blockSize: lz4.BLOCKSIZE_MAX256KB }
    const expected = Buffer.concat(pieces.map((p) => lz4.compressSync(p, settings)))
    for (const threads of [1, 2, 0]) {
      expect(lz4.compressSync(data, { ...settings, frameSize: FRAME, threads }).equals(expected), `${threads} threads`).toBe(true)
      expect((await lz4.compress(data, { ...settings, frameSize: FRAME, threads })).equals(expected)).toBe(true)
    }
    expect(lz4.getFrameInfo(expected).contentSize).toBe(FRAME)
    expect(run('lz4', ['-d', '-c'], expected).equals(data)).toBe(true)
  })

  it('refuse a frameSize that is not a non-negative integer', () => {
    for (const frameSize of [-1, 0.5, '1']) {
      thrown(() => new zstd.Compressor({ frameSize: frameSize as number }), 'ERR_SQUISH_INVALID_ARG')
      thrown(() => lz4.compressSync(data, { frameSize: frameSize as number }), 'ERR_SQUISH_INVALID_ARG')
    }
  })
})

describe('multi-frame input decoded on several threads', () => {
  const data = Buffer.concat([sample(3_000_000, 31), noise(200_000, 5), sample(1_000_001, 32)])
  const FRAME = Math.ceil(data.length / 8)
  const codecs = {
    zstd: {
      frames: new zstd.Compressor({ level: 3, frameSize: FRAME, checksum: true }).compressSync(data),
      unsized: Buffer.concat([0, 1, 2].map((i) => zstd.compressSync(data.subarray(i * FRAME, (i + 1) * FRAME), { contentSize: false }))),
      decompressSync: zstd.decompressSync,
      decompress: zstd.decompress,
    },
    lz4: {
      frames: lz4.compressSync(data, { frameSize: FRAME, threads: 0, contentChecksum: true, blockChecksum: true }),
      unsized: Buffer.concat([0, 1, 2].map((i) => lz4.compressSync(data.subarray(i * FRAME, (i + 1) * FRAME), { storeSize: false }))),
      decompressSync: lz4.decompressSync,
      decompress: lz4.decompress,
    },
  }

  for (const [name, c] of Object.entries(codecs)) {
    it(`${name}: the output equals sequential decoding, sync and async`, async () => {
      for (const threads of [0, 2, 3, 8]) {
        expect(c.decompressSync(c.frames, { threads }).equals(data), `${threads} threads`).toBe(true)
        expect((await c.decompress(c.frames, { threads })).equals(data)).toBe(true)
      }
      const head = data.subarray(0, 3 * FRAME)
      expect(c.decompressSync(c.unsized, { threads: 2 }).equals(head)).toBe(true)
      expect((await c.decompress(c.unsized, { threads: 2 })).equals(head)).toBe(true)
    })

    it(`${name}: a corrupt frame fails as it does sequentially, and the limit still holds`, async () => {
      const bad = Buffer.from(c.frames)
      bad[bad.length >> 1] ^= 0xff
      let sequential: SquishError | undefined
      try {
        c.decompressSync(bad)
      } catch (error) {
        sequential = error as SquishError
      }
      expect(['ERR_SQUISH_CORRUPT', 'ERR_SQUISH_CHECKSUM']).toContain(sequential?.code)
      expect(thrown(() => c.decompressSync(bad, { threads: 2 }), sequential!.code).message).toBe(sequential!.message)
      expect((await rejected(c.decompress(bad, { threads: 2 }), sequential!.code)).message).toBe(sequential!.message)
      thrown(() => c.decompressSync(c.frames, { threads: 2, maxOutputSize: data.length - 1 }), 'ERR_SQUISH_OUTPUT_LIMIT')
    })
  }

  it('refuse a thread count that is not an integer from 0 to 1024', async () => {
    for (const threads of [-1, 2.5, 1025, '2']) {
      const options = { threads: threads as number }
      thrown(() => zstd.decompressSync(codecs.zstd.frames, options), 'ERR_SQUISH_INVALID_ARG')
      thrown(() => lz4.decompressSync(codecs.lz4.frames, options), 'ERR_SQUISH_INVALID_ARG')
      await rejected(zstd.decompress(codecs.zstd.frames, options), 'ERR_SQUISH_INVALID_ARG')
      await rejected(lz4.decompress(codecs.lz4.frames, options), 'ERR_SQUISH_INVALID_ARG')
    }
  })

  it('lz4.decompressIntoSync and decompressInto take threads too', async () => {
    const output = Buffer.alloc(data.length + 10)
    expect(lz4.decompressIntoSync(codecs.lz4.frames, output, { threads: 2 })).toBe(data.length)
    expect(output.subarray(0, data.length).equals(data)).toBe(true)
    output.fill(0)
    expect(await lz4.decompressInto(codecs.lz4.frames, output, { threads: 0 })).toBe(data.length)
    expect(output.subarray(0, data.length).equals(data)).toBe(true)
  })
})
