// Every target ratio the issues name, in one place. A target is measured from the suite's rows:
// `ratio(rows, streams)` returns the measured ratio (or, for `below` targets, the figure), or
// null when its case did not run.

const median = (rows, where) => rows.find((r) => Object.entries(where).every(([k, v]) => r[k] === v))?.median ?? null
const over = (a, b) => (a === null || b === null ? null : a / b)

/** A files-case ratio of two contenders' medians, for one file. */
function fileRatio(codec, level, op, file, ours, theirs) {
  return (rows) => over(median(rows, { codec, level, op, file, contender: ours }), median(rows, { codec, level, op, file, contender: theirs }))
}

const lz4FileTargets = ['data.json', 'logs.ndjson'].flatMap((file) => [
  { issue: 4, name: `lz4 decompressSync / lz4 -b1, ${file}`, goal: 0.9, ratio: fileRatio('lz4', 0, 'decompress', file, 'squish decompressSync', 'lz4 -b1 (C)') },
  { issue: 4, name: `lz4 decompressIntoSync (reused output) / lz4 -b1, ${file}`, goal: 0.9, ratio: fileRatio('lz4', 0, 'decompress', file, 'squish decompressIntoSync (reused output)', 'lz4 -b1 (C)') },
  { issue: 4, name: `lz4 decompressSync / lz4-napi, ${file}`, goal: 2, ratio: fileRatio('lz4', 0, 'decompress', file, 'squish decompressSync', 'lz4-napi decompressFrameSync') },
  { issue: 4, name: `lz4 compressSync / lz4-napi, ${file}`, goal: 1.1, ratio: fileRatio('lz4', 0, 'compress', file, 'squish compressSync', 'lz4-napi compressFrameSync') },
  { issue: 4, name: `lz4 compressSync / lz4 -b1, ${file}`, goal: 0.9, ratio: fileRatio('lz4', 0, 'compress', file, 'squish compressSync', 'lz4 -b1 (C)') },
])

/** An upper bound on a streaming figure of `codec` (the ratio is the measured value itself). */
function streamBound(codec, key, goal, name) {
  return { issue: 5, name: `${codec}: ${name}`, goal, below: true, ratio: (_, streams) => streams?.find((s) => s.codec === codec)?.[key] ?? null }
}

/** Targets whose cases are not in the suite yet: reported as not run. */
const pending = (issue, name, goal) => ({ issue, name, goal, ratio: () => null })

export const TARGETS = [
  ...[100, 1024].flatMap((size) => [
    pending(3, `Compressor.compressSync / zstd-napi, ${size} B messages`, 1.1),
    pending(3, `Compressor.compressSync / squish-core, ${size} B messages`, 0.9),
    pending(3, `Decompressor.decompressSync / zstd-napi, ${size} B messages`, 1.2),
  ]),
  pending(3, 'compressManySync / compressSync loop, 10,000 x 1 KiB', 1.7),
  pending(3, 'compressMany / compressSync loop, 10,000 x 1 KiB', 1.7),
  ...lz4FileTargets,
  pending(4, 'lz4 compressSync / lz4-napi, 100 B frames', 2),
  pending(4, 'lz4 decompressSync / lz4-napi, 100 B frames', 2),
  ...['zstd', 'lz4'].flatMap((codec) => [
    streamBound(codec, 'maxEventLoopDelayMs', 50, 'max event-loop delay (ms) while 256 MiB stream through compression'),
    streamBound(codec, 'rssGrowthMiB', 64, 'RSS growth (MiB) while 1 GiB streams out of decompression'),
  ]),
  pending(7, 'LZ4 compress threads: 2 / threads: 1, 64 MiB', 1.8),
  pending(7, 'zstd -3 compress threads: 2 / threads: 1, 64 MiB', 1.7),
  pending(7, 'parallel decode of an 8-frame file / sequential', 1.7),
]

/** Each target with its measured value and PASS, FAIL or NOT RUN; `below` targets pass under their goal. */
export function evaluate(rows, streams) {
  return TARGETS.map(({ issue, name, goal, below = false, ratio }) => {
    const r = ratio(rows, streams)
    const pass = below ? r < goal : r >= goal
    return { issue, name, goal: below ? `< ${goal}` : goal, ratio: r === null ? null : +r.toFixed(3), status: r === null ? 'NOT RUN' : pass ? 'PASS' : 'FAIL' }
  })
}
