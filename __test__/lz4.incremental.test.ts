import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { lz4 } from '../index'
import { noise, sample, split } from './helpers'

const KiB = 1024
const MAX = 200 * KiB

/** `unit` repeated to `length` bytes: compressible data with structure of fast-check's choosing. */
function repeated(unit: Uint8Array, length: number): Buffer {
  const out = Buffer.alloc(length)
  for (let i = 0; i < length; i += unit.length) out.set(unit.subarray(0, Math.min(unit.length, length - i)), i)
  return out
}

const lengthArb = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: MAX }), fc.constantFrom(0, 1, 65535, 65536, 65537, 131072))
const seedArb = fc.integer({ min: 1, max: 2 ** 31 - 1 })

/** Input data: raw fast-check bytes, incompressible noise, text-like samples and repeated patterns. */
const dataArb: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 4000, size: 'max' }).map((u) => Buffer.from(u)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: MAX, size: 'max' }).map((u) => Buffer.from(u)) },
  { weight: 2, arbitrary: fc.tuple(lengthArb, seedArb).map(([length, seed]) => noise(length, seed)) },
  { weight: 3, arbitrary: fc.tuple(lengthArb, seedArb).map(([length, seed]) => sample(length, seed)) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 300 }), lengthArb).map(([unit, length]) => repeated(unit, length)),
  },
)

/** Cut points, as raw numbers reduced modulo the data length; duplicates make empty chunks. */
const cutsArb = fc.array(fc.nat({ max: 1_000_000 }), { maxLength: 24 })

const frameSettingsArb = fc.record(
  {
    level: fc.constantFrom(-10, -1, 0, 1, 2, 3, 9, 16),
    blockSize: fc.constantFrom(lz4.BLOCKSIZE_DEFAULT, lz4.BLOCKSIZE_MAX64KB, lz4.BLOCKSIZE_MAX256KB, lz4.BLOCKSIZE_MAX1MB, lz4.BLOCKSIZE_MAX4MB),
    blockLinked: fc.boolean(),
    contentChecksum: fc.boolean(),
    blockChecksum: fc.boolean(),
    autoFlush: fc.boolean(),
  },
  { requiredKeys: [] },
)

const compressOptionsArb: fc.Arbitrary<lz4.CompressOptions> = fc.record(
  {
    level: fc.constantFrom(-10, 0, 3, 9),
    blockSize: fc.constantFrom(lz4.BLOCKSIZE_DEFAULT, lz4.BLOCKSIZE_MAX64KB, lz4.BLOCKSIZE_MAX256KB, lz4.BLOCKSIZE_MAX1MB, lz4.BLOCKSIZE_MAX4MB),
    blockLinked: fc.boolean(),
    contentChecksum: fc.boolean(),
    blockChecksum: fc.boolean(),
    storeSize: fc.boolean(),
  },
  { requiredKeys: [] },
)

/** Compresses `chunks` through the context functions; returns the frame and each piece. */
function compressIncremental(ctx: lz4.CompressionContext, chunks: Buffer[], options: lz4.BeginOptions) {
  const header = lz4.compressBegin(ctx, options)
  const pieces = chunks.map((chunk) => lz4.compressChunk(ctx, chunk))
  const tail = lz4.compressFlush(ctx)
  return { frame: Buffer.concat([header, ...pieces, tail]), header, pieces, tail }
}

/** Decodes `chunks` (one or more frames' bytes) with decompressChunk, draining at `maxLength`. */
function decodeChunks(chunks: Buffer[], maxLength: number | undefined) {
  const ctx = lz4.createDecompressionContext()
  const out: Buffer[] = []
  let endedAt = -1
  for (let i = 0; i < chunks.length && endedAt < 0; i++) {
    let pending = chunks[i]!
    for (let calls = 0; ; calls++) {
      if (calls > 1_000_000) throw new Error('decompressChunk makes no progress')
      const r = lz4.decompressChunk(ctx, pending, maxLength === undefined ? undefined : { maxLength })
      // Plain checks in this hot loop (a tiny maxLength makes many calls); expect() is slow here.
      if (maxLength !== undefined && r.data.length > maxLength) throw new Error(`${r.data.length} bytes over maxLength ${maxLength}`)
      if (r.bytesRead > pending.length) throw new Error(`bytesRead ${r.bytesRead} over the ${pending.length} bytes given`)
      out.push(r.data)
      pending = pending.subarray(r.bytesRead)
      if (r.endOfFrame) {
        endedAt = i
        break
      }
      const full = maxLength !== undefined && r.data.length === maxLength
      if (pending.length === 0 && !full) break
      // Without a length cap, a call consumes its whole chunk unless the frame ends.
      if (maxLength === undefined && pending.length > 0) throw new Error(`${pending.length} bytes left unread without maxLength`)
    }
  }
  return { data: Buffer.concat(out), endedAt }
}

