import { describe, expect, it } from 'vitest'

import { zstd } from '../index'
import { noise, rejected, sample, thrown } from './helpers'

const data = sample(300_000, 3)

function roundTrip(compressor: zstd.Compressor, input: Buffer, decompressor = new zstd.Decompressor()): Buffer {
  const frame = compressor.compressSync(input)
  expect(decompressor.decompressSync(frame).equals(input)).toBe(true)
  return frame
}

describe('Compressor', () => {
  it('gives the module-level bytes for the same options, sync and async', async () => {
    for (const options of [{}, { level: 1 }, { level: 19, checksum: true }, { level: -3, contentSize: false }]) {
      const compressor = new zstd.Compressor(options)
      const expected = zstd.compressSync(data, options)
      expect(compressor.compressSync(data).equals(expected)).toBe(true)
      expect((await compressor.compress(data)).equals(expected)).toBe(true)
    }
  })

  it('gives byte-identical output to 200 overlapping compress() calls', async () => {
    const compressor = new zstd.Compressor({ level: 7, checksum: true })
    const inputs = Array.from({ length: 200 }, (_, i) => sample(1_000 + i * 997, i))
    const sequential = inputs.map((input) => compressor.compressSync(input))
    const concurrent = await Promise.all(inputs.map((input) => compressor.compress(input)))
    concurrent.forEach((frame, i) => expect(frame.equals(sequential[i]!)).toBe(true))
  })

  it('accepts every parameter at both ends of its range and refuses values outside it', () => {
    const input = sample(20_000, 5)
    const numeric = [
      'windowLog', 'hashLog', 'chainLog', 'searchLog', 'minMatch', 'targetLength', 'targetCBlockSize',
      'ldmHashLog', 'ldmMinMatch', 'ldmBucketSizeLog', 'ldmHashRateLog', 'jobSize', 'overlapLog',
    ] as const
    for (const name of numeric) {
      const [min, max] = zstd.PARAMETER_RANGES[name]!
      for (const value of [min, max]) roundTrip(new zstd.Compressor({ params: { [name]: value } }), input)
      for (const value of [min - 1, max + 1, 1.5]) {
        const error = thrown(() => new zstd.Compressor({ params: { [name]: value } }), 'ERR_SQUISH_INVALID_ARG')
        expect(error.message).toContain(`params.${name} must be an integer from ${min} to ${max}`)
      }
    }
    roundTrip(new zstd.Compressor({ params: { targetCBlockSize: 0 } }), input)
    roundTrip(new zstd.Compressor({ params: { enableLdm: true, windowLog: 27 } }), input)
    roundTrip(new zstd.Compressor({ params: { forceMaxWindow: true, windowLog: 24 } }), input)
    thrown(() => new zstd.Compressor({ params: { bogus: 1 } as never }), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => new zstd.Compressor({ threads: -1 }), 'ERR_SQUISH_INVALID_ARG')
  })

  it('names a level out of range, or not an integer, the same way on every entry point', async () => {
    const expected = `options.level must be an integer from ${zstd.MIN_LEVEL} to ${zstd.MAX_LEVEL}`
    for (const level of [zstd.MAX_LEVEL + 1, zstd.MIN_LEVEL - 1, 2.5, Infinity, NaN]) {
      const message = `${expected}; received number ${level}`
      const calls = [
        () => zstd.compressSync('abc', { level }),
        () => new zstd.Compressor({ level }),
        () => zstd.compressionParameters(level),
        () => zstd.estimateCompressionContextSize({ level }),
        () => zstd.createCompressStream({ level }),
      ]
      for (const call of calls) expect(thrown(call, 'ERR_SQUISH_INVALID_ARG').message).toBe(message)
      await expect(zstd.compress('abc', { level })).rejects.toMatchObject({ code: 'ERR_SQUISH_INVALID_ARG', message })
    }
    for (const level of ['3', null, {}]) {
      expect(thrown(() => zstd.compressSync('abc', { level: level as never }), 'ERR_SQUISH_INVALID_ARG').message).toMatch(/^options\.level must be a number; received/)
    }
  })

  it('uses every named strategy', () => {
    const sizes = (['fast', 'dfast', 'greedy', 'lazy', 'lazy2', 'btlazy2', 'btopt', 'btultra', 'btultra2'] as const).map(
      (strategy) => roundTrip(new zstd.Compressor({ params: { strategy } }), data).length,
    )
    expect(sizes[8]!).toBeLessThan(sizes[0]!)
    thrown(() => new zstd.Compressor({ params: { strategy: 'slow' as never } }), 'ERR_SQUISH_INVALID_ARG')
  })

  it('honours explicit parameters over the level', () => {
    const frame = roundTrip(new zstd.Compressor({ level: 19, params: { windowLog: 17 }, contentSize: false }), data)
    expect(zstd.getFrameParameters(frame).windowSize).toBe(2 ** 17)
  })

  it('compresses with libzstd worker threads into one standard frame', async () => {
    const big = sample(8 << 20, 9)
    const compressor = new zstd.Compressor({ level: 3, threads: 2, params: { jobSize: 1 << 20 } })
    const frame = roundTrip(compressor, big)
    expect(zstd.getFrameParameters(frame).contentSize).toBe(big.length)
    expect(zstd.decompressSync(frame, { readAcrossFrames: false }).equals(big)).toBe(true)
    expect(zstd.decompressSync(await compressor.compress(big)).equals(big)).toBe(true)
    // Over 1 MiB, the output is copied into its Buffer on the workers' count of threads: a
    // Buffer of its own, exactly as long as the frame, as from the module function.
    expect(frame.length).toBeGreaterThan(1 << 20)
    expect(frame.buffer.byteLength).toBe(frame.length)
    const plain = new zstd.Compressor({ level: 3, threads: 2 }).compressSync(big)
    expect(zstd.compressSync(big, { level: 3, threads: 2 }).equals(plain)).toBe(true)
  })

  it('reports memory and the progression of the last frame', () => {
    const compressor = new zstd.Compressor({ level: 3 })
    const frame = compressor.compressSync(data)
    expect(compressor.memorySize).toBeGreaterThan(0)
    const { ingested, consumed, produced } = compressor.frameProgression
    expect([ingested, consumed]).toEqual([data.length, data.length])
    expect(produced).toBeGreaterThan(0)
    expect(produced).toBeLessThanOrEqual(frame.length)
  })
})

