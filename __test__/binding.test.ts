import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

import { describe, expect, it } from 'vitest'

import { backend, lz4, SquishError, zstd } from '../index'
import { candidates, currentTarget, load, native, PREBUILT_TARGETS } from '../src/binding'
import { thrown } from './helpers'

const root = join(__dirname, '..')

function node(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' })
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr }
}

describe('the native binary', () => {
  it('backend says which binary was loaded and from where', () => {
    expect(backend.target).toBe(currentTarget())
    expect(backend.source).toBe('local')
    expect(backend.path).toBe(join(root, `squish.${backend.target}.node`))
    expect(existsSync(backend.path)).toBe(true)
    expect(backend.versions.zstd).toBe(zstd.VERSION)
    expect(backend.versions.zstd).toMatch(/^1\.5\.\d+$/)
    expect(backend.versions.lz4).toBe(lz4.VERSION)
    expect(backend.versions.lz4).toMatch(/^1\.\d+\.\d+$/)
    expect(backend.threads).toBeGreaterThanOrEqual(1)
    expect(Object.isFrozen(backend)).toBe(true)
  })

  it('defines the flag words the facade passes: distinct bits below each word\'s thread count', () => {
    const words = [
      [[native.ZSTD_CHECKSUM, native.ZSTD_CONTENT_SIZE, native.ZSTD_DICT_ID], native.COMPRESS_THREADS_SHIFT],
      [
        [native.LZ4_BLOCK_LINKED, native.LZ4_CONTENT_CHECKSUM, native.LZ4_BLOCK_CHECKSUM, native.LZ4_AUTO_FLUSH, native.LZ4_STORE_SIZE],
        native.COMPRESS_THREADS_SHIFT,
      ],
      [[native.READ_ACROSS_FRAMES, native.ALLOW_EXTRA_DATA], native.DECOMPRESS_THREADS_SHIFT],
    ] as const
    for (const [bits, shift] of words) {
      for (const bit of bits) expect(Number.isInteger(Math.log2(bit)) && bit < 2 ** shift).toBe(true)
      expect(bits.reduce((all, bit) => all | bit, 0)).toBe(bits.reduce((sum, bit) => sum + bit, 0))
    }
    // LZ4's block size id (0 to 7) takes the three bits between its booleans and the threads.
    const lz4Bits = native.LZ4_BLOCK_LINKED | native.LZ4_CONTENT_CHECKSUM | native.LZ4_BLOCK_CHECKSUM | native.LZ4_AUTO_FLUSH | native.LZ4_STORE_SIZE
    expect(lz4Bits < 2 ** native.LZ4_BLOCK_SIZE_SHIFT && native.LZ4_BLOCK_SIZE_SHIFT + 3 <= native.COMPRESS_THREADS_SHIFT).toBe(true)
  })

  it('SQUISH_NATIVE_PATH comes first', () => {
    const list = candidates('linux-x64-gnu', '/pkg', { SQUISH_NATIVE_PATH: '/opt/squish.node' })
    expect(list.map((c) => c.source)).toEqual(['env', 'local', 'package'])
    expect(list[0]!.request).toBe('/opt/squish.node')
    expect(list[2]!.request).toBe('squish-linux-x64-gnu')
  })

  it('with no binary for an unsupported platform, the error names the platform and what to do', () => {
    const error = thrown(
      () => load('freebsd-riscv64', candidates('freebsd-riscv64', '/nonexistent', {})),
      'ERR_SQUISH_NO_BINARY',
    )
    expect(error).toBeInstanceOf(SquishError)
    expect(error.message).toContain('freebsd-riscv64')
    expect(error.message).toContain(process.version)
    expect(error.message).toContain(PREBUILT_TARGETS.join(', '))
    expect(error.message).toContain('SQUISH_NATIVE_PATH')
    expect(error.message).toContain('/nonexistent/squish.freebsd-riscv64.node: no such file')
    expect(error.message).toContain('squish-freebsd-riscv64: not installed')
  })

  it('with a missing prebuilt package, the error says to reinstall with optional dependencies', () => {
    const error = thrown(() => load('darwin-arm64', candidates('darwin-arm64', '/nonexistent', {})), 'ERR_SQUISH_NO_BINARY')
    expect(error.message).toContain('optional dependency squish-darwin-arm64')
  })

  it('a binary that fails to load is reported with its own error', () => {
    const failing = (id: string): never => {
      throw new Error(`${id}: invalid ELF header`)
    }
    const error = thrown(
      () => load('linux-x64-gnu', [{ source: 'env', request: __filename }], failing),
      'ERR_SQUISH_NO_BINARY',
    )
    expect(error.message).toContain('invalid ELF header')
  })
})

