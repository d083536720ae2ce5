// The threads case: zstd level 3 compression of a 64 MiB input (the corpus files one after
// another, repeated to fill it) by a Compressor with threads 0 (the calling thread), 1 and 2
// (libzstd workers), beside `zstd -b3 -T1` and `-T2` on the same bytes (not in a quick run), in
// MB/s.
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { zstd } from 'squish'

import { log, race } from './measure.mjs'

export const TABLE = 'zstd -3 compression with libzstd worker threads, MB/s'
export const threadsName = (n) => `squish Compressor, threads: ${n}`
export const cliName = (n) => `zstd -b3 -T${n} (C)`

/** `size` bytes: the files' contents one after another, repeated. */
function mixed(files, size) {
  const all = Buffer.concat(files.map((f) => readFileSync(f.path)))
  const out = Buffer.alloc(size)
  for (let at = 0; at < size; at += all.length) all.copy(out, at, 0, Math.min(all.length, size - at))
  return out
}

/** `zstd -b3 -T<n>` on `path`: compression MB/s. */
function cli(path, threads, seconds) {
  const run = spawnSync('zstd', ['-q', '-b3', `-T${threads}`, `-i${seconds}`, path], { encoding: 'utf8' })
  const m = /^-3\s+\d+\s+\(\s*[\d.]+\)\s+([\d.]+) MB\/s/m.exec(`${run.stdout}${run.stderr}`)
  if (run.status !== 0 || !m) throw new Error(`zstd -b3 -T${threads} failed:\n${run.stdout}${run.stderr}`)
  return +m[1]
}

/** Returns table rows {table, column, contender, median, spread}. */
export async function threadsCase(files, { quick, rounds, seconds, cliSeconds }) {
  const size = (quick ? 8 : 64) << 20
  const column = `${size >> 20} MiB`
  log(`threads case: ${column}`)
  const input = mixed(files, size)
  const contenders = {}
  for (const n of [0, 1, 2]) {
    const compressor = new zstd.Compressor({ level: 3, threads: n })
    const frame = compressor.compressSync(input)
    if (!zstd.decompressSync(frame, { maxOutputSize: Infinity }).equals(input)) throw new Error(`benchmark check failed: threads: ${n} does not round-trip`)
    contenders[threadsName(n)] = { units: size / 1e6, run: () => compressor.compressSync(input) }
  }
  const rows = Object.entries(await race(contenders, { rounds, seconds })).map(([contender, s]) => ({ table: TABLE, column, contender, ...s }))
  if (quick) return rows
  const path = join(tmpdir(), `squish-bench-threads-${process.pid}`)
  writeFileSync(path, input)
  try {
    for (const n of [1, 2]) rows.push({ table: TABLE, column, contender: cliName(n), median: cli(path, n, cliSeconds), spread: null })
  } finally {
    rmSync(path)
  }
  return rows
}
