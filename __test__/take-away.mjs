// Runs an asynchronous call of squish while JavaScript takes its buffers away, once per attack,
// and prints the outcomes as JSON. Run with --expose-gc: `node --expose-gc take-away.mjs CASE`.
// The attacks: `transfer` (the ArrayBuffer is transferred, the clone dropped and collected),
// `resize` (the resizable ArrayBuffer shrinks to 0) and `fill` (the bytes are overwritten).
// SQUISH_DIST names the build to load (default: this checkout's).
import { createRequire } from 'node:module'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

const require = createRequire(import.meta.url)
const { zstd, lz4 } = require(process.env.SQUISH_DIST ?? '../dist/index.js')
const name = process.argv[2]
const ATTACKS = ['transfer', 'resize', 'fill']
let attack

const SIZE = 16 << 20

/** `size` bytes of log lines, numbered from `seed`. */
function sample(size, seed = 1) {
  const lines = []
  for (let n = seed, length = 0; length < size; n++) {
    const line = `{"id":${n},"level":"info","msg":"squish ${n % 97}"}\n`
    lines.push(line)
    length += line.length
  }
  return Buffer.from(lines.join('')).subarray(0, size)
}

const victims = []
/** A copy of `bytes` in an ArrayBuffer of its own that the attack can take away. */
function victim(bytes) {
  const view = new Uint8Array(new ArrayBuffer(bytes.length, { maxByteLength: bytes.length }))
  view.set(bytes)
  victims.push(view)
  return view
}

function transfer(buffer) {
  try {
    structuredClone(buffer, { transfer: [buffer] })
  } catch (error) {
    if (error.name !== 'DataCloneError') throw error
  }
}

function takeAway() {
  for (const view of victims) {
    // Pooled outputs' memory is untransferable: Node 20 copies it, later versions throw.
    if (attack === 'transfer') transfer(view.buffer)
    else if (attack === 'resize') view.buffer.resizable && view.buffer.resize(0)
    else view.fill(0x55)
  }
  victims.length = 0
  globalThis.gc()
}

const same = (a, b) => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), b) === 0
const data = sample(SIZE)
const pieces = Array.from({ length: 8 }, (_, i) => sample(SIZE / 8, i + 2))
const samples = Array.from({ length: 400 }, (_, i) => sample(1000 + (i % 7) * 100, i + 9))
const blockDict = sample(64 << 10, 5)

