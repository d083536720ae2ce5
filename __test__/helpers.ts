import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { SquishError, type SquishErrorCode } from '../index'

/** Deterministic, compressible text-like bytes. */
export function sample(size: number, seed = 1): Buffer {
  const words = ['squish ', 'zstd ', 'frame ', 'window ', 'block ', 'level ', '{"id":', '42}', '\n']
  const out = Buffer.allocUnsafe(size)
  let x = seed >>> 0
  let pos = 0
  while (pos < size) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    pos += out.write(words[(x >>> 16) % words.length]!, pos)
  }
  return out
}

/** Deterministic incompressible bytes. */
export function noise(size: number, seed = 7): Buffer {
  const out = Buffer.allocUnsafe(size)
  let x = seed >>> 0
  for (let i = 0; i < size; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

/** Runs a CLI with `input` on stdin and returns stdout; throws with stderr on failure. */
export function run(command: string, args: string[], input?: Uint8Array): Buffer {
  const result = spawnSync(command, args, { input, maxBuffer: 1 << 30 })
  if (result.error) throw result.error
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}: ${result.stderr.toString()}`)
  }
  return result.stdout
}

export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'squish-test-'))
  try {
    return fn(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The SquishError thrown by `fn`, checked to carry `code`. */
export function thrown(fn: () => unknown, code: SquishErrorCode): SquishError {
  try {
    fn()
  } catch (error) {
    if (!(error instanceof SquishError)) throw new Error(`expected a SquishError, got ${String(error)}`)
    if (error.code !== code) throw new Error(`expected ${code}, got ${error.code}: ${error.message}`)
    return error
  }
  throw new Error(`expected ${code}, but nothing was thrown`)
}

/** The SquishError `promise` rejects with, checked to carry `code`. */
export async function rejected(promise: Promise<unknown>, code: SquishErrorCode): Promise<SquishError> {
  try {
    await promise
  } catch (error) {
    if (!(error instanceof SquishError)) throw new Error(`expected a SquishError, got ${String(error)}`)
    if (error.code !== code) throw new Error(`expected ${code}, got ${error.code}: ${error.message}`)
    return error
  }
  throw new Error(`expected ${code}, but the promise resolved`)
}