describe('parameter sets and estimates', () => {
  it('resolves a level into the parameters libzstd uses', () => {
    const p = zstd.compressionParameters(19)
    expect(p.strategy).toBe('btultra2')
    expect(zstd.compressionParameters(19, { sourceSize: 1000 }).windowLog).toBeLessThan(p.windowLog)
    expect(zstd.compressionParameters(1).strategy).toBe('fast')
    // A frame compressed with the resolved parameters is the frame of the level itself.
    const { strategy, ...logs } = zstd.compressionParameters(9, { sourceSize: data.length })
    const explicit = new zstd.Compressor({ level: 9, params: { ...logs, strategy } }).compressSync(data)
    expect(explicit.equals(zstd.compressSync(data, { level: 9 }))).toBe(true)
  })

  it('estimates context sizes', () => {
    expect(zstd.estimateCompressionContextSize({ level: 19 })).toBeGreaterThan(zstd.estimateCompressionContextSize({ level: 1 }))
    expect(zstd.estimateCompressionContextSize({ params: { windowLog: 20, hashLog: 12 } })).toBeGreaterThan(0)
    expect(zstd.estimateDecompressionContextSize()).toBeGreaterThan(0)
  })
})

describe('Decompressor', () => {
  it('bounds maxWindowSize and applies it to frames of unknown size', () => {
    thrown(() => new zstd.Decompressor({ maxWindowSize: 512 }), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => new zstd.Decompressor({ maxWindowSize: 2 ** 32 }), 'ERR_SQUISH_INVALID_ARG')
    const input = sample(3 << 20, 4)
    const frame = new zstd.Compressor({ params: { windowLog: 21 }, contentSize: false }).compressSync(input)
    expect(zstd.getFrameParameters(frame).windowSize).toBe(1 << 21)
    const small = new zstd.Decompressor({ maxWindowSize: 1 << 20 })
    const error = thrown(() => small.decompressSync(frame), 'ERR_SQUISH_WINDOW_TOO_LARGE')
    expect(error.message).toContain('maxWindowSize')
    expect(new zstd.Decompressor({ maxWindowSize: 1 << 21 }).decompressSync(frame).equals(input)).toBe(true)
  })

  it('reads magicless frames only in the magicless format', async () => {
    const compressor = new zstd.Compressor({ format: 'magicless', checksum: true })
    const magicless = new zstd.Decompressor({ format: 'magicless' })
    const frame = roundTrip(compressor, data, magicless)
    expect(frame.subarray(0, 4).equals(zstd.compressSync(data).subarray(0, 4))).toBe(false)
    expect((await magicless.decompress(Buffer.concat([frame, frame]))).equals(Buffer.concat([data, data]))).toBe(true)
    expect(zstd.getFrameParameters(frame, { format: 'magicless' }).contentSize).toBe(data.length)
    expect(zstd.frameContentSize(frame, { format: 'magicless' })).toBe(data.length)
    thrown(() => zstd.decompressSync(frame), 'ERR_SQUISH_CORRUPT')
    thrown(() => new zstd.Decompressor({ format: 'zstd0' as never }), 'ERR_SQUISH_INVALID_ARG')
    // Trailing data may be ignored, but a later frame over the limit is still refused.
    const big = compressor.compressSync(sample(5000, 8))
    expect(magicless.decompressSync(Buffer.concat([frame, Buffer.from([0xff, 0xff])]), { allowExtraData: true }).equals(data)).toBe(true)
    thrown(() => magicless.decompressSync(Buffer.concat([frame, big]), { allowExtraData: true, maxOutputSize: data.length + 10 }), 'ERR_SQUISH_OUTPUT_LIMIT')
    thrown(() => magicless.decompressSync(Buffer.concat([frame, big.subarray(0, big.length - 5)]), { allowExtraData: true }), 'ERR_SQUISH_TRUNCATED')
    thrown(() => magicless.decompressSync(Buffer.concat([frame, big]), { allowExtraData: true, maxOutputSize: 5000 }), 'ERR_SQUISH_OUTPUT_LIMIT')
    // Content-dictionary chains of magicless frames.
    const second = new zstd.Compressor({ format: 'magicless', dictionary: new zstd.Dictionary(data, { type: 'raw' }) }).compressSync(sample(5000, 8))
    expect(magicless.decompressContentDictChainSync([frame, second]).equals(sample(5000, 8))).toBe(true)
  })

  it('decodes a content-dictionary chain to its last version', async () => {
    const versions = [sample(5_000, 1), Buffer.concat([sample(5_000, 1), sample(2_000, 2)]), sample(6_000, 2)]
    const frames = versions.map((v, i) =>
      new zstd.Compressor({
        checksum: true,
        dictionary: i === 0 ? undefined : new zstd.Dictionary(versions[i - 1]!, { type: 'raw' }),
      }).compressSync(v),
    )
    const decompressor = new zstd.Decompressor()
    expect(decompressor.decompressContentDictChainSync(frames).equals(versions[2]!)).toBe(true)
    expect((await decompressor.decompressContentDictChain(frames)).equals(versions[2]!)).toBe(true)
    // The wrong dictionary for the second frame: corrupt data or a checksum mismatch, at index 1.
    expect(() => decompressor.decompressContentDictChainSync([frames[0]!, frames[2]!])).toThrow(
      expect.objectContaining({ index: 1, code: expect.stringMatching(/ERR_SQUISH_(CORRUPT|CHECKSUM)/) }),
    )
    const unsized = zstd.compressSync(versions[0]!, { contentSize: false })
    thrown(() => decompressor.decompressContentDictChainSync([unsized]), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => decompressor.decompressContentDictChainSync([]), 'ERR_SQUISH_INVALID_ARG')
    await rejected(decompressor.decompressContentDictChain([frames[0]!], { maxOutputSize: 10 }), 'ERR_SQUISH_OUTPUT_LIMIT')
  })
})

