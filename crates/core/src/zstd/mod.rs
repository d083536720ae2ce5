//! Zstandard, through zstd-safe and zstd-sys with libzstd bundled.

mod blocks;
mod buffers;
mod cache;
mod cctx;
mod compress;
mod compressor;
mod dctx;
mod decoder;
mod decompress;
mod decompressor;
mod dict;
mod encoder;
mod error;
mod frame;
mod idle;
pub(crate) mod param;
mod params;
mod train;
mod workers;

pub use compress::{
    compress, compress_bound, compress_frames, compress_into, compress_with, level_range,
    CompressOptions,
};
pub use compressor::{Compressor, FrameProgression};
pub use decoder::Decoder;
pub use decompress::{
    decompress_into, decompress_to_vec, decompress_with, DecompressOptions, Plan,
    DEFAULT_MAX_OUTPUT_SIZE, DEFAULT_MAX_WINDOW_SIZE,
};
pub use decompressor::{plan, Decompressor};
pub use dict::{DictType, Dictionary};
pub use encoder::Encoder;
pub use frame::{frame_parameters, Format, FrameParameters, WINDOW_SIZE_RANGE};
pub use param::Param;
pub use params::{
    compression_parameters, estimate_compression_context_size, estimate_decompression_context_size,
    CompressionParameters, Params,
};
pub use train::{train, TrainOptions};

/// The version of the linked libzstd, e.g. `"1.5.7"`.
pub fn version() -> &'static str {
    zstd_safe::version_string()
}
