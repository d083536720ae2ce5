//! LZ4 frames, one-shot: compression, decompression and header inspection.
//!
//! Frame settings travel as a level and a set of flags (the block size id among them), so a call
//! converts two numbers rather than an options object.

pub(crate) mod block;
mod incremental;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::lz4::{self, BlockSize, FrameOptions};

use crate::control::ControlHandle;
use crate::direct::Args;
use crate::direct::{promised, Output};
use crate::errors::to_napi;
use crate::flags::{
    ALLOW_EXTRA_DATA, COMPRESS_THREADS_SHIFT, LZ4_AUTO_FLUSH, LZ4_BLOCK_CHECKSUM, LZ4_BLOCK_LINKED,
    LZ4_BLOCK_SIZE_SHIFT, LZ4_CONTENT_CHECKSUM, LZ4_STORE_SIZE,
};
use crate::limits::decompressing;
use crate::size::size;
use crate::{compress, decompress};

/// Frame settings from the facade's level and flags, the block size id among them (validated
/// there).
pub(crate) fn frame_options(level: i32, flags: u32) -> FrameOptions {
    FrameOptions {
        level,
        block_size: BlockSize::from_id((flags >> LZ4_BLOCK_SIZE_SHIFT) & 7).unwrap_or_default(),
        block_linked: flags & LZ4_BLOCK_LINKED != 0,
        content_checksum: flags & LZ4_CONTENT_CHECKSUM != 0,
        block_checksum: flags & LZ4_BLOCK_CHECKSUM != 0,
        auto_flush: flags & LZ4_AUTO_FLUSH != 0,
    }
}

/// One-shot frame settings as the facade passes them: the frame's, with the size recording and
/// threads in its flags, and the frame size.
pub(crate) fn compress_options(level: i32, flags: u32, frame_size: f64) -> lz4::CompressOptions {
    lz4::CompressOptions {
        frame: frame_options(level, flags),
        store_size: flags & LZ4_STORE_SIZE != 0,
        threads: (flags >> COMPRESS_THREADS_SHIFT) as usize,
        // Saturating: the facade passes a non-negative integer.
        frame_size: frame_size as usize,
    }
}

/// `lz4CompressSync(input, out, offset, level, flags, frameSize)` (see `compress::compress_sync`).
pub(crate) fn compress_sync<'env>(env: &'env Env, args: Args<'env>) -> Result<Output<'env>> {
    let (input, mut out) = (args.bytes(0)?, args.bytes(1)?);
    let options = compress_options(args.i32(3)?, args.u32(4)?, args.f64(5)?);
    compress::compress_sync(env, &options, &input, &mut out, args.u32(2)?)
}

/// `lz4Compress(input, level, flags, frameSize, control)`: the promise twin of `lz4CompressSync`.
pub(crate) fn compress<'env>(env: &'env Env, args: Args<'env>) -> Result<Output<'env>> {
    let (input, control) = (args.bytes(0)?, args.handle(4)?);
    let options = compress_options(args.i32(1)?, args.u32(2)?, args.f64(3)?);
    compress::compress(env, Box::new(options), &input, control).map(promised)
}

/// `lz4DecompressSync(input, out, offset, maxOutputSize, flags)` (see
/// `decompress::decompress_sync`).
pub(crate) fn decompress_sync<'env>(env: &'env Env, args: Args<'env>) -> Result<Output<'env>> {
    let (input, mut out) = (args.bytes(0)?, args.bytes(1)?);
    let settings = decompressing(args.f64(3)?, args.u32(4)?);
    decompress::decompress_sync(
        env,
        &lz4::Decompressor,
        &input,
        &mut out,
        args.u32(2)?,
        settings,
    )
}

/// Decompresses `input` into the start of `output` and returns the length written.
#[napi]
pub fn lz4_decompress_into_sync(
    env: Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    #[napi(ts_arg_type = "ArrayBufferView")] mut output: BufferSlice,
    max_output_size: f64,
    flags: u32,
) -> Result<f64> {
    let settings = decompressing(max_output_size, flags);
    decompress::decompress_into_sync(&env, &lz4::Decompressor, &input, &mut output, settings)
}

/// `lz4Decompress(input, maxOutputSize, flags, control)`: the promise twin of
/// `lz4DecompressSync`.
pub(crate) fn decompress<'env>(env: &'env Env, args: Args<'env>) -> Result<Output<'env>> {
    let (input, control) = (args.bytes(0)?, args.handle(3)?);
    let settings = decompressing(args.f64(1)?, args.u32(2)?);
    decompress::decompress(env, &lz4::Decompressor, &input, settings, control).map(promised)
}

/// The promise twin of `lz4DecompressIntoSync`: the output is copied into `output` when it is
/// done, if `output` still has room for it then.
#[napi(ts_return_type = "Promise<number>")]
pub fn lz4_decompress_into<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    #[napi(ts_arg_type = "ArrayBufferView")] output: Buffer,
    max_output_size: f64,
    flags: u32,
    #[napi(ts_arg_type = "ControlHandle")] control: &ControlHandle,
) -> Result<Object<'env>> {
    let settings = decompressing(max_output_size, flags);
    decompress::decompress_into(env, &lz4::Decompressor, &input, output, settings, control)
}

/// How many bytes of `input` its frames take (after checking them as decompression would).
#[napi]
pub fn lz4_bytes_read(
    env: Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    max_output_size: f64,
    flags: u32,
) -> Result<f64> {
    let options = decompressing(max_output_size, flags | ALLOW_EXTRA_DATA).options;
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
