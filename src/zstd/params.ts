import { native } from '../binding'
import { invalidArg } from '../errors'
import { describe } from '../input'
import { booleanOption, integerOption, numberOption, optionsObject } from '../options'

/** libzstd's match-finding strategies, fastest first. */
export type Strategy = 'fast' | 'dfast' | 'greedy' | 'lazy' | 'lazy2' | 'btlazy2' | 'btopt' | 'btultra' | 'btultra2'

/** `'standard'` frames start with the zstd magic number; `'magicless'` frames omit those 4 bytes. */
export type Format = 'standard' | 'magicless'

const STRATEGIES: readonly Strategy[] = ['fast', 'dfast', 'greedy', 'lazy', 'lazy2', 'btlazy2', 'btopt', 'btultra', 'btultra2']

/**
 * Advanced compression parameters (libzstd's `ZSTD_c_*`). Each one left out keeps the value the
 * compression level implies. Ranges are libzstd's own; see {@link PARAMETER_RANGES}.
 */
export interface CompressionParameters {
  /** Log2 of the largest match distance (the window). Larger finds more matches and needs more memory to decode. */
  windowLog?: number
  /** Log2 of the size of the initial match-finding table. */
  hashLog?: number
  /** Log2 of the size of the secondary match-finding table. */
  chainLog?: number
  /** Log2 of the number of searches per position. */
  searchLog?: number
  /** The shortest match searched for. */
  minMatch?: number
  /** How long a match must be before the search stops (meaning depends on the strategy). */
  targetLength?: number
  strategy?: Strategy
  /** Aim for compressed blocks of about this many bytes (0, the default: no target), to reduce latency on lossy links. */
  targetCBlockSize?: number
  /** Long-distance matching, for inputs with repeats far apart (use with a large `windowLog`). */
  enableLdm?: boolean
  ldmHashLog?: number
  ldmMinMatch?: number
  ldmBucketSizeLog?: number
  ldmHashRateLog?: number
  /** With `threads`, the input size of each job (0: automatic). */
  jobSize?: number
  /** With `threads`, how much of the window each job reloads (0: automatic, 1-9). */
  overlapLog?: number
  /** Record `windowLog` in the frame even when the input is smaller than the window. */
  forceMaxWindow?: boolean
}

/** The parameter set libzstd derives from a level, as {@link compressionParameters} returns it. */
export interface ResolvedCompressionParameters {
  windowLog: number
  chainLog: number
  hashLog: number
  searchLog: number
  minMatch: number
  targetLength: number
  strategy: Strategy
}

/** The inclusive range libzstd accepts for each parameter, by option name. */
export const PARAMETER_RANGES: Readonly<Record<string, readonly [number, number]>> = Object.freeze(
  Object.fromEntries(native.zstdParameterRanges().map((r) => [r.name, Object.freeze([r.min, r.max] as const)])),
)

const BOOLEAN_PARAMETERS = new Set(['enableLdm', 'forceMaxWindow'])
const NUMERIC_PARAMETERS = [
  'windowLog', 'hashLog', 'chainLog', 'searchLog', 'minMatch', 'targetLength', 'targetCBlockSize',
  'ldmHashLog', 'ldmMinMatch', 'ldmBucketSizeLog', 'ldmHashRateLog', 'jobSize', 'overlapLog',
]

/** Checks the names and types of `params` and returns it as `{ name: number }` for the addon, which checks the values. */
export function parameterRecord(params: CompressionParameters | undefined): Record<string, number> {
  const o = optionsObject(params) as Record<string, unknown>
  const out: Record<string, number> = {}
  for (const [name, value] of Object.entries(o)) {
    if (value === undefined) continue
    if (name === 'strategy') {
      const index = STRATEGIES.indexOf(value as Strategy)
      if (index < 0) throw invalidArg(`params.strategy must be one of ${STRATEGIES.join(', ')}; received ${describe(value)}`)
      out.strategy = index + 1
    } else if (BOOLEAN_PARAMETERS.has(name)) {
      out[name] = booleanOption(value, `params.${name}`, false) ? 1 : 0
    } else if (NUMERIC_PARAMETERS.includes(name)) {
      if (typeof value !== 'number') throw invalidArg(`params.${name} must be a number; received ${describe(value)}`)
      out[name] = value
    } else {
      throw invalidArg(`unknown zstd parameter params.${name}; expected one of strategy, ${[...NUMERIC_PARAMETERS, ...BOOLEAN_PARAMETERS].join(', ')}`)
    }
  }
  return out
}

export function formatOption(value: unknown): Format {
  if (value === undefined) return 'standard'
  if (value !== 'standard' && value !== 'magicless') {
    throw invalidArg(`options.format must be 'standard' or 'magicless'; received ${describe(value)}`)
  }
  return value
}

/**
 * `threads` as libzstd workers: 1 (the default) compresses on the calling thread, with no workers;
 * 0 asks for one per thread of squish's pool.
 */
export function threadsOption(value: unknown): number {
  const [, max] = PARAMETER_RANGES.threads!
  const threads = integerOption(value, 'threads', 1, 0, max)
  if (threads === 1) return 0
  if (threads === 0) {
    const pool = native.poolThreads()
    return pool === 1 ? 0 : Math.min(pool, max)
  }
  return threads
}

export function strategyName(value: number): Strategy {
  return STRATEGIES[value - 1]!
}

export interface CompressionParametersOptions {
  /** The size of the input the parameters are for, when known; default unknown. */
  sourceSize?: number
  /** The size of the dictionary the parameters are for; default none. */
  dictSize?: number
}

/**
 * The parameters libzstd uses for `level`, adjusted for a known input and dictionary size
 * (python-zstandard's `ZstdCompressionParameters.from_level`).
 */
export function compressionParameters(level: number, options?: CompressionParametersOptions): ResolvedCompressionParameters {
  const o = optionsObject(options)
  const sourceSize = integerOption(o.sourceSize, 'sourceSize', 0, 0, Number.MAX_SAFE_INTEGER)
  const dictSize = integerOption(o.dictSize, 'dictSize', 0, 0, Number.MAX_SAFE_INTEGER)
  const p = native.zstdCompressionParameters(numberOption(level, 'level', 3), sourceSize, dictSize)
  return { ...p, strategy: strategyName(p.strategy) }
}

/** A level and match-finder parameters, as `precompute` and the estimates take them. */
export interface LevelAndParameters {
  /** Default 3. */
  level?: number
  params?: CompressionParameters
}

/** Checks `{level, params}` and returns them as one `{ name: integer }` record for the addon. */
export function levelParameterRecord(options: LevelAndParameters | undefined): Record<string, number> {
  const o = optionsObject(options)
  const record = parameterRecord(o.params)
  if (o.level !== undefined) record.level = numberOption(o.level, 'level', 3)
  return record
}

/** The memory a compression context needs for one-shot compression with these settings. */
export function estimateCompressionContextSize(options?: LevelAndParameters): number {
  return native.zstdEstimateCompressionContextSize(levelParameterRecord(options))
}

/** The memory a decompression context needs for one-shot decompression. */
export function estimateDecompressionContextSize(): number {
  return native.zstdEstimateDecompressionContextSize()
}
