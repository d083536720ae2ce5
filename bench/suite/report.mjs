// The suite's output: Markdown tables (median MB/s with spread, ratios to the best peer and to the
// C library) and an SVG chart of squish against its peers.

import { streamsMarkdown } from './streams.mjs'

const PEER = (c) => !c.startsWith('squish') && !c.includes('(C)') && !c.includes('(reference)')
const geomean = (xs) => Math.exp(xs.reduce((sum, x) => sum + Math.log(x), 0) / xs.length)

/** Rows grouped by codec, level and operation, in run order. */
function groups(rows) {
  const out = new Map()
  for (const row of rows) {
    const key = `${row.codec} -${row.level} ${row.op}`
    if (!out.has(key)) out.set(key, [])
    out.get(key).push(row)
  }
  return out
}

const cell = (r) => (r ? `${r.median.toFixed(1)}${r.spread === null ? '' : ` ±${Math.round(r.spread * 100)}%`}` : '')

const number = (x) => (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en') : x.toFixed(2))

/**
 * Markdown for rows {table, column, contender, median, spread} of the cases beyond the corpus
 * files: one table per `table`, a row per contender and a column per `column`.
 */
export function tablesMarkdown(rows) {
  const lines = []
  for (const table of new Set(rows.map((r) => r.table))) {
    const ofTable = rows.filter((r) => r.table === table)
    const columns = [...new Set(ofTable.map((r) => r.column))]
    lines.push(`## ${table}`, '', `| contender | ${columns.join(' | ')} |`, `|---|${columns.map(() => '---:').join('|')}|`)
    for (const contender of new Set(ofTable.map((r) => r.contender))) {
      const cells = columns.map((column) => {
        const r = ofTable.find((x) => x.column === column && x.contender === contender)
        return r ? `${number(r.median)}${r.spread === null ? '' : ` ±${Math.round(r.spread * 100)}%`}` : ''
      })
      lines.push(`| ${contender} | ${cells.join(' | ')} |`)
    }
    lines.push('')
  }
  return lines.join('\n')
}

/** Markdown for the whole run. */
export function markdown({ machine, rows, tables = [], streams, targets, notes }) {
  const lines = [`# squish benchmark, ${machine.date}`, '', `${machine.cpu}, ${machine.cores} cores, Node.js ${machine.node}, libzstd ${machine.zstd} / liblz4 ${machine.lz4} (bundled), CLIs: ${machine.clis}.`, '']
  lines.push(...notes.map((n) => `- ${n}`), '')
  lines.push('## Summary: geometric mean over the corpus files', '', summaryTables(rows))
  for (const [key, group] of groups(rows)) {
    const files = [...new Set(group.map((r) => r.file))]
    const contenders = [...new Set(group.map((r) => r.contender))]
    lines.push(`## ${key}, MB/s (median ±spread)`, '', `| contender | ${files.join(' | ')} |`, `|---|${files.map(() => '---:').join('|')}|`)
    for (const c of contenders) lines.push(`| ${c} | ${files.map((f) => cell(group.find((r) => r.file === f && r.contender === c))).join(' | ')} |`)
    const squish = (f) => group.find((r) => r.file === f && r.contender === 'squish ' + (key.endsWith('decompress') ? 'decompressSync' : 'compressSync'))
    const bestPeer = (f) => Math.max(...group.filter((r) => r.file === f && PEER(r.contender)).map((r) => r.median))
    const c = (f) => group.find((r) => r.file === f && r.contender.includes('(C)'))
    lines.push(`| **squish sync / best Node peer** | ${files.map((f) => (squish(f) ? (squish(f).median / bestPeer(f)).toFixed(2) + 'x' : '')).join(' | ')} |`)
    lines.push(`| **squish sync / C, best rounds** | ${files.map((f) => (squish(f) && c(f) ? (squish(f).best / c(f).best).toFixed(2) + 'x' : '')).join(' | ')} |`)
    if (key.endsWith(' compress')) {
      const ratio = (f) => {
        const r = group.find((x) => x.file === f && x.compressedBytes)
        return r ? (r.bytes / r.compressedBytes).toFixed(3) : ''
      }
      lines.push(`| compression ratio (squish) | ${files.map(ratio).join(' | ')} |`)
    }
    lines.push('')
  }
  lines.push(tablesMarkdown(tables))
  if (streams) lines.push(streamsMarkdown(streams))
  lines.push('## Targets', '', '| issue | target | measured | goal | result |', '|---|---|---:|---:|---|')
  for (const t of targets) lines.push(`| ${t.issue} | ${t.name} | ${t.ratio === null ? '' : t.ratio.toFixed(3)} | ${t.goal} | ${t.status} |`)
  return `${lines.join('\n')}\n`
}

/** An SVG bar chart: geometric-mean MB/s over the files, per contender, for zstd -3 and lz4 default. */
export function chart({ machine, rows }) {
  const panels = ['zstd -3 compress', 'zstd -3 decompress', 'lz4 -0 compress', 'lz4 -0 decompress']
    .map((key) => {
      const group = groups(rows).get(key) ?? []
      const files = [...new Set(group.map((r) => r.file))]
      const bars = [...new Set(group.map((r) => r.contender))]
        .map((c) => ({ c, rs: group.filter((r) => r.contender === c) }))
        .filter(({ rs }) => rs.length === files.length)
        .map(({ c, rs }) => ({ label: c, value: geomean(rs.map((r) => r.median)) }))
        .sort((a, b) => b.value - a.value)
      return { key, bars }
    })
    .filter((p) => p.bars.length > 0)
  const W = 760
  const BAR = 18
  const LABEL = 300
  let y = 40
  const parts = []
  for (const { key, bars } of panels) {
    parts.push(`<text x="10" y="${y}" font-weight="bold">${key} (MB/s, geometric mean over the corpus)</text>`)
    y += 10
    const max = Math.max(...bars.map((b) => b.value))
    for (const b of bars) {
      const w = ((W - LABEL - 90) * b.value) / max
      const fill = b.label.startsWith('squish') ? '#d9480f' : b.label.includes('(C)') ? '#495057' : '#74c0fc'
      parts.push(`<text x="${LABEL - 6}" y="${y + 13}" text-anchor="end">${b.label.replace(/&/g, '&amp;')}</text>`)
      parts.push(`<rect x="${LABEL}" y="${y}" width="${w.toFixed(1)}" height="${BAR - 4}" fill="${fill}"/>`)
      parts.push(`<text x="${(LABEL + w + 6).toFixed(1)}" y="${y + 13}">${b.value.toFixed(0)}</text>`)
      y += BAR
    }
    y += 26
  }
  const title = `squish vs Node peers and C, ${machine.cpu}, ${machine.cores} cores, Node.js ${machine.node}, ${machine.date}`
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y}" font-family="sans-serif" font-size="12"><rect width="100%" height="100%" fill="white"/><text x="10" y="20" font-size="13">${title}</text>${parts.join('')}</svg>\n`
}