describe('batches', () => {
  const inputs = Array.from({ length: 500 }, (_, i) => (i % 50 === 7 ? noise(3_000, i) : sample(100 + i * 13, i)))

  it('equal the per-item results, in order, sync and async, on any number of threads', async () => {
    const compressor = new zstd.Compressor({ level: 5, checksum: true })
    const expected = inputs.map((input) => compressor.compressSync(input))
    for (const threads of [undefined, 1, 2, 7]) {
      const sync = compressor.compressManySync(inputs, { threads })
      const async = await compressor.compressMany(inputs, { threads })
      expect(sync.every((frame, i) => frame.equals(expected[i]!))).toBe(true)
      expect(async.every((frame, i) => frame.equals(expected[i]!))).toBe(true)
    }
    const decompressor = new zstd.Decompressor()
    const back = await decompressor.decompressMany(expected, { threads: 2 })
    expect(back.every((out, i) => out.equals(inputs[i]!))).toBe(true)
    expect(decompressor.decompressManySync(expected).every((out, i) => out.equals(inputs[i]!))).toBe(true)
    expect(compressor.compressManySync([])).toEqual([])
  })

  it('return a Buffer per item: small ones share chunks of at most 8 KiB, larger ones have their own', async () => {
    const sizes = [0, 5, 0, 8192, 1, 8191, 8193, 20_000, 0, 3_000, 6_000, 0, 4_096, 4_096, 1]
    const items = sizes.map((size, i) => sample(size, i + 1))
    const frames = new zstd.Compressor().compressManySync(items)
    const decompressor = new zstd.Decompressor()
    for (const outputs of [decompressor.decompressManySync(frames), await decompressor.decompressMany(frames, { threads: 2 })]) {
      expect(outputs.map((out) => out.length)).toEqual(sizes)
      expect(outputs.every((out, i) => out.equals(items[i]!))).toBe(true)
      for (const out of outputs) expect(out.buffer.byteLength).toBeLessThanOrEqual(Math.max(8192, out.length))
      // Each item is its own bytes: writing one leaves the others as they were.
      outputs.forEach((out, i) => out.fill(i))
      expect(outputs.every((out, i) => out.every((byte) => byte === i))).toBe(true)
    }
  })

  it('reject with the index of the bad item', async () => {
    const frames = new zstd.Compressor().compressManySync(inputs.slice(0, 40))
    frames[23] = frames[23]!.subarray(0, frames[23]!.length - 2)
    const decompressor = new zstd.Decompressor()
    const error = await rejected(decompressor.decompressMany(frames), 'ERR_SQUISH_TRUNCATED')
    expect(error.index).toBe(23)
    expect(error.message).toContain('item 23')
    expect(thrown(() => decompressor.decompressManySync(frames, { threads: 1 }), 'ERR_SQUISH_TRUNCATED').index).toBe(23)
    const limited = await rejected(decompressor.decompressMany(frames.slice(0, 5), { maxOutputSize: 150 }), 'ERR_SQUISH_OUTPUT_LIMIT')
    expect(limited.index).toBe(4) // inputs[4] is the first over 150 bytes
    thrown(() => decompressor.decompressManySync('abc' as never), 'ERR_SQUISH_INVALID_ARG')
    await rejected(new zstd.Compressor().compressMany([Buffer.alloc(1), 42 as never]), 'ERR_SQUISH_INVALID_ARG')
  })
})

