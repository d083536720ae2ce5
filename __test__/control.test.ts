import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'

import { describe, expect, it } from 'vitest'

import { lz4, type Progress, SquishError, threads, zstd } from '../index'
import { noise, rejected, sample, withTempDir } from './helpers'

const reason = new Error('no longer needed')

/** Every async operation, started with `options` added to its own. */
function operations(): Array<[string, (options: object) => Promise<unknown>]> {
  const data = sample(200_000, 3)
  const zframe = zstd.compressSync(data)
  const lframe = lz4.compressSync(data)
  const block = lz4.compressBlockSync(data)
  const compressor = new zstd.Compressor()
  const decompressor = new zstd.Decompressor()
  const messages = Array.from({ length: 400 }, (_, i) => sample(300, i))
  return [
    ['zstd.compress', (o) => zstd.compress(data, o)],
    ['zstd.decompress', (o) => zstd.decompress(zframe, o)],
    ['Compressor.compress', (o) => compressor.compress(data, o)],
    ['Compressor.compressMany', (o) => compressor.compressMany([data, data], o)],
    ['Decompressor.decompress', (o) => decompressor.decompress(zframe, o)],
    ['Decompressor.decompressMany', (o) => decompressor.decompressMany([zframe, zframe], o)],
    ['Decompressor.decompressContentDictChain', (o) => decompressor.decompressContentDictChain([zframe], o)],
    ['zstd.trainDictionary', (o) => zstd.trainDictionary(messages, { size: 4096, ...o })],
    ['lz4.compress', (o) => lz4.compress(data, o)],
    ['lz4.decompress', (o) => lz4.decompress(lframe, o)],
    ['lz4.decompressInto', (o) => lz4.decompressInto(lframe, Buffer.alloc(data.length), o)],
    ['lz4.compressBlock', (o) => lz4.compressBlock(data, o)],
    ['lz4.decompressBlock', (o) => lz4.decompressBlock(block, o)],
    ['zstd.copyStream', (o) => zstd.copyStream(Readable.from([data]), new PassThrough().resume(), o)],
    ['lz4.copyStream', (o) => lz4.copyStream(Readable.from([lframe]), new PassThrough().resume(), { mode: 'decompress', ...o })],
  ]
}

describe('signal', () => {
  it('already aborted: every async operation rejects at once with ERR_SQUISH_ABORTED and the reason as cause', async () => {
    for (const [name, start] of operations()) {
      const error = await rejected(start({ signal: AbortSignal.abort(reason) }), 'ERR_SQUISH_ABORTED').catch((e: Error) => {
        throw new Error(`${name}: ${e.message}`)
      })
      expect(error.cause, name).toBe(reason)
    }
  })

  it('not aborted: every async operation completes as without it', async () => {
    for (const [name, start] of operations()) {
      const plain = await start({})
      const watched = await start({ signal: new AbortController().signal, onProgress: () => {} })
      if (Buffer.isBuffer(plain)) expect(Buffer.compare(plain, watched as Buffer), name).toBe(0)
    }
  })

  it('aborting mid-way stops a long compression, which rejects; the instance stays usable', async () => {
    const data = sample(6 << 20, 5)
    for (const [name, compress] of [
      ['zstd level 19', (o: object) => zstd.compress(data, { level: 19, ...o })],
      ['LZ4 level 16', (o: object) => lz4.compress(data, { level: 16, ...o })],
    ] as const) {
      const controller = new AbortController()
      let atAbort: Progress | undefined
      const onProgress = (p: Progress) => {
        atAbort ??= p
        controller.abort(reason)
      }
      const error = await rejected(compress({ signal: controller.signal, onProgress }), 'ERR_SQUISH_ABORTED')
      expect(error.cause, name).toBe(reason)
      expect(atAbort!.bytesIn, name).toBeLessThan(data.length)
    }
    const compressor = new zstd.Compressor({ level: 19 })
    const controller = new AbortController()
    await rejected(compressor.compress(data, { signal: controller.signal, onProgress: () => controller.abort() }), 'ERR_SQUISH_ABORTED')
    const small = sample(100_000, 6)
    expect((await compressor.compress(small)).equals(compressor.compressSync(small))).toBe(true)
  })

  it('aborting a batch mid-way rejects it', async () => {
    const items = Array.from({ length: 64 }, (_, i) => sample(200_000, i))
    const compressor = new zstd.Compressor({ level: 15 })
    const controller = new AbortController()
    const batch = compressor.compressMany(items, { signal: controller.signal, threads: 2 })
    setImmediate(() => controller.abort(reason))
    expect((await rejected(batch, 'ERR_SQUISH_ABORTED')).cause).toBe(reason)
    expect(unpack(await compressor.compressMany(items.slice(0, 2)))).toEqual(unpack(items.slice(0, 2).map((i) => compressor.compressSync(i))))
  })

  it('must be an AbortSignal, and onProgress a function', async () => {
    await rejected(zstd.compress('x', { signal: 'stop' as unknown as AbortSignal }), 'ERR_SQUISH_INVALID_ARG')
    await rejected(lz4.decompress(lz4.compressSync('x'), { onProgress: 42 as unknown as () => void }), 'ERR_SQUISH_INVALID_ARG')
    await rejected(zstd.compressFile('a', 'b', { onProgress: {} as unknown as () => void }), 'ERR_SQUISH_INVALID_ARG')
  })
})

