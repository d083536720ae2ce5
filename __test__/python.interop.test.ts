import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { lz4, zstd } from '../index'
import { noise, sample, withTempDir } from './helpers'

// Interop with the reference libraries, python-lz4 and python-zstandard, driven through
// python-interop.py (one python3 process per test). .ci/run pip-installs the pinned versions.
const PINNED = 'lz4==4.4.5 zstandard==0.25.0'
const SCRIPT = join(__dirname, 'python-interop.py')

function missingPython(): string | null {
  const probe = spawnSync('python3', ['-c', 'import lz4.block, lz4.frame, zstandard'], { encoding: 'utf8' })
  if (probe.error) return `python3 is not available (${probe.error.message})`
  if (probe.status !== 0) return `python3 cannot import python-lz4 and python-zstandard (pip install ${PINNED}): ${probe.stderr.trim().split('\n').pop()}`
  return null
}

const missing = missingPython()
if (missing !== null && process.env.CI) {
  describe('python interop', () => {
    it(`python3 with ${PINNED} is installed, as .ci/run does`, () => {
      throw new Error(missing)
    })
  })
} else if (missing !== null) {
  console.warn(`python interop tests skipped: ${missing}`)
}

type Wire = unknown
const toWire = (v: unknown): Wire =>
  Buffer.isBuffer(v)
    ? { b64: v.toString('base64') }
    : Array.isArray(v)
      ? v.map(toWire)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toWire(x)]))
        : v
const fromWire = (v: Wire): unknown =>
  Array.isArray(v)
    ? v.map(fromWire)
    : v !== null && typeof v === 'object'
      ? 'b64' in v && Object.keys(v).length === 1
        ? Buffer.from((v as { b64: string }).b64, 'base64')
        : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromWire(x)]))
      : v

/** Runs `requests` (python-interop.py's ops) in one python3 process; the results in order, throwing on any that failed. */
function python<T = Buffer>(requests: Array<Record<string, unknown>>): T[] {
  const child = spawnSync('python3', [SCRIPT], { input: JSON.stringify(toWire(requests)), maxBuffer: 1 << 30 })
  if (child.error) throw child.error
  if (child.status !== 0) throw new Error(`python3 ${SCRIPT} exited with ${child.status}: ${child.stderr.toString()}`)
  const replies = fromWire(JSON.parse(child.stdout.toString())) as Array<{ result?: T; error?: string }>
  return replies.map((reply, i) => {
    if (reply.error !== undefined) throw new Error(`python ${String(requests[i]!.op)} failed: ${reply.error}`)
    return reply.result as T
  })
}

/** Text with stretches of noise, opening with bytes that come back later with another fifth byte. */
function mixed(size: number, seed = 3): Buffer {
  const out = Buffer.concat([Buffer.from('blocX'), sample(size, seed)]).subarray(0, size)
  for (let at = 5000; at < size; at += 15_000) noise(5000, at).copy(out, at)
  return out
}

const LEVELS = [-10, -1, 0, 1, 2, 3, 9, 12, 16, 20]
const BLOCK_SIZES = [lz4.BLOCKSIZE_DEFAULT, lz4.BLOCKSIZE_MAX64KB, lz4.BLOCKSIZE_MAX256KB, lz4.BLOCKSIZE_MAX1MB, lz4.BLOCKSIZE_MAX4MB]

