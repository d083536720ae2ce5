import { MAX_THREADS, native } from '../binding'
import { invalidArg } from '../errors'
import { batchViews, describe, toView, type Input } from '../input'
import type { ZstdDictionary } from '../native'
import { integerOption, optionsObject } from '../options'
import { controlled } from '../control'
import { type LevelAndParameters, levelParameterRecord } from './params'

/**
 * How a dictionary's bytes are read: `'full'` is a zstd dictionary (as `zstd --train` makes),
 * `'raw'` is any content used as if it preceded the data, and `'auto'` (the default) is `'full'`
 * when the bytes start with the dictionary magic number and `'raw'` otherwise.
 */
export type DictionaryType = 'auto' | 'raw' | 'full'

export interface DictionaryOptions {
  type?: DictionaryType
}

/** The level and match-finder parameters to digest a dictionary for (those of the `Compressor` that will use it). */
export type PrecomputeOptions = LevelAndParameters

const natives = new WeakMap<Dictionary, ZstdDictionary>()

/** The addon's dictionary behind a {@link Dictionary}. */
export function nativeDictionary(dictionary: unknown, name = 'options.dictionary'): ZstdDictionary | null {
  if (dictionary === undefined || dictionary === null) return null
  const found = typeof dictionary === 'object' ? natives.get(dictionary as Dictionary) : undefined
  if (found === undefined) throw invalidArg(`${name} must be a zstd.Dictionary; received ${describe(dictionary)}`)
  return found
}

/**
 * A compression dictionary. Give it to a `Compressor` and to the `Decompressor` that reads the
 * frames. Its digested forms are built once per parameter set and shared by every compressor.
 */
export class Dictionary {
  constructor(data: Input, options?: DictionaryOptions) {
    const o = optionsObject(options)
    const type = o.type ?? 'auto'
    if (type !== 'auto' && type !== 'raw' && type !== 'full') {
      throw invalidArg(`options.type must be 'auto', 'raw' or 'full'; received ${describe(type)}`)
    }
    natives.set(this, new native.ZstdDictionary(toView(data), type))
  }

  /** The dictionary id frames record (0 for raw content). */
  get id(): number {
    return natives.get(this)!.id
  }

  get byteLength(): number {
    return natives.get(this)!.byteLength
  }

  /** A copy of the dictionary's bytes, e.g. to save it (it is what `zstd -D` reads). */
  toBuffer(): Buffer {
    return natives.get(this)!.toBuffer()
  }

  /** Digests the dictionary for a level (or parameter set) now rather than on first use. */
  precompute(options?: PrecomputeOptions): this {
    natives.get(this)!.precompute(levelParameterRecord(options))
    return this
  }

  /** Bytes held by the dictionary and its digested forms. */
  get memorySize(): number {
    return natives.get(this)!.memorySize
  }
}

export interface TrainProgress {
  /** Candidate parameter sets tried so far. */
  done: number
  total: number
}

export interface TrainOptions {
  /** The largest dictionary to produce, in bytes; default 112,640 (110 KiB, as `zstd --train`). */
  size?: number
  /** Segment size, from `d` to `size`; default: search 50 to 2000 in `steps` steps. */
  k?: number
  /** Dmer size, 6 or 8; default: try both. */
  d?: number
  /** Log2 of the frequency table size, 1 to 31; default 20. */
  f?: number
  /** Share of samples trained on, the rest scoring the candidates; default 0.75. */
  splitPoint?: number
  /** Speed over accuracy, 1 to 10; default 1. */
  accel?: number
  /** Number of `k` values tried when searching; default 4. */
  steps?: number
  /** Candidates trained at once; default one per worker thread. */
  threads?: number
  /** The compression level the dictionary is tuned for; default 3. */
  level?: number
  /** The id to give the dictionary; default random. */
  dictId?: number
  /** Called on the main thread after each candidate parameter set (async training only). */
  onProgress?: (progress: TrainProgress) => void
  /**
   * Aborts the training (async only): the call rejects with `ERR_SQUISH_ABORTED` at once if the
   * signal has already aborted, else when libzstd's training returns (it cannot be stopped mid-way).
   */
  signal?: AbortSignal
}

function trainArgs(options: TrainOptions | undefined) {
  const o = optionsObject(options)
  const splitPoint = o.splitPoint ?? 0
  if (typeof splitPoint !== 'number' || !(splitPoint >= 0 && splitPoint <= 1)) {
    throw invalidArg(`options.splitPoint must be a number from 0 to 1; received ${describe(splitPoint)}`)
  }
  return {
    size: integerOption(o.size, 'size', 112_640, 256, 2 ** 31 - 1),
    k: integerOption(o.k, 'k', 0, 0, 2 ** 31 - 1),
    d: integerOption(o.d, 'd', 0, 0, 2 ** 31 - 1),
    f: integerOption(o.f, 'f', 0, 0, 31),
    splitPoint,
    accel: integerOption(o.accel, 'accel', 0, 0, 10),
    steps: integerOption(o.steps, 'steps', 0, 0, 2 ** 16),
    threads: integerOption(o.threads, 'threads', 0, 0, MAX_THREADS),
    level: integerOption(o.level, 'level', 0, -(2 ** 31), 2 ** 31 - 1),
    dictId: integerOption(o.dictId, 'dictId', 0, 0, 2 ** 32 - 1),
  }
}

function fromBytes(bytes: Buffer): Dictionary {
  return new Dictionary(bytes, { type: 'full' })
}

/**
 * Trains a dictionary from sample messages with libzstd's fastCover algorithm, on the calling
 * thread and (with `threads`) the worker pool. Thousands of samples, about 100 times the
 * dictionary size in total, work best.
 */
export function trainDictionarySync(samples: Iterable<Input>, options?: Omit<TrainOptions, 'onProgress' | 'signal'>): Dictionary {
  return fromBytes(native.zstdTrainDictionarySync(batchViews(samples, 'samples'), trainArgs(options)))
}

/** Trains a dictionary on the worker pool; see {@link trainDictionarySync}. */
export function trainDictionary(samples: Iterable<Input>, options?: TrainOptions): Promise<Dictionary> {
  // Training has no steps of its own: an abort rejects once libzstd returns.
  return controlled({ signal: options?.signal }, (control) => {
    const onProgress = options?.onProgress
    if (onProgress !== undefined && typeof onProgress !== 'function') {
      throw invalidArg(`options.onProgress must be a function; received ${describe(onProgress)}`)
    }
    // Progress reports travel separately from the result: none is delivered once it has settled.
    let settled = false
    const report =
      onProgress === undefined ? null : (done: number, total: number) => settled || onProgress({ done, total })
    return native.zstdTrainDictionary(batchViews(samples, 'samples'), trainArgs(options), report, control).then(
      (bytes) => {
        settled = true
        return fromBytes(bytes)
      },
      (error: unknown) => {
        settled = true
        throw error
      },
    )
  })
}
