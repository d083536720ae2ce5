import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

import { describe, expect, it } from 'vitest'

const root = resolve(__dirname, '..')

/** The public API, entry by entry: exactly what the README documents. */
const API: Record<string, string[]> = {
  squish: ['FrameFile', 'MAX_THREADS', 'PROGRESS_INTERVAL', 'SquishError', 'backend', 'lz4', 'setThreads', 'threads', 'zstd'],
  'squish/zstd': [
    'Chunker',
    'CompressionStream',
    'Compressor',
    'DEFAULT_LEVEL',
    'DEFAULT_MAX_OUTPUT_SIZE',
    'DEFAULT_MAX_WINDOW_SIZE',
    'Decoder',
    'DecompressionStream',
    'Decompressor',
    'Dictionary',
    'Encoder',
    'MAX_LEVEL',
    'MAX_WINDOW_SIZE',
    'MIN_LEVEL',
    'MIN_WINDOW_SIZE',
    'PARAMETER_RANGES',
    'VERSION',
    'compress',
    'compressBound',
    'compressFile',
    'compressIter',
    'compressSync',
    'compressionParameters',
    'copyStream',
    'createCompressStream',
    'createDecompressStream',
    'decompress',
    'decompressFile',
    'decompressIter',
    'decompressSync',
    'estimateCompressionContextSize',
    'estimateDecompressionContextSize',
    'frameContentSize',
    'frameHeaderSize',
    'getFrameParameters',
    'open',
    'trainDictionary',
    'trainDictionarySync',
  ],
  'squish/lz4': [
    'BLOCKSIZE_DEFAULT',
    'BLOCKSIZE_MAX1MB',
    'BLOCKSIZE_MAX256KB',
    'BLOCKSIZE_MAX4MB',
    'BLOCKSIZE_MAX64KB',
    'COMPRESSIONLEVEL_MAX',
    'COMPRESSIONLEVEL_MIN',
    'COMPRESSIONLEVEL_MINHC',
    'CompressionStream',
    'DEFAULT_MAX_OUTPUT_SIZE',
    'DecompressionStream',
    'FrameCompressor',
    'FrameDecompressor',
    'VERSION',
    'compress',
    'compressBegin',
    'compressBlock',
    'compressBlockSync',
    'compressChunk',
    'compressFile',
    'compressFlush',
    'compressIter',
    'compressSync',
    'copyStream',
    'createCompressStream',
    'createCompressionContext',
    'createDecompressStream',
    'createDecompressionContext',
    'decompress',
    'decompressBlock',
    'decompressBlockSync',
    'decompressChunk',
    'decompressFile',
    'decompressInto',
    'decompressIntoSync',
    'decompressIter',
    'decompressSync',
    'getFrameInfo',
    'open',
    'resetDecompressionContext',
  ],
}

/** The names an entry exports, as a user's process sees them through the package's exports map. */
function exportsOf(entry: string, kind: 'require' | 'import'): string[] {
  const load = kind === 'require' ? `Promise.resolve(require(${JSON.stringify(entry)}))` : `import(${JSON.stringify(entry)})`
  const script = `${load}.then((m) => console.log(JSON.stringify(Object.keys(m).filter((n) => n !== '__esModule' && n !== 'default'))))`
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' })).sort()
}

/** Every identifier in the README's code: inline code spans and fenced blocks. */
function documentedNames(): Set<string> {
  const readme = readFileSync(resolve(root, 'README.md'), 'utf8')
  const code = [...readme.matchAll(/```[^\n]*\n([\s\S]*?)```|`([^`\n]+)`/g)].map((m) => m[1] ?? m[2]!)
  return new Set(code.flatMap((text) => text.match(/[A-Za-z_$][\w$]*/g) ?? []))
}

describe('the public surface', () => {
  for (const [entry, names] of Object.entries(API)) {
    for (const kind of ['require', 'import'] as const) {
      it(`${entry} through ${kind} exports exactly the documented API`, () => {
        expect(exportsOf(entry, kind)).toEqual([...names].sort())
      })
    }
  }

  it('the README documents every export', () => {
    const documented = documentedNames()
    const undocumented = Object.entries(API).flatMap(([entry, names]) =>
      names.filter((name) => !documented.has(name)).map((name) => `${entry}: ${name}`),
    )
    expect(undocumented).toEqual([])
  })

  for (const kind of ['require', 'import'] as const) {
    it(`squish's zstd and lz4 through ${kind} are the deep imports' APIs`, () => {
      const load = kind === 'require' ? "Promise.resolve(require('squish'))" : "import('squish')"
      const script = `${load}.then((s) => console.log(JSON.stringify([s.zstd, s.lz4].map((ns) => Object.keys(ns).sort()))))`
      const [zstd, lz4] = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }))
      expect(zstd).toEqual([...API['squish/zstd']!].sort())
      expect(lz4).toEqual([...API['squish/lz4']!].sort())
    })
  }

  it('squish.zstd and squish.lz4 hold their exports as plain properties, which V8 reads at no cost', () => {
    const script =
      "const s = require('squish'); console.log(JSON.stringify([s.zstd, s.lz4].flatMap((ns) => Object.keys(ns).filter((n) => Object.getOwnPropertyDescriptor(ns, n).get !== undefined))))"
    expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }))).toEqual([])
  })
})