describe.skipIf(missing !== null)('python-lz4 (lz4.frame)', () => {
  const inputs = [mixed(150_000), mixed(100), Buffer.alloc(0), noise(70_000)]
  const cases = LEVELS.flatMap((level) =>
    BLOCK_SIZES.flatMap((blockSize) =>
      [true, false].flatMap((blockLinked) =>
        [
          { contentChecksum: false, blockChecksum: false, storeSize: true },
          { contentChecksum: true, blockChecksum: true, storeSize: false },
        ].map((flags) => ({ level, blockSize, blockLinked, ...flags })),
      ),
    ),
  )
  const pyArgs = (c: (typeof cases)[number]) => ({
    compression_level: c.level,
    block_size: c.blockSize,
    block_linked: c.blockLinked,
    content_checksum: c.contentChecksum,
    block_checksum: c.blockChecksum,
    store_size: c.storeSize,
  })

  it('compressSync is byte-identical to lz4.frame.compress at every level, block size, link, checksum and store_size; each decodes the other', async () => {
    const requests = inputs.flatMap((data) => cases.map((c) => ({ op: 'lz4_compress', data, ...pyArgs(c) })))
    const theirs = python(requests)
    const ours = inputs.flatMap((data) => cases.map((c) => lz4.compressSync(data, c)))
    const decoded = python(ours.map((data) => ({ op: 'lz4_decompress', data })))
    for (const [i, frame] of theirs.entries()) {
      const input = inputs[Math.floor(i / cases.length)]!
      const label = `${input.length} B, ${JSON.stringify(cases[i % cases.length])}`
      expect(ours[i]!.equals(frame), `${label}: ours ${ours[i]!.length} B, python-lz4 ${frame.length} B`).toBe(true)
      expect(lz4.decompressSync(frame).equals(input), label).toBe(true)
      expect(decoded[i]!.equals(input), label).toBe(true)
    }
    // Async and several threads: the same bytes as python-lz4 with independent blocks.
    const big = mixed(600_000, 9)
    const [linked, independent] = python([
      { op: 'lz4_compress', data: big },
      { op: 'lz4_compress', data: big, block_linked: false },
    ])
    expect((await lz4.compress(big)).equals(linked!)).toBe(true)
    expect(lz4.compressSync(big, { threads: 3 }).equals(independent!)).toBe(true)
    expect((await lz4.compress(big, { threads: 3 })).equals(independent!)).toBe(true)
  })

  it('getFrameInfo reads what lz4.frame.get_frame_info reads', () => {
    const frames = cases.map((c) => lz4.compressSync(inputs[0]!, c))
    const infos = python<Record<string, unknown>>(frames.map((data) => ({ op: 'lz4_frame_info', data })))
    for (const [i, frame] of frames.entries()) {
      const ours = lz4.getFrameInfo(frame)
      const theirs = infos[i]!
      expect(
        {
          blockSize: ours.blockSize,
          blockSizeId: ours.blockSizeId,
          blockLinked: ours.blockLinked,
          contentChecksum: ours.contentChecksum,
          blockChecksum: ours.blockChecksum,
          contentSize: ours.contentSize ?? 0,
          skippable: ours.skippable,
        },
        JSON.stringify(cases[i]),
      ).toEqual({
        blockSize: theirs.block_size,
        blockSizeId: theirs.block_size_id,
        blockLinked: theirs.block_linked,
        contentChecksum: theirs.content_checksum,
        blockChecksum: theirs.block_checksum,
        contentSize: theirs.content_size,
        skippable: theirs.skippable,
      })
    }
  })

  it('compressBegin / compressChunk / compressFlush are byte-identical to their python-lz4 namesakes in any chunking', () => {
    const input = inputs[0]!
    const settings = [
      {},
      { level: -5, blockSize: lz4.BLOCKSIZE_MAX64KB, blockLinked: false, contentChecksum: true },
      { level: 9, blockSize: lz4.BLOCKSIZE_MAX256KB, blockChecksum: true, autoFlush: true },
      { level: 0, autoFlush: true, sourceSize: input.length },
      { level: 12, blockSize: lz4.BLOCKSIZE_MAX4MB, sourceSize: input.length, contentChecksum: true },
    ] as lz4.BeginOptions[]
    const chunkings = [7777, 65_536, input.length]
    const ctx = lz4.createCompressionContext()
    const ours: Buffer[] = []
    const requests: Array<Record<string, unknown>> = []
    for (const s of settings) {
      for (const chunk of chunkings) {
        const pieces: Buffer[] = []
        for (let at = 0; at < input.length; at += chunk) pieces.push(input.subarray(at, at + chunk))
        ours.push(Buffer.concat([lz4.compressBegin(ctx, s), ...pieces.map((p) => lz4.compressChunk(ctx, p)), lz4.compressFlush(ctx)]))
        requests.push({
          op: 'lz4_compress_incremental',
          pieces,
          source_size: s.sourceSize ?? 0,
          auto_flush: s.autoFlush ?? false,
          compression_level: s.level ?? 0,
          block_size: s.blockSize ?? 0,
          block_linked: s.blockLinked ?? true,
          content_checksum: s.contentChecksum ?? false,
          block_checksum: s.blockChecksum ?? false,
        })
      }
    }
    for (const [i, frame] of python(requests).entries()) {
      const label = `${JSON.stringify(settings[Math.floor(i / chunkings.length)])} in ${chunkings[i % chunkings.length]}-byte chunks`
      expect(ours[i]!.equals(frame), label).toBe(true)
      expect(lz4.decompressSync(frame).equals(input), label).toBe(true)
    }
  })

  it('concatenated python-lz4 frames decode as one stream', () => {
    const parts = [mixed(1000, 1), Buffer.alloc(0), mixed(200_000, 2), noise(3000)]
    const frames = python(parts.map((data, i) => ({ op: 'lz4_compress', data, compression_level: i * 4 - 2, store_size: i % 2 === 0 })))
    expect(lz4.decompressSync(Buffer.concat(frames)).equals(Buffer.concat(parts))).toBe(true)
  })

  it('lz4.open writes files lz4.frame.open reads, and reads the files it writes', async () => {
    const input = mixed(300_000, 5)
    const pieces = [input.subarray(0, 1000), input.subarray(1000, 100_000), input.subarray(100_000)]
    await withTempDir(async (dir) => {
      for (const options of [{}, { level: 9, blockLinked: false, contentChecksum: true }, { blockSize: lz4.BLOCKSIZE_MAX256KB, blockChecksum: true }]) {
        const ours = join(dir, 'ours.lz4')
        const file = await lz4.open(ours, 'w', options)
        for (const p of pieces) await file.write(p)
        await file.close()
        const theirs = join(dir, 'theirs.lz4')
        const [read] = python([
          { op: 'lz4_read_file', path: ours },
          {
            op: 'lz4_write_file',
            path: theirs,
            pieces,
            compression_level: options.level ?? 0,
            block_linked: options.blockLinked ?? true,
            content_checksum: options.contentChecksum ?? false,
            block_checksum: options.blockChecksum ?? false,
            block_size: options.blockSize ?? 0,
          },
        ])
        expect(read!.equals(input), JSON.stringify(options)).toBe(true)
        const back = await lz4.open(theirs, 'r')
        expect((await back.read()).equals(input), JSON.stringify(options)).toBe(true)
        await back.close()
        expect(lz4.decompressSync(readFileSync(theirs)).equals(input)).toBe(true)
      }
    })
  })
})

