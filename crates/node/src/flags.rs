//! The bits of the flag words in which the facade passes boolean settings and thread counts.
//! They are defined here only: the facade reads them from the addon when it loads.

use napi_derive::napi;

/// Compression, both codecs: the threads to compress on, in the bits from this one up.
#[napi]
pub const COMPRESS_THREADS_SHIFT: u32 = 8;

/// zstd compression: write a checksum.
#[napi]
pub const ZSTD_CHECKSUM: u32 = 1;
/// zstd compression: record the content size.
#[napi]
pub const ZSTD_CONTENT_SIZE: u32 = 2;
/// zstd compression: record the dictionary id.
#[napi]
pub const ZSTD_DICT_ID: u32 = 4;

/// LZ4 frames: each block may refer to the ones before it.
#[napi]
pub const LZ4_BLOCK_LINKED: u32 = 1;
/// LZ4 frames: end with a checksum of the content.
#[napi]
pub const LZ4_CONTENT_CHECKSUM: u32 = 2;
/// LZ4 frames: a checksum after each block.
#[napi]
pub const LZ4_BLOCK_CHECKSUM: u32 = 4;
/// LZ4 frames, incremental: write out each call's input at once.
#[napi]
pub const LZ4_AUTO_FLUSH: u32 = 8;
/// LZ4 one-shot compression: record the content size.
#[napi]
pub const LZ4_STORE_SIZE: u32 = 16;
/// LZ4 frames: the block size id (0 for the default, 4 to 7), in three bits from this one up.
#[napi]
pub const LZ4_BLOCK_SIZE_SHIFT: u32 = 5;

/// Decompression, both codecs: decode every frame of the input.
#[napi]
pub const READ_ACROSS_FRAMES: u32 = 1;
/// Decompression, both codecs: ignore bytes after the last frame.
#[napi]
pub const ALLOW_EXTRA_DATA: u32 = 2;
/// Decompression, both codecs: the threads to decode on, in the bits from this one up.
#[napi]
pub const DECOMPRESS_THREADS_SHIFT: u32 = 2;
