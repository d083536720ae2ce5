// Misuse of the entry points is a typed SquishError with its code, never a plain TypeError or a
// wrong answer.
import { describe, expect, it } from 'vitest'

import { FrameFile, lz4, SquishError, zstd } from '../index'
import { rejected, thrown } from './helpers'

function detached(): Uint8Array<ArrayBuffer> {
  const view = new Uint8Array(64)
  structuredClone(view.buffer, { transfer: [view.buffer] })
  return view
}

const frame = zstd.compressSync('squish')

describe('a detached ArrayBuffer is ERR_SQUISH_INVALID_ARG, not an empty input', () => {
  const sync: Record<string, (d: Uint8Array | ArrayBuffer) => unknown> = {
    'zstd.compressSync': (d) => zstd.compressSync(d),
    'zstd.decompressSync': (d) => zstd.decompressSync(d),
    'zstd.getFrameParameters': (d) => zstd.getFrameParameters(d),
    'Compressor.compressSync': (d) => new zstd.Compressor().compressSync(d),
    'Decompressor.decompressSync': (d) => new zstd.Decompressor().decompressSync(d),
    'Encoder.update': (d) => new zstd.Compressor().createEncoder().update(d),
    'Decoder.update': (d) => new zstd.Decompressor().createDecoder().update(d),
    'zstd.Dictionary': (d) => new zstd.Dictionary(d),
    'lz4.compressSync': (d) => lz4.compressSync(d),
    'lz4.decompressSync': (d) => lz4.decompressSync(d),
    'lz4.decompressIntoSync': (d) => lz4.decompressIntoSync(d, Buffer.alloc(10)),
    'lz4.compressBlockSync': (d) => lz4.compressBlockSync(d),
    'lz4.compressBlockSync dict': (d) => lz4.compressBlockSync('squish', { dict: d }),
    'lz4.decompressBlockSync': (d) => lz4.decompressBlockSync(d),
    'lz4.getFrameInfo': (d) => lz4.getFrameInfo(d),
  }
  for (const [name, call] of Object.entries(sync)) {
    it(name, () => {
      thrown(() => call(detached()), 'ERR_SQUISH_INVALID_ARG')
      thrown(() => call(detached().buffer), 'ERR_SQUISH_INVALID_ARG')
    })
  }
  const async: Record<string, (d: Uint8Array) => Promise<unknown>> = {
    'zstd.compress': (d) => zstd.compress(d),
    'zstd.decompress': (d) => zstd.decompress(d),
    'Compressor.compress': (d) => new zstd.Compressor().compress(d),
    'Decompressor.decompress': (d) => new zstd.Decompressor().decompress(d),
    'lz4.compress': (d) => lz4.compress(d),
    'lz4.decompress': (d) => lz4.decompress(d),
    'lz4.decompressInto': (d) => lz4.decompressInto(d, Buffer.alloc(10)),
    'lz4.compressBlock': (d) => lz4.compressBlock(d),
    'lz4.decompressBlock': (d) => lz4.decompressBlock(d),
  }
  for (const [name, call] of Object.entries(async)) {
    it(name, async () => {
      await rejected(Promise.resolve().then(() => call(detached())), 'ERR_SQUISH_INVALID_ARG')
    })
  }
  it('empty views of live buffers are still empty inputs', () => {
    expect(zstd.decompressSync(zstd.compressSync(new Uint8Array(0))).length).toBe(0)
    // A resizable ArrayBuffer (typed here by hand: the tests' lib is ES2022).
    const Resizable = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer & { resize(n: number): void }
    const rab = new Resizable(8, { maxByteLength: 8 })
    rab.resize(0)
    expect(lz4.decompressSync(lz4.compressSync(new Uint8Array(rab))).length).toBe(0)
  })
})

describe('a bad batch item carries its index', () => {
  const batches: Record<string, (items: unknown[]) => unknown> = {
    compressManySync: (items) => new zstd.Compressor().compressManySync(items as Buffer[]),
    decompressManySync: (items) => new zstd.Decompressor().decompressManySync(items as Buffer[]),
    decompressContentDictChainSync: (items) => new zstd.Decompressor().decompressContentDictChainSync(items as Buffer[]),
    trainDictionarySync: (items) => zstd.trainDictionarySync(items as Buffer[]),
  }
  for (const [name, call] of Object.entries(batches)) {
    for (const bad of [null, 42, {}, detached()]) {
      it(`${name} with ${bad === null ? 'null' : typeof bad === 'object' ? bad.constructor.name : typeof bad} at 2`, () => {
        const error = thrown(() => call([frame, frame, bad]), 'ERR_SQUISH_INVALID_ARG')
        expect(error).toBeInstanceOf(SquishError)
        expect(error.index).toBe(2)
      })
    }
  }
  it('compressMany rejects with the index', async () => {
    const error = await rejected(new zstd.Compressor().compressMany([frame, null as unknown as Buffer]), 'ERR_SQUISH_INVALID_ARG')
    expect(error.index).toBe(1)
  })
})

describe('objects made by a factory refuse to be made with new', () => {
  const made: Record<string, () => unknown> = {
    'zstd.Encoder': () => new (zstd.Encoder as unknown as new (h?: unknown) => zstd.Encoder)({}),
    'zstd.Decoder': () => new (zstd.Decoder as unknown as new (h?: unknown) => zstd.Decoder)(),
    'zstd.Chunker': () => new (zstd.Chunker as unknown as new (e?: unknown, n?: unknown) => zstd.Chunker)(null, 8),
    // A real encoder and no chunk size would cut output forever.
    'zstd.Chunker of an encoder': () => new (zstd.Chunker as unknown as new (e?: unknown, n?: unknown) => zstd.Chunker)(new zstd.Compressor().createEncoder(), -1),
    FrameFile: () => new (FrameFile as unknown as new (...a: unknown[]) => FrameFile)({}, true, 'rb'),
  }
  for (const [name, make] of Object.entries(made)) {
    it(name, () => {
      thrown(make, 'ERR_SQUISH_INVALID_ARG')
    })
  }
})
