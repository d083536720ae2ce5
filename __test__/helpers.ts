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

/** Runs `fn` with a fresh temporary directory, removed when `fn` (or the promise it returns) settles. */
export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'squish-test-'))
  const remove = () => rmSync(dir, { recursive: true, force: true })
  let result: T
  try {
    result = fn(dir)
  } catch (error) {
    remove()
    throw error
  }
  if (result instanceof Promise) return result.finally(remove) as T
  remove()
  return result
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

const P1 = 0x9e3779b1
const P2 = 0x85ebca77
const P3 = 0xc2b2ae3d
const P4 = 0x27d4eb2f
const P5 = 0x165667b1

function rotl(x: number, r: number): number {
  return ((x << r) | (x >>> (32 - r))) >>> 0
}

/** XXH32 (seed 0 by default), as the LZ4 frame format uses it for its checksums. */
export function xxh32(buf: Uint8Array, seed = 0): number {
  const len = buf.length
  const read32 = (p: number) => (buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24)) >>> 0
  const round = (acc: number, input: number) => Math.imul(rotl((acc + Math.imul(input, P2)) >>> 0, 13), P1) >>> 0
  let i = 0
  let h: number
  if (len >= 16) {
    let v1 = (seed + P1 + P2) >>> 0
    let v2 = (seed + P2) >>> 0
    let v3 = seed >>> 0
    let v4 = (seed - P1) >>> 0
    for (; i <= len - 16; i += 16) {
      v1 = round(v1, read32(i))
      v2 = round(v2, read32(i + 4))
      v3 = round(v3, read32(i + 8))
      v4 = round(v4, read32(i + 12))
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) >>> 0
  } else {
    h = (seed + P5) >>> 0
  }
  h = (h + len) >>> 0
  for (; i + 4 <= len; i += 4) h = Math.imul(rotl((h + Math.imul(read32(i), P3)) >>> 0, 17), P4) >>> 0
  for (; i < len; i++) h = Math.imul(rotl((h + Math.imul(buf[i]!, P5)) >>> 0, 11), P1) >>> 0
  h = (h ^ (h >>> 15)) >>> 0
  h = Math.imul(h, P2) >>> 0
  h = (h ^ (h >>> 13)) >>> 0
  h = Math.imul(h, P3) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}

/** `bytes` in every kind of binary container squish accepts, each at a non-zero offset. */
export function binaryViews(bytes: Uint8Array): Array<ArrayBufferView | ArrayBuffer> {
  const copy = () => {
    const ab = new ArrayBuffer(bytes.length + 16)
    new Uint8Array(ab, 8, bytes.length).set(bytes)
    return ab
  }
  return [
    Buffer.from(bytes),
    new Uint8Array(copy(), 8, bytes.length),
    new Uint8ClampedArray(copy(), 8, bytes.length),
    new Int8Array(copy(), 8, bytes.length),
    new Uint16Array(copy(), 8, bytes.length / 2),
    new Int32Array(copy(), 8, bytes.length / 4),
    new Float32Array(copy(), 8, bytes.length / 4),
    new Float64Array(copy(), 8, bytes.length / 8),
    new BigUint64Array(copy(), 8, bytes.length / 8),
    new DataView(copy(), 8, bytes.length),
    new Uint8Array(bytes).buffer,
  ]
}

/** `data` cut at the given points, each taken modulo its length + 1; repeated points give empty chunks. */
export function split(data: Buffer, cuts: number[]): Buffer[] {
  const points = cuts.map((c) => c % (data.length + 1)).sort((a, b) => a - b)
  const chunks: Buffer[] = []
  let last = 0
  for (const p of points) {
    chunks.push(data.subarray(last, p))
    last = p
  }
  chunks.push(data.subarray(last))
  return chunks
}