/** The block size id a frame begun incrementally records (no shrinking to fit, unlike one-shot). */
function beginBlockSizeId(options: lz4.BeginOptions): number {
  return options.blockSize === undefined || options.blockSize === 0 ? 4 : options.blockSize
}

describe('lz4 incremental compression (property tests)', () => {
  it('compressBegin / compressChunk / compressFlush over random chunks decode to the input', () => {
    fc.assert(
      fc.property(dataArb, cutsArb, frameSettingsArb, fc.boolean(), (data, cuts, settings, withSize) => {
        const chunks = split(data, cuts)
        const options: lz4.BeginOptions = { ...settings, sourceSize: withSize ? data.length : 0 }
        const ctx = lz4.createCompressionContext()
        const { frame, header } = compressIncremental(ctx, chunks, options)
        expect(lz4.decompressSync(frame).equals(data)).toBe(true)
        expect(lz4.getFrameInfo(header)).toEqual(lz4.getFrameInfo(frame))
        expect(lz4.getFrameInfo(frame)).toMatchObject({
          blockSizeId: beginBlockSizeId(options),
          blockLinked: settings.blockLinked ?? true,
          contentChecksum: settings.contentChecksum ?? false,
          blockChecksum: settings.blockChecksum ?? false,
          contentSize: withSize && data.length > 0 ? data.length : null,
          skippable: false,
        })
        // The same chunks through a fresh context give the same bytes.
        expect(compressIncremental(lz4.createCompressionContext(), chunks, options).frame.equals(frame)).toBe(true)
        // A reused context makes a valid frame too, but not always the same bytes: liblz4's
        // LZ4F_compressBegin on a used context (LZ4_resetStream_fast) can miss matches into a
        // small previous block that a fresh context finds (seen with autoFlush and a 4-byte first chunk).
        expect(lz4.decompressSync(compressIncremental(ctx, chunks, options).frame).equals(data)).toBe(true)
      }),
      { numRuns: 60 },
    )
  })

  it('with autoFlush, every chunk is decodable as soon as it is compressed', () => {
    fc.assert(
      fc.property(dataArb, cutsArb, frameSettingsArb, (data, cuts, settings) => {
        const options: lz4.BeginOptions = { ...settings, autoFlush: true }
        const cctx = lz4.createCompressionContext()
        const dctx = lz4.createDecompressionContext()
        const first = lz4.decompressChunk(dctx, lz4.compressBegin(cctx, options))
        expect(first.data.length).toBe(0)
        expect(first.endOfFrame).toBe(false)
        let seen = 0
        for (const chunk of split(data, cuts)) {
          const piece = lz4.compressChunk(cctx, chunk)
          if (chunk.length > 0) expect(piece.length).toBeGreaterThan(0)
          const decoded = lz4.decompressChunk(dctx, piece)
          expect(decoded.endOfFrame).toBe(false)
          expect(decoded.bytesRead).toBe(piece.length)
          expect(decoded.data.equals(data.subarray(seen, seen + chunk.length))).toBe(true)
          seen += chunk.length
        }
        const end = lz4.decompressChunk(dctx, lz4.compressFlush(cctx))
        expect(end.data.length).toBe(0)
        expect(end.endOfFrame).toBe(true)
      }),
      { numRuns: 40 },
    )
  })

  it('FrameCompressor gives the same bytes as the context functions, and decodes to the input', () => {
    fc.assert(
      fc.property(dataArb, cutsArb, frameSettingsArb, fc.boolean(), (data, cuts, settings, withSize) => {
        const chunks = split(data, cuts)
        const sourceSize = withSize ? data.length : 0
        const compressor = new lz4.FrameCompressor(settings)
        const parts = [compressor.begin(sourceSize)]
        expect(compressor.started()).toBe(true)
        for (const chunk of chunks) parts.push(compressor.compress(chunk))
        parts.push(compressor.flush())
        expect(compressor.started()).toBe(false)
        const frame = Buffer.concat(parts)
        expect(lz4.decompressSync(frame).equals(data)).toBe(true)
        const expected = compressIncremental(lz4.createCompressionContext(), chunks, { ...settings, sourceSize }).frame
        expect(frame.equals(expected)).toBe(true)
        // The compressor is reusable after flush() (the bytes may differ if it reuses its context).
        const again = Buffer.concat([compressor.begin(sourceSize), ...chunks.map((c) => compressor.compress(c)), compressor.flush()])
        expect(lz4.decompressSync(again).equals(data)).toBe(true)
      }),
      { numRuns: 40 },
    )
  })

  it('compressFlush({endFrame: false}) midway keeps the frame going', () => {
    fc.assert(
      fc.property(dataArb, cutsArb, frameSettingsArb, fc.nat(), (data, cuts, settings, at) => {
        const ctx = lz4.createCompressionContext()
        const mid = at % (data.length + 1)
        const parts = [lz4.compressBegin(ctx, settings)]
        for (const chunk of split(data.subarray(0, mid), cuts)) parts.push(lz4.compressChunk(ctx, chunk))
        parts.push(lz4.compressFlush(ctx, { endFrame: false }))
        // Everything so far decodes already, without the end of the frame.
        const sofar = lz4.decompressChunk(lz4.createDecompressionContext(), Buffer.concat(parts))
        expect(sofar.endOfFrame).toBe(false)
        expect(sofar.data.equals(data.subarray(0, mid))).toBe(true)
        for (const chunk of split(data.subarray(mid), cuts)) parts.push(lz4.compressChunk(ctx, chunk))
        parts.push(lz4.compressFlush(ctx, { endFrame: true }))
        expect(lz4.decompressSync(Buffer.concat(parts)).equals(data)).toBe(true)
      }),
      { numRuns: 30 },
    )
  })
})

