// The streaming case: bench/stream-memory.mjs in a process of its own (RSS is measured from a
// fresh process): the event loop's maximum delay while 256 MiB stream through compression, and
// RSS growth while 1 GiB streams out of decompression, for both codecs.
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const SCRIPT = fileURLToPath(new URL('../stream-memory.mjs', import.meta.url))

/** [{codec, compressMiB, compressMBps, maxEventLoopDelayMs, decompressedMiB, decompressMBps, rssGrowthMiB}] */
export function streamsCase({ quick }) {
  const out = execFileSync(process.execPath, [SCRIPT, ...(quick ? ['--quick'] : [])], { encoding: 'utf8' })
  return JSON.parse(out.trim().split('\n').at(-1))
}

/** The case as Markdown. */
export function streamsMarkdown(streams) {
  return [
    '## Node streams: event-loop delay while compressing, RSS while decompressing',
    '',
    '| codec | compressed through a stream | compress MB/s | max event-loop delay | decompressed through a stream | decompress MB/s | RSS growth |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...streams.map(
      (s) =>
        `| ${s.codec} | ${s.compressMiB} MiB | ${s.compressMBps} | ${s.maxEventLoopDelayMs} ms | ${s.decompressedMiB} MiB | ${s.decompressMBps} | ${s.rssGrowthMiB} MiB |`,
    ),
    '',
  ].join('\n')
}
