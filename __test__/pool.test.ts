import { readFile } from 'node:fs/promises'

import { describe, expect, it } from 'vitest'

import { backend, lz4, SquishError, zstd } from '../index'
import { sample } from './helpers'

describe("squish's worker pool", () => {
  it('async compressions do not occupy libuv threads: fs work queued after them finishes first', async () => {
    // libuv runs fs work on 4 threads. Queue twice that many slow compressions, then a file read:
    // were the compressions on libuv's pool, the read would wait for the first four to finish.
    const data = sample(1 << 20, 5)
    const events: string[] = []
    const compressions = Array.from({ length: 8 }, (_, i) =>
      zstd.compress(data, { level: 19 }).then((frame) => {
        events.push(`compress ${i}`)
        return frame
      }),
    )
    const read = readFile(__filename).then(() => events.push('readFile'))
    const immediate = new Promise<void>((resolve) => setImmediate(resolve)).then(() => events.push('setImmediate'))
    await Promise.all([read, immediate, ...compressions])
    expect(events.slice(0, 2).sort()).toEqual(['readFile', 'setImmediate'])
    expect(events.filter((e) => e.startsWith('compress'))).toHaveLength(8)
    expect(backend.threads).toBeGreaterThanOrEqual(1)
  })

  it('sync and async calls interleave on the main thread and the pool without interfering', async () => {
    const inputs = Array.from({ length: 50 }, (_, i) => sample(20_000 + i, i))
    const pending = inputs.map((d) => zstd.compress(d, { level: 5, checksum: true }))
    const sync = inputs.map((d) => zstd.compressSync(d, { level: 5, checksum: true }))
    const frames = await Promise.all(pending)
    frames.forEach((f, i) => expect(f.equals(sync[i]!)).toBe(true))
  })

  it('thousands of calls in flight each settle with their own answer, failures included', async () => {
    const inputs = Array.from({ length: 3000 }, (_, i) => Buffer.from(`message ${i} `.repeat((i % 7) + 1)))
    const fails = (i: number) => i % 10 === 9
    const calls = inputs.map((d, i) => (fails(i) ? lz4.decompress(d) : i % 2 ? lz4.compress(d) : zstd.compress(d)))
    const settled = await Promise.allSettled(calls)
    settled.forEach((s, i) => {
      if (fails(i)) {
        expect(s.status === 'rejected' && s.reason instanceof SquishError && s.reason.code).toBe('ERR_SQUISH_CORRUPT')
        return
      }
      expect(s.status).toBe('fulfilled')
      const frame = (s as PromiseFulfilledResult<Buffer>).value
      expect((i % 2 ? lz4.decompressSync(frame) : zstd.decompressSync(frame)).equals(inputs[i]!)).toBe(true)
    })
  })
})
