// Every target ratio the issues name, in one place. A target is measured from a run's report
// ({rows, tables, streams}): `ratio(report)` returns the measured ratio (or, for `below` targets,
// the figure), or null when its case did not run.
import { columns, mainThread, OPERATIONS, SIZES, sizeName, TABLE as INSTRUCTIONS } from './instructions.mjs'
import { inFlightName, LZ4_ASYNC, LZ4_SYNC, MANY, MANY_SYNC, ONE_BY_ONE, ZSTD_ASYNC, ZSTD_SYNC } from './messages.mjs'
import { cliName, DECODE_TABLE, LZ4_TABLE as LZ4_THREADS, TABLE as THREADS, decodeName, lz4ThreadsName, threadsName } from './threads.mjs'

const find = (list, where, stat = 'median') => list?.find((r) => Object.entries(where).every(([k, v]) => r[k] === v))?.[stat] ?? null
const over = (a, b) => (a === null || b === null ? null : a / b)

/**
 * A files-case ratio of two contenders, for one file: of their medians, or of their best rounds
 * against a C CLI, which reports its fastest loop.
 */
function fileRatio(codec, level, op, file, ours, theirs) {
  const stat = theirs.endsWith('(C)') ? 'best' : 'median'
  return ({ rows }) => over(find(rows, { codec, level, op, file, contender: ours }, stat), find(rows, { codec, level, op, file, contender: theirs }, stat))
}

/** A ratio of two contenders' medians in one column of one of the other cases' tables. */
function tableRatio(table, column, ours, theirs) {
  return ({ tables }) => over(find(tables, { table, column, contender: ours }), find(tables, { table, column, contender: theirs }))
}

const lz4FileTargets = ['data.json', 'logs.ndjson'].flatMap((file) => [
  { issue: 4, name: `lz4 decompressSync / lz4 -b1, ${file}`, goal: 0.9, ratio: fileRatio('lz4', 0, 'decompress', file, 'squish decompressSync', 'lz4 -b1 (C)') },
  { issue: 4, name: `lz4 decompressIntoSync (reused output) / lz4 -b1, ${file}`, goal: 0.9, ratio: fileRatio('lz4', 0, 'decompress', file, 'squish decompressIntoSync (reused output)', 'lz4 -b1 (C)') },
  { issue: 4, name: `lz4 decompressSync / lz4-napi, ${file}`, goal: 2, ratio: fileRatio('lz4', 0, 'decompress', file, 'squish decompressSync', 'lz4-napi decompressFrameSync') },
  { issue: 4, name: `lz4 compressSync / lz4-napi, ${file}`, goal: 1.1, ratio: fileRatio('lz4', 0, 'compress', file, 'squish compressSync', 'lz4-napi compressFrameSync') },
  { issue: 4, name: `lz4 compressSync / lz4 -b1, ${file}`, goal: 0.9, ratio: fileRatio('lz4', 0, 'compress', file, 'squish compressSync', 'lz4 -b1 (C)') },
])

const ZSTD_COMPRESS = 'zstd -3 small messages: compress, ops/s'
const ZSTD_DECOMPRESS = 'zstd -3 small messages: decompress, ops/s'
const smallMessageTargets = ['100 B', '1 KiB'].map((size) => ({
  issue: 3,
  name: `Compressor.compressSync / squish-core (Rust), ${size} messages`,
  goal: 0.9,
  ratio: tableRatio(ZSTD_COMPRESS, size, 'squish Compressor.compressSync (reused context)', 'squish-core Compressor::compress (Rust, no JS)'),
}))

/**
 * Instructions per call on these messages before the one-shot path was rebuilt for both codecs
 * (0d16836), 100 B and 1,000 B, counted the same way: none may rise.
 */