describe('the package', () => {
  it('can be required (CommonJS) from dist, with deep imports', () => {
    const script = `
      const squish = require('squish')
      const zstd = require('squish/zstd')
      const lz4 = require('squish/lz4')
      const frame = squish.zstd.compressSync('hello from require')
      if (zstd.decompressSync(frame).toString() !== 'hello from require') process.exit(2)
      console.log(JSON.stringify({ keys: Object.keys(squish).sort(), lz4: lz4.VERSION, same: zstd.compressSync === squish.zstd.compressSync }))
    `
    const { status, stdout, stderr } = node(['-e', script])
    expect(status, stderr).toBe(0)
    expect(JSON.parse(stdout)).toEqual({
      keys: ['FrameFile', 'MAX_THREADS', 'PROGRESS_INTERVAL', 'SquishError', 'backend', 'lz4', 'setThreads', 'threads', 'zstd'],
      lz4: lz4.VERSION,
      same: true,
    })
  })

  it('can be imported (ESM) from dist, sharing one instance with require', () => {
    const script = `
      import { zstd, SquishError, backend } from 'squish'
      import * as deep from 'squish/zstd'
      import { VERSION } from 'squish/lz4'
      import { createRequire } from 'node:module'
      const cjs = createRequire(import.meta.url)('squish')
      const out = await zstd.decompress(await deep.compress('hello from import'))
      let code
      try { zstd.decompressSync('nope') } catch (e) { code = e instanceof cjs.SquishError && e.code }
      console.log(JSON.stringify({ text: out.toString(), same: cjs.SquishError === SquishError, code, source: backend.source, lz4: VERSION }))
    `
    const { status, stdout, stderr } = node(['--input-type=module', '-e', script])
    expect(status, stderr).toBe(0)
    expect(JSON.parse(stdout)).toEqual({
      text: 'hello from import',
      same: true,
      code: 'ERR_SQUISH_CORRUPT',
      source: 'local',
      lz4: lz4.VERSION,
    })
  })

  it('setThreads resizes the pool; threads reports it, live in both module systems', () => {
    const script = `
      import { threads, setThreads, backend } from 'squish'
      import { createRequire } from 'node:module'
      const cjs = createRequire(import.meta.url)('squish')
      const initial = threads
      const seen = [initial >= 1 && backend.threads === initial]
      setThreads(3)
      seen.push(threads, cjs.threads, backend.threads)
      cjs.setThreads(1)
      seen.push(threads, backend.threads, (await cjs.zstd.compress('still works')).length > 0)
      setThreads(0)
      seen.push(threads === initial)
      let code
      try { setThreads(-1) } catch (e) { code = e.code }
      console.log(JSON.stringify([...seen, code]))
    `
    const { status, stdout, stderr } = node(['--input-type=module', '-e', script])
    expect(status, stderr).toBe(0)
    expect(JSON.parse(stdout)).toEqual([true, 3, 3, 3, 1, 1, true, true, 'ERR_SQUISH_INVALID_ARG'])
  })

  it('SQUISH_THREADS sizes the pool; an invalid value is ignored with a warning', () => {
    const sized = node(['-p', "require('squish').threads"], { SQUISH_THREADS: '3' })
    expect(sized.status, sized.stderr).toBe(0)
    expect(sized.stdout).toBe('3')
    const invalid = node(['-p', "require('squish').threads"], { SQUISH_THREADS: 'lots' })
    expect(invalid.status, invalid.stderr).toBe(0)
    expect(invalid.stdout).toBe(String(backend.threads))
    expect(invalid.stderr).toContain('SQUISH_THREADS must be an integer from 1 to 1024')
  })

  it('a broken SQUISH_NATIVE_PATH falls back to the local binary', () => {
    const { status, stdout, stderr } = node(['-p', "require('squish').backend.source"], {
      SQUISH_NATIVE_PATH: '/nonexistent/squish.node',
    })
    expect(status, stderr).toBe(0)
    expect(stdout).toBe('local')
  })
})