function unpack(buffers: Buffer[]): string[] {
  return buffers.map((b) => b.toString('hex'))
}

describe('onProgress', () => {
  it('reports growing counts on the main thread, ending with the totals', async () => {
    const data = sample(24 << 20, 9)
    const cases: Array<[string, () => Promise<Buffer>, (p: Progress[]) => Promise<Buffer>]> = [
      ['zstd.compress', () => zstd.compress(data, { level: 9 }), (p) => zstd.compress(data, { level: 9, onProgress: (x) => p.push(x) })],
      ['lz4.compress', () => lz4.compress(data, { level: 9 }), (p) => lz4.compress(data, { level: 9, onProgress: (x) => p.push(x) })],
    ]
    for (const [name, plain, watched] of cases) {
      const seen: Progress[] = []
      const output = await watched(seen)
      expect(seen.length, name).toBeGreaterThanOrEqual(2)
      for (let i = 1; i < seen.length; i++) {
        expect(seen[i]!.bytesIn, name).toBeGreaterThanOrEqual(seen[i - 1]!.bytesIn)
        expect(seen[i]!.bytesOut, name).toBeGreaterThanOrEqual(seen[i - 1]!.bytesOut)
      }
      expect(seen.at(-1), name).toEqual({ bytesIn: data.length, bytesOut: output.length })
      // LZ4 frames made in steps are the very bytes of one call; zstd frames hold the same content.
      if (name.startsWith('lz4')) expect(output.equals(await plain()), name).toBe(true)
      else expect(zstd.decompressSync(output).equals(data), name).toBe(true)
    }
    for (const [name, frame, decompress] of [
      ['zstd', zstd.compressSync(data, { frameSize: 4 << 20 }), zstd.decompress],
      ['lz4', lz4.compressSync(data, { frameSize: 4 << 20 }), lz4.decompress],
    ] as const) {
      for (const threads of [1, 2]) {
        const seen: Progress[] = []
        const output = await decompress(frame, { threads, onProgress: (x) => seen.push(x) })
        expect(output.equals(data), `${name}, ${threads} threads`).toBe(true)
        expect(seen.at(-1), `${name}, ${threads} threads`).toEqual({ bytesIn: frame.length, bytesOut: data.length })
      }
    }
  })

  it('counts each item of a batch', async () => {
    const items = Array.from({ length: 300 }, (_, i) => sample(1000 + i, i))
    const seen: Progress[] = []
    const frames = await new zstd.Compressor().compressMany(items, { onProgress: (p) => seen.push(p) })
    expect(seen.at(-1)).toEqual({
      bytesIn: items.reduce((n, i) => n + i.length, 0),
      bytesOut: frames.reduce((n, f) => n + f.length, 0),
    })
  })

  it('that throws aborts the operation, which rejects with its error', async () => {
    const failure = new Error('progress bar broke')
    await expect(
      zstd.compress(sample(16 << 20, 2), { level: 19, onProgress: () => { throw failure } }),
    ).rejects.toBe(failure)
    await expect(lz4.compress(sample(1000), { onProgress: () => { throw failure } })).rejects.toBe(failure)
  })

  it('on file helpers: the counts so far, then the result', () =>
    withTempDir(async (dir) => {
      const data = Buffer.concat([sample(5 << 20, 4), noise(1 << 20)])
      const source = join(dir, 'data')
      writeFileSync(source, data)
      for (const codec of [zstd, lz4]) {
        const seen: Progress[] = []
        const packed = join(dir, 'packed')
        const result = await codec.compressFile(source, packed, { onProgress: (p) => seen.push(p) })
        expect(seen.at(-1)).toEqual({ bytesIn: result.bytesRead, bytesOut: result.bytesWritten })
        expect(result).toEqual({ bytesRead: data.length, bytesWritten: readFileSync(packed).length })
        const unpacked: Progress[] = []
        const back = await codec.decompressFile(packed, join(dir, 'back'), { onProgress: (p) => unpacked.push(p) })
        expect(unpacked.at(-1)).toEqual({ bytesIn: back.bytesRead, bytesOut: data.length })
        expect(readFileSync(join(dir, 'back')).equals(data)).toBe(true)
      }
      const controller = new AbortController()
      const aborted = zstd.compressFile(source, join(dir, 'never'), { level: 19, signal: controller.signal, onProgress: () => controller.abort(reason) })
      expect((await rejected(aborted, 'ERR_SQUISH_ABORTED')).cause).toBe(reason)
      expect(readdirSync(dir).sort()).toEqual(['back', 'data', 'packed'])
    }))
})

