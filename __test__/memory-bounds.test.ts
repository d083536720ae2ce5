// Memory follows the input, not the header: a frame or block that claims more content than its
// bytes can decode to is refused before anything is allocated for the claim. Peak memory is
// measured in a child process.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { lz4, zstd } from '../index'
import { rejected, thrown, xxh32 } from './helpers'

/** A zstd frame whose header claims 255 MiB, holding one raw block 'abc'. */
const ZSTD_BOMB = Buffer.from('28b52ffd80500000f00f190000616263', 'hex')

/** An LZ4 frame whose header claims 255 MiB, holding one uncompressed block 'abc'. */
function lz4Bomb(): Buffer {
  const descriptor = Buffer.alloc(10)
  descriptor[0] = 0x68 // version 01, independent blocks, content size
  descriptor[1] = 0x40 // 64 KiB blocks
  descriptor.writeBigUInt64LE(255n << 20n, 2)
  const check = (xxh32(descriptor) >>> 8) & 0xff
  const block = Buffer.from([3, 0, 0, 0x80, 0x61, 0x62, 0x63])
  return Buffer.concat([Buffer.from('04224d18', 'hex'), descriptor, Buffer.from([check]), block, Buffer.alloc(4)])
}
const LZ4_BOMB = lz4Bomb()

/** An LZ4 block whose size prefix claims 255 MiB, holding the literals 'abc'. */
const BLOCK_BOMB = Buffer.from([0x00, 0x00, 0xf0, 0x0f, 0x30, 0x61, 0x62, 0x63])

const dist = process.env.SQUISH_DIST ?? join(__dirname, '..', 'dist', 'index.js')

/** Peak RSS growth (MB) of a child that runs `calls` eight at a time, and their error codes. */
function peak(calls: string): { growth: number; codes: string[] } {
  const script = `
    const { zstd, lz4 } = require(${JSON.stringify(dist)})
    const zstdBomb = Buffer.from('${ZSTD_BOMB.toString('hex')}', 'hex')
    const lz4Bomb = Buffer.from('${LZ4_BOMB.toString('hex')}', 'hex')
    const blockBomb = Buffer.from('${BLOCK_BOMB.toString('hex')}', 'hex')
    const before = process.resourceUsage().maxRSS
    const attempt = (f) => { try { return Promise.resolve(f()) } catch (e) { return Promise.reject(e) } }
    Promise.allSettled(Array.from({ length: 8 }, () => attempt(() => ${calls}))).then((results) => {
      const growth = (process.resourceUsage().maxRSS - before) / 1024
      console.log(JSON.stringify({ growth, codes: results.map((r) => r.reason?.code ?? 'resolved') }))
    })`
  return JSON.parse(execFileSync(process.execPath, ['-e', script]).toString())
}

describe('a claim larger than the input can decode to is refused before it is allocated', () => {
  const cases: Record<string, string> = {
    'zstd.decompress': 'zstd.decompress(zstdBomb)',
    'zstd.decompressSync': 'zstd.decompressSync(zstdBomb)',
    'Decompressor.decompress': 'new zstd.Decompressor().decompress(zstdBomb)',
    'Decompressor.decompressMany': 'new zstd.Decompressor().decompressMany([zstdBomb, zstdBomb])',
    'lz4.decompress': 'lz4.decompress(lz4Bomb)',
    'lz4.decompressSync': 'lz4.decompressSync(lz4Bomb)',
    'lz4.decompressBlock': 'lz4.decompressBlock(blockBomb)',
    'lz4.decompressBlockSync': 'lz4.decompressBlockSync(blockBomb)',
  }
  for (const [name, call] of Object.entries(cases)) {
    it(`${name}, eight at once: ERR_SQUISH_CORRUPT, peak RSS growth under 64 MB`, () => {
      const { growth, codes } = peak(call)
      expect(codes).toEqual(Array(8).fill('ERR_SQUISH_CORRUPT'))
      expect(growth).toBeLessThan(64)
    })
  }

  it('the messages say what the blocks can hold', async () => {
    expect(thrown(() => zstd.decompressSync(ZSTD_BOMB), 'ERR_SQUISH_CORRUPT').message).toMatch(/claims 267386880 bytes .* at most 3 bytes/)
    expect(thrown(() => lz4.decompressSync(LZ4_BOMB), 'ERR_SQUISH_CORRUPT').message).toMatch(/claims 267386880 bytes .* at most 3 bytes/)
    await rejected(lz4.decompressBlock(BLOCK_BOMB), 'ERR_SQUISH_CORRUPT')
    // Frame inspection still reports the header's claim.
    expect(zstd.frameContentSize(ZSTD_BOMB)).toBe(255 * 2 ** 20)
    expect(lz4.getFrameInfo(LZ4_BOMB).contentSize).toBe(255 * 2 ** 20)
  })

  it('genuine frames that expand by the most each block allows still decode', () => {
    // RLE blocks: 4 bytes of zstd block each for 128 KiB of output.
    const zeros = Buffer.alloc(64 << 20)
    expect(zstd.decompressSync(zstd.compressSync(zeros, { level: 1 })).equals(zeros)).toBe(true)
    expect(lz4.decompressSync(lz4.compressSync(zeros)).equals(zeros)).toBe(true)
    expect(lz4.decompressSync(lz4.compressSync(zeros, { blockSize: lz4.BLOCKSIZE_MAX4MB })).equals(zeros)).toBe(true)
    const block = lz4.compressBlockSync(zeros.subarray(0, 16 << 20))
    expect(lz4.decompressBlockSync(block).length).toBe(16 << 20)
    const raw = lz4.compressBlockSync(zeros.subarray(0, 1 << 20), { storeSize: false })
    expect(lz4.decompressBlockSync(raw, { uncompressedSize: 200 << 20 }).length).toBe(1 << 20)
  })
})
