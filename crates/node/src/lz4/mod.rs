//! LZ4 frames, one-shot: compression, decompression and header inspection.
//!
//! Frame settings travel as a level, a block size id and a set of flags, so a call converts
//! three numbers rather than an options object.

mod block;
mod incremental;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::limits::DecompressOptions;
use squish_core::lz4::{self, BlockSize, FrameOptions};
use squish_core::Parts;

use crate::control::ControlHandle;
use crate::errors::to_napi;
use crate::limits::decompress_options;
use crate::output::{buffer_copy, buffer_of_parts, compressed, decoded, tail};
use crate::owned::{Destination, Input};
use crate::size::size;
use crate::task::{spawn_into, spawn_to_buffer, spawn_to_fresh, spawn_to_parts};

/// Outputs at most this large are decoded into per-thread scratch and copied; larger ones of
/// known size go straight into a Buffer of their own.
const COPY_OUTPUT_LIMIT: usize = 64 << 10;

const BLOCK_LINKED: u32 = 1;
const CONTENT_CHECKSUM: u32 = 2;
const BLOCK_CHECKSUM: u32 = 4;
const AUTO_FLUSH: u32 = 8;

/// Frame settings from the facade's level, block size id and flags (validated there).
pub(crate) fn frame_options(level: i32, block_size: u32, flags: u32) -> FrameOptions {
    FrameOptions {
        level,
        block_size: BlockSize::from_id(block_size).unwrap_or_default(),
        block_linked: flags & BLOCK_LINKED != 0,
        content_checksum: flags & CONTENT_CHECKSUM != 0,
        block_checksum: flags & BLOCK_CHECKSUM != 0,
        auto_flush: flags & AUTO_FLUSH != 0,
    }
}

/// Compresses `input` into one frame, written into `out` at `offset` (its length returned) when
/// it fits there, returned as a Buffer otherwise.
#[napi(ts_return_type = "number | Buffer")]
pub fn lz4_compress_sync<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    #[napi(ts_arg_type = "Buffer")] mut out: BufferSlice,
    offset: u32,
    level: i32,
    block_size: u32,
    flags: u32,
    store_size: bool,
) -> Result<Either<u32, Unknown<'env>>> {
    let options = frame_options(level, block_size, flags);
    compressed(
        env,
        tail(&mut out, offset),
        lz4::compress_bound(input.len(), &options),
        |area| lz4::compress_into(&input, &options, store_size, area),
        || {
            lz4::compress_with(&input, &options, store_size, |frame| {
                buffer_copy(env, frame)
            })
        },
    )
}

/// Compresses `input` on up to `threads` threads, the calling one and pool workers (0: one
/// per worker): into independent frames of `frame_size` input bytes each, or with `frame_size`
/// 0 into one frame of independent blocks.
#[napi(ts_return_type = "Buffer")]
#[allow(clippy::too_many_arguments)]
pub fn lz4_compress_parallel_sync<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    level: i32,
    block_size: u32,
    flags: u32,
    store_size: bool,
    threads: u32,
    frame_size: f64,
) -> Result<Unknown<'env>> {
    let options = frame_options(level, block_size, flags);
    let parts = compress_parallel(&input, &options, store_size, threads, frame_size);
    buffer_of_parts(env, parts, threads as usize)
}

/// The promise twin of `lz4CompressSync`, or with `threads` other than 1 or a `frame_size`, of
/// `lz4CompressParallelSync`.
#[napi(ts_return_type = "Promise<Buffer>")]
#[allow(clippy::too_many_arguments)]
pub fn lz4_compress<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    level: i32,
    block_size: u32,
    flags: u32,
    store_size: bool,
    threads: u32,
    frame_size: f64,
    #[napi(ts_arg_type = "ControlHandle")] control: &ControlHandle,
) -> Result<Object<'env>> {
    let options = frame_options(level, block_size, flags);
    let input = Input::new(&input);
    spawn_to_parts(env, Some(control), input, threads as usize, move |input| {
        if threads == 1 && frame_size == 0.0 {
            Parts::written(|out| lz4::compress(input, &options, store_size, out))
        } else {
            compress_parallel(input, &options, store_size, threads, frame_size)
        }
    })
}

fn compress_parallel(
    input: &[u8],
    options: &FrameOptions,
    store_size: bool,
    threads: u32,
    frame_size: f64,
) -> squish_core::Result<Parts> {
    // Saturating: the facade passes a positive integer, or 0 for one frame.
    match frame_size as usize {
        0 => lz4::compress_parallel(input, options, store_size, threads as usize),
        size => lz4::compress_frames(input, options, store_size, size, threads as usize),
    }
}

/// Decompresses `input`. An output of known size that fits in `out` after `offset` is written
/// there and its length returned; one that does not fit returns its size negated, and the caller
/// makes room or allocates a Buffer of that size for `lz4DecompressIntoSync`. An output of
/// unknown size is returned as a Buffer.
#[napi(ts_return_type = "Buffer | number")]
pub fn lz4_decompress_sync<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    #[napi(ts_arg_type = "Buffer")] mut out: BufferSlice,
    offset: u32,
    max_output_size: f64,
    read_across_frames: bool,
    allow_extra_data: bool,
) -> Result<Either<Unknown<'env>, f64>> {
    let options = decompress_options(max_output_size, read_across_frames, allow_extra_data);
    let area = tail(&mut out, offset);
    let result = lz4::plan(&input, &options).and_then(|plan| {
        decoded(
            area,
            plan.size(),
            |dst| lz4::decompress_into_prefix(&input, &plan, dst).map(drop),
            || lz4::decompress_with(&input, &plan, |out| buffer_copy(env, out)),
        )
    });
    result.map_err(|e| to_napi(env, e))?
}

