//! LZ4, through liblz4 as lz4-sys builds it: frames (one-shot and incremental) and blocks.

mod block;
mod compress;
mod ctx;
mod decoder;
mod decompress;
mod encoder;
mod error;
mod ffi;
mod frame;
mod frame_decompressor;
mod oneshot;
mod parallel;

pub use block::{
    block_output_size, compress_block, compress_block_bound, compress_block_into, decompress_block,
    BlockMode, MAX_INPUT_SIZE, SIZE_PREFIX,
};
pub use compress::{
    compress, compress_bound, compress_into, compress_with, FrameOptions, MAX_LEVEL, MIN_HC_LEVEL,
    MIN_LEVEL,
};
pub use decoder::{Chunk, FrameDecoder};
pub use decompress::{
    decompress_into, decompress_to_vec, decompress_with, plan, walk, Decompressor, Plan,
};
pub use encoder::FrameEncoder;
pub use frame::{frame_info, BlockSize, FrameInfo};
pub use frame_decompressor::FrameDecompressor;
pub use oneshot::{BlockDecompressor, BlockOptions, BlockPlan, CompressOptions};
pub use parallel::{compress_frames, compress_parallel};

/// The version of the linked liblz4, e.g. `"1.10.0"`.
pub fn version() -> String {
    // SAFETY: LZ4_versionNumber takes no arguments, reads no memory and returns a constant.
    let n = unsafe { lz4_sys::LZ4_versionNumber() };
    format!("{}.{}.{}", n / 10000, n / 100 % 100, n % 100)
}
