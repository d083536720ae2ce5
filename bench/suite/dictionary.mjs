// The dictionary case: the benchmark's 20,000 small JSON messages (bench/messages.mjs); a 64 KiB
// dictionary trained on the first 16,000, then the other 4,000 compressed at level 3, each its
// own frame, with and without it: total compressed size, and ops/s with reused contexts, for
// squish and zstd-napi (given the same dictionary).
import { performance } from 'node:perf_hooks'

import { zstd } from 'squish'

import { smallMessages } from '../messages.mjs'
import { lazy, log, pass, race } from './measure.mjs'

const zstdNapi = lazy('zstd-napi')

const LEVEL = 3
const TRAINING = 16_000
export const TABLE = 'zstd -3 on 4,000 small JSON messages (100 B - 2 KB), with a dictionary trained on 16,000 others'

/** Returns table rows {table, column, contender, median, spread}. */
export async function dictionaryCase({ quick, rounds, seconds }) {
  log('dictionary case')
  const messages = smallMessages()
  const [training, test] = [messages.slice(0, TRAINING), messages.slice(TRAINING)]
  const start = performance.now()
  // The quick run fixes the parameters rather than searching them.
  const dictionary = zstd.trainDictionarySync(training, quick ? { size: 64 << 10, k: 200, d: 8 } : { size: 64 << 10 })
  const trainSeconds = (performance.now() - start) / 1e3
  const bytes = dictionary.toBuffer()

  const napi = (dict) => {
    const c = new zstdNapi.Compressor()
    c.setParameters({ compressionLevel: LEVEL })
    const d = new zstdNapi.Decompressor()
    if (dict) {
      c.loadDictionary(bytes)
      d.loadDictionary(bytes)
    }
    return { compress: (m) => c.compress(m), decompress: (f) => d.decompress(f) }
  }
  const squish = (dict) => {
    const c = new zstd.Compressor({ level: LEVEL, dictionary: dict ? dictionary : undefined })
    const d = new zstd.Decompressor({ dictionary: dict ? dictionary : undefined })
    return { compress: (m) => c.compressSync(m), decompress: (f) => d.decompressSync(f) }
  }
  const contenders = {
    'squish, no dictionary': squish(false),
    'squish, trained dictionary': squish(true),
    'zstd-napi, no dictionary': napi(false),
    'zstd-napi, the same dictionary': napi(true),
  }
  const rows = []
  const fixed = (contender, column, median) => rows.push({ table: TABLE, column, contender, median, spread: null })
  const compress = {}
  const decompress = {}
  const total = test.reduce((sum, m) => sum + m.length, 0)
  for (const [name, { compress: c, decompress: d }] of Object.entries(contenders)) {
    const frames = test.map(c)
    if (!frames.every((f, i) => d(f).equals(test[i]))) throw new Error(`benchmark check failed: ${name} does not round-trip`)
    const size = frames.reduce((sum, f) => sum + f.length, 0)
    fixed(name, 'compressed, KB', size / 1e3)
    fixed(name, 'ratio', total / size)
    compress[name] = pass(test, c, { size: 100 })
    decompress[name] = pass(frames, d, { size: 100 })
  }
  fixed('squish, trained dictionary', 'training, s', trainSeconds)
  for (const [column, group] of [['compress, ops/s', compress], ['decompress, ops/s', decompress]]) {
    for (const [contender, s] of Object.entries(await race(group, { rounds, seconds }))) rows.push({ table: TABLE, column, contender, ...s })
  }
  return rows
}
