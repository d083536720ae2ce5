//! Incremental LZ4 frames with python-lz4's low-level semantics: compression and decompression
//! contexts held by JavaScript as external handles.

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::lz4::{FrameDecoder, FrameDecompressor, FrameEncoder};

use super::frame_options;
use crate::errors::to_napi;
use crate::handle::{close, lock, new_handle, output, spawn_step, After, Handle};
use crate::limits::step_limit;
use crate::output::buffer_copy;

pub type EncoderHandle = Handle<FrameEncoder>;
pub type DecoderHandle = Handle<FrameDecoder>;
pub type DecompressorHandle = Handle<FrameDecompressor>;

// About the memory of liblz4's frame contexts, which allocate their buffers at a frame's start:
// a block (64 KiB by default) and the 64 KiB window linked blocks refer to, plus an encoder's
// high-compression state (256 KiB).
const ENCODER_MEMORY: usize = (256 + 128 + 16) << 10;
const DECODER_MEMORY: usize = (128 + 64) << 10;

/// Frees an encoder's context now; further use is `ERR_SQUISH_CLOSED`.
#[napi]
pub fn lz4_encoder_close(#[napi(ts_arg_type = "Lz4EncoderHandle")] encoder: &EncoderHandle) {
    close(encoder)
}

/// Frees a decoder's context now; further use is `ERR_SQUISH_CLOSED`.
#[napi]
pub fn lz4_decoder_close(#[napi(ts_arg_type = "Lz4DecoderHandle")] decoder: &DecoderHandle) {
    close(decoder)
}

#[napi(ts_return_type = "Lz4EncoderHandle")]
pub fn lz4_encoder_new(env: Env) -> Result<EncoderHandle> {
    FrameEncoder::new()
        .map(|encoder| new_handle(encoder, ENCODER_MEMORY))
        .map_err(|e| to_napi(&env, e))
}

/// Starts a frame and returns its header. `source_size` (0 for none) is recorded in it.
#[napi(ts_return_type = "Buffer")]
pub fn lz4_encoder_begin<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "Lz4EncoderHandle")] encoder: &EncoderHandle,
    source_size: f64,
    level: i32,
    flags: u32,
) -> Result<Unknown<'env>> {
    let options = frame_options(level, flags);
    output(env, |out| {
        lock(encoder)?.begin(&options, source_size as u64, out)
    })
}

#[napi(ts_return_type = "Buffer")]
pub fn lz4_encoder_update<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "Lz4EncoderHandle")] encoder: &EncoderHandle,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
) -> Result<Unknown<'env>> {
    output(env, |out| lock(encoder)?.update(&input, out))
}

#[napi(ts_return_type = "Buffer")]
pub fn lz4_encoder_flush<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "Lz4EncoderHandle")] encoder: &EncoderHandle,
    end_frame: bool,
) -> Result<Unknown<'env>> {
    output(env, |out| lock(encoder)?.flush(end_frame, out))
}

#[napi(ts_return_type = "Lz4DecoderHandle")]
pub fn lz4_decoder_new(env: Env) -> Result<DecoderHandle> {
    FrameDecoder::new()
        .map(|decoder| new_handle(decoder, DECODER_MEMORY))
        .map_err(|e| to_napi(&env, e))
}

#[napi]
pub fn lz4_decoder_reset(
    env: Env,
    #[napi(ts_arg_type = "Lz4DecoderHandle")] decoder: &DecoderHandle,
) -> Result<()> {
    lock(decoder)
        .map(|mut d| d.reset())
        .map_err(|e| to_napi(&env, e))
}

#[napi(object)]
pub struct Lz4Chunk<'env> {
    #[napi(ts_type = "Buffer")]
    pub data: Unknown<'env>,
    pub bytes_read: f64,
    pub end_of_frame: bool,
}

/// `maxLength` as the facade passes it: negative for no limit.
fn max_length(value: f64) -> usize {
    if value < 0.0 {
        usize::MAX
    } else {
        value as usize
    }
}

/// Decodes `input`, producing at most `max_length` bytes (negative: no limit).
#[napi]
pub fn lz4_decoder_decompress<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "Lz4DecoderHandle")] decoder: &DecoderHandle,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    max_length: f64,
) -> Result<Lz4Chunk<'env>> {
    let max = self::max_length(max_length);
    let mut chunk = None;
    let data = output(env, |out| {
        chunk = Some(lock(decoder)?.decompress(&input, max, out)?);
        Ok(())
    })?;
    let chunk = chunk.expect("set on success");
    Ok(Lz4Chunk {
        data,
        bytes_read: chunk.bytes_read as f64,
        end_of_frame: chunk.end_of_frame,
    })
}

