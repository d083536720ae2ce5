import { type PathLike, appendFileSync, existsSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { open as openFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { type CopyResult, FrameFile, type Input, lz4, type OpenFunction, zstd } from '../index'
import { noise, rejected, run, sample, split, withTempDir } from './helpers'

interface Codec {
  name: string
  codec: {
    open: OpenFunction<{ level?: number; maxOutputSize?: number }>
    compressFile: (source: PathLike, destination: PathLike, options?: { level?: number; signal?: AbortSignal }) => Promise<CopyResult>
    decompressFile: (source: PathLike, destination: PathLike, options?: { maxOutputSize?: number }) => Promise<CopyResult>
    compressSync: (data: Input) => Buffer
    decompressSync: (data: Input) => Buffer
  }
  ext: string
  cliCompress: (input: Buffer, args?: string[]) => Buffer
  cliDecode: (path: string) => Buffer
  firstFrame: (bytes: Buffer) => Buffer
}

// Both codecs share one FrameFile; each case runs for both, against its real CLI.
const codecs: Codec[] = [
  {
    name: 'zstd',
    codec: zstd,
    ext: 'zst',
    cliCompress: (input: Buffer, args: string[] = []) => run('zstd', ['-q', '-c', ...args], input),
    cliDecode: (path: string) => run('zstd', ['-q', '-d', '-c', path]),
    firstFrame: (bytes: Buffer) => zstd.decompressSync(bytes, { readAcrossFrames: false, allowExtraData: true }),
  },
  {
    name: 'lz4',
    codec: lz4,
    ext: 'lz4',
    cliCompress: (input: Buffer, args: string[] = []) => run('lz4', ['-q', '-c', ...args], input),
    cliDecode: (path: string) => run('lz4', ['-q', '-d', '-c', path]),
    firstFrame: (bytes: Buffer) => lz4.decompressSync(bytes, { readAcrossFrames: false, allowExtraData: true }),
  },
]

/** Lines of text with one-, two-, three- and four-byte UTF-8 characters. */
function text(lines: number, seed = 3): string {
  const words = ['squish', 'zstd', 'lz4', 'é', 'naïve', '日本語', '𝄞', 'frame', '']
  let x = seed
  const out: string[] = []
  for (let i = 0; i < lines; i++) {
    const line: string[] = []
    for (let w = 0; w < i % 13; w++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0
      line.push(words[(x >>> 16) % words.length]!)
    }
    out.push(`${line.join(' ')}\n`)
  }
  return out.join('')
}

/** Reads the whole file with reads of the given sizes (cycled), concatenated. */
async function readInSizes<T extends Buffer | string>(file: FrameFile<T>, sizes: number[]): Promise<T[]> {
  const parts: T[] = []
  for (let i = 0; ; i++) {
    const part = await file.read(sizes.length === 0 ? undefined : sizes[i % sizes.length])
    if (part.length === 0) return parts
    parts.push(part)
  }
}

const data = sample(700_000, 5)

for (const { name, codec, ext, cliCompress, cliDecode, firstFrame } of codecs) {
  describe(`${name}.open`, () => {
    it('writes a file that the CLI decodes, from writes of any size', () =>
      withTempDir(async (dir) => {
        const path = join(dir, `out.${ext}`)
        const file = await codec.open(path, 'w', { level: 5 })
        expect(file.writable && !file.readable).toBe(true)
        let written = 0
        for (const chunk of split(data, [1, 2, 100, 70_000, 70_001, 300_000, 300_000])) written += await file.write(chunk)
        await file.write(noise(200_000))
        expect(written).toBe(data.length)
        expect(file.tell()).toBe(data.length + 200_000)
        await file.close()
        expect(file.closed).toBe(true)
        expect(cliDecode(path).equals(Buffer.concat([data, noise(200_000)]))).toBe(true)
      }))

    it('writes one empty frame for a file closed without data; flush alone writes nothing', () =>
      withTempDir(async (dir) => {
        const path = join(dir, `empty.${ext}`)
        const file = await codec.open(path, 'w')
        await file.flush()
        expect(readFileSync(path).length).toBe(0)
        await file.close()
        const bytes = readFileSync(path)
        expect(bytes.length).toBeGreaterThan(0)
        expect(cliDecode(path).length).toBe(0)
        await file.close()
        expect(readFileSync(path).equals(bytes)).toBe(true)
      }))

    it('flush() ends the frame: the data so far decodes at once, and the rest goes in a new frame', () =>
      withTempDir(async (dir) => {
        const path = join(dir, `flushed.${ext}`)
        const file = await codec.open(path, 'w')
        await file.write(data.subarray(0, 1000))
        await file.flush()
        await file.flush()
        const first = readFileSync(path)
        expect(firstFrame(first).equals(data.subarray(0, 1000))).toBe(true)
        expect(codec.decompressSync(first).equals(data.subarray(0, 1000))).toBe(true)
        await file.write(data.subarray(1000))
        await file.close()
        const whole = readFileSync(path)
        expect(firstFrame(whole).equals(data.subarray(0, 1000))).toBe(true)
        expect(cliDecode(path).equals(data)).toBe(true)
      }))

    it("appends frames with 'a', refuses an existing file with 'x', and reads appended frames as one", () =>
      withTempDir(async (dir) => {
        const path = join(dir, `appended.${ext}`)
        for (const [mode, part] of [['x', data.subarray(0, 5000)], ['a', data.subarray(5000, 9000)], ['ab', data.subarray(9000, 20_000)]] as const) {
          const file = await codec.open(path, mode)
          await file.write(part)
          await file.close()
        }
        await expect(codec.open(path, 'x')).rejects.toMatchObject({ code: 'EEXIST' })
        const file = await codec.open(path)
        expect((await file.read()).equals(data.subarray(0, 20_000))).toBe(true)
        await file.close()
        expect(cliDecode(path).equals(data.subarray(0, 20_000))).toBe(true)
      }))

    it('reads files from the CLI: one frame, several, and appended ones', () =>
      withTempDir(async (dir) => {
        const single = join(dir, `single.${ext}`)
        writeFileSync(single, cliCompress(data))
        const multi = join(dir, `multi.${ext}`)
        writeFileSync(multi, cliCompress(data.subarray(0, 100_000), ['-9']))
        appendFileSync(multi, cliCompress(Buffer.alloc(0)))
        appendFileSync(multi, cliCompress(data.subarray(100_000)))
        for (const path of [single, multi]) {
          const file = await codec.open(path, 'rb')
          expect(Buffer.concat(await readInSizes(file, [1, 65_536, 3, 200_000])).equals(data)).toBe(true)
          expect((await file.read()).length).toBe(0)
          expect(file.tell()).toBe(data.length)
          await file.close()
        }
      }))

    it('reads what it wrote, with random write chunks and random read sizes', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 300_000 }),
          fc.array(fc.nat({ max: 400_000 }), { maxLength: 8 }),
          fc.array(fc.integer({ min: 0, max: 150_000 }), { maxLength: 6 }),
          fc.array(fc.nat({ max: 400_000 }), { maxLength: 2 }),
          (size, cuts, sizes, flushes) =>
            withTempDir(async (dir) => {
              const content = sample(size, size)
              const path = join(dir, `prop.${ext}`)
              const file = await codec.open(path, 'w')
              let at = 0
              for (const chunk of split(content, cuts)) {
                await file.write(chunk)
                at += chunk.length
                if (flushes.some((f) => f % (size + 1) === at)) await file.flush()
              }
              await file.close()
              expect(cliDecode(path).equals(content)).toBe(true)
              const reader = await codec.open(path)
              const parts = await readInSizes(reader, sizes.some((s) => s > 0) ? sizes.filter((s) => s > 0) : [])
              expect(Buffer.concat(parts).equals(content)).toBe(true)
              await reader.close()
            }),
        ),
        { numRuns: 25 },
      )
    })

    it('reads lines in text mode, including multi-byte characters, from CLI files', () =>
      withTempDir(async (dir) => {
        const content = text(3000)
        const path = join(dir, `text.${ext}`)
        writeFileSync(path, Buffer.concat([cliCompress(Buffer.from(content.slice(0, 10_001))), cliCompress(Buffer.from(content.slice(10_001)))]))
        const expected = content.split(/(?<=\n)/)
        const file = await codec.open(path, 'rt')
        const lines: string[] = []
        for await (const line of file) lines.push(line)
        expect(lines).toEqual(expected)
        await file.close()

        const again = await codec.open(path, 'rt')
        expect(await again.readLine()).toBe(expected[0])
        expect(await again.readLine(3)).toBe(expected[1]!.slice(0, 3))
        await again.seek(0)
        expect((await readInSizes(again, [1, 2, 3, 5, 7, 1000])).join('')).toBe(content)
        expect(await again.readLine()).toBe('')
        await again.close()
      }))

    it('writes and reads text in UTF-16LE and latin1', () =>
      withTempDir(async (dir) => {
        for (const encoding of ['utf16le', 'latin1'] as const) {
          const content = encoding === 'latin1' ? 'caf\u00e9 na\u00efve\nline two\n\nlast' : text(500)
          const path = join(dir, `${encoding}.${ext}`)
          const writer = await codec.open(path, 'wt', { encoding })
          await writer.write(content)
          await writer.close()
          expect(cliDecode(path).equals(Buffer.from(content, encoding))).toBe(true)
          const reader = await codec.open(path, 'rt', { encoding })
          const lines: string[] = []
          for await (const line of reader) lines.push(line)
          expect(lines).toEqual(content.split(/(?<=\n)/))
          await reader.seek(0)
          expect((await readInSizes(reader, [1, 3, 4, 1001])).join('')).toBe(content)
          await reader.close()
        }
      }))

    it('binary lines are Buffers; the last line may lack a newline', () =>
      withTempDir(async (dir) => {
        const path = join(dir, `lines.${ext}`)
        writeFileSync(path, codec.compressSync('one\n\nthree'))
        const file = await codec.open(path)
        const lines: Buffer[] = []
        for await (const line of file) lines.push(line)
        expect(lines.map(String)).toEqual(['one\n', '\n', 'three'])
        await file.close()
      }))

    it('peek() returns bytes without consuming them; seek() moves both ways and clamps at the end', () =>
      withTempDir(async (dir) => {
        const path = join(dir, `seek.${ext}`)
        writeFileSync(path, cliCompress(data))
        const file = await codec.open(path)
        const peeked = await file.peek(10)
        expect(peeked.length).toBeGreaterThanOrEqual(10)
        expect(peeked.equals(data.subarray(0, peeked.length))).toBe(true)
        expect(file.tell()).toBe(0)
        expect((await file.read(10)).equals(data.subarray(0, 10))).toBe(true)
        expect(await file.seek(500_000)).toBe(500_000)
        expect((await file.read(5)).equals(data.subarray(500_000, 500_005))).toBe(true)
        expect(await file.seek(-100_005, 1)).toBe(400_000)
        expect((await file.read(5)).equals(data.subarray(400_000, 400_005))).toBe(true)
        expect(await file.seek(-10, 2)).toBe(data.length - 10)
        expect((await file.read()).equals(data.subarray(-10))).toBe(true)
        expect(await file.seek(0)).toBe(0)
        expect(await file.seek(data.length + 100)).toBe(data.length)
        expect((await file.read(1)).length).toBe(0)
        expect((await file.peek()).length).toBe(0)
        await file.close()
      }))

    it('takes a FileHandle, a file: URL and a Buffer path; leaves a FileHandle open', () =>
      withTempDir(async (dir) => {
        const path = join(dir, `handle.${ext}`)
        const handle = await openFile(path, 'w')
        const writer = await codec.open(handle, 'w')
        await writer.write(data.subarray(0, 50_000))
        await writer[Symbol.asyncDispose]()
        await handle.write(Buffer.alloc(0))
        await handle.close()
        for (const target of [pathToFileURL(path), Buffer.from(path)]) {
          const reader = await codec.open(target)
          expect((await reader.read()).equals(data.subarray(0, 50_000))).toBe(true)
          await reader.close()
        }
        const readHandle = await openFile(path, 'r')
        const reader = await codec.open(readHandle)
        expect((await reader.read()).equals(data.subarray(0, 50_000))).toBe(true)
        await reader.close()
        expect((await readHandle.stat()).size).toBeGreaterThan(0)
        await readHandle.close()
      }))

    it('typed errors: mode, options, use after close, wrong direction, overlapping calls', () =>
      withTempDir(async (dir) => {
        const path = join(dir, `errors.${ext}`)
        await rejected(codec.open(path, 'rw' as 'r'), 'ERR_SQUISH_INVALID_ARG')
        await rejected(codec.open(path, 'w', { encoding: 'utf8' } as object), 'ERR_SQUISH_INVALID_ARG')
        await rejected(codec.open(path, 'wt', { encoding: 'hex' as 'utf8' }), 'ERR_SQUISH_INVALID_ARG')
        await rejected(codec.open(path, 'w', { level: 1.5 }), 'ERR_SQUISH_INVALID_ARG')
        expect(existsSync(path)).toBe(false)

        const writer = await codec.open(path, 'w')
        await rejected(writer.read(), 'ERR_SQUISH_INVALID_ARG')
        await rejected(writer.readLine(), 'ERR_SQUISH_INVALID_ARG')
        await rejected(writer.seek(0), 'ERR_SQUISH_INVALID_ARG')
        await rejected(writer.write(42 as unknown as Buffer), 'ERR_SQUISH_INVALID_ARG')
        const first = writer.write(noise(300_000))
        await rejected(writer.write('x'), 'ERR_SQUISH_BUSY')
        await first
        await writer.close()
        await rejected(writer.write('x'), 'ERR_SQUISH_CLOSED')
        await rejected(writer.flush(), 'ERR_SQUISH_CLOSED')
        expect(() => writer.tell()).toThrow(expect.objectContaining({ code: 'ERR_SQUISH_CLOSED' }))

        const reader = await codec.open(path)
        await rejected(reader.write('x'), 'ERR_SQUISH_INVALID_ARG')
        await rejected(reader.read(-2), 'ERR_SQUISH_INVALID_ARG')
        await rejected(reader.seek(0, 3 as 0), 'ERR_SQUISH_INVALID_ARG')
        await reader.flush()
        const pending = reader.read(10)
        await rejected(reader.peek(), 'ERR_SQUISH_BUSY')
        const closing = reader.close()
        await pending
        await closing
        await rejected(reader.read(), 'ERR_SQUISH_CLOSED')
      }))

    it('corrupt, truncated and oversized files reject with typed errors', () =>
      withTempDir(async (dir) => {
        const frame = cliCompress(data)
        const cases: Array<[Buffer, string, object | undefined]> = [
          [frame.subarray(0, frame.length - 7), 'ERR_SQUISH_TRUNCATED', undefined],
          [Buffer.concat([frame, Buffer.from('trailing garbage')]), 'ERR_SQUISH_CORRUPT', undefined],
          [Buffer.from('not a compressed file at all'), 'ERR_SQUISH_CORRUPT', undefined],
          [frame, 'ERR_SQUISH_OUTPUT_LIMIT', { maxOutputSize: 1000 }],
        ]
        for (const [bytes, code, options] of cases) {
          const path = join(dir, `bad.${ext}`)
          writeFileSync(path, bytes)
          const file = await codec.open(path, 'r', options)
          await rejected(file.read(), code as 'ERR_SQUISH_CORRUPT')
          await file.close()
        }
      }))

    it('a failed read or write fails every later call with the same error; close still closes', () =>
      withTempDir(async (dir) => {
        const path = join(dir, `sticky.${ext}`)
        const frame = cliCompress(data)
        frame.fill(0x55, frame.length >> 1, (frame.length >> 1) + 64)
        writeFileSync(path, frame)
        const reader = await codec.open(path)
        const first = await reader.read().catch((error: unknown) => error)
        expect(['ERR_SQUISH_CORRUPT', 'ERR_SQUISH_CHECKSUM']).toContain((first as { code: string }).code)
        for (const again of [reader.read(50_000), reader.readLine(), reader.peek(), reader.seek(0)]) await expect(again).rejects.toBe(first)
        await reader.close()

        writeFileSync(path, '')
        const readOnly = await openFile(path, 'r')
        const writer = await codec.open(readOnly, 'w')
        await writer.write(data.subarray(0, 1000))
        const failure = await writer.flush().catch((error: unknown) => error)
        expect(failure).toMatchObject({ code: 'EBADF' })
        await expect(writer.write('more')).rejects.toBe(failure)
        await expect(writer.close()).rejects.toBe(failure)
        expect(writer.closed).toBe(true)
        await readOnly.close()
      }))

    it('reads files of any size with memory bounded per step, unless maxOutputSize is set', () =>
      withTempDir(async (dir) => {
        const path = join(dir, `bomb.${ext}`)
        const size = 300 * 1024 * 1024
        const packed = codec.compressSync(Buffer.alloc(size))
        expect(packed.length).toBeLessThan(2 * 1024 * 1024)
        writeFileSync(path, packed)
        const file = await codec.open(path)
        const rss = process.memoryUsage().rss
        expect((await file.peek(1)).length).toBeLessThanOrEqual(64 * 1024)
        let total = 0
        for (let part = await file.read(1 << 20); part.length > 0; part = await file.read(1 << 20)) total += part.length
        expect(total).toBe(size)
        expect(process.memoryUsage().rss - rss).toBeLessThan(128 * 1024 * 1024)
        await file.close()
        const limited = await codec.open(path, 'r', { maxOutputSize: 1 << 20 })
        await rejected(limited.read(), 'ERR_SQUISH_OUTPUT_LIMIT')
        await limited.close()
      }))

    it('reads lines that span many decoding steps', () =>
      withTempDir(async (dir) => {
        const path = join(dir, `long.${ext}`)
        const long = `${'x'.repeat(12 * 1024 * 1024)}\n`
        writeFileSync(path, cliCompress(Buffer.from(`a\n${long}b`)))
        const file = await codec.open(path, 'rt')
        expect(await file.readLine()).toBe('a\n')
        expect(await file.readLine()).toBe(long)
        expect(await file.readLine()).toBe('b')
        expect(await file.readLine()).toBe('')
        await file.close()
      }))

    it("flush('block') keeps one frame; 'a' without writes leaves the file as it was", () =>
      withTempDir(async (dir) => {
        const path = join(dir, `block.${ext}`)
        const file = await codec.open(path, 'w')
        await file.write(data.subarray(0, 5000))
        await file.flush('block')
        await rejected(file.flush('all' as 'frame'), 'ERR_SQUISH_INVALID_ARG')
        await file.write(data.subarray(5000, 9000))
        await file.close()
        const bytes = readFileSync(path)
        expect(firstFrame(bytes).equals(data.subarray(0, 9000))).toBe(true)
        const appender = await codec.open(path, 'a')
        await appender.close()
        expect(readFileSync(path).equals(bytes)).toBe(true)
      }))
  })

  describe(`${name}.compressFile / decompressFile`, () => {
    it('round-trip through files the CLI reads and writes', () =>
      withTempDir(async (dir) => {
        const source = join(dir, 'source.bin')
        writeFileSync(source, data)
        const packed = join(dir, `source.bin.${ext}`)
        expect(await codec.compressFile(source, packed, { level: 3 })).toEqual({ bytesRead: data.length, bytesWritten: readFileSync(packed).length })
        expect(cliDecode(packed).equals(data)).toBe(true)
        const fromCli = join(dir, `cli.${ext}`)
        writeFileSync(fromCli, Buffer.concat([cliCompress(data.subarray(0, 1000)), cliCompress(data.subarray(1000))]))
        const unpacked = join(dir, 'unpacked.bin')
        expect(await codec.decompressFile(pathToFileURL(fromCli), unpacked)).toEqual({ bytesRead: readFileSync(fromCli).length, bytesWritten: data.length })
        expect(readFileSync(unpacked).equals(data)).toBe(true)
        expect(readdirSync(dir).sort()).toEqual(['cli.' + ext, 'source.bin', `source.bin.${ext}`, 'unpacked.bin'].sort())
      }))

    it('leaves nothing behind on failure, and an existing destination untouched', () =>
      withTempDir(async (dir) => {
        const frame = cliCompress(data)
        const corrupt = join(dir, `corrupt.${ext}`)
        writeFileSync(corrupt, Buffer.concat([frame.subarray(0, 300_000), Buffer.alloc(64, 0x55)]))
        const truncated = join(dir, `truncated.${ext}`)
        writeFileSync(truncated, frame.subarray(0, frame.length - 3))
        const destination = join(dir, 'existing')
        writeFileSync(destination, 'keep me')
        const before = readdirSync(dir).sort()
        await rejected(codec.decompressFile(corrupt, destination), 'ERR_SQUISH_CORRUPT')
        await rejected(codec.decompressFile(truncated, destination), 'ERR_SQUISH_TRUNCATED')
        await rejected(codec.decompressFile(truncated, join(dir, 'new'), { maxOutputSize: 10 }), 'ERR_SQUISH_OUTPUT_LIMIT')
        await expect(codec.compressFile(join(dir, 'missing'), join(dir, 'new'))).rejects.toMatchObject({ code: 'ENOENT' })
        await expect(codec.compressFile(corrupt, join(dir, 'new'), { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ERR_SQUISH_ABORTED' })
        const controller = new AbortController()
        const aborted = codec.compressFile(corrupt, join(dir, 'new'), { signal: controller.signal })
        controller.abort()
        await expect(aborted).rejects.toMatchObject({ code: 'ERR_SQUISH_ABORTED' })
        await rejected(codec.compressFile(corrupt, join(dir, 'new'), { level: 'high' as unknown as number }), 'ERR_SQUISH_INVALID_ARG')
        await rejected(codec.compressFile(42 as unknown as string, join(dir, 'new')), 'ERR_SQUISH_INVALID_ARG')
        expect(readdirSync(dir).sort()).toEqual(before)
        expect(readFileSync(destination, 'utf8')).toBe('keep me')
      }))

    it('replace the file a symbolic link at the destination leads to, and keep the link', () =>
      withTempDir(async (dir) => {
        const source = join(dir, 'source.bin')
        writeFileSync(source, data)
        writeFileSync(join(dir, 'real'), 'old')
        symlinkSync('real', join(dir, 'link'))
        symlinkSync('link', join(dir, 'link2'))
        await codec.compressFile(source, join(dir, 'link2'))
        expect(lstatSync(join(dir, 'link2')).isSymbolicLink()).toBe(true)
        expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true)
        expect(cliDecode(join(dir, 'real')).equals(data)).toBe(true)
        symlinkSync('made', join(dir, 'dangling'))
        await codec.decompressFile(join(dir, 'real'), join(dir, 'dangling'))
        expect(lstatSync(join(dir, 'dangling')).isSymbolicLink()).toBe(true)
        expect(readFileSync(join(dir, 'made')).equals(data)).toBe(true)
        symlinkSync('loop-b', join(dir, 'loop-a'))
        symlinkSync('loop-a', join(dir, 'loop-b'))
        await expect(codec.compressFile(source, join(dir, 'loop-a'))).rejects.toMatchObject({ code: 'ELOOP' })
        expect(readdirSync(dir).sort()).toEqual(['dangling', 'link', 'link2', 'loop-a', 'loop-b', 'made', 'real', 'source.bin'])
      }))

    it('take Buffer paths byte for byte, names that are not UTF-8 included', () =>
      withTempDir(async (dir) => {
        const at = (...bytes: number[]) => Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(bytes)])
        const source = at(0x73, 0xff, 0xfe)
        writeFileSync(source, data)
        const packed = at(0x70, 0xe9, 0x2e, 0x78)
        await codec.compressFile(source, packed)
        await codec.decompressFile(packed, at(0x75, 0x80))
        expect(readFileSync(at(0x75, 0x80)).equals(data)).toBe(true)
        const names = readdirSync(dir, { encoding: 'buffer' }).map((n) => n.toString('hex')).sort()
        expect(names).toEqual(['70e92e78', '73fffe', '7580'])
      }))

    it('decompressFile has no output limit unless given one', () =>
      withTempDir(async (dir) => {
        const mib = codec.compressSync(Buffer.alloc(1 << 20))
        const packed = join(dir, `zeros.${ext}`)
        writeFileSync(packed, Buffer.concat(Array.from({ length: 257 }, () => mib)))
        expect(257 << 20).toBeGreaterThan(zstd.DEFAULT_MAX_OUTPUT_SIZE)
        expect((await codec.decompressFile(packed, join(dir, 'zeros'))).bytesWritten).toBe(257 << 20)
        expect(statSync(join(dir, 'zeros')).size).toBe(257 << 20)
        await rejected(codec.decompressFile(packed, join(dir, 'capped'), { maxOutputSize: 1 << 20 }), 'ERR_SQUISH_OUTPUT_LIMIT')
        expect(existsSync(join(dir, 'capped'))).toBe(false)
      }))
  })
}
