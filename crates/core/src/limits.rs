//! The bounds every decompression honours, shared by both codecs.

use crate::error::bytes;
use crate::{Error, ErrorKind, Limit, Result};

/// The default bound on decompressed output: 256 MiB.
pub const DEFAULT_MAX_OUTPUT_SIZE: usize = 256 << 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecompressOptions {
    /// Fail with [`ErrorKind::OutputLimit`] rather than produce more than this many bytes.
    pub max_output_size: usize,
    /// Decode every frame of the input, not only the first.
    pub read_across_frames: bool,
    /// Ignore bytes after the frames instead of failing.
    pub allow_extra_data: bool,
}

impl Default for DecompressOptions {
    fn default() -> Self {
        DecompressOptions {
            max_output_size: DEFAULT_MAX_OUTPUT_SIZE,
            read_across_frames: true,
            allow_extra_data: false,
        }
    }
}

impl DecompressOptions {
    pub(crate) fn output_limit(&self, claimed: u64) -> Error {
        Error::over(
            ErrorKind::OutputLimit,
            Limit::Output,
            format!(
                "decompressed data would be at least {}, over the output limit ({})",
                bytes(claimed),
                bytes(self.max_output_size as u64)
            ),
        )
    }
}

/// Reserves exactly `additional` more bytes of output in `out`, or fails with a typed error.
pub(crate) fn reserve(out: &mut Vec<u8>, additional: usize) -> Result<()> {
    out.try_reserve_exact(additional)
        .map_err(|_| cannot_allocate(additional))
}

/// Makes sure `out` has room for `room` more bytes, growing it as `Vec` does (at least doubling)
/// when it has not: output appended to one vector over many calls is then moved a logarithmic
/// number of times, where exact reservations would move it on nearly every call.
pub(crate) fn make_room(out: &mut Vec<u8>, room: usize) -> Result<()> {
    out.try_reserve(room).map_err(|_| cannot_allocate(room))
}

fn cannot_allocate(additional: usize) -> Error {
    Error::new(
        ErrorKind::Memory,
        format!(
            "cannot allocate {} for decompressed output",
            bytes(additional as u64)
        ),
    )
}
