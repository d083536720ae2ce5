//! One-shot zstd compression.

use zstd_safe::{CParameter, ResetDirective};

use super::cache::{with_encoder, with_scratch};
use super::error::encode_error;
use crate::{Error, ErrorKind, Result};

/// Frame options for one-shot compression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompressOptions {
    /// Any level libzstd accepts: negative levels are faster, 0 means the default (3).
    pub level: i32,
    /// Append a 32-bit checksum of the content to each frame.
    pub checksum: bool,
    /// Record the content size in the frame header.
    pub content_size: bool,
    /// Record the dictionary id in the frame header when a dictionary is used.
    pub dict_id: bool,
}

impl Default for CompressOptions {
    fn default() -> Self {
        CompressOptions {
            level: 3,
            checksum: false,
            content_size: true,
            dict_id: true,
        }
    }
}

/// The lowest and highest compression levels libzstd accepts.
pub fn level_range() -> (i32, i32) {
    (zstd_safe::min_c_level(), zstd_safe::max_c_level())
}

impl CompressOptions {
    fn validate(&self) -> Result<()> {
        let (min, max) = level_range();
        if !(min..=max).contains(&self.level) {
            return Err(Error::new(
                ErrorKind::InvalidArg,
                format!(
                    "level must be an integer from {min} to {max}; received {}",
                    self.level
                ),
            ));
        }
        Ok(())
    }
}

/// Compresses `src` into one zstd frame, replacing the contents of `out`.
pub fn compress(src: &[u8], options: &CompressOptions, out: &mut Vec<u8>) -> Result<()> {
    options.validate()?;
    out.clear();
    let bound = zstd_safe::compress_bound(src.len());
    out.try_reserve_exact(bound).map_err(|_| {
        Error::new(
            ErrorKind::Memory,
            format!(
                "cannot allocate {} for compressed output",
                crate::error::bytes(bound as u64)
            ),
        )
    })?;
    with_encoder(src.len(), |encoder| {
        if encoder.options != Some(*options) {
            encoder.options = None;
            let cctx = &mut encoder.cctx;
            cctx.reset(ResetDirective::Parameters)
                .map_err(encode_error)?;
            for param in [
                CParameter::CompressionLevel(options.level),
                CParameter::ChecksumFlag(options.checksum),
                CParameter::ContentSizeFlag(options.content_size),
                CParameter::DictIdFlag(options.dict_id),
            ] {
                cctx.set_parameter(param).map_err(encode_error)?;
            }
            encoder.options = Some(*options);
        }
        encoder.cctx.compress2(out, src).map_err(encode_error)
    })?;
    Ok(())
}

/// Compresses `src` into this thread's scratch buffer and passes the frame to `f`, for
/// callers that copy the result out anyway.
pub fn compress_with<R>(
    src: &[u8],
    options: &CompressOptions,
    f: impl FnOnce(&[u8]) -> R,
) -> Result<R> {
    with_scratch(|scratch| {
        compress(src, options, scratch)?;
        Ok(f(scratch))
    })
}