// Each case starts one call on victims and returns a check of its result (true: as the
// untouched inputs would give).
const cases = {
  'zstd.compress': () => zstd.compress(victim(data), { level: 1 }).then((f) => same(zstd.decompressSync(f), data)),
  'zstd.compress threads': () => zstd.compress(victim(data), { level: 1, threads: 2 }).then((f) => same(zstd.decompressSync(f), data)),
  'zstd.compress frameSize': () => zstd.compress(victim(data), { level: 1, frameSize: 1 << 20 }).then((f) => same(zstd.decompressSync(f), data)),
  'zstd.decompress': () => zstd.decompress(victim(zstd.compressSync(data, { level: 1 }))).then((d) => same(d, data)),
  'zstd.decompress unknown size': () =>
    zstd.decompress(victim(zstd.compressSync(data, { level: 1, contentSize: false })), { maxOutputSize: SIZE }).then((d) => same(d, data)),
  'zstd.decompress frames threads': () =>
    zstd.decompress(victim(zstd.compressSync(data, { level: 1, frameSize: 1 << 20 })), { threads: 2 }).then((d) => same(d, data)),
  'Compressor.compress': () => new zstd.Compressor({ level: 1 }).compress(victim(data)).then((f) => same(zstd.decompressSync(f), data)),
  'Compressor.compressMany': () =>
    new zstd.Compressor({ level: 1 }).compressMany(pieces.map(victim)).then((fs) => fs.every((f, i) => same(zstd.decompressSync(f), pieces[i]))),
  'Decompressor.decompressMany': () =>
    new zstd.Decompressor()
      .decompressMany(pieces.map((p) => victim(zstd.compressSync(p, { level: 1 }))))
      .then((ds) => ds.every((d, i) => same(d, pieces[i]))),
  'Decompressor.decompressContentDictChain': () => {
    const chain = [zstd.compressSync(pieces[0], { level: 1 })]
    for (let i = 1; i < pieces.length; i++) {
      const dictionary = new zstd.Dictionary(pieces[i - 1], { type: 'raw' })
      chain.push(new zstd.Compressor({ level: 1, dictionary }).compressSync(pieces[i]))
    }
    return new zstd.Decompressor().decompressContentDictChain(chain.map(victim)).then((d) => same(d, pieces.at(-1)))
  },
  'zstd.trainDictionary': () => {
    const expected = zstd.trainDictionarySync(samples, { size: 4096 }).toBuffer()
    return zstd.trainDictionary(samples.map(victim), { size: 4096 }).then((d) => same(d.toBuffer(), expected))
  },
  'zstd stream': async () => {
    const chunks = []
    await pipeline(Readable.from([victim(data)]), zstd.createCompressStream({ level: 1 }), async function* (source) {
      for await (const chunk of source) chunks.push(chunk)
    })
    return same(zstd.decompressSync(Buffer.concat(chunks)), data)
  },
  'zstd decompress stream': async () => {
    const chunks = []
    const frame = zstd.compressSync(data, { level: 1 })
    await pipeline(Readable.from([victim(frame)]), zstd.createDecompressStream(), async function* (source) {
      for await (const chunk of source) chunks.push(chunk)
    })
    return same(Buffer.concat(chunks), data)
  },
  // Small outputs of async calls share memory, as pooled Buffers do: each output, once checked,
  // is taken away while the calls after it settle.
  'small outputs': () =>
    Promise.all(
      samples.slice(0, 200).map((sample, i) => {
        const codec = i % 2 ? lz4 : zstd
        return (i % 4 < 2 ? codec.compress(sample).then((f) => codec.decompressSync(f)) : codec.decompress(codec.compressSync(sample))).then((d) => {
          const ok = same(d, sample)
          victims.push(d)
          takeAway()
          return ok
        })
      }),
    ).then((oks) => oks.every(Boolean)),
  'lz4.compress': () => lz4.compress(victim(data)).then((f) => same(lz4.decompressSync(f), data)),
  'lz4.compress threads': () => lz4.compress(victim(data), { threads: 2 }).then((f) => same(lz4.decompressSync(f), data)),
  'lz4.decompress': () => lz4.decompress(victim(lz4.compressSync(data))).then((d) => same(d, data)),
  'lz4.decompress unknown size': () => lz4.decompress(victim(lz4.compressSync(data, { storeSize: false }))).then((d) => same(d, data)),
  'lz4.decompressInto input': () => {
    const output = Buffer.alloc(SIZE)
    return lz4.decompressInto(victim(lz4.compressSync(data)), output).then((n) => n === SIZE && same(output, data))
  },
  'lz4.decompressInto output': () => {
    const output = victim(Buffer.alloc(SIZE))
    return lz4.decompressInto(lz4.compressSync(data), output).then((n) => n === SIZE && same(output, data))
  },
  'lz4.compressBlock': () =>
    lz4.compressBlock(victim(data), { dict: victim(blockDict) }).then((b) => same(lz4.decompressBlockSync(b, { dict: blockDict }), data)),
  'lz4.decompressBlock': () =>
    lz4.decompressBlock(victim(lz4.compressBlockSync(data, { dict: blockDict })), { dict: victim(blockDict) }).then((d) => same(d, data)),
  'lz4 stream': async () => {
    const chunks = []
    await pipeline(Readable.from([victim(data)]), lz4.createCompressStream(), async function* (source) {
      for await (const chunk of source) chunks.push(chunk)
    })
    return same(lz4.decompressSync(Buffer.concat(chunks)), data)
  },
  'lz4 decompress stream': async () => {
    const chunks = []
    await pipeline(Readable.from([victim(lz4.compressSync(data))]), lz4.createDecompressStream(), async function* (source) {
      for await (const chunk of source) chunks.push(chunk)
    })
    return same(Buffer.concat(chunks), data)
  },
}

const call = cases[name]
if (call === undefined) throw new Error(`no case ${name}`)
const outcomes = {}
// An Into call's output is taken away at once, so that it is gone before the work is done on every
// run (on the next turn of the loop, a fast call may have settled already); every other buffer,
// while the work runs.
const now = name.endsWith('output')
for (attack of ATTACKS) {
  const pending = call()
  if (now) takeAway()
  else setImmediate(takeAway)
  try {
    outcomes[attack] = { ok: await pending }
  } catch (error) {
    outcomes[attack] = { code: error.code ?? String(error) }
  }
}
console.log(JSON.stringify(outcomes))
