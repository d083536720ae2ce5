// Damaged frames give one answer on every decoding path: the original bytes, or the same typed
// SquishError. Frames are cut at every byte, and fast-check flips bits, rewrites header bytes
// and cuts frames made with varied settings.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { lz4, zstd } from '../index'
import { sample } from './helpers'
import { answer, type Codec, paths } from './paths'

const MAX = 1 << 20
/** The paths through files are left out: they take a temporary file per case. */
const SLOW = ['open', 'decompressFile']
/** Every path's answer for `input`, by path name. */
async function answers(codec: Codec, input: Buffer, size: number): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const [name, decode] of Object.entries(paths(codec, { maxOutputSize: MAX }, size))) {
    if (!SLOW.includes(name)) out[name] = await answer(() => decode(input))
  }
  return out
}

/** One answer across paths, which is the content when the input is the original frame. */
async function oneAnswer(codec: Codec, input: Buffer, size: number): Promise<void> {
  const got = await answers(codec, input, size)
  const first = Object.values(got)[0]!
  expect(got, `input ${input.toString('hex')}, chunks of ${size}`).toEqual(Object.fromEntries(Object.keys(got).map((k) => [k, first])))
  expect(first).toMatch(/^(ok [0-9a-f]*|ERR_SQUISH_[A-Z_]+)$/)
}

const content = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.integer({ min: 0, max: 3000 }).map((n) => sample(n, n + 1)),
)

const zstdFrame = fc
  .record({ data: content, level: fc.integer({ min: -5, max: 19 }), checksum: fc.boolean(), contentSize: fc.boolean(), twice: fc.boolean() })
  .map(({ data, twice, ...options }) => {
    const frame = zstd.compressSync(data, options)
    return twice ? Buffer.concat([frame, zstd.compressSync(data.subarray(0, 40), options)]) : frame
  })

const lz4Frame = fc
  .record({
    data: content,
    level: fc.integer({ min: 0, max: 12 }),
    contentChecksum: fc.boolean(),
    blockChecksum: fc.boolean(),
    storeSize: fc.boolean(),
    blockLinked: fc.boolean(),
  })
  .map(({ data, ...options }) => lz4.compressSync(data, options))

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('header' as const), at: fc.integer({ min: 0, max: 18 }), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
)

function mutate(frame: Buffer, m: { kind: string; at: number; bit?: number; value?: number }): Buffer {
  const out = Buffer.from(frame)
  const at = m.at % Math.max(1, out.length)
  if (m.kind === 'cut') return out.subarray(0, at)
  if (m.kind === 'flip') out[at] = out[at]! ^ (1 << m.bit!)
  else out[at] = m.value!
  return out
}

describe('damaged frames give one answer on every path', () => {
  for (const codec of ['zstd', 'lz4'] as const) {
    it(`${codec}: a frame cut at every byte`, async () => {
      const c = codec === 'zstd' ? zstd : lz4
      const frame = c.compressSync(sample(2000), { checksum: true, contentChecksum: true, blockChecksum: true, blockSize: lz4.BLOCKSIZE_MAX64KB })
      for (let end = 0; end <= frame.length; end += 1) await oneAnswer(codec, frame.subarray(0, end), 1 + (end % 5))
      // About a thousand cuts through every path: 30-60 s on a loaded 2-core machine.
    }, 180_000)

    it(`${codec}: bit flips, header edits and cuts of frames with varied settings`, async () => {
      await fc.assert(
        fc.asyncProperty(codec === 'zstd' ? zstdFrame : lz4Frame, mutation, fc.integer({ min: 1, max: 64 }), (frame, m, size) =>
          oneAnswer(codec, mutate(frame, m), size),
        ),
        // A fixed seed: the same cases on every run, so that a failure is a regression, not luck.
        { numRuns: 300, seed: 19 },
      )
    })
  }
})
