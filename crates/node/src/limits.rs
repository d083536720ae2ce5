//! The bounds of decompression, as the facade passes them.

use napi_derive::napi;
use squish_core::limits::{DecompressOptions, DEFAULT_MAX_OUTPUT_SIZE};

use crate::flags::{ALLOW_EXTRA_DATA, DECOMPRESS_THREADS_SHIFT, READ_ACROSS_FRAMES};

#[napi]
pub fn default_max_output_size() -> f64 {
    DEFAULT_MAX_OUTPUT_SIZE as f64
}

/// A decompression's settings as the facade passes them: the output limit, and flags holding
/// the frame handling (bits 0 and 1) and the threads to decode on (the bits above).
pub(crate) struct Decompressing {
    pub options: DecompressOptions,
    pub threads: u32,
}

pub(crate) fn decompressing(max_output_size: f64, flags: u32) -> Decompressing {
    Decompressing {
        options: DecompressOptions {
            // Saturating: the facade passes a non-negative integer or the platform's buffer
            // limit.
            max_output_size: max_output_size as usize,
            read_across_frames: flags & READ_ACROSS_FRAMES != 0,
            allow_extra_data: flags & ALLOW_EXTRA_DATA != 0,
        },
        threads: flags >> DECOMPRESS_THREADS_SHIFT,
    }
}

/// The output limit of one streaming step; `Infinity` (or any huge value) means none.
pub(crate) fn step_limit(limit: f64) -> usize {
    // Saturating: NaN and negatives become 0, which still lets a step make progress.
    (limit as usize).max(1)
}
