//! zstd: one-shot compression and decompression, with the module's defaults or an instance's
//! settings.

mod dictionary;
mod inspect;
mod instances;

use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::zstd::{self, CompressOptions, DecompressOptions, Decompressor, Plan};

use crate::errors::to_napi;
use crate::task::{buffer_copy, spawn, spawn_to_buffer};
pub use instances::ZstdDecompressor;

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

/// Compresses `input` into `scratch` and returns the frame's length, or returns the frame when
/// it may not fit there.
#[napi(ts_return_type = "number | Buffer")]
pub fn zstd_compress_sync<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    #[napi(ts_arg_type = "Buffer")] mut scratch: BufferSlice,
    level: i32,
    checksum: bool,
    content_size: bool,
    dict_id: bool,
) -> Result<Either<u32, Unknown<'env>>> {
    let options = compress_options(level, checksum, content_size, dict_id);
    let result = if zstd::compress_bound(input.len()) <= scratch.len() {
        zstd::compress_into(&input, &options, &mut scratch).map(|n| Ok(Either::A(n as u32)))
    } else {
        zstd::compress_with(&input, &options, |frame| {
            buffer_copy(env, frame).map(Either::B)
        })
    };
    result.map_err(|e| to_napi(env, e))?
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

/// The decoder a decompression call uses: the module's thread-cached default or an instance.
#[derive(Clone)]
enum Decoding {
    Default,
    With(Arc<Decompressor>),
}

impl Decoding {
    fn of(decompressor: Option<&ZstdDecompressor>) -> Self {
        decompressor.map_or(Decoding::Default, |d| Decoding::With(d.inner.clone()))
    }

    fn plan(&self, src: &[u8], options: &DecompressOptions) -> squish_core::Result<Plan> {
        match self {
            Decoding::Default => zstd::plan(src, options),
            Decoding::With(d) => d.plan(src, options),
        }
    }

    fn decode_into(&self, src: &[u8], plan: &Plan, dst: &mut [u8]) -> squish_core::Result<()> {
        match self {
            Decoding::Default => zstd::decompress_into(src, plan, dst),
            Decoding::With(d) => d.decompress_into(src, plan, dst),
        }
    }

    fn to_vec(&self, src: &[u8], plan: &Plan, out: &mut Vec<u8>) -> squish_core::Result<()> {
        match self {
            Decoding::Default => zstd::decompress_to_vec(src, plan, out),
            Decoding::With(d) => d.decompress_to_vec(src, plan, out),
        }
    }

    fn with<R>(
        &self,
        src: &[u8],
        plan: &Plan,
        f: impl FnOnce(&[u8]) -> R,
    ) -> squish_core::Result<R> {
        match self {
            Decoding::Default => zstd::decompress_with(src, plan, f),
            Decoding::With(d) => d.decompress_with(src, plan, f),
        }
    }
}

/// Decompresses `input` with the module's defaults (`decompressor` null) or an instance's
/// settings. When the output size is known, returns it: the output is then in `scratch` if it
/// fits there, and otherwise the caller allocates a Buffer of that size and calls
/// `zstdDecompressIntoSync`. Outputs of unknown size are returned as a Buffer.
#[napi(ts_return_type = "Buffer | number")]
pub fn zstd_decompress_sync<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ZstdDecompressor | null")] decompressor: Option<
        ClassInstance<ZstdDecompressor>,
    >,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    #[napi(ts_arg_type = "Buffer")] mut scratch: BufferSlice,
    max_output_size: f64,
    read_across_frames: bool,
    allow_extra_data: bool,
) -> Result<Either<Unknown<'env>, f64>> {
    let options = decompress_options(max_output_size, read_across_frames, allow_extra_data);
    let decoding = Decoding::of(decompressor.as_deref());
    let result = decoding
        .plan(&input, &options)
        .and_then(|plan| match plan.size() {
            Some(size) if size <= scratch.len() => decoding
                .decode_into(&input, &plan, &mut scratch[..size])
                .map(|()| Ok(Either::B(size as f64))),
            Some(size) => Ok(Ok(Either::B(size as f64))),
            None => decoding
                .with(&input, &plan, |out| buffer_copy(env, out))
                .map(|buffer| buffer.map(Either::A)),
        });
    result.map_err(|e| to_napi(env, e))?
}

/// Decompresses `input` into `output`, which must be exactly the size `zstdDecompressSync`
/// reported.
#[napi]
pub fn zstd_decompress_into_sync(
    env: Env,
    #[napi(ts_arg_type = "ZstdDecompressor | null")] decompressor: Option<
        ClassInstance<ZstdDecompressor>,
    >,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    #[napi(ts_arg_type = "ArrayBufferView")] mut output: BufferSlice,
    max_output_size: f64,
    read_across_frames: bool,
    allow_extra_data: bool,
) -> Result<()> {
    let options = decompress_options(max_output_size, read_across_frames, allow_extra_data);
    let decoding = Decoding::of(decompressor.as_deref());
    decoding
        .plan(&input, &options)
        .and_then(|plan| decoding.decode_into(&input, &plan, &mut output))
        .map_err(|e| to_napi(&env, e))
}

/// The promise twin of `zstdDecompressSync`: a promise of the output, or the output size when it
/// is known and large (then call `zstdDecompressInto`).
#[napi(ts_return_type = "Promise<Buffer> | number")]
pub fn zstd_decompress<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ZstdDecompressor | null")] decompressor: Option<
        ClassInstance<ZstdDecompressor>,
    >,
    #[napi(ts_arg_type = "ArrayBufferView")] input: Buffer,
    max_output_size: f64,
    read_across_frames: bool,
    allow_extra_data: bool,
) -> Result<Either<Object<'env>, f64>> {
    let options = decompress_options(max_output_size, read_across_frames, allow_extra_data);
    let decoding = Decoding::of(decompressor.as_deref());
    let plan = decoding
        .plan(&input, &options)
        .map_err(|e| to_napi(env, e))?;
    if let Some(size) = plan.size().filter(|&n| n > COPY_OUTPUT_LIMIT) {
        return Ok(Either::B(size as f64));
    }
    spawn_to_buffer(env, input, move |input, out| {
        decoding.to_vec(input, &plan, out)
    })
    .map(Either::A)
}

#[napi(ts_return_type = "Promise<void>")]
pub fn zstd_decompress_into<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ZstdDecompressor | null")] decompressor: Option<
        ClassInstance<ZstdDecompressor>,
    >,
    #[napi(ts_arg_type = "ArrayBufferView")] input: Buffer,
    #[napi(ts_arg_type = "ArrayBufferView")] output: Buffer,
    max_output_size: f64,
    read_across_frames: bool,
    allow_extra_data: bool,
) -> Result<Object<'env>> {
    let options = decompress_options(max_output_size, read_across_frames, allow_extra_data);
    let decoding = Decoding::of(decompressor.as_deref());
    let plan = decoding
        .plan(&input, &options)
        .map_err(|e| to_napi(env, e))?;
    spawn(
        env,
        (input, output),
        move |(input, output)| decoding.decode_into(input, &plan, output),
        |_, ()| Ok(()),
    )
}