describe.skipIf(missing !== null)('python-lz4 (lz4.block)', () => {
  const SIZES = [0, 1, 100, 4095, 4097, 65_546, 65_547, 65_548, 200_000]
  const dict = mixed(70_000, 17).reverse()
  const modes: Array<[lz4.CompressBlockOptions, Record<string, unknown>]> = [
    [{}, {}],
    [{ mode: 'default' }, { mode: 'default' }],
    ...[1, 4, 17].map((acceleration): [lz4.CompressBlockOptions, Record<string, unknown>] => [{ mode: 'fast', acceleration }, { mode: 'fast', acceleration }]),
    ...[1, 3, 9, 10, 12, 16].map((compression): [lz4.CompressBlockOptions, Record<string, unknown>] => [
      { mode: 'highCompression', compression },
      { mode: 'high_compression', compression },
    ]),
  ]

  // python-lz4 4.4.5 bundles liblz4 1.9.4, and squish links 1.10.0, which made high-compression
  // levels 1 and 2 a new strategy (lz4mid): those blocks differ, and still decode both ways.
  it('compressBlockSync is byte-identical to lz4.block.compress in every mode (but high compression 1 and 2, which liblz4 1.10 changed), with and without dict, store_size both ways; each decodes the other', async () => {
    const cases = modes.flatMap(([ours, theirs]) =>
      [true, false].flatMap((storeSize) =>
        [false, true].flatMap((withDict) =>
          SIZES.map((size) => ({ ours, theirs, storeSize, withDict, input: mixed(size), liblz4Changed: ours.mode === 'highCompression' && ours.compression! <= 2 })),
        ),
      ),
    )
    const blocks = python(
      cases.map((c) => ({ op: 'lz4_block_compress', data: c.input, ...c.theirs, store_size: c.storeSize, ...(c.withDict ? { dict } : {}) })),
    )
    const ours = cases.map((c) => lz4.compressBlockSync(c.input, { ...c.ours, storeSize: c.storeSize, dict: c.withDict ? dict : undefined }))
    const decoded = python(
      cases.map((c, i) => ({
        op: 'lz4_block_decompress',
        data: ours[i],
        ...(c.storeSize ? {} : { uncompressed_size: c.input.length }),
        ...(c.withDict ? { dict } : {}),
      })),
    )
    for (const [i, c] of cases.entries()) {
      const label = `${c.input.length} B, ${JSON.stringify(c.ours)}, storeSize ${c.storeSize}, dict ${c.withDict}`
      if (!c.liblz4Changed) expect(ours[i]!.equals(blocks[i]!), `${label}: ours ${ours[i]!.length} B, python-lz4 ${blocks[i]!.length} B`).toBe(true)
      const options = { dict: c.withDict ? dict : undefined, uncompressedSize: c.storeSize ? undefined : c.input.length }
      expect(lz4.decompressBlockSync(blocks[i]!, options).equals(c.input), label).toBe(true)
      expect(decoded[i]!.equals(c.input), label).toBe(true)
    }
    // Async, on the pool's threads.
    for (const [i, c] of cases.entries()) {
      if (i % 7 !== 0 || c.liblz4Changed) continue
      const block = await lz4.compressBlock(c.input, { ...c.ours, storeSize: c.storeSize, dict: c.withDict ? dict : undefined })
      expect(block.equals(blocks[i]!), `async, ${c.input.length} B, ${JSON.stringify(c.ours)}`).toBe(true)
    }
  })
})

