import { describe, expect, it } from 'vitest'

import { smallMessages } from '../bench/messages.mjs'
import { zstd } from '../index'
import { rejected, sample, thrown } from './helpers'

// The benchmark's small JSON messages (100 B - 2 KB, cut from @mdn/browser-compat-data).
const messages: Buffer[] = smallMessages()
const training = messages.slice(0, 16_000)
const testing = messages.slice(16_000)

function totalSize(compressor: zstd.Compressor, inputs: Buffer[]): number {
  return inputs.reduce((sum, m) => sum + compressor.compressSync(m).length, 0)
}

describe('trainDictionary', () => {
  it('at least halves the compressed size of small JSON messages at the same level', async () => {
    const progress: zstd.TrainProgress[] = []
    const dictionary = await zstd.trainDictionary(training, { size: 64 << 10, onProgress: (p) => progress.push(p) })
    expect(dictionary.byteLength).toBeLessThanOrEqual(64 << 10)
    expect(dictionary.id).toBeGreaterThan(0)
    const plain = totalSize(new zstd.Compressor({ level: 3 }), testing)
    const withDictionary = totalSize(new zstd.Compressor({ level: 3, dictionary }), testing)
    expect(plain / withDictionary).toBeGreaterThanOrEqual(2)
    expect(progress.length).toBeGreaterThan(1)
    expect(progress.at(-1)).toEqual({ done: progress.length, total: progress.length })
  })

  it('takes explicit parameters and an id, synchronously too', () => {
    const dictionary = zstd.trainDictionarySync(training.slice(0, 4000), { size: 8192, k: 200, d: 8, dictId: 777, level: 5 })
    expect(dictionary.id).toBe(777)
    const again = zstd.trainDictionarySync(training.slice(0, 4000), { size: 8192, k: 200, d: 8, dictId: 777, level: 5 })
    expect(again.toBuffer().equals(dictionary.toBuffer())).toBe(true)
  })

  it('refuses bad samples and options with typed errors', async () => {
    thrown(() => zstd.trainDictionarySync([]), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => zstd.trainDictionarySync([Buffer.from('a'), Buffer.from('b')], { size: 1024 }), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => zstd.trainDictionarySync(training, { size: 10 }), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => zstd.trainDictionarySync(training, { k: 4, d: 8 }), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => zstd.trainDictionarySync(training, { d: 7 }), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => zstd.trainDictionarySync(training, { size: 1024, k: 2000 }), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => zstd.trainDictionarySync(training, { splitPoint: 2 }), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => zstd.trainDictionarySync('abc' as never), 'ERR_SQUISH_INVALID_ARG')
    await rejected(zstd.trainDictionary(training, { onProgress: 'x' as never }), 'ERR_SQUISH_INVALID_ARG')
  })
})

describe('Dictionary', () => {
  const trained = zstd.trainDictionarySync(training.slice(0, 4000), { size: 16 << 10, k: 200, d: 8 })

  it('exposes its id, size and bytes, and checks its type', () => {
    const bytes = trained.toBuffer()
    expect(bytes.length).toBe(trained.byteLength)
    expect(new zstd.Dictionary(bytes).id).toBe(trained.id)
    expect(new zstd.Dictionary(bytes, { type: 'full' }).id).toBe(trained.id)
    expect(new zstd.Dictionary(bytes, { type: 'raw' }).id).toBe(0)
    expect(new zstd.Dictionary('any raw content will do').id).toBe(0)
    thrown(() => new zstd.Dictionary('not a zstd dictionary', { type: 'full' }), 'ERR_SQUISH_DICTIONARY')
    thrown(() => new zstd.Dictionary(bytes.subarray(0, 64)), 'ERR_SQUISH_DICTIONARY')
    thrown(() => new zstd.Dictionary(Buffer.alloc(0)), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => new zstd.Dictionary(bytes, { type: 'zstd' as never }), 'ERR_SQUISH_INVALID_ARG')
    thrown(() => new zstd.Compressor({ dictionary: bytes as never }), 'ERR_SQUISH_INVALID_ARG')
  })

  it('keeps one digest per parameter set, shared by compressors', () => {
    const dictionary = new zstd.Dictionary(trained.toBuffer())
    const before = dictionary.memorySize
    expect(dictionary.precompute({ level: 3 })).toBe(dictionary)
    const digested = dictionary.memorySize
    expect(digested).toBeGreaterThan(before)
    new zstd.Compressor({ level: 3, dictionary, checksum: true })
    expect(dictionary.memorySize).toBe(digested)
    dictionary.precompute({ level: 19, params: { windowLog: 20 } })
    expect(dictionary.memorySize).toBeGreaterThan(digested)
  })

  it('is required to decompress, and a wrong one names the id the frame wants', async () => {
    const frame = new zstd.Compressor({ dictionary: trained }).compressSync(testing[0]!)
    expect(new zstd.Decompressor({ dictionary: trained }).decompressSync(frame).equals(testing[0]!)).toBe(true)
    const none = thrown(() => zstd.decompressSync(frame), 'ERR_SQUISH_DICTIONARY')
    expect(none.message).toContain(`needs dictionary id ${trained.id}`)
    const other = zstd.trainDictionarySync(training.slice(4000, 8000), { size: 8192, k: 200, d: 8, dictId: 99 })
    const wrong = await rejected(new zstd.Decompressor({ dictionary: other }).decompress(frame), 'ERR_SQUISH_DICTIONARY')
    expect(wrong.message).toContain(`needs dictionary id ${trained.id}, but the dictionary supplied has id 99`)
  })

  it('compresses with raw content as a prefix', () => {
    const base = sample(50_000, 1)
    const dictionary = new zstd.Dictionary(base, { type: 'raw' })
    const input = Buffer.concat([base.subarray(10_000, 30_000), sample(100, 2)])
    const frame = new zstd.Compressor({ dictionary }).compressSync(input)
    expect(frame.length).toBeLessThan(zstd.compressSync(input).length / 5)
    expect(new zstd.Decompressor({ dictionary }).decompressSync(frame).equals(input)).toBe(true)
  })
})
