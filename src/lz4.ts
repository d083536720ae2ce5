// The public LZ4 API, name by name: what the README documents and nothing the modules share
// among themselves.
export {
  BLOCKSIZE_DEFAULT,
  BLOCKSIZE_MAX1MB,
  BLOCKSIZE_MAX256KB,
  BLOCKSIZE_MAX4MB,
  BLOCKSIZE_MAX64KB,
  COMPRESSIONLEVEL_MAX,
  COMPRESSIONLEVEL_MIN,
  COMPRESSIONLEVEL_MINHC,
  type FrameSettings,
} from './lz4/settings'
export {
  compress,
  type CompressOptions,
  compressSync,
  decompress,
  type DecompressBytesReadOptions,
  decompressInto,
  decompressIntoSync,
  type DecompressOptions,
  type DecompressResult,
  decompressSync,
  DEFAULT_MAX_OUTPUT_SIZE,
  type Input,
  VERSION,
} from './lz4/oneshot'
export { type FrameInfo, getFrameInfo } from './lz4/frame'
export {
  type BeginOptions,
  type ChunkOptions,
  compressBegin,
  compressChunk,
  compressFlush,
  type CompressionContext,
  createCompressionContext,
  createDecompressionContext,
  type DecompressedChunk,
  decompressChunk,
  type DecompressionContext,
  FrameCompressor,
  type FrameCompressorOptions,
  FrameDecompressor,
  resetDecompressionContext,
} from './lz4/incremental'
export {
  type BlockMode,
  compressBlock,
  type CompressBlockOptions,
  compressBlockSync,
  decompressBlock,
  type DecompressBlockOptions,
  decompressBlockSync,
} from './lz4/block'
// Every export of the streams module is public API.
export * from './lz4/streams'