describe('lz4 incremental decompression (property tests)', () => {
  const maxLengthArb = fc.option(fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 300_000 })), { nil: undefined })

  it('decompressChunk over random chunk boundaries and maxLength gives the input back', () => {
    fc.assert(
      fc.property(dataArb, compressOptionsArb, cutsArb, maxLengthArb, (data, options, cuts, maxLength) => {
        const frame = lz4.compressSync(data, options)
        const { data: out, endedAt } = decodeChunks(split(frame, cuts), maxLength)
        expect(endedAt).toBeGreaterThanOrEqual(0)
        expect(out.equals(data)).toBe(true)
      }),
      { numRuns: 60 },
    )
  })

  it('FrameDecompressor over random chunks and maxLength, draining while needsInput is false', () => {
    const extraArb = fc.oneof(
      fc.constant(Buffer.alloc(0)),
      fc.uint8Array({ minLength: 1, maxLength: 100 }).map((u) => Buffer.from(u)),
      fc.constant(lz4.compressSync('a second frame')),
    )
    fc.assert(
      fc.property(dataArb, compressOptionsArb, cutsArb, maxLengthArb, extraArb, (data, options, cuts, maxLength, extra) => {
        const frame = lz4.compressSync(data, options)
        const chunks = split(Buffer.concat([frame, extra]), cuts)
        const decompressor = new lz4.FrameDecompressor()
        expect(decompressor.eof).toBe(false)
        expect(decompressor.needsInput).toBe(true)
        const opts = maxLength === undefined ? undefined : { maxLength }
        const out: Buffer[] = []
        let rest: Buffer | undefined
        for (let i = 0; i < chunks.length; i++) {
          out.push(decompressor.decompress(chunks[i]!, opts))
          for (let calls = 0; !decompressor.needsInput && !decompressor.eof; calls++) {
            if (calls > 1_000_000) throw new Error('FrameDecompressor makes no progress')
            out.push(decompressor.decompress(Buffer.alloc(0), opts))
          }
          if (decompressor.eof) {
            rest = Buffer.concat([decompressor.unusedData ?? Buffer.alloc(0), ...chunks.slice(i + 1)])
            break
          }
        }
        expect(decompressor.eof).toBe(true)
        expect(Buffer.concat(out).equals(data)).toBe(true)
        expect(rest!.equals(extra)).toBe(true)
        if (maxLength !== undefined) expect(out.reduce((m, piece) => Math.max(m, piece.length), 0)).toBeLessThanOrEqual(maxLength)
      }),
      { numRuns: 60 },
    )
  })

  it('decompressChunk stops at the end of a frame: endOfFrame and bytesRead, then the next frame', () => {
    fc.assert(
      fc.property(dataArb, dataArb, compressOptionsArb, compressOptionsArb, (a, b, optionsA, optionsB) => {
        const fa = lz4.compressSync(a, optionsA)
        const fb = lz4.compressSync(b, optionsB)
        const ctx = lz4.createDecompressionContext()
        const first = lz4.decompressChunk(ctx, Buffer.concat([fa, fb]))
        expect(first.endOfFrame).toBe(true)
        expect(first.bytesRead).toBe(fa.length)
        expect(first.data.equals(a)).toBe(true)
        // The context is ready for the next frame.
        const second = lz4.decompressChunk(ctx, fb)
        expect(second.endOfFrame).toBe(true)
        expect(second.bytesRead).toBe(fb.length)
        expect(second.data.equals(b)).toBe(true)
      }),
      { numRuns: 30 },
    )
  })
})