describe.skipIf(missing !== null)('python-zstandard', () => {
  const inputs = [mixed(300_000, 21), mixed(5000, 22), Buffer.alloc(0)]
  const LEVELS_Z = [-5, 1, 3, 9, 19, 22]

  it('compressSync and Compressor are byte-identical to ZstdCompressor(level).compress for equal level, checksum and content size; each decodes the other', () => {
    const cases = inputs.flatMap((input) =>
      LEVELS_Z.flatMap((level) =>
        [
          [false, true],
          [true, false],
        ].map(([checksum, contentSize]) => ({ input, level, checksum: checksum!, contentSize: contentSize! })),
      ),
    )
    const theirs = python(cases.map((c) => ({ op: 'zstd_compress', data: c.input, level: c.level, checksum: c.checksum, content_size: c.contentSize })))
    const ours = cases.map(({ input, ...options }) => zstd.compressSync(input, options))
    const decoded = python(ours.map((data, i) => ({ op: 'zstd_decompress', data, max_output_size: cases[i]!.input.length + 1 })))
    for (const [i, { input, ...options }] of cases.entries()) {
      const label = `${input.length} B, ${JSON.stringify(options)}`
      expect(ours[i]!.equals(theirs[i]!), `${label}: ours ${ours[i]!.length} B, python-zstandard ${theirs[i]!.length} B`).toBe(true)
      expect(new zstd.Compressor(options).compressSync(input).equals(theirs[i]!), label).toBe(true)
      expect(zstd.decompressSync(theirs[i]!).equals(input), label).toBe(true)
      expect(decoded[i]!.equals(input), label).toBe(true)
    }
  })

  it('magicless frames are byte-identical for equal level and decode both ways', () => {
    const cases = inputs.flatMap((input) => [1, 3, 19].flatMap((level) => [false, true].map((checksum) => ({ input, level, checksum }))))
    const theirs = python(cases.map((c) => ({ op: 'zstd_compress', data: c.input, level: c.level, checksum: c.checksum, magicless: true })))
    const ours = cases.map(({ input, ...options }) => new zstd.Compressor({ ...options, format: 'magicless' }).compressSync(input))
    const decoded = python(ours.map((data) => ({ op: 'zstd_decompress', data, magicless: true })))
    const decompressor = new zstd.Decompressor({ format: 'magicless' })
    for (const [i, { input, ...options }] of cases.entries()) {
      const label = `${input.length} B, ${JSON.stringify(options)}`
      expect(ours[i]!.equals(theirs[i]!), label).toBe(true)
      expect(ours[i]!.readUInt32LE(0) === 0xfd2fb528, 'no magic number').toBe(false)
      expect(decompressor.decompressSync(theirs[i]!).equals(input), label).toBe(true)
      expect(decoded[i]!.equals(input), label).toBe(true)
    }
  })

  it('dictionaries (trained by either side, and raw content) give frames that decode both ways, with the same dictionary ids', () => {
    const samples = Array.from({ length: 300 }, (_, i) => sample(400 + (i % 50) * 10, i + 100))
    const [trainedByPython] = python<{ data: Buffer; id: number }>([{ op: 'zstd_train', size: 8192, samples }])
    const trainedByUs = zstd.trainDictionarySync(samples, { size: 8192 })
    const dictionaries: Array<[string, Buffer, zstd.DictionaryType]> = [
      ['trained by squish', trainedByUs.toBuffer(), 'auto'],
      ['trained by python-zstandard', trainedByPython!.data, 'auto'],
      ['raw content', mixed(20_000, 77), 'raw'],
    ]
    expect(new zstd.Dictionary(trainedByPython!.data).id).toBe(trainedByPython!.id)
    const messages = [sample(3000, 5), mixed(300_000, 6)]
    for (const [name, bytes, type] of dictionaries) {
      const dictionary = new zstd.Dictionary(bytes, { type })
      const cases = messages.flatMap((input) => [1, 3, 19].flatMap((level) => [true, false].map((dictId) => ({ input, level, dictId }))))
      const pyDict = { data: bytes, type }
      const theirs = python(cases.map((c) => ({ op: 'zstd_compress', data: c.input, level: c.level, dict_id: c.dictId, dict: pyDict })))
      const ours = cases.map(({ input, ...options }) => new zstd.Compressor({ ...options, dictionary }).compressSync(input))
      const decoded = python(ours.map((data) => ({ op: 'zstd_decompress', data, dict: pyDict })))
      const params = python<Record<string, unknown>>(theirs.map((data) => ({ op: 'zstd_frame_parameters', data })))
      const decompressor = new zstd.Decompressor({ dictionary })
      for (const [i, { input, ...options }] of cases.entries()) {
        const label = `${name}, ${input.length} B, ${JSON.stringify(options)}`
        expect(decompressor.decompressSync(theirs[i]!).equals(input), label).toBe(true)
        expect(decoded[i]!.equals(input), label).toBe(true)
        const recorded = type === 'raw' || !options.dictId ? 0 : dictionary.id
        expect(zstd.getFrameParameters(ours[i]!).dictId, label).toBe(recorded)
        expect(params[i]!.dict_id, label).toBe(recorded)
      }
    }
  })

  it('getFrameParameters reads what get_frame_parameters reads, for frames from either side', () => {
    const cases = [
      { level: 3 },
      { level: 19, checksum: true },
      { level: 1, contentSize: false },
      { level: -5, checksum: true, contentSize: false },
      { level: 22 },
    ]
    const ours = inputs.flatMap((input) => cases.map((c) => zstd.compressSync(input, c)))
    const theirs = python(
      inputs.flatMap((input) =>
        cases.map((c) => ({ op: 'zstd_compress', data: input, level: c.level, checksum: c.checksum ?? false, content_size: c.contentSize ?? true })),
      ),
    )
    const magicless = new zstd.Compressor({ format: 'magicless', checksum: true }).compressSync(inputs[0]!)
    const frames = [...ours, ...theirs]
    const params = python<Record<string, unknown>>([
      ...frames.map((data) => ({ op: 'zstd_frame_parameters', data })),
      { op: 'zstd_frame_parameters', data: magicless, magicless: true },
    ])
    const inspect = (frame: Buffer, options?: zstd.FrameOptions) => {
      const p = zstd.getFrameParameters(frame, options)
      return { content_size: p.contentSize, window_size: p.windowSize, dict_id: p.dictId, has_checksum: p.hasChecksum }
    }
    for (const [i, frame] of frames.entries()) expect(inspect(frame), `frame ${i}`).toEqual(params[i])
    expect(inspect(magicless, { format: 'magicless' })).toEqual(params[frames.length])
  })

  it('concatenated frames decode as one stream on both sides', () => {
    const parts = [mixed(1000, 1), Buffer.alloc(0), mixed(200_000, 2), noise(3000)]
    const theirs = python(parts.map((data, i) => ({ op: 'zstd_compress', data, level: i * 5 + 1, content_size: i % 2 === 0 })))
    const ours = parts.map((data, i) => zstd.compressSync(data, { level: i * 5 + 1, checksum: i % 2 === 1 }))
    const [decoded] = python([{ op: 'zstd_decompress_frames', data: Buffer.concat(ours) }])
    expect(zstd.decompressSync(Buffer.concat(theirs)).equals(Buffer.concat(parts))).toBe(true)
    expect(decoded!.equals(Buffer.concat(parts))).toBe(true)
  })

  it('zstd.open writes files zstandard.open reads, and reads the files it writes', async () => {
    const input = mixed(300_000, 5)
    const pieces = [input.subarray(0, 1000), input.subarray(1000, 100_000), input.subarray(100_000)]
    await withTempDir(async (dir) => {
      for (const level of [1, 3, 19]) {
        const ours = join(dir, 'ours.zst')
        const file = await zstd.open(ours, 'w', { level })
        for (const p of pieces) await file.write(p)
        await file.close()
        const theirs = join(dir, 'theirs.zst')
        const [read] = python([
          { op: 'zstd_read_file', path: ours },
          { op: 'zstd_write_file', path: theirs, pieces, level },
        ])
        expect(read!.equals(input), `level ${level}`).toBe(true)
        const back = await zstd.open(theirs, 'r')
        expect((await back.read()).equals(input), `level ${level}`).toBe(true)
        await back.close()
        expect(zstd.decompressSync(readFileSync(theirs)).equals(input)).toBe(true)
      }
    })
  })
})
