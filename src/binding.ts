import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { types } from 'node:util'

import { invalidArg, SquishError } from './errors'
import type * as Native from './native'
import { newPool } from './output-pool'

/** Which native binary squish loaded, and from where. */
export interface Backend {
  /** The platform key of the binary, e.g. `linux-x64-gnu`. */
  readonly target: string
  /** Absolute path of the loaded `.node` file. */
  readonly path: string
  /** `env`: named by `SQUISH_NATIVE_PATH`; `local`: built in the package; `package`: the prebuilt npm package. */
  readonly source: 'env' | 'local' | 'package'
  /** Versions of the C libraries inside the binary. */
  readonly versions: { readonly zstd: string; readonly lz4: string }
  /** Threads in squish's worker pool (kept current; see `setThreads`). */
  readonly threads: number
}

/** Platforms with a prebuilt binary on npm (the `napi.targets` of package.json). */
export const PREBUILT_TARGETS = [
  'linux-x64-gnu',
  'linux-arm64-gnu',
  'darwin-x64',
  'darwin-arm64',
  'win32-x64-msvc',
] as const

const nodeRequire = createRequire(__filename)

function isMusl(): boolean {
  try {
    // Reading ldd takes well under a millisecond; a process report takes ~15 ms.
    return readFileSync('/usr/bin/ldd', 'latin1').includes('musl')
  } catch {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined
    return !report?.header?.glibcVersionRuntime
  }
}

/** The napi-rs platform key for this process, e.g. `linux-x64-gnu` or `win32-x64-msvc`. */
export function currentTarget(): string {
  const { platform, arch } = process
  switch (platform) {
    case 'linux':
      return `linux-${arch}-${isMusl() ? 'musl' : 'gnu'}`
    case 'win32':
      return `win32-${arch}-msvc`
    default:
      return `${platform}-${arch}`
  }
}

function packageRoot(): string {
  let dir = __dirname
  while (!existsSync(join(dir, 'package.json')) || !isSquishPackage(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) return __dirname
    dir = parent
  }
  return dir
}

function isSquishPackage(file: string): boolean {
  try {
    return JSON.parse(readFileSync(file, 'utf8')).name === 'squish'
  } catch {
    return false
  }
}

interface Candidate {
  source: Backend['source']
  /** A file path, or a package name to resolve. */
  request: string
}

/** Where a binary for `target` may be, in the order they are tried. */
export function candidates(target: string, root: string, env: NodeJS.ProcessEnv): Candidate[] {
  const list: Candidate[] = []
  if (env.SQUISH_NATIVE_PATH) list.push({ source: 'env', request: env.SQUISH_NATIVE_PATH })
  list.push({ source: 'local', request: join(root, `squish.${target}.node`) })
  list.push({ source: 'package', request: `squish-${target}` })
  return list
}

/**
 * Loads the first binary that exists among the candidates; fails with `ERR_SQUISH_NO_BINARY`,
 * naming the platform and what to do, when none does.
 */
export function load(
  target: string,
  list: Candidate[],
  requireFn: (id: string) => unknown = nodeRequire,
): { native: typeof Native; path: string; source: Backend['source'] } {
  const failures: string[] = []
  for (const { source, request } of list) {
    let path: string
    try {
      path = source === 'package' ? nodeRequire.resolve(request) : request
    } catch {
      failures.push(`${request}: not installed`)
      continue
    }
    if (source !== 'package' && !existsSync(path)) {
      failures.push(`${path}: no such file`)
      continue
    }
    try {
      return { native: requireFn(path) as typeof Native, path, source }
    } catch (error) {
      failures.push(`${path}: ${(error as Error).message}`)
    }
  }
  const prebuilt = (PREBUILT_TARGETS as readonly string[]).includes(target)
  const advice = prebuilt
    ? `Reinstall so that npm installs the optional dependency squish-${target} ` +
      '(it is skipped with --omit=optional or --no-optional, or when the lockfile was made on another platform).'
    : `squish has no prebuilt binary for ${target}; prebuilt ones exist for ${PREBUILT_TARGETS.join(', ')}. ` +
      'Build one from source with a Rust toolchain (npm run build in the squish repository) ' +
      'and point SQUISH_NATIVE_PATH at the .node file.'
  throw new SquishError(
    'ERR_SQUISH_NO_BINARY',
    `Cannot load squish's native binary for ${target} (Node.js ${process.version}). ${advice}\n` +
      `Tried:\n  ${failures.join('\n  ')}`,
  )
}

const target = currentTarget()
const loaded = load(target, candidates(target, packageRoot(), process.env))

/** The native addon's private API. */
export const native: typeof Native = loaded.native
native.setFacade(SquishError, (size) => Buffer.allocUnsafeSlow(size), newPool)

/**
 * `handle`, checked to be a native object: the classes that wrap one are made by a factory
 * (`maker`), and one made with `new` is `ERR_SQUISH_INVALID_ARG` at once, not on first use.
 */
export function nativeHandle<T>(handle: T, maker: string): T {
  if (!types.isExternal(handle)) throw invalidArg(`this object is made by ${maker}, not with new`)
  return handle
}

/** The most threads squish's worker pool may be given, and the most any `threads` option asks for. */
export const MAX_THREADS = 1024

/** The pool size `SQUISH_THREADS` asks for: an integer from 1 to {@link MAX_THREADS}. Other values are ignored with a warning. */
export function threadsFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined
  const count = Number(value)
  if (Number.isInteger(count) && count >= 1 && count <= MAX_THREADS) return count
  process.emitWarning(`SQUISH_THREADS must be an integer from 1 to ${MAX_THREADS}; ignoring ${JSON.stringify(value)}`, 'SquishWarning')
  return undefined
}

const envThreads = threadsFromEnv(process.env.SQUISH_THREADS)
if (envThreads !== undefined) native.setPoolThreads(envThreads)

export const backend: Backend = Object.freeze({
  target,
  path: loaded.path,
  source: loaded.source,
  versions: Object.freeze(native.versions()),
  get threads() {
    return native.poolThreads()
  },
})
