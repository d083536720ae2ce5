// The streaming cases:
// - throughput: logs.ndjson in 64 KiB chunks through a Node stream, a Web stream and an async
//   iterator, against one-shot calls on the whole file, for both codecs, in MB/s;
// - memory: bench/stream-memory.mjs in a process of its own (RSS is measured from a fresh
//   process): the event loop's maximum delay while 256 MiB stream through compression, and RSS
//   growth while 1 GiB streams out of decompression, for both codecs; and the event loop's
//   maximum delay while 256 async compressions of 1 MiB are in flight.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'

import { lz4, zstd } from 'squish'

import { log, race } from './measure.mjs'

const SCRIPT = fileURLToPath(new URL('../stream-memory.mjs', import.meta.url))

/** [{codec, compressMiB, compressMBps, maxEventLoopDelayMs, asyncCalls, asyncMBps, asyncMaxEventLoopDelayMs, asyncSubmitMs, asyncCopyMs, decompressedMiB, decompressMBps, rssGrowthMiB}] */
export function streamsCase({ quick }) {
  const out = execFileSync(process.execPath, [SCRIPT, ...(quick ? ['--quick'] : [])], { encoding: 'utf8' })
  return JSON.parse(out.trim().split('\n').at(-1))
}

/** The case as Markdown. */
export function streamsMarkdown(streams) {
  return [
    '## Node streams and async calls: event-loop delay while compressing, RSS while decompressing',
    '',
    '| codec | compressed through a stream | compress MB/s | max event-loop delay | async calls of 1 MiB in flight | MB/s | max event-loop delay | the turn making them | copying their inputs alone | decompressed through a stream | decompress MB/s | RSS growth |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...streams.map(
      (s) =>
        `| ${s.codec} | ${s.compressMiB} MiB | ${s.compressMBps} | ${s.maxEventLoopDelayMs} ms | ${s.asyncCalls} | ${s.asyncMBps} | ${s.asyncMaxEventLoopDelayMs} ms | ${s.asyncSubmitMs} ms | ${s.asyncCopyMs} ms | ${s.decompressedMiB} MiB | ${s.decompressMBps} | ${s.rssGrowthMiB} MiB |`,
    ),
    '',
  ].join('\n')
}

const CHUNK = 64 * 1024
export const THROUGHPUT_TABLE = 'logs.ndjson (16 MiB; 4 MiB in a quick run) in 64 KiB chunks: streams against one-shot calls, MB/s'

/** `data` in CHUNK-byte pieces. */
const chunked = (data) => Array.from({ length: Math.ceil(data.length / CHUNK) }, (_, i) => data.subarray(i * CHUNK, (i + 1) * CHUNK))

/** Every way of streaming `chunks` through `transform` (a codec's compress or decompress): name -> run(), resolving to the output. */
function ways(codec, direction, chunks) {
  const whole = Buffer.concat(chunks)
  const [sync, async] = direction === 'compress' ? [codec.compressSync, codec.compress] : [codec.decompressSync, codec.decompress]
  const Web = direction === 'compress' ? codec.CompressionStream : codec.DecompressionStream
  const node = direction === 'compress' ? codec.createCompressStream : codec.createDecompressStream
  const iter = direction === 'compress' ? codec.compressIter : codec.decompressIter
  const options = direction === 'compress' ? {} : { maxOutputSize: Infinity }
  const collect = async (source) => {
    const out = []
    for await (const c of source) out.push(c)
    return Buffer.concat(out)
  }
  return {
    'one-shot, sync (whole input)': () => sync(whole, options),
    'one-shot, async (whole input)': () => async(whole, options),
    'Node stream (pipeline)': async () => {
      const out = []
      const sink = new Writable({
        write(chunk, _encoding, callback) {
          out.push(chunk)
          callback()
        },
      })
      await pipeline(Readable.from(chunks), node(options), sink)
      return Buffer.concat(out)
    },
    'Web stream (pipeThrough)': () => collect(ReadableStream.from(chunks).pipeThrough(new Web(options))),
    'async iterator': () => collect(iter(chunks, options)),
  }
}

/** Returns table rows {table, column, contender, median, spread} for both codecs. */
export async function streamThroughputCase(logs, { quick, rounds, seconds }) {
  log('streams against one-shot calls')
  const data = readFileSync(logs.path).subarray(0, quick ? 4 << 20 : undefined)
  const rows = []
  for (const [name, codec] of [['zstd -3', zstd], ['lz4', lz4]]) {
    const frame = codec.compressSync(data)
    for (const [direction, input] of [['compress', data], ['decompress', frame]]) {
      const contenders = {}
      for (const [way, run] of Object.entries(ways(codec, direction, chunked(input)))) {
        const out = await run()
        const back = direction === 'compress' ? codec.decompressSync(out, { maxOutputSize: Infinity }) : out
        if (!back.equals(data)) throw new Error(`benchmark check failed: ${name} ${direction} through ${way} does not give the input back`)
        contenders[way] = { units: data.length / 1e6, run }
      }
      const column = `${name} ${direction}`
      for (const [contender, s] of Object.entries(await race(contenders, { rounds, seconds }))) rows.push({ table: THROUGHPUT_TABLE, column, contender, ...s })
    }
  }
  return rows
}