/// The promise twin of `lz4EncoderUpdate`, on the worker pool.
#[napi(ts_return_type = "Promise<Buffer>")]
pub fn lz4_encoder_update_async<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "Lz4EncoderHandle")] encoder: &EncoderHandle,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
) -> Result<Object<'env>> {
    spawn_step(env, encoder, Some(input), After::Open, |e, input, out| {
        e.update(input, out)
    })
}

/// The promise twin of `lz4EncoderFlush`, on the worker pool.
#[napi(ts_return_type = "Promise<Buffer>")]
pub fn lz4_encoder_flush_async<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "Lz4EncoderHandle")] encoder: &EncoderHandle,
    end_frame: bool,
) -> Result<Object<'env>> {
    spawn_step(env, encoder, None, After::Open, move |e, _, out| {
        e.flush(end_frame, out)
    })
}

/// Decodes `input`, frame after frame, on the worker pool (for streams and files): a step
/// producing at most `limit` bytes (see `lz4DecoderPending`).
#[napi(ts_return_type = "Promise<Buffer>")]
pub fn lz4_decoder_stream_async<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "Lz4DecoderHandle")] decoder: &DecoderHandle,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    max_output_size: f64,
    limit: f64,
) -> Result<Object<'env>> {
    let (max, limit) = (max_output_size as u64, step_limit(limit));
    spawn_step(
        env,
        decoder,
        Some(input),
        After::Open,
        move |d, input, out| d.decompress_stream(input, max, limit, out),
    )
}

/// The last stream step stopped at its limit: a step with an empty chunk gives more output.
#[napi]
pub fn lz4_decoder_pending(
    env: Env,
    #[napi(ts_arg_type = "Lz4DecoderHandle")] decoder: &DecoderHandle,
) -> Result<bool> {
    lock(decoder)
        .map(|d| d.pending())
        .map_err(|e| to_napi(&env, e))
}

/// Fails if the input so far is empty or ends in the middle of a frame, or the decoder failed.
#[napi]
pub fn lz4_decoder_finish(
    env: Env,
    #[napi(ts_arg_type = "Lz4DecoderHandle")] decoder: &DecoderHandle,
) -> Result<()> {
    lock(decoder)
        .and_then(|d| d.finish())
        .map_err(|e| to_napi(&env, e))
}

#[napi(ts_return_type = "Lz4FrameDecompressorHandle")]
pub fn lz4_frame_decompressor_new(env: Env) -> Result<DecompressorHandle> {
    FrameDecompressor::new()
        .map(|decompressor| new_handle(decompressor, DECODER_MEMORY))
        .map_err(|e| to_napi(&env, e))
}

/// Decodes `input` after what earlier calls left, producing at most `max_length` bytes
/// (negative: no limit).
#[napi(ts_return_type = "Buffer")]
pub fn lz4_frame_decompressor_decompress<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "Lz4FrameDecompressorHandle")] decompressor: &DecompressorHandle,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    max_length: f64,
) -> Result<Unknown<'env>> {
    let max = self::max_length(max_length);
    output(env, |out| lock(decompressor)?.decompress(&input, max, out))
}

/// `[eof, needsInput]`.
#[napi]
pub fn lz4_frame_decompressor_state(
    env: Env,
    #[napi(ts_arg_type = "Lz4FrameDecompressorHandle")] decompressor: &DecompressorHandle,
) -> Result<Vec<bool>> {
    lock(decompressor)
        .map(|d| vec![d.eof(), d.needs_input()])
        .map_err(|e| to_napi(&env, e))
}

/// The bytes after the frame, once it has ended (`null` before, or if there were none).
#[napi(ts_return_type = "Buffer | null")]
pub fn lz4_frame_decompressor_unused_data<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "Lz4FrameDecompressorHandle")] decompressor: &DecompressorHandle,
) -> Result<Option<Unknown<'env>>> {
    let decompressor = lock(decompressor).map_err(|e| to_napi(env, e))?;
    decompressor
        .unused_data()
        .map(|bytes| buffer_copy(env, bytes))
        .transpose()
}

#[napi]
pub fn lz4_frame_decompressor_reset(
    env: Env,
    #[napi(ts_arg_type = "Lz4FrameDecompressorHandle")] decompressor: &DecompressorHandle,
) -> Result<()> {
    lock(decompressor)
        .map(|mut d| d.reset())
        .map_err(|e| to_napi(&env, e))
}