/** The contender a row belongs to, whatever the operation: "zstd-napi compress" -> "zstd-napi". */
function family(contender) {
  const other = /^(.*) \((Node v[\d.]+)\)$/.exec(contender)
  if (other) return `${family(other[1])}, ${other[2]}`
  if (contender.includes('(C)')) return 'C library (zstd -b# / lz4 -b#)'
  if (contender.startsWith('squish-core')) return contender
  if (contender.includes('(reused output)')) return 'squish decompressIntoSync (reused output)'
  if (contender.startsWith('squish')) return contender.includes('(async)') ? 'squish (async)' : 'squish (sync)'
  return contender
    .replace(/ zstd(Dec|C)ompressSync/, ' zstd')
    .replace(/ (compress\w*|decompress\w*|encode|decode)(, its own frame)?/, '')
    .replace('gunzip', 'gzip -6')
    .replace(/brotli( -5)?/, 'brotli -5')
}

/**
 * Two Markdown tables (compress, decompress): geometric-mean MB/s over the corpus files per
 * contender and codec level; a contender missing on some file is left out of that cell.
 */
export function summaryTables(rows) {
  const out = []
  for (const op of ['compress', 'decompress']) {
    const ofOp = rows.filter((r) => r.op === op)
    const columns = [...new Set(ofOp.map((r) => `${r.codec} -${r.level}`))]
    const families = [...new Set(ofOp.map((r) => family(r.contender)))]
    out.push(`| ${op}, MB/s | ${columns.join(' | ')} |`, `|---|${columns.map(() => '---:').join('|')}|`)
    for (const f of families) {
      const cells = columns.map((col) => {
        const rs = ofOp.filter((r) => `${r.codec} -${r.level}` === col && family(r.contender) === f)
        const files = new Set(ofOp.filter((r) => `${r.codec} -${r.level}` === col).map((r) => r.file))
        return rs.length === files.size && rs.length > 0 ? geomean(rs.map((r) => r.median)).toFixed(0) : ''
      })
      out.push(`| ${f} | ${cells.join(' | ')} |`)
    }
    out.push('')
  }
  return out.join('\n')
}