const BEFORE = {
  'zstd.compressSync': [40_354, 81_327],
  'Compressor.compressSync': [39_791, 80_761],
  'zstd.decompressSync': [15_867, 27_816],
  'Decompressor.decompressSync': [15_763, 27_734],
  'lz4.compressSync': [7_168, 22_053],
  'lz4.decompressSync': [5_704, 9_592],
}
/** At most this many instructions per call above the same call made straight from C. */
const ABOVE_FLOOR = 1500

const instructionTargets = SIZES.flatMap((size, i) =>
  OPERATIONS.flatMap(([call]) => {
    const figure = (column) => ({ tables }) => find(tables, { table: INSTRUCTIONS, column, contender: call })
    return [
      { issue: 20, name: `${call} ${sizeName(size)}: instructions per call`, goal: BEFORE[call][i], atMost: true, ratio: figure(columns(size).squish) },
      { issue: 20, name: `${call} ${sizeName(size)}: instructions above the C floor`, goal: ABOVE_FLOOR, atMost: true, ratio: figure(columns(size).above) },
    ]
  }),
)

/** The batch targets, read from whichever batch table the run made (its size depends on the mode). */
function batchRatio(contender) {
  return ({ tables }) => {
    const table = tables?.find((r) => r.table.startsWith('zstd -3 batch of'))?.table
    return table ? tableRatio(table, 'compress', contender, ONE_BY_ONE)({ tables }) : null
  }
}

const LZ4_COMPRESS = 'lz4 small messages: compress, ops/s'
const LZ4_DECOMPRESS = 'lz4 small messages: decompress, ops/s'

/** The small-message tables, contenders and peers of each codec, for the async targets. */
const MESSAGES = {
  'zstd -3': {
    tables: { compress: ZSTD_COMPRESS, decompress: ZSTD_DECOMPRESS },
    async: ZSTD_ASYNC,
    sync: ZSTD_SYNC,
    peer: { compress: '@mongodb-js/zstd compress (async, one-shot)', decompress: '@mongodb-js/zstd decompress (async, one-shot)' },
    overPeer: 2,
  },
  lz4: {
    tables: { compress: LZ4_COMPRESS, decompress: LZ4_DECOMPRESS },
    async: LZ4_ASYNC,
    sync: LZ4_SYNC,
    peer: { compress: 'lz4-napi compressFrame (async)', decompress: 'lz4-napi decompressFrame (async)' },
    overPeer: 3,
  },
}

/** 64 calls in flight against squish's own sync loop on the same messages. */
const againstSync = [
  ['zstd -3', 'compress', '1 KiB', 1.5],
  ['zstd -3', 'compress', '100 B', 1.0],
  ['zstd -3', 'decompress', '1 KiB', 1.0],
  ['lz4', 'compress', '1 KiB', 1.0],
  ['lz4', 'compress', '100 B', 0.5],
].map(([codec, op, size, goal]) => {
  const m = MESSAGES[codec]
  return { issue: 21, name: `${codec} ${op} ${size}: async, 64 in flight / sync loop`, goal, ratio: tableRatio(m.tables[op], size, inFlightName(m.async[op], 64), m.sync[op]) }
})

/** Against the peers' async calls, 64 in flight and one at a time, for every size and both directions. */
const againstPeers = Object.entries(MESSAGES).flatMap(([codec, m]) =>
  ['100 B', '1 KiB', '16 KiB'].flatMap((size) =>
    ['compress', 'decompress'].flatMap((op) => [
      { issue: 21, name: `${codec} ${op} ${size}: async, 64 in flight / ${m.peer[op]}, 64 in flight`, goal: m.overPeer, ratio: tableRatio(m.tables[op], size, inFlightName(m.async[op], 64), inFlightName(m.peer[op], 64)) },
      { issue: 21, name: `${codec} ${op} ${size}: async, one at a time / ${m.peer[op]}`, goal: 1.5, ratio: tableRatio(m.tables[op], size, m.async[op], m.peer[op]) },
    ]),
  ),
)

