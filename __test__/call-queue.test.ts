// Small async one-shot calls go to native code in rounds (src/call-queue.ts): calls made in one
// turn of the event loop, of both codecs and any settings, mixed with failures, large outputs and
// several zstd compressors and decompressors, each give what its sync twin gives.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { lz4, SquishError, zstd } from '../index'
import { noise, sample } from './helpers'

type Outcome = { ok: Buffer } | { code: string; message: string }

/** What `f` gives: its output, or its error's code and message. */
async function outcome(f: () => Buffer | Promise<Buffer>): Promise<Outcome> {
  try {
    return { ok: Buffer.from(await f()) }
  } catch (error) {
    if (!(error instanceof SquishError)) throw error
    return { code: error.code, message: error.message }
  }
}

const dictionary = new zstd.Dictionary(sample(4096, 77), { type: 'raw' })
const withDictionary = new zstd.Decompressor({ dictionary })
const smallWindow = new zstd.Decompressor({ maxWindowSize: 1 << 10 })
const framed = zstd.compressSync(sample(3000, 5), { frameSize: 1000 })
const dictCompressor = new zstd.Compressor({ dictionary })
const checksummed = new zstd.Compressor({ level: 5, checksum: true, frameSize: 900 })

/** One call, as an async call and its sync twin. */
interface Call {
  name: string
  sync: () => Buffer
  async: () => Promise<Buffer>
}

function call(name: string, sync: () => Buffer, async: () => Promise<Buffer>): Call {
  return { name, sync, async }
}

/** The calls a round may hold, made from `seed` and `size`. */
function calls(seed: number, size: number): Call[] {
  const data = seed % 5 === 0 ? noise(size, seed) : sample(size, seed)
  const zframe = zstd.compressSync(data)
  const lframe = lz4.compressSync(data)
  const dictFrame = dictCompressor.compressSync(data)
  return [
    call('zstd.compress', () => zstd.compressSync(data), () => zstd.compress(data)),
    call('zstd.compress level 9, checksum', () => zstd.compressSync(data, { level: 9, checksum: true }), () => zstd.compress(data, { level: 9, checksum: true })),
    call('zstd.compress frameSize', () => zstd.compressSync(data, { frameSize: 700 }), () => zstd.compress(data, { frameSize: 700 })),
    call('zstd.compress bad level', () => zstd.compressSync(data, { level: 99 }), () => zstd.compress(data, { level: 99 })),
    call('zstd.decompress', () => zstd.decompressSync(zframe), () => zstd.decompress(zframe)),
    call('zstd.decompress frames, threads', () => zstd.decompressSync(framed, { threads: 2 }), () => zstd.decompress(framed, { threads: 2 })),
    call('zstd.decompress truncated', () => zstd.decompressSync(zframe.subarray(0, -1)), () => zstd.decompress(zframe.subarray(0, -1))),
    call('zstd.decompress over maxOutputSize', () => zstd.decompressSync(zframe, { maxOutputSize: 10 }), () => zstd.decompress(zframe, { maxOutputSize: 10 })),
    call('Compressor with a dictionary', () => dictCompressor.compressSync(data), () => dictCompressor.compress(data)),
    call('Compressor level 5, checksum, frameSize', () => checksummed.compressSync(data), () => checksummed.compress(data)),
    call('Decompressor with a dictionary', () => withDictionary.decompressSync(dictFrame), () => withDictionary.decompress(dictFrame)),
    call('Decompressor with a small window', () => smallWindow.decompressSync(zframe), () => smallWindow.decompress(zframe)),
    call('lz4.compress', () => lz4.compressSync(data), () => lz4.compress(data)),
    call('lz4.compress level 9, 64 KiB blocks, checksum', () => lz4.compressSync(data, { level: 9, blockSize: 64 << 10, contentChecksum: true }), () => lz4.compress(data, { level: 9, blockSize: 64 << 10, contentChecksum: true })),
    call('lz4.decompress', () => lz4.decompressSync(lframe), () => lz4.decompress(lframe)),
    call('lz4.decompress corrupt', () => lz4.decompressSync(Buffer.concat([lframe.subarray(0, 7), Buffer.from('garbage')])), () => lz4.decompress(Buffer.concat([lframe.subarray(0, 7), Buffer.from('garbage')]))),
  ]
}

