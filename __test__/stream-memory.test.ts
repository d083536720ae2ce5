import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

import { describe, expect, it } from 'vitest'

// Each streaming path decodes a bomb (1 GiB of zeros: 32 KiB of zstd, 4.2 MiB of LZ4, one input
// chunk) with a consumer that takes 10 ms per piece, in a child process on the built dist/ that
// reports its peak RSS growth. The paths may hold a few pieces of about 4 MiB beyond what the
// consumer took; the bound leaves room for the garbage V8 lets build up before it collects
// (about 40-75 MB measured). Paths that buffered a chunk's whole expansion grew by 236 to
// 1,487 MB here.
const probe = fileURLToPath(new URL('./stream-memory-probe.mjs', import.meta.url))
const SIZE = 1 << 30
const BOUND_MIB = 128

function growth(codec: string, path: string): number {
  const child = spawnSync(process.execPath, ['--expose-gc', probe, codec, path, String(SIZE), '10'], { encoding: 'utf8' })
  expect({ status: child.status, signal: child.signal, stderr: child.stderr }).toEqual({ status: 0, signal: null, stderr: '' })
  const result = JSON.parse(child.stdout) as { received: number; growthMiB: number }
  expect(result.received).toBe(SIZE)
  return result.growthMiB
}

describe.each(['zstd', 'lz4'])('%s streaming paths hold a few pieces beyond what the consumer took', (codec) => {
  it.each(['iter', 'node', 'web', 'copy', 'file', 'framefile'])('%s', (path) => {
    expect(growth(codec, path)).toBeLessThan(BOUND_MIB)
  })
})
