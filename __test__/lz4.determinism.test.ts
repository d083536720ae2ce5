import { resolve } from 'node:path'
import { Worker } from 'node:worker_threads'

import { describe, expect, it } from 'vitest'

import { lz4 } from '../index'
import { noise, sample } from './helpers'

// LZ4 output depends on the input and the options alone: after other work on the same thread,
// pool or context, every path gives the bytes of a new thread's first call.

const DIST = resolve(__dirname, '../dist/index.js')

/** What `expr` (with `lz4` and `input` in scope) gives as the first LZ4 work of a new thread. */
function firstOnNewThread(input: Buffer, expr: string): Promise<Buffer> {
  const worker = new Worker(
    `const { lz4 } = require(${JSON.stringify(DIST)})
     const { parentPort, workerData } = require('node:worker_threads')
     const input = Buffer.from(workerData)
     parentPort.postMessage(${expr})`,
    { eval: true, workerData: input },
  )
  return new Promise<Buffer>((resolve, reject) => {
    worker.once('message', (bytes: Uint8Array) => resolve(Buffer.from(bytes)))
    worker.once('error', reject)
  }).finally(() => worker.terminate())
}

/**
 * Text that opens with "blocX" and comes back to "block " later, with stretches of noise: a
 * zeroed hash table offers the first bytes as a match for "bloc", a used one does not.
 */
function mixed(size: number): Buffer {
  const out = Buffer.concat([Buffer.from('blocX'), sample(size, 3)]).subarray(0, size)
  for (let at = 5000; at < size; at += 15_000) noise(5000, at).copy(out, at)
  return out
}

const SIZES = [100, 4095, 65_546, 65_547, 65_548, 130_779]

/** Compresses unrelated data on this thread and on the pool's threads, in every kind of frame and block. */
async function otherWork(): Promise<void> {
  const other = mixed(300_000).reverse()
  for (const level of [9, -4, 0]) {
    for (const options of [{ level }, { level, blockLinked: false, blockSize: lz4.BLOCKSIZE_MAX4MB }]) {
      for (const size of [200, 3000, 70_000, 300_000]) lz4.compressSync(other.subarray(0, size), options)
      await Promise.all([200, 3000, 70_000, 300_000, 200, 3000, 70_000, 300_000].map((size) => lz4.compress(other.subarray(0, size), options)))
    }
  }
  for (const mode of ['default', 'fast', 'highCompression'] as const) {
    for (const size of [300, 3000, 70_000]) {
      lz4.compressBlockSync(other.subarray(0, size), { mode })
      lz4.compressBlockSync(other.subarray(0, size), { mode, dict: other.subarray(size) })
    }
  }
}

