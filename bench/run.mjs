// The benchmark suite: squish against every Node peer and the C library, on the corpus of
// bench/corpus.mjs. Writes bench/results/<date>-<host>.{md,svg,json} and prints the Markdown,
// with PASS / FAIL / NOT RUN for every target of bench/suite/targets.mjs.
// Usage: npm run bench               (full run; needs dist/ built, the zstd and lz4 CLIs and cargo)
//        npm run bench -- --quick    (smoke run of a minute at most: one file, zstd -3 and lz4
//                                     default, short stretches; written to the temporary directory)
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { lz4, zstd } from 'squish'

import { corpus } from './corpus.mjs'
import { filesCase } from './suite/files.mjs'
import { chart, markdown } from './suite/report.mjs'
import { evaluate } from './suite/targets.mjs'

const QUICK = process.argv.includes('--quick')
const settings = QUICK ? { quick: true, rounds: 2, seconds: 0.05, cliSeconds: 1 } : { quick: false, rounds: 3, seconds: 0.2, cliSeconds: 1 }
const FILES = QUICK ? ['logs.ndjson'] : ['data.json', 'logs.ndjson', 'typescript.js', 'esbuild', 'sql-wasm.wasm', 'licenses.txt', 'random.bin']

const started = Date.now()
const version = (cli) => /v?(\d+\.\d+\.\d+)/.exec(execFileSync(cli, ['-V'], { encoding: 'utf8' }))?.[1] ?? '?'
const machine = {
  date: new Date().toISOString().slice(0, 10),
  host: hostname(),
  cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
  cores: cpus().length,
  node: process.version,
  zstd: zstd.VERSION,
  lz4: lz4.VERSION,
  clis: `zstd ${version('zstd')}, lz4 ${version('lz4')}`,
}
const files = corpus(FILES).sort((a, b) => FILES.indexOf(a.name) - FILES.indexOf(b.name))
const rows = await filesCase(files, settings)
const targets = evaluate(rows)
const notes = [
  `${QUICK ? 'Quick run' : 'Full run'}: median of ${settings.rounds} interleaved rounds of about ${settings.seconds} s per contender, after a full garbage collection; the CLIs run \`-b# -i${settings.cliSeconds}\` once per round (each reports its best iteration).`,
  'MB/s of uncompressed bytes (1 MB = 10^6 B). "(async)" rows await each call in turn. zstd -19 is timed on the first 4 MiB of each file; squish-core (Rust) runs level 19 not at all.',
  'Every Node contender decodes the same squish frame, except node-lz4, which cannot read linked-block frames and decodes its own.',
  `node:zlib zstd ${typeof (await import('node:zlib')).default.zstdCompressSync === 'function' ? 'measured' : 'is missing from this Node.js (it needs 22.15 or later)'}.`,
]
const report = { machine, settings, rows, targets, notes }
const md = markdown(report)
const dir = QUICK ? tmpdir() : fileURLToPath(new URL('./results/', import.meta.url))
mkdirSync(dir, { recursive: true })
const base = join(dir, `${machine.date}-${machine.host}${QUICK ? '-quick' : ''}`)
writeFileSync(`${base}.md`, md)
writeFileSync(`${base}.svg`, chart(report))
writeFileSync(`${base}.json`, `${JSON.stringify(report)}\n`)
console.log(md)
console.log(`wrote ${base}.{md,svg,json} in ${((Date.now() - started) / 1e3).toFixed(0)} s`)