describe('lz4 incremental examples', () => {
  const data = sample(300 * KiB, 17)

  it('decompressChunk on a frame followed by garbage reports where the frame ends', () => {
    const frame = lz4.compressSync(data, { contentChecksum: true })
    const ctx = lz4.createDecompressionContext()
    const r = lz4.decompressChunk(ctx, Buffer.concat([frame, Buffer.from('trailing')]))
    expect(r.endOfFrame).toBe(true)
    expect(r.bytesRead).toBe(frame.length)
    expect(r.data.equals(data)).toBe(true)
  })

  it('decompressChunk with a partial frame returns what it can and endOfFrame false', () => {
    const frame = lz4.compressSync(data, { blockSize: lz4.BLOCKSIZE_MAX64KB })
    const ctx = lz4.createDecompressionContext()
    const half = lz4.decompressChunk(ctx, frame.subarray(0, frame.length >> 1))
    expect(half.endOfFrame).toBe(false)
    expect(half.bytesRead).toBe(frame.length >> 1)
    expect(data.subarray(0, half.data.length).equals(half.data)).toBe(true)
    const rest = lz4.decompressChunk(ctx, frame.subarray(frame.length >> 1))
    expect(rest.endOfFrame).toBe(true)
    expect(Buffer.concat([half.data, rest.data]).equals(data)).toBe(true)
  })

  it('maxLength caps each call; empty chunks drain the rest', () => {
    const frame = lz4.compressSync(data)
    const ctx = lz4.createDecompressionContext()
    const first = lz4.decompressChunk(ctx, frame, { maxLength: 1000 })
    expect(first.data.length).toBe(1000)
    expect(first.endOfFrame).toBe(false)
    const out = [first.data]
    let pending = frame.subarray(first.bytesRead)
    for (;;) {
      const r = lz4.decompressChunk(ctx, pending, { maxLength: 50_000 })
      expect(r.data.length).toBeLessThanOrEqual(50_000)
      out.push(r.data)
      pending = pending.subarray(r.bytesRead)
      if (r.endOfFrame) break
    }
    expect(Buffer.concat(out).equals(data)).toBe(true)
  })

  it('FrameDecompressor: eof, unusedData and needsInput', () => {
    const frame = lz4.compressSync(data)
    const decompressor = new lz4.FrameDecompressor()
    expect(decompressor.unusedData).toBeNull()
    const first = decompressor.decompress(frame.subarray(0, 100))
    expect(decompressor.eof).toBe(false)
    expect(decompressor.needsInput).toBe(true)
    const capped = decompressor.decompress(frame.subarray(100), { maxLength: 10 })
    expect(capped.length).toBe(10)
    expect(decompressor.needsInput).toBe(false)
    const rest = decompressor.decompress(Buffer.alloc(0))
    expect(decompressor.eof).toBe(true)
    expect(decompressor.unusedData).toBeNull()
    expect(Buffer.concat([first, capped, rest]).equals(data)).toBe(true)

    decompressor.reset()
    const tail = Buffer.from('after the frame')
    expect(decompressor.decompress(Buffer.concat([frame, tail])).equals(data)).toBe(true)
    expect(decompressor.eof).toBe(true)
    expect(decompressor.unusedData?.equals(tail)).toBe(true)
  })

  it('incremental frames with a wrong sourceSize do not decode silently', () => {
    const ctx = lz4.createCompressionContext()
    let frame: Buffer | undefined
    try {
      frame = Buffer.concat([lz4.compressBegin(ctx, { sourceSize: 10 }), lz4.compressChunk(ctx, 'more than ten bytes'), lz4.compressFlush(ctx)])
    } catch {
      return // refusing to finish the frame is fine
    }
    expect(() => lz4.decompressSync(frame!)).toThrow()
  })
})
