// Asynchronous calls own what they read and write: JavaScript taking a buffer away while a call
// runs never crashes the process or changes the result. Each call runs in a child process (see
// take-away.mjs), so a crash fails a test instead of killing the runner.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'

import { describe, expect, it } from 'vitest'

const script = join(__dirname, 'take-away.mjs')
const run = promisify(execFile)

const CASES = [
  'zstd.compress',
  'zstd.compress threads',
  'zstd.compress frameSize',
  'zstd.decompress',
  'zstd.decompress unknown size',
  'zstd.decompress frames threads',
  'Compressor.compress',
  'Compressor.compressMany',
  'Decompressor.decompressMany',
  'Decompressor.decompressContentDictChain',
  'zstd.trainDictionary',
  'zstd stream',
  'zstd decompress stream',
  'lz4.compress',
  'lz4.compress threads',
  'lz4.decompress',
  'lz4.decompress unknown size',
  'lz4.decompressInto input',
  'lz4.decompressInto output',
  'lz4.compressBlock',
  'lz4.decompressBlock',
  'lz4 stream',
  'lz4 decompress stream',
  'small outputs',
]

/** The outcomes of one case in a child process, by attack; a crash (signal or exit code) throws. */
async function outcomes(name: string): Promise<unknown> {
  try {
    const { stdout } = await run(process.execPath, ['--expose-gc', script, name], { maxBuffer: 1 << 20 })
    return JSON.parse(stdout.trim().split('\n').pop()!)
  } catch (error) {
    const e = error as { signal?: string; code?: number; stderr?: string }
    throw new Error(`${name}: the child died (signal ${e.signal}, exit ${e.code}): ${e.stderr ?? ''}`)
  }
}

describe('buffers transferred, resized or overwritten during an async call', () => {
  for (const name of CASES) {
    // The output of an Into call goes into the caller's buffer when the work is done: a buffer
    // that is gone by then is a typed error, one that was written to gets the output.
    const gone = name.endsWith('output') ? { code: 'ERR_SQUISH_OUTPUT_LIMIT' } : { ok: true }
    const expected = { transfer: gone, resize: gone, fill: { ok: true } }
    it.concurrent(`${name}: ${JSON.stringify(expected)}`, async () => {
      expect(await outcomes(name)).toEqual(expected)
    })
  }
})