describe('LZ4 output depends on the input and options alone', () => {
  const frameOptions: lz4.CompressOptions[] = [
    {},
    { level: -3 },
    { level: 9 },
    { blockLinked: false },
    { blockSize: lz4.BLOCKSIZE_MAX256KB, contentChecksum: true, blockChecksum: true, storeSize: false },
  ]

  it('compressSync and compress after other work give the first call of a new thread', async () => {
    const cases = frameOptions.flatMap((options) => SIZES.map((size) => ({ options, input: mixed(size) })))
    const firsts = await Promise.all(cases.map(({ options, input }) => firstOnNewThread(input, `lz4.compressSync(input, ${JSON.stringify(options)})`)))
    await otherWork()
    for (const [i, { options, input }] of cases.entries()) {
      const label = `${input.length} B, ${JSON.stringify(options)}: ${firsts[i]!.length} B on a new thread`
      const again = lz4.compressSync(input, options)
      expect(again.equals(firsts[i]!), `${label}, ${again.length} B after other work`).toBe(true)
    }
    await otherWork()
    const asyncs = await Promise.all(cases.map(({ options, input }) => lz4.compress(input, options)))
    for (const [i, { options, input }] of cases.entries()) {
      expect(asyncs[i]!.equals(firsts[i]!), `async, ${input.length} B, ${JSON.stringify(options)}`).toBe(true)
    }
  })

  it('frames on several threads and frameSize frames after other work give the first calls of new threads', async () => {
    const input = mixed(650_000)
    const independent = await firstOnNewThread(input, 'lz4.compressSync(input, { blockLinked: false })')
    const pieces = await Promise.all(
      [0, 200_000, 400_000, 600_000].map((at) => firstOnNewThread(input.subarray(at, at + 200_000), 'lz4.compressSync(input)')),
    )
    await otherWork()
    for (const threads of [2, 3]) {
      expect(lz4.compressSync(input, { threads }).equals(independent), `${threads} threads`).toBe(true)
      expect((await lz4.compress(input, { threads })).equals(independent), `${threads} threads, async`).toBe(true)
      expect(lz4.compressSync(input, { threads, frameSize: 200_000 }).equals(Buffer.concat(pieces)), `frameSize, ${threads} threads`).toBe(true)
    }
    expect((await lz4.compress(input, { frameSize: 200_000 })).equals(Buffer.concat(pieces)), 'frameSize, async').toBe(true)
  })

  it('a compression context used for other frames makes the frames of a new one', () => {
    const other = mixed(200_000).reverse()
    for (const options of [{}, { level: -3 }, { level: 9 }, { blockLinked: false }, { autoFlush: true }, { blockSize: lz4.BLOCKSIZE_MAX256KB }] as lz4.BeginOptions[]) {
      for (const size of SIZES) {
        const input = mixed(size)
        const frame = (ctx: lz4.CompressionContext) => {
          const parts = [lz4.compressBegin(ctx, { ...options, sourceSize: input.length })]
          for (let at = 0; at < input.length; at += 10_000) parts.push(lz4.compressChunk(ctx, input.subarray(at, at + 10_000)))
          parts.push(lz4.compressFlush(ctx))
          return Buffer.concat(parts)
        }
        const first = frame(lz4.createCompressionContext())
        const used = lz4.createCompressionContext()
        for (const level of [0, 9, -2]) {
          lz4.compressBegin(used, { ...options, level })
          lz4.compressChunk(used, other)
          lz4.compressFlush(used)
        }
        frame(used)
        expect(frame(used).equals(first), `${size} B, ${JSON.stringify(options)}`).toBe(true)

        const compressor = new lz4.FrameCompressor(options)
        const viaCompressor = () => Buffer.concat([compressor.begin(input.length), compressor.compress(input), compressor.flush()])
        const once = viaCompressor()
        expect(viaCompressor().equals(once), `FrameCompressor, ${size} B, ${JSON.stringify(options)}`).toBe(true)
      }
    }
  })

  it('compression streams after other streams give the same bytes', async () => {
    const input = mixed(300_000)
    const viaStream = async (options: lz4.CompressStreamOptions) => {
      const chunks: Buffer[] = []
      for await (const chunk of lz4.compressIter([input.subarray(0, 100_000), input.subarray(100_000)], options)) chunks.push(Buffer.from(chunk))
      return Buffer.concat(chunks)
    }
    for (const options of [{}, { level: -3 }, { level: 9, blockLinked: false }, { autoFlush: true }]) {
      const first = await viaStream(options)
      await otherWork()
      await viaStream({ level: options.level === undefined ? 9 : 0 })
      expect((await viaStream(options)).equals(first), JSON.stringify(options)).toBe(true)
    }
  })

  it('blocks after other work give the bytes of a new thread, in every mode', async () => {
    const dict = mixed(70_000).reverse()
    const inputs = SIZES.map((size) => mixed(size))
    const modes: lz4.CompressBlockOptions[] = [
      { mode: 'default' },
      { mode: 'fast', acceleration: 1 },
      { mode: 'fast', acceleration: 17 },
      { mode: 'highCompression', compression: 3 },
      { mode: 'highCompression', compression: 9 },
      { mode: 'highCompression', compression: 12 },
    ]
    const cases = modes.flatMap((mode) => [false, true].map((withDict) => ({ mode, withDict })))
    // One new thread per mode and dictionary, compressing every size in turn.
    const firsts = await Promise.all(
      cases.map(({ mode, withDict }) =>
        firstOnNewThread(
          Buffer.concat([dict, ...inputs]),
          `(() => {
            const dict = input.subarray(0, ${dict.length})
            let at = dict.length
            return Buffer.concat(${JSON.stringify(SIZES)}.map((size) => {
              const block = lz4.compressBlockSync(input.subarray(at, at + size), { ...${JSON.stringify(mode)}, dict: ${withDict} ? dict : undefined })
              at += size
              return Buffer.concat([Buffer.from(new Uint32Array([block.length]).buffer), block])
            }))
          })()`,
        ),
      ),
    )
    await otherWork()
    for (const [c, { mode, withDict }] of cases.entries()) {
      let at = 0
      for (const input of inputs) {
        const length = firsts[c]!.readUInt32LE(at)
        const first = firsts[c]!.subarray(at + 4, at + 4 + length)
        at += 4 + length
        const options = { ...mode, dict: withDict ? dict : undefined }
        const label = `${input.length} B, ${JSON.stringify(mode)}, dict ${withDict}`
        expect(lz4.compressBlockSync(input, options).equals(first), label).toBe(true)
        expect((await lz4.compressBlock(input, options)).equals(first), `async, ${label}`).toBe(true)
      }
    }
  })
})
