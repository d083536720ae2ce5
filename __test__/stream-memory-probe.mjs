// Decodes a bomb (`size` bytes of zeros, compressed) through one streaming path of the built
// package with a slow consumer, and prints the peak RSS growth over the decode as JSON. Run in a
// child process (with --expose-gc) by stream-memory.test.ts; also by hand:
//   node --expose-gc __test__/stream-memory-probe.mjs zstd iter 1073741824 10
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'

const { lz4, zstd } = createRequire(import.meta.url)('../dist/index.js')

const [codecName, path, sizeArg, delayArg] = process.argv.slice(2)
const codec = { zstd, lz4 }[codecName]
const size = Number(sizeArg)
const delay = Number(delayArg ?? 10)
const unlimited = { maxOutputSize: Infinity }

/** The bomb, compressed from 1 MiB of zeros at a time so that making it costs no memory. */
async function bomb() {
  const zeros = Buffer.alloc(1 << 20)
  const parts = []
  for await (const part of codec.compressIter((function* () {
    for (let sent = 0; sent < size; sent += zeros.length) yield zeros
  })())) parts.push(part)
  return Buffer.concat(parts)
}

const frame = await bomb()
const dir = mkdtempSync(join(tmpdir(), 'squish-probe-'))
const file = join(dir, 'bomb')
writeFileSync(file, frame)

let received = 0
const take = async (piece) => {
  received += piece.length
  await sleep(delay)
}
const slowSink = () =>
  new Writable({
    write(chunk, _encoding, callback) {
      take(chunk).then(() => callback(), callback)
    },
  })

const paths = {
  iter: async () => {
    for await (const piece of codec.decompressIter([frame], unlimited)) await take(piece)
  },
  node: () => pipeline(Readable.from([frame]), codec.createDecompressStream(unlimited), slowSink()),
  web: async () => {
    const source = new ReadableStream({ start: (controller) => (controller.enqueue(frame), controller.close()) })
    const reader = source.pipeThrough(new codec.DecompressionStream(unlimited)).getReader()
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      await take(value)
    }
  },
  copy: () => codec.copyStream(Readable.from([frame]), slowSink(), { mode: 'decompress', ...unlimited }),
  file: async () => {
    await codec.decompressFile(file, join(dir, 'out'))
    received = statSync(join(dir, 'out')).size
  },
  framefile: async () => {
    const reader = await codec.open(file, 'r')
    for (let piece = await reader.read(4 << 20); piece.length > 0; piece = await reader.read(4 << 20)) await take(piece)
    await reader.close()
  },
}

globalThis.gc()
const before = process.memoryUsage().rss
let peak = before
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2)
try {
  await paths[path]()
} finally {
  clearInterval(timer)
  rmSync(dir, { recursive: true, force: true })
}
peak = Math.max(peak, process.memoryUsage().rss)
process.stdout.write(JSON.stringify({ codec: codecName, path, size, compressed: frame.length, received, growthMiB: Math.round((peak - before) / 2 ** 20) }) + '\n')
