// The public zstd API, name by name: what the README documents and nothing the modules share
// among themselves.
export {
  compress,
  compressBound,
  type CompressOptions,
  compressSync,
  decompress,
  type DecompressOptions,
  decompressSync,
  DEFAULT_LEVEL,
  DEFAULT_MAX_OUTPUT_SIZE,
  DEFAULT_MAX_WINDOW_SIZE,
  type Input,
  MAX_LEVEL,
  MAX_WINDOW_SIZE,
  MIN_LEVEL,
  MIN_WINDOW_SIZE,
  VERSION,
} from './zstd/oneshot'
export {
  type CompressionParameters,
  compressionParameters,
  type CompressionParametersOptions,
  estimateCompressionContextSize,
  estimateDecompressionContextSize,
  type Format,
  type LevelAndParameters,
  PARAMETER_RANGES,
  type ResolvedCompressionParameters,
  type Strategy,
} from './zstd/params'
export {
  Dictionary,
  type DictionaryOptions,
  type DictionaryType,
  type PrecomputeOptions,
  trainDictionary,
  trainDictionarySync,
  type TrainOptions,
  type TrainProgress,
} from './zstd/dictionary'
export {
  type BatchOptions,
  type ContentDictChainOptions,
  Compressor,
  type CompressorOptions,
  Decompressor,
  type DecompressorOptions,
  type FrameProgression,
} from './zstd/instances'
export { Chunker, type ChunkerOptions, Decoder, type DecoderOptions, Encoder, type EncoderOptions, type FlushMode } from './zstd/incremental'
export { frameContentSize, frameHeaderSize, type FrameOptions, type FrameParameters, getFrameParameters } from './zstd/frame'
// Every export of the streams module is public API.
export * from './zstd/streams'
