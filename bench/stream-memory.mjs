// Streaming decompression of 1 GiB must grow RSS by less than 64 MiB, for both codecs; while
// 256 MiB stream through compression, the event loop's maximum delay stays under 50 ms; and while
// 256 async compressions of 1 MiB are in flight, under 20 ms.
// The input is made on the fly from the corpus's logs.ndjson (bench/corpus.mjs), compressed by a
// squish stream into memory, then decompressed by a squish stream into a sink that only counts.
// Beside the async calls' delay, the turn that makes them, and a turn that only copies their
// inputs (what each call does as it is made, so that it works on the input as it was then).
// Prints the figures and PASS/FAIL per target.
// Usage: node bench/stream-memory.mjs [--quick]   (needs dist/ built; --quick: 128 MiB, 32 MiB, 32 calls)
import { readFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

import { lz4, zstd } from 'squish'

import { corpus } from './corpus.mjs'

const QUICK = process.argv.includes('--quick')
const DECOMPRESSED = QUICK ? 128 << 20 : 1 << 30
const COMPRESSED_INPUT = QUICK ? 32 << 20 : 256 << 20
const CHUNK = 1 << 20
/** Async compressions of a CHUNK each, all in flight at once. */
const IN_FLIGHT = QUICK ? 32 : 256

const logs = readFileSync(corpus(['logs.ndjson'])[0].path)

/** `total` bytes of distinct 1 MiB chunks: those of logs.ndjson in turn, each stamped with its number. */
function* source(total) {
  const count = Math.floor(logs.length / CHUNK)
  for (let sent = 0, i = 0; sent < total; sent += CHUNK, i++) {
    const chunk = Buffer.from(logs.subarray((i % count) * CHUNK, (i % count + 1) * CHUNK))
    chunk.writeUInt32LE(i, 2)
    yield chunk
  }
}

const counter = () => {
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      sink.bytes += chunk.length
      callback()
    },
  })
  sink.bytes = 0
  return sink
}

const results = []
for (const [name, codec] of [['zstd', zstd], ['lz4', lz4]]) {
  // Compression, watching the event loop.
  const delay = monitorEventLoopDelay({ resolution: 1 })
  delay.enable()
  let start = performance.now()
  const compressedSink = counter()
  await pipeline(Readable.from(source(COMPRESSED_INPUT)), codec.createCompressStream(), compressedSink)
  delay.disable()
  const compressSeconds = (performance.now() - start) / 1e3

  // Async calls, all in flight, watching the event loop. A histogram records no delay until its
  // timer has fired twice, so a loop blocked all along would go unseen: the longest gap between
  // turns of a 1 ms interval counts instead, up to the last promise's settling.
  const pieces = [...source(IN_FLIGHT * CHUNK)]
  start = performance.now()
  pieces.map((piece) => Buffer.from(piece))
  const copyMs = performance.now() - start
  let last = performance.now()
  let longest = 0
  const turn = () => {
    const now = performance.now()
    longest = Math.max(longest, now - last)
    last = now
  }
  const ticker = setInterval(turn, 1)
  await new Promise((resolve) => setTimeout(resolve, 5))
  start = performance.now()
  const calls = pieces.map((piece) => codec.compress(piece))
  const submitMs = performance.now() - start
  await Promise.all(calls)
  turn()
  clearInterval(ticker)
  const asyncSeconds = (performance.now() - start) / 1e3

  // The 1 GiB input, compressed once into memory, then streamed through decompression.
  const frame = []
  await pipeline(Readable.from(source(DECOMPRESSED)), codec.createCompressStream(), new Writable({
    write(chunk, _encoding, callback) {
      frame.push(chunk)
      callback()
    },
  }))
  globalThis.gc?.()
  const rss0 = process.memoryUsage().rss
  let peak = rss0
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5)
  start = performance.now()
  const sink = counter()
  await pipeline(Readable.from(frame), codec.createDecompressStream({ maxOutputSize: Infinity }), sink)
  clearInterval(timer)
  peak = Math.max(peak, process.memoryUsage().rss)
  if (sink.bytes !== DECOMPRESSED) throw new Error(`${name}: decompressed ${sink.bytes} bytes, expected ${DECOMPRESSED}`)
  results.push({
    codec: name,
    compressMiB: COMPRESSED_INPUT / 2 ** 20,
    compressMBps: +(COMPRESSED_INPUT / 1e6 / compressSeconds).toFixed(1),
    maxEventLoopDelayMs: +(delay.max / 1e6).toFixed(1),
    asyncCalls: IN_FLIGHT,
    asyncMBps: +((IN_FLIGHT * CHUNK) / 1e6 / asyncSeconds).toFixed(1),
    // The interval's own millisecond is not a delay.
    asyncMaxEventLoopDelayMs: +Math.max(0, longest - 1).toFixed(1),
    asyncSubmitMs: +submitMs.toFixed(1),
    asyncCopyMs: +copyMs.toFixed(1),
    decompressedMiB: DECOMPRESSED / 2 ** 20,
    decompressMBps: +(DECOMPRESSED / 1e6 / ((performance.now() - start) / 1e3)).toFixed(1),
    rssGrowthMiB: +((peak - rss0) / 2 ** 20).toFixed(1),
  })
}

console.log(`node ${process.version}${QUICK ? ', quick' : ''}`)
console.table(results)
for (const r of results) {
  console.log(`${r.codec}: max event-loop delay while compressing ${r.compressMiB} MiB: ${r.maxEventLoopDelayMs} ms (< 50)  ${r.maxEventLoopDelayMs < 50 ? 'PASS' : 'FAIL'}`)
  console.log(`${r.codec}: max event-loop delay with ${r.asyncCalls} async calls of 1 MiB in flight: ${r.asyncMaxEventLoopDelayMs} ms (< 20)  ${r.asyncMaxEventLoopDelayMs < 20 ? 'PASS' : 'FAIL'}; the turn making them: ${r.asyncSubmitMs} ms, copying their inputs alone: ${r.asyncCopyMs} ms`)
  console.log(`${r.codec}: RSS growth streaming ${r.decompressedMiB} MiB out: ${r.rssGrowthMiB} MiB (< 64)  ${r.rssGrowthMiB < 64 ? 'PASS' : 'FAIL'}`)
}
console.log(JSON.stringify(results))