/** An upper bound on a streaming figure of `codec` (the ratio is the measured value itself). */
function streamBound(codec, key, goal, name, issue = 5) {
  return { issue, name: `${codec}: ${name}`, goal, below: true, ratio: ({ streams }) => streams?.find((s) => s.codec === codec)?.[key] ?? null }
}

/** A threads: 2 / threads: 1 ratio in `table`, in whichever column (input size) the run used that starts with `prefix`. */
function threadsRatio(table, name, prefix = '') {
  return ({ tables }) => {
    const column = tables?.find((r) => r.table === table && r.column.startsWith(prefix))?.column
    return column ? tableRatio(table, column, name(2), name(1))({ tables }) : null
  }
}

export const TARGETS = [
  ...smallMessageTargets,
  { issue: 3, name: 'compressManySync / compressSync loop, 10,000 x 1 KiB', goal: 1.7, ratio: batchRatio(MANY_SYNC) },
  { issue: 3, name: 'compressMany / compressSync loop, 10,000 x 1 KiB', goal: 1.7, ratio: batchRatio(MANY) },
  ...instructionTargets,
  ...lz4FileTargets,
  { issue: 4, name: 'lz4 compressSync / lz4-napi, 100 B frames', goal: 2, ratio: tableRatio(LZ4_COMPRESS, '100 B', 'squish lz4.compressSync', 'lz4-napi compressFrameSync') },
  { issue: 4, name: 'lz4 decompressSync / lz4-napi, 100 B frames', goal: 2, ratio: tableRatio(LZ4_DECOMPRESS, '100 B', 'squish lz4.decompressSync', 'lz4-napi decompressFrameSync') },
  ...['zstd', 'lz4'].flatMap((codec) => [
    streamBound(codec, 'maxEventLoopDelayMs', 50, 'max event-loop delay (ms) while 256 MiB stream through compression'),
    streamBound(codec, 'rssGrowthMiB', 64, 'RSS growth (MiB) while 1 GiB streams out of decompression'),
    streamBound(codec, 'asyncMaxEventLoopDelayMs', 20, 'max event-loop delay (ms) while 256 async compressions of 1 MiB are in flight', 21),
  ]),
  { issue: 7, name: 'LZ4 compress threads: 2 / threads: 1, 64 MiB', goal: 1.8, ratio: threadsRatio(LZ4_THREADS, lz4ThreadsName) },
  {
    issue: 20,
    name: "zstd -3 compress threads: 2 / threads: 1, against zstd -T2 / -T1 on the same input",
    goal: 0.9,
    ratio: (report) => over(threadsRatio(THREADS, threadsName)(report), threadsRatio(THREADS, cliName)(report)),
  },
  ...againstSync,
  ...againstPeers,
  {
    issue: 21,
    name: 'lz4.compress 100 B, 8 in flight: instructions per call on the JavaScript thread',
    goal: 3000,
    atMost: true,
    ratio: ({ tables }) => find(tables, { table: INSTRUCTIONS, column: columns(100).squish, contender: mainThread('lz4.compress, 8 in flight') }),
  },
  ...['zstd -3', 'lz4'].map((codec) => ({
    issue: 7,
    name: `${codec}: decode of an 8-frame input, threads: 2 / threads: 1, 64 MiB`,
    goal: 1.7,
    ratio: threadsRatio(DECODE_TABLE, decodeName, `${codec},`),
  })),
]

/**
 * Each target with its measured value and PASS, FAIL or NOT RUN; `below` targets pass under their
 * goal, `atMost` ones at or under it.
 */
export function evaluate(report) {
  return TARGETS.map(({ issue, name, goal, below = false, atMost = false, ratio }) => {
    const r = ratio(report)
    const pass = below ? r < goal : atMost ? r <= goal : r >= goal
    const shown = below ? `< ${goal}` : atMost ? `<= ${goal}` : goal
    return { issue, name, goal: shown, ratio: r === null ? null : +r.toFixed(3), status: r === null ? 'NOT RUN' : pass ? 'PASS' : 'FAIL' }
  })
}
