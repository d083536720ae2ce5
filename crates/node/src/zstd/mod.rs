//! zstd: one-shot compression and decompression, with the module's defaults or an instance's
//! settings.

mod dictionary;
mod incremental;
mod inspect;
pub(crate) mod instances;
pub(crate) mod params;

use std::sync::{Arc, LazyLock};

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::zstd::{self, CompressOptions, Decompressor, Format, Param};

use crate::direct::Args;
use crate::direct::{promised, Output};
use crate::errors::to_napi;
use crate::flags::{COMPRESS_THREADS_SHIFT, ZSTD_CHECKSUM, ZSTD_CONTENT_SIZE, ZSTD_DICT_ID};
use crate::limits::decompressing;
use crate::{compress, decompress};

/// The module-level functions' decompressor: no dictionary, the default window limit.
pub(crate) fn module_decompressor() -> &'static Arc<Decompressor> {
    static MODULE: LazyLock<Arc<Decompressor>> = LazyLock::new(|| {
        let decompressor = Decompressor::new(None, zstd::DEFAULT_MAX_WINDOW_SIZE, Format::Standard);
        Arc::new(decompressor.expect("the default window limit is in range"))
    });
    &MODULE
}

/// The frame format the facade's `magicless` flag names.
fn format(magicless: bool) -> Format {
    if magicless {
        Format::Magicless
    } else {
        Format::Standard
    }
}

/// The most a frame of `size` bytes can compress to (`ZSTD_compressBound`); the facade passes a
/// non-negative integer.
#[napi]
pub fn zstd_compress_bound(size: f64) -> f64 {
    zstd::compress_bound(size as usize) as f64
}

/// `[min, max]` compression levels accepted by libzstd.
#[napi]
pub fn zstd_level_range() -> Vec<i32> {
    let (min, max) = zstd::level_range();
    vec![min, max]
}

/// Module-level compression settings as the facade passes them: the level, flags for the
/// checksum, content size and dictionary id with the libzstd workers above them, and the frame
/// size.
pub(crate) fn compress_options(
    level: f64,
    flags: u32,
    frame_size: f64,
) -> squish_core::Result<CompressOptions> {
    let level = params::integer(Param::Level, level)?;
    Ok(CompressOptions {
        level,
        checksum: flags & ZSTD_CHECKSUM != 0,
        content_size: flags & ZSTD_CONTENT_SIZE != 0,
        dict_id: flags & ZSTD_DICT_ID != 0,
        threads: (flags >> COMPRESS_THREADS_SHIFT) as i32,
        // Saturating: the facade passes a non-negative integer.
        frame_size: frame_size as usize,
    })
}

/// `zstdCompressSync(input, out, offset, level, flags, frameSize)` (see
/// `compress::compress_sync`).
pub(crate) fn compress_sync<'env>(env: &'env Env, args: Args<'env>) -> Result<Output<'env>> {
    let (input, mut out) = (args.bytes(0)?, args.bytes(1)?);
    let options =
        compress_options(args.f64(3)?, args.u32(4)?, args.f64(5)?).map_err(|e| to_napi(env, e))?;
    compress::compress_sync(env, &options, &input, &mut out, args.u32(2)?)
}

/// `zstdCompress(input, level, flags, frameSize, control)`: the promise twin of `zstdCompressSync`.
pub(crate) fn compress<'env>(env: &'env Env, args: Args<'env>) -> Result<Output<'env>> {
    let (input, control) = (args.bytes(0)?, args.handle(4)?);
    let options =
        compress_options(args.f64(1)?, args.u32(2)?, args.f64(3)?).map_err(|e| to_napi(env, e))?;
    compress::compress(env, Box::new(options), &input, control).map(promised)
}

/// `zstdDecompressSync(input, out, offset, maxOutputSize, flags)`, with the module's decompressor.
pub(crate) fn decompress_sync<'env>(env: &'env Env, args: Args<'env>) -> Result<Output<'env>> {
    decompress_sync_with(env, module_decompressor(), &args, 0)
}

/// `zstdDecompress(input, maxOutputSize, flags, control)`: the promise twin of
/// `zstdDecompressSync`.
pub(crate) fn decompress<'env>(env: &'env Env, args: Args<'env>) -> Result<Output<'env>> {
    decompress_with(env, module_decompressor(), &args, 0)
}

/// Decompression with `decompressor` (see `decompress::decompress_sync`), its arguments from
/// `first` on: input, out, offset, maxOutputSize, flags.
pub(crate) fn decompress_sync_with<'env>(
    env: &'env Env,
    decompressor: &Decompressor,
    args: &Args<'env>,
    first: usize,
) -> Result<Output<'env>> {
    let (input, mut out) = (args.bytes(first)?, args.bytes(first + 1)?);
    let settings = decompressing(args.f64(first + 3)?, args.u32(first + 4)?);
    let offset = args.u32(first + 2)?;
    decompress::decompress_sync(env, decompressor, &input, &mut out, offset, settings)
}

/// The promise twin of [`decompress_sync_with`], its arguments from `first` on: input,
/// maxOutputSize, flags, control.
pub(crate) fn decompress_with<'env>(
    env: &'env Env,
    decompressor: &Arc<Decompressor>,
    args: &Args<'env>,
    first: usize,
) -> Result<Output<'env>> {
    let (input, control) = (args.bytes(first)?, args.handle(first + 3)?);
    let settings = decompressing(args.f64(first + 1)?, args.u32(first + 2)?);
    let decompressor = Arc::clone(decompressor);
    decompress::decompress(env, decompressor, &input, settings, control).map(promised)
}
