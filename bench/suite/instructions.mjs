// The instructions case: per-call cost of squish's small-message calls, counted by callgrind
// (the same figure on every run, however busy the machine), beside the same calls made straight
// through libzstd and liblz4 from C (bench/instructions/floor.c): the difference is what squish's
// own layers cost. Each figure is (count(N2 calls) - count(N1 calls)) / (N2 - N1) of one process
// that warms up the same way whatever its count (50,000 calls, so that V8 has compiled them),
// so start-up and warm-up cancel out. Node runs with fixed hash and random seeds (V8 picks them
// at random, and its hash tables' probing moves a call's cost by hundreds of instructions from
// run to run) and a young generation large enough that no collection falls among the calls
// (where one falls moves with every change of the code): a figure is the calls' own work, the
// same on every run. Messages are cut from logs.ndjson at byte 4321. Needs valgrind and a C
// compiler; without them, not run. Beside them, the Node-API floor: a C addon's call of the same
// shape (bench/instructions/node-api-call.c), what any binding pays above the C floor before
// doing anything of its own; built with the headers of the running Node.js, and left out when
// they are not installed. Then the async calls, several in flight: the instructions the
// JavaScript thread spends per call (the rest runs on the worker pool), and those of every thread;
// beside them, the Node-API floor of an async call's JavaScript thread (a promise made and
// resolved with a pooled Buffer, in node-api-call.c).
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { ASYNC_CALLS, NODE_API_ASYNC } from '../instructions/calls.mjs'
import { log } from './measure.mjs'

export const TABLE = 'Instructions per call (callgrind), squish and the C floor (libzstd / liblz4 straight from C)'
const here = dirname(fileURLToPath(import.meta.url))
const CALLS = join(here, '../instructions/calls.mjs')
const FLOOR = join(here, '../instructions/floor.c')
const NODE_API_CALL = join(here, '../instructions/node-api-call.c')
/** The contender of the Node-API floor's row. */
const NODE_API_FLOOR = 'Node-API floor (a C addon call of the same shape)'

/** Each squish call measured, with the C floor's operation that does the same codec work. */
export const OPERATIONS = [
  ['zstd.compressSync', 'zc'],
  ['Compressor.compressSync', 'zc'],
  ['zstd.decompressSync', 'zd'],
  ['Decompressor.decompressSync', 'zd'],
  ['lz4.compressSync', 'lc'],
  ['lz4.decompressSync', 'ld'],
]
export const SIZES = [100, 1000]
/** The two call counts: with the warm-up, few enough that no collection runs (see above). */
const COUNTS = [1000, 6000]
// Without incremental marking and the memory reducer, whose steps run as tasks timed by the clock,
// a full collection comes at the same allocation in every run: with them, whether one fell among
// the counted async calls moved zstd.compress's figure from 800 to 23,000 instructions.
const NODE_FLAGS = [
  '--single-threaded',
  '--expose-gc',
  '--hash-seed=1',
  '--random-seed=1',
  '--min-semi-space-size=64',
  '--max-semi-space-size=64',
  '--no-incremental-marking',
  '--no-memory-reducer',
]
export const sizeName = (size) => `${size.toLocaleString('en')} B`
export const columns = (size) => ({ squish: sizeName(size), floor: `${sizeName(size)}, C floor`, above: `${sizeName(size)}, above it` })

const available = (cmd, args) => {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/**
 * The floor program, linked with the libzstd and liblz4 that squish's release build compiled (the
 * same code and flags): cargo names their build directories.
 */
function buildFloor(dir) {
  const args = ['build', '--release', '-p', 'squish-core', '--message-format=json']
  const messages = execFileSync('cargo', args, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] })
  const outDir = (name) =>
    messages
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .find((m) => m.reason === 'build-script-executed' && m.package_id.includes(`#${name}@`))?.out_dir
  const z = outDir('zstd-sys')
  const l = outDir('lz4-sys')
  if (!z || !l) throw new Error('cargo did not name the build directories of zstd-sys and lz4-sys')
  const out = join(dir, 'floor')
  execFileSync('cc', ['-O3', `-I${join(z, 'include')}`, `-I${join(l, 'include')}`, FLOOR, '-o', out, `-L${z}`, `-L${l}`, '-lzstd', '-llz4', '-lpthread'])
  return out
}

/** The addon of the Node-API floor, or null without the running Node.js's headers. */
function buildNodeApiCall(dir) {
  const headers = join(dirname(process.execPath), '..', 'include', 'node')
  if (!existsSync(join(headers, 'node_api.h'))) {
    log(`instructions case: no Node-API floor (no node_api.h in ${headers})`)
    return null
  }
  const out = join(dir, 'node-api-call.node')
  execFileSync('cc', ['-O2', '-shared', '-fPIC', `-I${headers}`, NODE_API_CALL, '-o', out])
  return out
}

