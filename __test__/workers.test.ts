import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { Worker } from 'node:worker_threads'

import { describe, expect, it } from 'vitest'

import { zstd } from '../index'
import { sample } from './helpers'

// Workers load the built package, as an application's workers would.
const DIST = resolve(__dirname, '../dist/index.js')

/** Runs `body` (CommonJS, with `squish` loaded) in a worker thread; resolves to what it posts. */
function inWorker(body: string): { worker: Worker; result: Promise<unknown> } {
  const worker = new Worker(`const squish = require(${JSON.stringify(DIST)}); const { parentPort } = require('node:worker_threads');\n${body}`, { eval: true })
  const result = new Promise((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  return { worker, result }
}

describe('worker_threads', () => {
  it('the addon loads and works in several workers at once', async () => {
    const runs = Array.from({ length: 4 }, (_, i) =>
      inWorker(`
        const data = Buffer.alloc(3_000_000 + ${i}, 'worker ${i} ')
        ;(async () => {
          const z = await squish.zstd.compress(data, { level: 5 })
          const l = squish.lz4.compressSync(data, { threads: 2 })
          const ok = squish.zstd.decompressSync(z).equals(data) && (await squish.lz4.decompress(l, { threads: 2 })).equals(data)
          parentPort.postMessage(ok)
        })()
      `),
    )
    expect(await Promise.all(runs.map((r) => r.result))).toEqual([true, true, true, true])
    await Promise.all(runs.map((r) => r.worker.terminate()))
  })

  it('a worker terminated in the middle of async work leaves the process and the pool working', async () => {
    const { worker, result } = inWorker(`
      // Long enough to be in flight at terminate(), short enough not to starve other test files.
      const data = Buffer.alloc(2_000_000, 'abcdefgh')
      for (let i = 0; i < 2; i++) squish.zstd.compress(data, { level: 19 })
      parentPort.postMessage('started')
    `)
    expect(await result).toBe('started')
    await worker.terminate()
    const data = sample(1_000_000, 3)
    expect(zstd.decompressSync(await zstd.compress(data)).equals(data)).toBe(true)
    const again = inWorker(`squish.zstd.compress(Buffer.from('again')).then((f) => parentPort.postMessage(squish.zstd.decompressSync(f).toString()))`)
    expect(await again.result).toBe('again')
    await again.worker.terminate()
  })

  it('a worker terminated with rounds of small calls in flight leaves the process working', async () => {
    const { worker, result } = inWorker(`
      const inputs = Array.from({ length: 2000 }, (_, i) => Buffer.from('message ' + i + ' '.repeat(i % 300)))
      for (let round = 0; round < 3; round++) for (const input of inputs) squish.zstd.compress(input, { level: 19 })
      setImmediate(() => parentPort.postMessage('started'))
    `)
    expect(await result).toBe('started')
    await worker.terminate()
    const inputs = Array.from({ length: 500 }, (_, i) => sample(100 + i, i))
    const frames = await Promise.all(inputs.map((input) => zstd.compress(input)))
    frames.forEach((frame, i) => expect(zstd.decompressSync(frame).equals(inputs[i]!)).toBe(true))
  })

  it('a process exits as soon as its work is done: pool threads do not keep it alive', () => {
    const script = `const { zstd } = require(${JSON.stringify(DIST)}); zstd.compress(Buffer.alloc(1 << 20)).then(() => console.log('done'))`
    const started = Date.now()
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 })
    expect(run.stdout.trim()).toBe('done')
    expect(run.status).toBe(0)
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})
