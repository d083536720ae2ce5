//! Incremental LZ4 frames with python-lz4's low-level semantics: compression and decompression
//! contexts held by JavaScript as external handles, and the calls only LZ4's take (see
//! `incremental` for the steps both codecs' take).

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::lz4::{FrameDecoder, FrameDecompressor, FrameEncoder};

use super::frame_options;
use crate::errors::to_napi;
use crate::handle::{lock, locked, new_handle, output, Handle};
use crate::incremental::{Codec, DecoderHandle, EncoderHandle};
use crate::output::buffer_copy;

pub type DecompressorHandle = Handle<FrameDecompressor>;

// About the memory of liblz4's frame contexts, which allocate their buffers at a frame's start:
// a block (64 KiB by default) and the 64 KiB window linked blocks refer to, plus an encoder's
// high-compression state (256 KiB).
const ENCODER_MEMORY: usize = (256 + 128 + 16) << 10;
const DECODER_MEMORY: usize = (128 + 64) << 10;

#[napi(ts_return_type = "EncoderHandle")]
pub fn lz4_encoder_new(env: Env) -> Result<EncoderHandle> {
    FrameEncoder::new()
        .map(|encoder| new_handle(Codec::Lz4(encoder), ENCODER_MEMORY))
        .map_err(|e| to_napi(&env, e))
}

/// Starts a frame and returns its header. `source_size` (0 for none) is recorded in it.
#[napi(ts_return_type = "Buffer")]
pub fn lz4_encoder_begin<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "EncoderHandle")] encoder: &EncoderHandle,
    source_size: f64,
    level: i32,
    flags: u32,
) -> Result<Unknown<'env>> {
    let options = frame_options(level, flags);
    output(env, |out| {
        lock(encoder)?
            .lz4()?
            .begin(&options, source_size as u64, out)
    })
}

/// A decoder whose steps (`decoderStepAsync`) produce at most `maxOutputSize` bytes in all.
#[napi(ts_return_type = "DecoderHandle")]
pub fn lz4_decoder_new(env: Env, max_output_size: f64) -> Result<DecoderHandle> {
    // Saturating: Infinity is no limit.
    FrameDecoder::with_limit(max_output_size as u64)
        .map(|decoder| new_handle(Codec::Lz4(decoder), DECODER_MEMORY))
        .map_err(|e| to_napi(&env, e))
}

#[napi]
pub fn lz4_decoder_reset(
    env: Env,
    #[napi(ts_arg_type = "DecoderHandle")] decoder: &DecoderHandle,
) -> Result<()> {
    locked(&env, decoder, |d| d.lz4().map(|d| d.reset()))
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
    #[napi(ts_arg_type = "DecoderHandle")] decoder: &DecoderHandle,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    max_length: f64,
) -> Result<Lz4Chunk<'env>> {
    let max = self::max_length(max_length);
    let mut chunk = None;
    let data = output(env, |out| {
        chunk = Some(lock(decoder)?.lz4()?.decompress(&input, max, out)?);
        Ok(())
    })?;
    let chunk = chunk.expect("set on success");
    Ok(Lz4Chunk {
        data,
        bytes_read: chunk.bytes_read as f64,
        end_of_frame: chunk.end_of_frame,
    })
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
    locked(&env, decompressor, |d| Ok(vec![d.eof(), d.needs_input()]))
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
    locked(&env, decompressor, |d| {
        d.reset();
        Ok(())
    })
}
