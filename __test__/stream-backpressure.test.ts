import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

import { beforeAll, describe, expect, it } from 'vitest'

import { lz4, zstd } from '../index'

// 128 MiB of zeros, a few hundred KiB compressed: every path may decode about one 4 MiB piece
// ahead of its reader, never the whole chunk's expansion.
const SIZE = 128 << 20
const AHEAD = 12 << 20
const codecs = [
  ['zstd', zstd],
  ['lz4', lz4],
] as const

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** Bytes of live ArrayBuffers (Buffers included): what the code holds, not garbage. */
function held(): number {
  gc()
  return process.memoryUsage().arrayBuffers
}

/** {@link held} once `settle` ms have passed. */
async function heldAfter(settle: number): Promise<number> {
  await sleep(settle)
  return held()
}

/** `SIZE` bytes of zeros, compressed 1 MiB at a time: no large buffer is left for the collector to free mid-test. */
async function bombOf(codec: typeof zstd): Promise<Buffer> {
  const zeros = Buffer.alloc(1 << 20)
  const parts: Buffer[] = []
  for await (const part of codec.compressIter(Array.from({ length: SIZE / zeros.length }, () => zeros))) parts.push(part)
  return Buffer.concat(parts)
}

describe.each(codecs)('%s decompression decodes only as far as its reader asks', (_name, codec) => {
  let bomb: Buffer
  beforeAll(async () => {
    bomb = await bombOf(codec as typeof zstd)
  })

  it('Node stream: a reader that takes nothing leaves about one piece buffered', async () => {
    const stream = codec.createDecompressStream()
    stream.end(bomb)
    await sleep(300)
    expect(stream.readableLength).toBeLessThanOrEqual(AHEAD)
    let total = 0
    for await (const piece of stream) total += (piece as Buffer).length
    expect(total).toBe(SIZE)
  })

  it('Node stream: destroyed while it waits for its reader, it stops', async () => {
    const stream = codec.createDecompressStream()
    stream.end(bomb)
    await once(stream, 'readable')
    expect((stream.read() as Buffer).length).toBeGreaterThan(0)
    stream.destroy()
    await once(stream, 'close')
    expect(stream.readableLength).toBeLessThanOrEqual(AHEAD)
  })

  it('Web stream: a reader that takes one piece leaves about one more decoded; cancel stops it', async () => {
    const before = held()
    const stream = new codec.DecompressionStream()
    const writer = stream.writable.getWriter()
    const written = writer.write(bomb).catch((error: unknown) => error)
    const reader = stream.readable.getReader()
    expect((await reader.read()).value!.length).toBeGreaterThan(0)
    expect((await heldAfter(300)) - before).toBeLessThan(AHEAD + bomb.length)
    const reason = new Error('enough')
    await reader.cancel(reason)
    await written
    // The writable side fails with the reason, so whatever pipes into it stops too.
    await expect(writer.closed).rejects.toBe(reason)
  })

  it('decompressIter: one piece per next(); return() stops it', async () => {
    const before = held()
    const pieces = codec.decompressIter([bomb])
    expect((await pieces.next()).value!.length).toBeGreaterThan(0)
    expect((await heldAfter(300)) - before).toBeLessThan(AHEAD + bomb.length)
    expect((await pieces.return(undefined)).done).toBe(true)
  })
})