describe('frame inspection', () => {
  it('reads what the header records', () => {
    const frame = zstd.compressSync(data, { checksum: true })
    expect(zstd.getFrameParameters(frame)).toMatchObject({ contentSize: data.length, dictId: 0, hasChecksum: true, skippable: false })
    expect(zstd.frameContentSize(frame)).toBe(data.length)
    expect(zstd.frameHeaderSize(frame)).toBe(zstd.getFrameParameters(frame).headerSize)
    expect(zstd.frameContentSize(zstd.compressSync(data, { contentSize: false }))).toBeNull()
    const skippable = Buffer.from([0x50, 0x2a, 0x4d, 0x18, 1, 0, 0, 0, 9])
    expect(zstd.getFrameParameters(skippable).skippable).toBe(true)
  })

  it('keeps huge claimed sizes exact', () => {
    // Magic, descriptor (8-byte content size, single segment), content size 2^60 + 1.
    const header = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xe0, 1, 0, 0, 0, 0, 0, 0, 0x10])
    expect(zstd.frameContentSize(header)).toBe(2n ** 60n + 1n)
    expect(zstd.getFrameParameters(header).contentSize).toBe(2n ** 60n + 1n)
    const safe = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f, 0])
    expect(zstd.frameContentSize(safe)).toBe(Number.MAX_SAFE_INTEGER)
    expect(zstd.getFrameParameters(safe).contentSize).toBe(Number.MAX_SAFE_INTEGER)
    const unsafe = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0, 0, 0, 0, 0, 0, 0x20, 0])
    expect(zstd.frameContentSize(unsafe)).toBe(2n ** 53n)
  })

  it('refuses short and foreign input with typed errors', () => {
    const frame = zstd.compressSync(data)
    thrown(() => zstd.getFrameParameters(frame.subarray(0, 5)), 'ERR_SQUISH_TRUNCATED')
    thrown(() => zstd.getFrameParameters(Buffer.alloc(0)), 'ERR_SQUISH_TRUNCATED')
    thrown(() => zstd.getFrameParameters(Buffer.from('not a zstd frame')), 'ERR_SQUISH_CORRUPT')
    thrown(() => zstd.frameHeaderSize(42 as never), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => zstd.frameContentSize(frame.subarray(0, 5)), 'ERR_SQUISH_TRUNCATED')
    thrown(() => zstd.frameContentSize(Buffer.from('not a zstd frame')), 'ERR_SQUISH_CORRUPT')
    thrown(() => zstd.frameContentSize(frame, { format: 'other' as never }), 'ERR_SQUISH_INVALID_ARG')
  })
})