describe('the call queue', () => {
  it('gives each call of a mixed round what its sync twin gives', async () => {
    const sizes = [0, 1, 100, 1000, 4095, 4096, 20_000, 64 << 10]
    const all = sizes.flatMap((size, i) => calls(i + 1, size))
    const expected = await Promise.all(all.map((c) => outcome(c.sync)))
    // All in one turn of the event loop: one round.
    const pending = all.map((c) => outcome(c.async))
    const got = await Promise.all(pending)
    got.forEach((g, i) => expect(g, all[i]!.name).toEqual(expected[i]))
  })

  it('keeps its answers whatever calls share a round, and in what order', async () => {
    const pool = [0, 1, 2].flatMap((seed) => calls(seed + 10, [50, 900, 5000][seed]!))
    const expected = await Promise.all(pool.map((c) => outcome(c.sync)))
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(pool.length - 1), { minLength: 1, maxLength: 40 }), fc.nat(3), async (picks, turns) => {
        // The picks, spread over a few turns of the event loop.
        const pending: Promise<Outcome>[] = []
        for (const [k, pick] of picks.entries()) {
          if (turns > 0 && k % (turns + 1) === 0) await new Promise((resolve) => setImmediate(resolve))
          pending.push(outcome(pool[pick]!.async))
        }
        const got = await Promise.all(pending)
        got.forEach((g, k) => expect(g, pool[picks[k]!]!.name).toEqual(expected[picks[k]!]))
      }),
      { numRuns: 60 },
    )
  })

  it('reads each input as it was when the call was made', async () => {
    const inputs = Array.from({ length: 64 }, (_, i) => sample(300 + i, i))
    const copies = inputs.map((input) => Buffer.from(input))
    const frames = inputs.map((input) => zstd.compress(input))
    const blocks = inputs.map((input) => lz4.compress(input))
    for (const input of inputs) input.fill(0x55)
    const [z, l] = await Promise.all([Promise.all(frames), Promise.all(blocks)])
    z.forEach((frame, i) => expect(zstd.decompressSync(frame).equals(copies[i]!)).toBe(true))
    l.forEach((frame, i) => expect(lz4.decompressSync(frame).equals(copies[i]!)).toBe(true))
  })

  it('takes rounds larger than its stage and its job table', async () => {
    // 3,000 calls (its table holds 1,024) of 600 KiB in all (its stage holds 256 KiB).
    const inputs = Array.from({ length: 3000 }, (_, i) => sample(200 + (i % 7), i))
    const frames = await Promise.all(inputs.map((input, i) => (i % 2 ? lz4 : zstd).compress(input)))
    frames.forEach((frame, i) => expect((i % 2 ? lz4 : zstd).decompressSync(frame).equals(inputs[i]!)).toBe(true))
    const big = Array.from({ length: 10 }, (_, i) => sample(60_000, i))
    const outputs = await Promise.all(big.map((input) => zstd.compress(input, { level: 1 })))
    outputs.forEach((frame, i) => expect(zstd.decompressSync(frame).equals(big[i]!)).toBe(true))
  })

  it('gives outputs that stay as they are while later ones settle', async () => {
    const inputs = Array.from({ length: 500 }, (_, i) => sample(100 + (i % 50), i))
    const kept: Buffer[] = []
    for (let turn = 0; turn < 5; turn++) {
      kept.push(...(await Promise.all(inputs.slice(turn * 100, turn * 100 + 100).map((input) => lz4.compress(input)))))
    }
    kept.forEach((frame, i) => expect(lz4.decompressSync(frame).equals(inputs[i]!)).toBe(true))
  })
})
