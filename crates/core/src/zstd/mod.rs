//! Zstandard, through zstd-safe with libzstd bundled.

mod cache;
mod compress;
mod decompress;
mod error;
mod frame;

pub use compress::{compress, compress_with, level_range, CompressOptions};
pub use decompress::{
    decompress_into, decompress_to_vec, decompress_with, plan, DecompressOptions, Plan,
    DEFAULT_MAX_OUTPUT_SIZE, DEFAULT_MAX_WINDOW_SIZE,
};

/// The version of the linked libzstd, e.g. `"1.5.7"`.
pub fn version() -> &'static str {
    zstd_safe::version_string()
}