/// Decompresses `input` into the start of `output` and returns the length written; output that
/// does not fit is `ERR_SQUISH_OUTPUT_LIMIT`. Several frames of known size decode side by side
/// on up to `threads` threads.
#[napi]
pub fn lz4_decompress_into_sync(
    env: Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    #[napi(ts_arg_type = "ArrayBufferView")] mut output: BufferSlice,
    max_output_size: f64,
    read_across_frames: bool,
    allow_extra_data: bool,
    threads: u32,
) -> Result<f64> {
    let options = decompress_options(max_output_size, read_across_frames, allow_extra_data);
    lz4::plan(&input, &options)
        .map(|plan| plan.with_threads(threads as usize))
        .and_then(|plan| lz4::decompress_into_prefix(&input, &plan, &mut output))
        .map(|n| n as f64)
        .map_err(|e| to_napi(&env, e))
}

/// The promise twin of `lz4DecompressSync` and `lz4DecompressIntoSync`: a promise of the
/// output. A large output of known size is decoded straight into a Buffer allocated first (which
/// no JavaScript code can reach before the promise settles), on up to `threads` threads.
#[napi(ts_return_type = "Promise<Buffer>")]
pub fn lz4_decompress<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    max_output_size: f64,
    read_across_frames: bool,
    allow_extra_data: bool,
    threads: u32,
    #[napi(ts_arg_type = "ControlHandle")] control: &ControlHandle,
) -> Result<Object<'env>> {
    let options = decompress_options(max_output_size, read_across_frames, allow_extra_data);
    let plan = match lz4::walk(&input, &options) {
        Ok(plan) => plan.with_threads(threads as usize),
        Err(walked) => return reject_as_decoded(env, control, &input, options, walked),
    };
    let input = Input::new(&input);
    match plan.size().filter(|&n| n > COPY_OUTPUT_LIMIT) {
        Some(size) => spawn_to_fresh(env, control, input, size, move |input, out| {
            lz4::decompress_into_prefix(input, &plan, out).map(drop)
        }),
        None => spawn_to_buffer(env, Some(control), input, move |input, out| {
            lz4::decompress_to_vec(input, &plan, out)
        }),
    }
}

/// The promise twin of `lz4DecompressIntoSync`: the output is copied into `output` when it is
/// done, if `output` still has room for it then.
#[napi(ts_return_type = "Promise<number>")]
pub fn lz4_decompress_into<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    #[napi(ts_arg_type = "ArrayBufferView")] output: Buffer,
    max_output_size: f64,
    read_across_frames: bool,
    allow_extra_data: bool,
    threads: u32,
    #[napi(ts_arg_type = "ControlHandle")] control: &ControlHandle,
) -> Result<Object<'env>> {
    let options = decompress_options(max_output_size, read_across_frames, allow_extra_data);
    let plan = match lz4::walk(&input, &options) {
        Ok(plan) => plan.with_threads(threads as usize),
        Err(walked) => return reject_as_decoded(env, control, &input, options, walked),
    };
    let (input, output) = (Input::new(&input), Destination::new(output));
    spawn_into(
        env,
        Some(control),
        input,
        output,
        plan.size(),
        move |input, out| lz4::decompress_into_prefix(input, &plan, out),
    )
}

/// A promise of the error for `input`, whose frame walk failed with `walked`: the error decoding
/// in order meets first, which takes a decode to find, on the pool (see `lz4::plan`).
fn reject_as_decoded<'env>(
    env: &'env Env,
    control: &ControlHandle,
    input: &[u8],
    options: DecompressOptions,
    walked: squish_core::Error,
) -> Result<Object<'env>> {
    spawn_to_buffer(env, Some(control), Input::new(input), move |input, _| {
        Err(lz4::plan(input, &options).err().unwrap_or(walked))
    })
}

/// How many bytes of `input` its frames take (after checking them as decompression would).
#[napi]
pub fn lz4_bytes_read(
    env: Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    max_output_size: f64,
    read_across_frames: bool,
) -> Result<f64> {
    let options = decompress_options(max_output_size, read_across_frames, true);
    lz4::plan(&input, &options)
        .map(|plan| plan.bytes_read() as f64)
        .map_err(|e| to_napi(&env, e))
}

#[napi(object)]
pub struct Lz4FrameInfo {
    pub block_size: u32,
    pub block_size_id: u32,
    pub block_linked: bool,
    pub content_checksum: bool,
    pub block_checksum: bool,
    /// `null` when the header does not record it.
    pub content_size: Option<Either<f64, BigInt>>,
    pub skippable: bool,
}

#[napi]
pub fn lz4_frame_info(
    env: Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
) -> Result<Lz4FrameInfo> {
    let info = lz4::frame_info(&input).map_err(|e| to_napi(&env, e))?;
    Ok(Lz4FrameInfo {
        block_size: info.block_size as u32,
        block_size_id: info.block_size_id,
        block_linked: info.block_linked,
        content_checksum: info.content_checksum,
        block_checksum: info.block_checksum,
        content_size: info.content_size.map(size),
        skippable: info.skippable,
    })
}
