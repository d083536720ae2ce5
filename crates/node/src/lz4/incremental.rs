//! Incremental LZ4 frames with python-lz4's low-level semantics: compression and decompression
//! contexts held by JavaScript as external handles.

use std::sync::{Mutex, MutexGuard};

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::lz4::{FrameDecoder, FrameEncoder};
use squish_core::thread_cache::with_scratch;

use super::frame_options;
use crate::errors::to_napi;
use crate::output::buffer_copy;

pub type EncoderHandle = External<Mutex<FrameEncoder>>;
pub type DecoderHandle = External<Mutex<FrameDecoder>>;

/// The context behind a handle. A panic cannot happen while it is held, so a poisoned lock
/// still guards a consistent context.
fn lock<T>(handle: &External<Mutex<T>>) -> MutexGuard<'_, T> {
    handle.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `f` with this thread's scratch buffer, emptied, and returns what it wrote as a Buffer.
fn output<'env>(
    env: &'env Env,
    f: impl FnOnce(&mut Vec<u8>) -> squish_core::Result<()>,
) -> Result<Unknown<'env>> {
    with_scratch(|out| {
        out.clear();
        f(out).map_err(|e| to_napi(env, e))?;
        buffer_copy(env, out)
    })
}

#[napi(ts_return_type = "Lz4EncoderHandle")]
pub fn lz4_encoder_new(env: Env) -> Result<EncoderHandle> {
    FrameEncoder::new()
        .map(|e| External::new(Mutex::new(e)))
        .map_err(|e| to_napi(&env, e))
}

/// Starts a frame and returns its header. `source_size` (0 for none) is recorded in it.
#[napi(ts_return_type = "Buffer")]
pub fn lz4_encoder_begin<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "Lz4EncoderHandle")] encoder: &EncoderHandle,
    source_size: f64,
    level: i32,
    block_size: u32,
    flags: u32,
) -> Result<Unknown<'env>> {
    let options = frame_options(level, block_size, flags);
    output(env, |out| {
        lock(encoder).begin(&options, source_size as u64, out)
    })
}

#[napi(ts_return_type = "Buffer")]
pub fn lz4_encoder_update<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "Lz4EncoderHandle")] encoder: &EncoderHandle,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
) -> Result<Unknown<'env>> {
    output(env, |out| lock(encoder).update(&input, out))
}

#[napi(ts_return_type = "Buffer")]
pub fn lz4_encoder_flush<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "Lz4EncoderHandle")] encoder: &EncoderHandle,
    end_frame: bool,
) -> Result<Unknown<'env>> {
    output(env, |out| lock(encoder).flush(end_frame, out))
}

#[napi(ts_return_type = "Lz4DecoderHandle")]
pub fn lz4_decoder_new(env: Env) -> Result<DecoderHandle> {
    FrameDecoder::new()
        .map(|d| External::new(Mutex::new(d)))
        .map_err(|e| to_napi(&env, e))
}

#[napi]
pub fn lz4_decoder_reset(#[napi(ts_arg_type = "Lz4DecoderHandle")] decoder: &DecoderHandle) {
    lock(decoder).reset();
}

#[napi(object)]
pub struct Lz4Chunk<'env> {
    #[napi(ts_type = "Buffer")]
    pub data: Unknown<'env>,
    pub bytes_read: f64,
    pub end_of_frame: bool,
}

/// Decodes `input`, producing at most `max_length` bytes (negative: no limit).
#[napi]
pub fn lz4_decoder_decompress<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "Lz4DecoderHandle")] decoder: &DecoderHandle,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    max_length: f64,
) -> Result<Lz4Chunk<'env>> {
    let max = if max_length < 0.0 {
        usize::MAX
    } else {
        max_length as usize
    };
    let mut chunk = None;
    let data = output(env, |out| {
        chunk = Some(lock(decoder).decompress(&input, max, out)?);
        Ok(())
    })?;
    let chunk = chunk.expect("set on success");
    Ok(Lz4Chunk {
        data,
        bytes_read: chunk.bytes_read as f64,
        end_of_frame: chunk.end_of_frame,
    })
}