describe('threads on the module-level zstd functions', () => {
  const data = Buffer.concat([sample(9 << 20, 11), noise(1 << 20)])

  it('libzstd workers: one standard frame, the same as a Compressor with those threads', async () => {
    for (const threads of [1, 2]) {
      const frame = zstd.compressSync(data, { threads })
      expect(frame.equals(new zstd.Compressor({ threads }).compressSync(data))).toBe(true)
      expect((await zstd.compress(data, { threads })).equals(frame)).toBe(true)
      expect(zstd.getFrameParameters(frame).contentSize).toBe(data.length)
      expect(zstd.decompressSync(frame, { allowExtraData: false, readAcrossFrames: false }).equals(data)).toBe(true)
    }
    await rejected(zstd.compress(data, { threads: -1 }), 'ERR_SQUISH_INVALID_ARG')
  })

  it('threads: 1 is the calling thread alone, the default; 0 is one per pool thread', () => {
    const one = zstd.compressSync(data)
    expect(zstd.compressSync(data, { threads: 1 }).equals(one)).toBe(true)
    expect(new zstd.Compressor({ threads: 1 }).compressSync(data).equals(one)).toBe(true)
    // libzstd's output is the same for any number of workers, and differs from no workers.
    const workers = zstd.compressSync(data, { threads: 2 })
    expect(workers.equals(one)).toBe(false)
    expect(zstd.compressSync(data, { threads: 0 }).equals(threads > 1 ? workers : one)).toBe(true)
  })

  it('frameSize: independent frames, as a Compressor makes them', async () => {
    const frames = zstd.compressSync(data, { frameSize: 3 << 20, level: 5 })
    expect(frames.equals(new zstd.Compressor({ frameSize: 3 << 20, level: 5 }).compressSync(data))).toBe(true)
    expect((await zstd.compress(data, { frameSize: 3 << 20, level: 5 })).equals(frames)).toBe(true)
    expect(zstd.decompressSync(frames, { readAcrossFrames: false, allowExtraData: true }).length).toBe(3 << 20)
    expect(zstd.decompressSync(frames, { threads: 2 }).equals(data)).toBe(true)
    for (const threads of [0, 2]) {
      const parallel = zstd.compressSync(data, { frameSize: 3 << 20, level: 5, threads })
      expect(zstd.decompressSync(parallel, { readAcrossFrames: false, allowExtraData: true }).length).toBe(3 << 20)
      expect(zstd.decompressSync(parallel).equals(data)).toBe(true)
    }
  })

  it.runIf(process.platform === 'linux')('share libzstd threads, whatever the number of contexts', () => {
    const threadCount = () => readdirSync('/proc/self/task').length
    zstd.compressSync(data, { threads: 2 })
    zstd.compressSync(data, { threads: 3 })
    const before = threadCount()
    for (let i = 0; i < 12; i++) {
      new zstd.Compressor({ threads: 2, level: 1 + (i % 3) }).compressSync(data)
      zstd.compressSync(data, { threads: 2 + (i % 2) })
    }
    expect(threadCount()).toBe(before)
  })
})

describe('SquishError', () => {
  it('ERR_SQUISH_ABORTED is a SquishError', async () => {
    const error = await zstd.compress('x', { signal: AbortSignal.abort() }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SquishError)
  })
})
