// Native memory is released at final() and when a stream ends or is destroyed, and V8 is told
// about what objects hold, so that dropped ones are collected: RSS levels off in every
// create-use-drop loop. Measured in child processes.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

const dist = process.env.SQUISH_DIST ?? join(__dirname, '..', 'dist', 'index.js')

/** RSS growth (MB) over `count` rounds of `body`, yielding to the event loop every `every` rounds. */
function growth(body: string, count: number, every: number): number {
  const script = `
    const { zstd, lz4 } = require(${JSON.stringify(dist)})
    const chunk = Buffer.alloc(64 << 10, 'squish ')
    const frame = zstd.compressSync(chunk)
    const compressor = new zstd.Compressor({ level: 3 })
    const decompressor = new zstd.Decompressor()
    const tick = () => new Promise((resolve) => setImmediate(resolve))
    ;(async () => {
      for (let i = 0; i < 200; i++) { ${body}; await tick() }
      await tick()
      const before = process.memoryUsage().rss
      for (let i = 0; i < ${count}; i++) { ${body}; if (i % ${every} === 0) await tick() }
      await tick()
      console.log((process.memoryUsage().rss - before) / 1e6)
    })()`
  return Number(execFileSync(process.execPath, ['-e', script]).toString())
}

describe('native memory is freed when an object is done with it', () => {
  const finished: Record<string, string> = {
    'zstd encoder, final()': 'const e = compressor.createEncoder(); e.update(chunk); e.final()',
    'zstd chunker, final()': 'const c = compressor.createChunker(); c.update(chunk); c.final()',
  }
  for (const [name, body] of Object.entries(finished)) {
    it(`${name}: 3,000 in a loop that never yields grow RSS by under 64 MB`, () => {
      expect(growth(body, 3000, 1e9)).toBeLessThan(64)
    })
  }
})

describe('objects dropped unfinished are collected before their memory piles up', () => {
  const dropped: Record<string, string> = {
    'zstd encoder': 'compressor.createEncoder().update(chunk)',
    'zstd decoder': 'decompressor.createDecoder().update(frame)',
    'lz4 compression context': 'const c = lz4.createCompressionContext(); lz4.compressBegin(c); lz4.compressChunk(c, chunk); lz4.compressFlush(c)',
    'lz4 FrameCompressor': 'const f = new lz4.FrameCompressor(); f.begin(); f.compress(chunk); f.flush()',
    'zstd compress stream, destroyed mid-way': 'const s = zstd.createCompressStream(); s.write(chunk); s.destroy()',
    'zstd decompress stream, destroyed mid-way': 'const s = zstd.createDecompressStream(); s.write(frame); s.destroy()',
    'lz4 compress stream, destroyed mid-way': 'const s = lz4.createCompressStream(); s.write(chunk); s.destroy()',
  }
  for (const [name, body] of Object.entries(dropped)) {
    it(`${name}: 3,000 grow RSS by under 128 MB`, () => {
      expect(growth(body, 3000, 1)).toBeLessThan(128)
    })
  }
})
