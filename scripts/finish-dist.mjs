// Completes dist/ after tsc: copies the addon's generated typings, makes re-exports plain
// properties, and writes an ESM entry beside each CommonJS entry. The ESM entries re-export the
// CommonJS modules rather than duplicating them, so `import` and `require` share one module
// instance (one SquishError class, one addon).
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename } from 'node:path'

const require = createRequire(import.meta.url)
const root = new URL('..', import.meta.url)

copyFileSync(new URL('src/native.d.ts', root), new URL('dist/src/native.d.ts', root))

// `threads` changes with `setThreads`: the ES module keeps a binding of its own, updated on change.
const LIVE = ['threads']

// tsc writes each re-export (`export { compress } from './zstd/oneshot'`, `export * from ...`) as
// a getter. A module object of getters is a dictionary to V8, so every `zstd.compressSync(...)`
// would pay a lookup and a getter call (about 200 instructions). The values never change (but
// LIVE's), so they become plain properties, each set by name where tsc defined its getter (set
// by key, as Object.assign does, a few dozen properties make a dictionary again).
const GETTER = /Object\.defineProperty\(exports, "(\w+)", \{ enumerable: true, get: function \(\) \{ return (\w+\.\w+); \} \}\);/g
const EXPORT_STAR = /__exportStar\(require\("([^"]+)"\), exports\);/g
/** `export * from module` as one assignment per name, `module` resolved from `file`. */
const exportStar = (file) => (_, module) => {
  const names = Object.keys(require(new URL(`${module}.js`, file).pathname)).filter((n) => n !== 'default')
  const local = module.replace(/\W/g, '_')
  return [`var ${local} = require(${JSON.stringify(module)});`, ...names.map((n) => `exports.${n} = ${local}.${n};`)].join('\n')
}
for (const entry of readdirSync(new URL('dist', root), { recursive: true })) {
  if (!entry.endsWith('.js')) continue
  const file = new URL(`dist/${entry}`, root)
  const code = readFileSync(file, 'utf8')
  const plain = code
    .replace(GETTER, (getter, name, value) => (LIVE.includes(name) ? getter : `exports.${name} = ${value};`))
    .replace(EXPORT_STAR, exportStar(file))
  if (plain !== code) writeFileSync(file, plain)
}

for (const entry of ['dist/index', 'dist/src/zstd', 'dist/src/lz4']) {
  const names = Object.keys(require(new URL(`${entry}.js`, root).pathname)).filter((n) => n !== '__esModule')
  const cjs = `./${basename(entry)}.js`
  const fixed = names.filter((n) => !LIVE.includes(n))
  let esm = `import cjs from '${cjs}'\n\nexport const { ${fixed.join(', ')} } = cjs\n`
  for (const name of names.filter((n) => LIVE.includes(n))) {
    esm +=
      `import threadsCjs from './src/threads.js'\n\n` +
      `export let ${name} = cjs.${name}\nthreadsCjs.onThreadsChange(() => {\n  ${name} = cjs.${name}\n})\n`
  }
  writeFileSync(new URL(`${entry}.mjs`, root), esm)
  writeFileSync(new URL(`${entry}.d.mts`, root), `export * from '${cjs}'\n`)
}
