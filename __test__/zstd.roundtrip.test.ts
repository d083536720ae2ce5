import { describe, expect, it } from 'vitest'

import { zstd } from '../index'
import { binaryViews, noise, sample } from './helpers'

const SIZES = [0, 1, 100, 65535, 65536, 65537, 1 << 20, 16 << 20]
const LEVELS = [-5, 1, 3, 19]

describe('zstd one-shot round trips', () => {
  for (const size of SIZES) {
    const data = sample(size, size + 1)
    for (const level of LEVELS) {
      // Level 19 on 16 MiB takes seconds per direction; the sync path covers it once.
      const heavy = size === 16 << 20 && level === 19
      it(`${size} bytes at level ${level}, sync`, () => {
        const frame = zstd.compressSync(data, { level })
        expect(zstd.decompressSync(frame).equals(data)).toBe(true)
      })
      if (heavy) continue
      it(`${size} bytes at level ${level}, async`, async () => {
        const frame = await zstd.compress(data, { level })
        expect(frame.equals(zstd.compressSync(data, { level }))).toBe(true)
        expect((await zstd.decompress(frame)).equals(data)).toBe(true)
      })
    }
  }

  it('incompressible data round-trips and stays near its size', () => {
    const data = noise(1 << 20)
    const frame = zstd.compressSync(data)
    expect(frame.length).toBeLessThan(data.length + 64)
    expect(zstd.decompressSync(frame).equals(data)).toBe(true)
  })

  it('accepts every input type and compresses the same bytes', async () => {
    const bytes = sample(4096)
    const expected = zstd.compressSync(bytes)
    const inputs = binaryViews(bytes)
    for (const input of inputs) {
      expect(zstd.compressSync(input).equals(expected), input.constructor.name).toBe(true)
      expect((await zstd.compress(input)).equals(expected), input.constructor.name).toBe(true)
      const frame = new Uint8Array(expected)
      expect(zstd.decompressSync(frame.buffer).equals(bytes)).toBe(true)
    }
    const shared = new SharedArrayBuffer(bytes.length)
    new Uint8Array(shared).set(bytes)
    expect(zstd.compressSync(shared).equals(expected)).toBe(true)
  })

  it('encodes strings as UTF-8', async () => {
    const text = 'squish — zstd ✓ 圧縮 🗜️'.repeat(50)
    expect(zstd.decompressSync(zstd.compressSync(text)).toString('utf8')).toBe(text)
    expect((await zstd.decompress(await zstd.compress(text))).toString('utf8')).toBe(text)
  })

  it('returns Buffers that own exactly their memory, or small ones from the Buffer pool as Buffer.from does', async () => {
    const outputs: Buffer[] = []
    for (const size of [100, 3000, 5000, 60_000, 200_000]) {
      const data = sample(size)
      const frame = zstd.compressSync(data)
      const compressor = new zstd.Compressor()
      const decompressor = new zstd.Decompressor()
      outputs.push(frame, await zstd.compress(data), zstd.decompressSync(frame), await zstd.decompress(frame))
      outputs.push(compressor.compressSync(data), decompressor.decompressSync(frame), ...compressor.compressManySync([data, data]))
      outputs.push(zstd.decompressSync(zstd.compressSync(data, { contentSize: false })))
    }
    for (const out of outputs) {
      expect(Buffer.isBuffer(out)).toBe(true)
      if (out.length < Buffer.poolSize >>> 1) {
        expect(out.buffer.byteLength).toBeLessThanOrEqual(Math.max(Buffer.poolSize, out.length))
      } else {
        expect(out.buffer.byteLength).toBe(out.length)
        expect(out.byteOffset).toBe(0)
      }
    }
  })


  it('small outputs share a pool without overwriting each other, across pool refills', () => {
    // Sizes around the 4 KiB pooling limit and enough calls to refill the pool many times.
    const inputs = Array.from({ length: 600 }, (_, i) => noise([1, 100, 1000, 3000, 4000, 4095, 4096, 5000][i % 8]! + (i % 3)))
    const compressor = new zstd.Compressor({ level: 1 })
    const decompressor = new zstd.Decompressor()
    const frames = inputs.map((data, i) => (i % 2 ? compressor.compressSync(data) : zstd.compressSync(data)))
    const outputs = frames.map((frame, i) => (i % 2 ? decompressor.decompressSync(frame) : zstd.decompressSync(frame)))
    frames.forEach((frame, i) => expect(frame.equals(zstd.compressSync(inputs[i]!, { level: i % 2 ? 1 : 3 }))).toBe(true))
    outputs.forEach((out, i) => expect(out.equals(inputs[i]!)).toBe(true))
    for (const out of [...frames, ...outputs]) {
      if (out.length >= 4096) expect(out.buffer.byteLength).toBe(out.length)
      else expect(out.buffer.byteLength).toBeLessThanOrEqual(8192)
    }
  })
  it('small async outputs, many in flight, share memory without overwriting each other', async () => {
    const inputs = Array.from({ length: 600 }, (_, i) => noise([1, 100, 1000, 3000, 4000, 4095, 4096, 5000][i % 8]! + (i % 3)))
    const compressor = new zstd.Compressor({ level: 1 })
    const frames = await Promise.all(inputs.map((data, i) => (i % 2 ? compressor.compress(data) : zstd.compress(data))))
    const outputs = await Promise.all(frames.map((frame) => zstd.decompress(frame)))
    frames.forEach((frame, i) => expect(frame.equals(zstd.compressSync(inputs[i]!, { level: i % 2 ? 1 : 3 }))).toBe(true))
    outputs.forEach((out, i) => expect(out.equals(inputs[i]!)).toBe(true))
    for (const out of [...frames, ...outputs]) {
      if (out.length >= 4096) expect(out.buffer.byteLength).toBe(out.length)
      else expect(out.buffer.byteLength).toBeLessThanOrEqual(8192)
    }
  })

  it('golden bytes: the empty frame and a small known input', () => {
    expect(zstd.compressSync(Buffer.alloc(0)).toString('hex')).toBe('28b52ffd2000010000')
    expect(zstd.compressSync('hello squish\n').toString('hex')).toBe(
      '28b52ffd200d690000' + Buffer.from('hello squish\n').toString('hex'),
    )
    expect(zstd.compressSync('hello squish\n', { checksum: true }).toString('hex')).toMatch(
      /^28b52ffd240d690000[0-9a-f]{26}[0-9a-f]{8}$/,
    )
    expect(zstd.decompressSync(Buffer.from('28b52ffd2000010000', 'hex')).length).toBe(0)
  })

  it('frame options shape the header', () => {
    const data = sample(1000)
    const plain = zstd.compressSync(data)
    const checked = zstd.compressSync(data, { checksum: true })
    expect(checked.length).toBe(plain.length + 4)
    const sizeless = zstd.compressSync(data, { contentSize: false })
    expect(sizeless.length).toBeLessThan(plain.length)
    for (const frame of [checked, sizeless, zstd.compressSync(data, { dictId: false, level: 0 })]) {
      expect(zstd.decompressSync(frame).equals(data)).toBe(true)
    }
  })

  it('every level from MIN_LEVEL-ish to MAX_LEVEL round-trips', () => {
    const data = sample(20_000)
    for (const level of [zstd.MIN_LEVEL, -1000, -1, 0, ...Array.from({ length: zstd.MAX_LEVEL }, (_, i) => i + 1)]) {
      expect(zstd.decompressSync(zstd.compressSync(data, { level })).equals(data), `level ${level}`).toBe(true)
    }
  })

  it('concatenated frames decode to the concatenation; skippable frames are skipped', async () => {
    const a = sample(70_000, 3)
    const b = sample(500, 4)
    const skippable = Buffer.from('5a2a4d1804000000deadbeef', 'hex')
    const input = Buffer.concat([zstd.compressSync(a), skippable, zstd.compressSync(b, { contentSize: false })])
    const expected = Buffer.concat([a, b])
    expect(zstd.decompressSync(input).equals(expected)).toBe(true)
    expect((await zstd.decompress(input)).equals(expected)).toBe(true)
    const first = zstd.decompressSync(input, { readAcrossFrames: false, allowExtraData: true })
    expect(first.equals(a)).toBe(true)
  })

  it('trailing data is ignored with allowExtraData', () => {
    const data = sample(3000)
    const input = Buffer.concat([zstd.compressSync(data), Buffer.from('trailing bytes')])
    expect(zstd.decompressSync(input, { allowExtraData: true }).equals(data)).toBe(true)
  })

  it('frames without a content size decode by streaming, within maxOutputSize', async () => {
    const data = sample(1 << 20)
    const frame = zstd.compressSync(data, { contentSize: false })
    expect(zstd.decompressSync(frame).equals(data)).toBe(true)
    expect((await zstd.decompress(frame)).equals(data)).toBe(true)
    expect(zstd.decompressSync(frame, { maxOutputSize: data.length }).equals(data)).toBe(true)
    expect(zstd.decompressSync(frame, { maxOutputSize: Infinity }).equals(data)).toBe(true)
  })

  it('large known-size outputs decode straight into an exact Buffer', async () => {
    const data = sample(3 << 20)
    const input = Buffer.concat([zstd.compressSync(data.subarray(0, 1 << 20)), zstd.compressSync(data.subarray(1 << 20))])
    expect(zstd.decompressSync(input).equals(data)).toBe(true)
    expect((await zstd.decompress(input)).equals(data)).toBe(true)
  })

  it('many concurrent async calls all resolve correctly', async () => {
    const inputs = Array.from({ length: 200 }, (_, i) => sample(1000 + i * 37, i))
    const frames = await Promise.all(inputs.map((d, i) => zstd.compress(d, { level: (i % 5) + 1 })))
    frames.forEach((f, i) => expect(f.equals(zstd.compressSync(inputs[i]!, { level: (i % 5) + 1 }))).toBe(true))
    const outputs = await Promise.all(frames.map((f) => zstd.decompress(f)))
    outputs.forEach((o, i) => expect(o.equals(inputs[i]!)).toBe(true))
  })
})

describe('zstd.compressBound', () => {
  it('is libzstd\'s bound, for any size up to the largest safe integer', () => {
    expect(zstd.compressBound(0)).toBe(64)
    expect(zstd.compressBound(1000)).toBe(1000 + 3 + 63)
    expect(zstd.compressBound(2 ** 33)).toBe(2 ** 33 + 2 ** 25)
    for (const size of [0, 1, 100, 5000, 200_000]) {
      expect(zstd.compressSync(noise(size, size), { level: 1 }).length).toBeLessThanOrEqual(zstd.compressBound(size))
    }
  })

  it('takes a non-negative integer', () => {
    for (const size of [-1, 1.5, NaN, '10', undefined]) {
      expect(() => zstd.compressBound(size as number)).toThrow(expect.objectContaining({ code: 'ERR_SQUISH_INVALID_ARG' }))
    }
  })
})
