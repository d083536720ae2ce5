//! zstd: one-shot compression and decompression, with the module's defaults or an instance's
//! settings.

mod dictionary;
mod incremental;
mod inspect;
mod instances;
mod params;

use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::zstd::{self, CompressOptions, Decompressor, Format};
use squish_core::Parts;

use crate::control::ControlHandle;
use crate::decompress;
use crate::limits::decompressing;
use crate::output::{buffer_of, buffer_of_parts, compressed, tail};
use crate::owned::Input;
use crate::task::spawn_to_parts;
use instances::DecompressorHandle;

/// `[min, max]` compression levels accepted by libzstd.
/// The frame format the facade's `magicless` flag names.
fn format(magicless: bool) -> Format {
    if magicless {
        Format::Magicless
    } else {
        Format::Standard
    }
}

#[napi]
pub fn zstd_level_range() -> Vec<i32> {
    let (min, max) = zstd::level_range();
    vec![min, max]
}

fn compress_options(
    level: i32,
    checksum: bool,
    content_size: bool,
    dict_id: bool,
    threads: i32,
) -> CompressOptions {
    CompressOptions {
        level,
        checksum,
        content_size,
        dict_id,
        threads,
    }
}

/// Compresses `input` into `out` at `offset` and returns the frame's length, or returns the
/// frame when it may not fit there.
#[napi(ts_return_type = "number | Buffer")]
pub fn zstd_compress_sync<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    #[napi(ts_arg_type = "Buffer")] mut out: BufferSlice,
    offset: u32,
    level: i32,
    checksum: bool,
    content_size: bool,
    dict_id: bool,
    threads: i32,
) -> Result<Either<u32, Unknown<'env>>> {
    let options = compress_options(level, checksum, content_size, dict_id, threads);
    compressed(
        env,
        tail(&mut out, offset),
        zstd::compress_bound(input.len()),
        |area| zstd::compress_into(&input, &options, area),
        || {
            zstd::compress_with(&input, &options, |frame| {
                Ok(buffer_of(env, &[frame], threads.max(1) as usize)?.to_unknown())
            })
        },
    )
}

/// The promise twin of `zstdCompressSync`, or of `zstdCompressFramesSync` when `frame_size` is
/// not 0 (frames on up to `frame_threads` threads).
#[napi(ts_return_type = "Promise<Buffer>")]
pub fn zstd_compress<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    frame_size: f64,
    frame_threads: u32,
    level: i32,
    checksum: bool,
    content_size: bool,
    dict_id: bool,
    threads: i32,
    #[napi(ts_arg_type = "ControlHandle")] control: &ControlHandle,
) -> Result<Object<'env>> {
    let options = compress_options(level, checksum, content_size, dict_id, threads);
    spawn_compress(
        env,
        control,
        Input::new(&input),
        (frame_size, frame_threads),
        threads.max(0) as usize,
        move |input, out| zstd::compress(input, &options, out),
        move |input, size, threads| zstd::compress_frames(input, &options, size, threads),
    )
}

/// Compresses `input` on the worker pool: into one frame by `one`, with `workers` libzstd workers
/// (0: none), or, given a frame size, into frames of that size by `frames`, on the given number
/// of threads. The output is copied into its Buffer on as many threads as made it.
pub(crate) fn spawn_compress<'env>(
    env: &'env Env,
    control: &ControlHandle,
    input: Input,
    (frame_size, frame_threads): (f64, u32),
    workers: usize,
    one: impl FnOnce(&[u8], &mut Vec<u8>) -> squish_core::Result<()> + Send + 'static,
    frames: impl FnOnce(&[u8], usize, usize) -> squish_core::Result<Parts> + Send + 'static,
) -> Result<Object<'env>> {
    let (frame_size, threads) = match frame_size as usize {
        0 => (0, workers.max(1)),
        size => (size, frame_threads as usize),
    };
    spawn_to_parts(
        env,
        Some(control),
        input,
        threads,
        move |input| match frame_size {
            0 => Parts::written(|out| one(input, out)),
            size => frames(input, size, threads),
        },
    )
}

/// Compresses `input` into independent frames of `frame_size` input bytes each, side by side on
/// up to `frame_threads` threads (0: one per pool worker).
#[napi(ts_return_type = "Buffer")]
pub fn zstd_compress_frames_sync<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    frame_size: f64,
    frame_threads: u32,
    level: i32,
    checksum: bool,
    content_size: bool,
    dict_id: bool,
    threads: i32,
) -> Result<Unknown<'env>> {
    let options = compress_options(level, checksum, content_size, dict_id, threads);
    let frame_threads = frame_threads as usize;
    let parts = zstd::compress_frames(&input, &options, frame_size as usize, frame_threads);
    buffer_of_parts(env, parts, frame_threads)
}

/// Decompresses `input` with `decompressor`'s settings: its length, when the output was written
/// in `out` at `offset`, or the output (see `decompress::decompress_sync`).
#[napi(ts_return_type = "number | Buffer")]
pub fn zstd_decompress_sync<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ZstdDecompressorHandle")] decompressor: &DecompressorHandle,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    #[napi(ts_arg_type = "Buffer")] mut out: BufferSlice,
    offset: u32,
    max_output_size: f64,
    flags: u32,
) -> Result<Either<u32, Unknown<'env>>> {
    let settings = decompressing(max_output_size, flags);
    let decompressor: &Decompressor = decompressor;
    decompress::decompress_sync(env, decompressor, &input, &mut out, offset, settings)
}

/// The promise twin of `zstdDecompressSync`.
#[napi(ts_return_type = "Promise<Buffer>")]
pub fn zstd_decompress<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ZstdDecompressorHandle")] decompressor: &DecompressorHandle,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    max_output_size: f64,
    flags: u32,
    #[napi(ts_arg_type = "ControlHandle")] control: &ControlHandle,
) -> Result<Object<'env>> {
    let settings = decompressing(max_output_size, flags);
    let decompressor = Arc::clone(decompressor);
    decompress::decompress(env, decompressor, &input, settings, control)
}
