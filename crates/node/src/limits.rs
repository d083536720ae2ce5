//! The bounds of decompression, as the facade passes them.

use napi_derive::napi;
use squish_core::limits::{DecompressOptions, DEFAULT_MAX_OUTPUT_SIZE};

#[napi]
pub fn default_max_output_size() -> f64 {
    DEFAULT_MAX_OUTPUT_SIZE as f64
}

pub(crate) fn decompress_options(
    max_output_size: f64,
    read_across_frames: bool,
    allow_extra_data: bool,
) -> DecompressOptions {
    DecompressOptions {
        // Saturating: the facade passes a non-negative integer or the platform's buffer limit.
        max_output_size: max_output_size as usize,
        read_across_frames,
        allow_extra_data,
    }
}

/// The output limit of one streaming step; `Infinity` (or any huge value) means none.
pub(crate) fn step_limit(limit: f64) -> usize {
    // Saturating: NaN and negatives become 0, which still lets a step make progress.
    (limit as usize).max(1)
}