/** The row names of an async call's two counts. */
export const mainThread = (op) => `${op}: JavaScript thread`
const allThreads = (op) => `${op}: all threads`

const summary = (file) => Number(/^summary: (\d+)/m.exec(readFileSync(file, 'utf8'))[1])

/** Instructions of one run of `command`: of all its threads, and of its main thread. */
function count(dir, command, args, env) {
  const file = join(mkdtempSync(join(dir, 'cg-')), 'out')
  return new Promise((resolve, reject) => {
    const callgrind = ['--tool=callgrind', '--separate-threads=yes', `--callgrind-out-file=${file}`]
    const child = spawn('valgrind', [...callgrind, ...command, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env })
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${command.join(' ')} ${args.join(' ')} failed under callgrind:\n${err.slice(-2000)}`))
      // One file per thread, out-01 (the main thread), out-02, ...
      const threads = readdirSync(dirname(file))
        .filter((name) => /^out-\d+$/.test(name))
        .map((name) => summary(join(dirname(file), name)))
      resolve({ all: threads.reduce((a, b) => a + b, 0), main: summary(`${file}-01`) })
    })
  })
}

/**
 * Instructions per call of `command` (which takes its call count last), the two runs side by side:
 * of all threads, and of the main thread.
 */
async function perCall(dir, command, args, [n1, n2], env = process.env) {
  const [a, b] = await Promise.all([count(dir, command, [...args, n1], env), count(dir, command, [...args, n2], env)])
  const per = (key) => Math.round((b[key] - a[key]) / (n2 - n1))
  return { all: per('all'), main: per('main') }
}

/** Returns table rows {table, column, contender, median, spread: null}; none without valgrind or cc. */
export async function instructionsCase(logs, { quick }) {
  if (!available('valgrind', ['--version']) || !available('cc', ['--version'])) {
    log('instructions case: not run (needs valgrind and a C compiler)')
    return []
  }
  const dir = mkdtempSync(join(tmpdir(), 'squish-instructions-'))
  try {
    const floor = buildFloor(dir)
    const nodeApiCall = buildNodeApiCall(dir)
    const operations = quick ? OPERATIONS.filter(([name]) => name === 'lz4.compressSync') : OPERATIONS
    const sizes = quick ? [100] : SIZES
    const node = [process.execPath, ...NODE_FLAGS, CALLS]
    const floors = new Map()
    const rows = []
    for (const size of sizes) {
      const column = columns(size)
      for (const [name, op] of operations) {
        log(`instructions case: ${name}, ${sizeName(size)}`)
        if (!floors.has(op)) floors.set(op, (await perCall(dir, [floor], [op, size, logs.path], COUNTS)).all)
        const squish = (await perCall(dir, node, [name, size, logs.path], COUNTS)).all
        const row = (c, median) => ({ table: TABLE, column: c, contender: name, median, spread: null })
        rows.push(row(column.squish, squish), row(column.floor, floors.get(op)), row(column.above, squish - floors.get(op)))
      }
      if (nodeApiCall) {
        log(`instructions case: ${NODE_API_FLOOR}, ${sizeName(size)}`)
        const env = { ...process.env, SQUISH_NODE_API_CALL: nodeApiCall }
        const median = (await perCall(dir, node, ['Node-API call', size, logs.path], COUNTS, env)).all
        rows.push({ table: TABLE, column: column.above, contender: NODE_API_FLOOR, median, spread: null })
      }
      for (const op of quick ? ['lz4.compress, 8 in flight'] : Object.keys(ASYNC_CALLS)) {
        log(`instructions case: ${op}, ${sizeName(size)}`)
        const { all, main } = await perCall(dir, node, [op, size, logs.path], COUNTS)
        const row = (contender, median) => ({ table: TABLE, column: column.squish, contender, median, spread: null })
        rows.push(row(mainThread(op), main), row(allThreads(op), all))
      }
      if (nodeApiCall) {
        log(`instructions case: ${NODE_API_ASYNC}, ${sizeName(size)}`)
        const env = { ...process.env, SQUISH_NODE_API_CALL: nodeApiCall }
        const { main } = await perCall(dir, node, [NODE_API_ASYNC, size, logs.path], COUNTS, env)
        rows.push({ table: TABLE, column: column.squish, contender: mainThread(NODE_API_ASYNC), median: main, spread: null })
      }
      floors.clear()
    }
    return rows
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
