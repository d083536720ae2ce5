import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { zstd } from '../index'
import { rejected, run, sample, thrown, withTempDir } from './helpers'

// The real CLI (Debian package `zstd`); .ci/run installs it.
const data = sample(1_500_000, 11)

/** Compresses `input` with the zstd CLI from a file, so the frame records the content size. */
function cliFromFile(input: Buffer, args: string[]): Buffer {
  return withTempDir((dir) => {
    const file = join(dir, 'in')
    writeFileSync(file, input)
    run('zstd', ['-q', '-f', ...args, file, '-o', `${file}.zst`])
    return readFileSync(`${file}.zst`)
  })
}

describe('interop with the zstd CLI', () => {
  it('our frames decode with zstd -d', () => {
    const cases: Array<[Buffer, zstd.CompressOptions | undefined]> = [
      [data, undefined],
      [data, { level: -5 }],
      [data, { level: 19, checksum: true }],
      [data, { contentSize: false }],
      [Buffer.alloc(0), undefined],
      [sample(1), { level: 1 }],
    ]
    for (const [input, options] of cases) {
      const frame = zstd.compressSync(input, options)
      expect(run('zstd', ['-d', '-c', '-q'], frame).equals(input), JSON.stringify(options)).toBe(true)
    }
  })

  it('our concatenated frames decode with zstd -d as one stream', () => {
    const frames = Buffer.concat([zstd.compressSync(data.subarray(0, 1000)), zstd.compressSync(data.subarray(1000))])
    expect(run('zstd', ['-d', '-c', '-q'], frames).equals(data)).toBe(true)
  })

  for (const args of [['-1'], ['-19'], ['--no-check'], ['--long'], ['-3', '--check'], ['--ultra', '-22']]) {
    it(`frames from zstd ${args.join(' ')} decode with ours, sync and async`, async () => {
      const frame = cliFromFile(data, args)
      expect(zstd.decompressSync(frame).equals(data)).toBe(true)
      expect((await zstd.decompress(frame)).equals(data)).toBe(true)
    })
  }

  it('frames from zstd over a pipe (no content size) decode with ours', async () => {
    for (const args of [['-3'], ['-19'], ['--long'], ['--no-check']]) {
      const frame = run('zstd', ['-c', '-q', ...args], data)
      expect(frame[4]! & 0xc0, 'no content size field').toBe(0)
      expect(zstd.decompressSync(frame).equals(data), args.join(' ')).toBe(true)
      expect((await zstd.decompress(frame)).equals(data)).toBe(true)
      thrown(() => zstd.decompressSync(frame, { maxOutputSize: data.length - 1 }), 'ERR_SQUISH_OUTPUT_LIMIT')
    }
  })

  it('a piped frame with a window over 128 MiB is refused with a clear error', async () => {
    const frame = run('zstd', ['-c', '-q', '--long=29'], sample(10_000))
    const error = thrown(() => zstd.decompressSync(frame), 'ERR_SQUISH_WINDOW_TOO_LARGE')
    expect(error.message).toMatch(/window of 536870912 bytes/)
    await rejected(zstd.decompress(frame), 'ERR_SQUISH_WINDOW_TOO_LARGE')
  })

  it('multi-frame files from cat a.zst b.zst decode to the concatenation', () => {
    const a = sample(200_000, 21)
    const b = sample(300_000, 22)
    const joined = Buffer.concat([cliFromFile(a, ['-3']), run('zstd', ['-c', '-q', '-9'], b), cliFromFile(a, ['-1'])])
    expect(zstd.decompressSync(joined).equals(Buffer.concat([a, b, a]))).toBe(true)
  })

  it('a corrupted CLI frame with a checksum is an error, never wrong output', () => {
    const frame = cliFromFile(data, ['-3', '--check'])
    const bad = Buffer.from(frame)
    bad[bad.length - 1]! ^= 1
    thrown(() => zstd.decompressSync(bad), 'ERR_SQUISH_CHECKSUM')
  })
})

describe('dictionaries and windows shared with the zstd CLI', () => {
  const samples = Array.from({ length: 2000 }, (_, i) =>
    Buffer.from(JSON.stringify({ id: i, user: `user-${i % 97}`, event: ['view', 'click', 'buy'][i % 3], path: `/items/${i * 7}` })),
  )

  it('uses dictionaries from zstd --train, and zstd -D reads ours', () =>
    withTempDir((dir) => {
      samples.forEach((s, i) => writeFileSync(join(dir, `s${i}.json`), s))
      const files = samples.map((_, i) => join(dir, `s${i}.json`))
      run('zstd', ['-q', '--train', ...files, '--maxdict=4096', '-o', join(dir, 'cli.dict')])
      const cliDict = new zstd.Dictionary(readFileSync(join(dir, 'cli.dict')))
      expect(cliDict.id).toBeGreaterThan(0)
      const cliFrame = run('zstd', ['-q', '-c', '-D', join(dir, 'cli.dict'), files[5]!])
      expect(new zstd.Decompressor({ dictionary: cliDict }).decompressSync(cliFrame).equals(samples[5]!)).toBe(true)

      const ours = zstd.trainDictionarySync(samples, { size: 4096 })
      writeFileSync(join(dir, 'ours.dict'), ours.toBuffer())
      const frame = new zstd.Compressor({ dictionary: ours, checksum: true }).compressSync(samples[9]!)
      expect(run('zstd', ['-q', '-d', '-c', '-D', join(dir, 'ours.dict')], frame).equals(samples[9]!)).toBe(true)
      expect(() => run('zstd', ['-q', '-d', '-c'], frame)).toThrow()
    }))

  it('decodes zstd --long=31 frames only when maxWindowSize allows 2 GiB', async () => {
    const input = sample(300_000, 21)
    const frame = run('zstd', ['-q', '-c', '--long=31'], input)
    expect(zstd.getFrameParameters(frame).windowSize).toBe(2 ** 31)
    const error = thrown(() => zstd.decompressSync(frame), 'ERR_SQUISH_WINDOW_TOO_LARGE')
    expect(error.message).toMatch(/over the window limit \(134217728 bytes \(128\.0 MiB\)\); a zstd\.Decompressor with a larger maxWindowSize \(up to 2 GiB\) decodes it$/)
    const streamed = thrown(() => new zstd.Decompressor().createDecoder().update(frame), 'ERR_SQUISH_WINDOW_TOO_LARGE')
    expect(streamed.message).toMatch(/maxWindowSize/)
    await rejected(new zstd.Decompressor().decompress(frame), 'ERR_SQUISH_WINDOW_TOO_LARGE')
    const wide = new zstd.Decompressor({ maxWindowSize: 2 ** 31 })
    expect(wide.decompressSync(frame).equals(input)).toBe(true)
    expect((await wide.decompress(frame)).equals(input)).toBe(true)
  })
})
