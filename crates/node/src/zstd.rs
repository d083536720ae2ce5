//! zstd one-shot compression and decompression.

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::zstd::{self, CompressOptions, DecompressOptions, Plan};

use crate::errors::to_napi;
use crate::task::{buffer_copy, spawn, spawn_to_buffer};

/// Outputs at most this large are decoded into per-thread scratch and copied; larger ones of
/// known size go straight into a Buffer the caller allocates (see `zstdDecompressInto`).
const COPY_OUTPUT_LIMIT: usize = 64 << 10;

/// `[min, max]` compression levels accepted by libzstd.
#[napi]
pub fn zstd_level_range() -> Vec<i32> {
    let (min, max) = zstd::level_range();
    vec![min, max]
}

#[napi]
pub fn zstd_default_max_output_size() -> f64 {
    zstd::DEFAULT_MAX_OUTPUT_SIZE as f64
}

fn compress_options(
    level: i32,
    checksum: bool,
    content_size: bool,
    dict_id: bool,
) -> CompressOptions {
    CompressOptions {
        level,
        checksum,
        content_size,
        dict_id,
    }
}

fn decompress_options(
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

#[napi(ts_return_type = "Buffer")]
pub fn zstd_compress_sync<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    level: i32,
    checksum: bool,
    content_size: bool,
    dict_id: bool,
) -> Result<Unknown<'env>> {
    let options = compress_options(level, checksum, content_size, dict_id);
    zstd::compress_with(&input, &options, |frame| buffer_copy(env, frame))
        .map_err(|e| to_napi(env, e))?
}

#[napi(ts_return_type = "Promise<Buffer>")]
pub fn zstd_compress(
    env: &Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: Buffer,
    level: i32,
    checksum: bool,
    content_size: bool,
    dict_id: bool,
) -> Result<Object<'_>> {
    let options = compress_options(level, checksum, content_size, dict_id);
    spawn_to_buffer(env, input, move |input, out| {
        zstd::compress(input, &options, out)
    })
}

fn plan(env: &Env, input: &[u8], options: &DecompressOptions) -> Result<Plan> {
    zstd::plan(input, options).map_err(|e| to_napi(env, e))
}

/// Decompresses `input`, or returns the output size when it is known and large: the caller then
/// allocates a Buffer of that size and calls `zstdDecompressIntoSync`.
#[napi(ts_return_type = "Buffer | number")]
pub fn zstd_decompress_sync<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    max_output_size: f64,
    read_across_frames: bool,
    allow_extra_data: bool,
) -> Result<Either<Unknown<'env>, f64>> {
    let options = decompress_options(max_output_size, read_across_frames, allow_extra_data);
    let plan = plan(env, &input, &options)?;
    match plan.size() {
        Some(size) if size > COPY_OUTPUT_LIMIT => Ok(Either::B(size as f64)),
        _ => zstd::decompress_with(&input, &plan, |out| buffer_copy(env, out))
            .map_err(|e| to_napi(env, e))?
            .map(Either::A),
    }
}

/// Decompresses `input` into `output`, which must be exactly the size `zstdDecompressSync`
/// reported.
#[napi]
pub fn zstd_decompress_into_sync(
    env: Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    #[napi(ts_arg_type = "ArrayBufferView")] mut output: BufferSlice,
    max_output_size: f64,
    read_across_frames: bool,
    allow_extra_data: bool,
) -> Result<()> {
    let options = decompress_options(max_output_size, read_across_frames, allow_extra_data);
    let plan = plan(&env, &input, &options)?;
    zstd::decompress_into(&input, &plan, &mut output).map_err(|e| to_napi(&env, e))
}

/// The promise twin of `zstdDecompressSync`: a promise of the output, or the output size when it
/// is known and large (then call `zstdDecompressInto`).
#[napi(ts_return_type = "Promise<Buffer> | number")]
pub fn zstd_decompress<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: Buffer,
    max_output_size: f64,
    read_across_frames: bool,
    allow_extra_data: bool,
) -> Result<Either<Object<'env>, f64>> {
    let options = decompress_options(max_output_size, read_across_frames, allow_extra_data);
    let plan = plan(env, &input, &options)?;
    if let Some(size) = plan.size().filter(|&n| n > COPY_OUTPUT_LIMIT) {
        return Ok(Either::B(size as f64));
    }
    spawn_to_buffer(env, input, move |input, out| {
        zstd::decompress_to_vec(input, &plan, out)
    })
    .map(Either::A)
}

#[napi(ts_return_type = "Promise<void>")]
pub fn zstd_decompress_into<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: Buffer,
    #[napi(ts_arg_type = "ArrayBufferView")] output: Buffer,
    max_output_size: f64,
    read_across_frames: bool,
    allow_extra_data: bool,
) -> Result<Object<'env>> {
    let options = decompress_options(max_output_size, read_across_frames, allow_extra_data);
    let plan = plan(env, &input, &options)?;
    spawn(
        env,
        (input, output),
        move |(input, output)| zstd::decompress_into(input, &plan, output),
        |_, ()| Ok(()),
    )
}
