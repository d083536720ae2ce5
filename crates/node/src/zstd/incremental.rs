//! Incremental zstd: encoders and decoders made from a `Compressor` or `Decompressor`, held by
//! JavaScript as external handles.

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::zstd::{Decoder, Encoder, Flush};

use super::instances::{CompressorHandle, DecompressorHandle};
use crate::errors::to_napi;
use crate::handle::{close, lock, new_handle, output, spawn_step, After, Handle};
use crate::limits::step_limit;

pub type EncoderHandle = Handle<Encoder>;
pub type DecoderHandle = Handle<Decoder>;

/// An encoder with `compressor`'s settings; `pledged_size` is negative for none.
#[napi(ts_return_type = "ZstdEncoderHandle")]
pub fn zstd_encoder_new(
    env: Env,
    #[napi(ts_arg_type = "ZstdCompressorHandle")] compressor: &CompressorHandle,
    pledged_size: f64,
) -> Result<EncoderHandle> {
    let pledged = (pledged_size >= 0.0).then_some(pledged_size as u64);
    Encoder::new(compressor, pledged)
        .map(|encoder| new_handle(encoder, compressor.encoder_memory()))
        .map_err(|e| to_napi(&env, e))
}

#[napi(ts_return_type = "Buffer")]
pub fn zstd_encoder_update<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ZstdEncoderHandle")] encoder: &EncoderHandle,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
) -> Result<Unknown<'env>> {
    output(env, |out| lock(encoder)?.update(&input, out))
}

/// Writes out everything given so far, as blocks or (with `end_frame`) ending the frame.
#[napi(ts_return_type = "Buffer")]
pub fn zstd_encoder_flush<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ZstdEncoderHandle")] encoder: &EncoderHandle,
    end_frame: bool,
) -> Result<Unknown<'env>> {
    let flush = if end_frame {
        Flush::Frame
    } else {
        Flush::Block
    };
    output(env, |out| lock(encoder)?.flush(flush, out))
}

/// Ends the frame and the encoder, whose context is freed.
#[napi(ts_return_type = "Buffer")]
pub fn zstd_encoder_final<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ZstdEncoderHandle")] encoder: &EncoderHandle,
) -> Result<Unknown<'env>> {
    let last = output(env, |out| lock(encoder)?.finish(out));
    if last.is_ok() {
        close(encoder);
    }
    last
}

/// Frees an encoder's context now; further use is `ERR_SQUISH_CLOSED`.
#[napi]
pub fn zstd_encoder_close(#[napi(ts_arg_type = "ZstdEncoderHandle")] encoder: &EncoderHandle) {
    close(encoder)
}

/// Frees a decoder's context now; further use is `ERR_SQUISH_CLOSED`.
#[napi]
pub fn zstd_decoder_close(#[napi(ts_arg_type = "ZstdDecoderHandle")] decoder: &DecoderHandle) {
    close(decoder)
}

/// A decoder with `decompressor`'s settings.
#[napi(ts_return_type = "ZstdDecoderHandle")]
pub fn zstd_decoder_new(
    env: Env,
    #[napi(ts_arg_type = "ZstdDecompressorHandle")] decompressor: &DecompressorHandle,
    read_across_frames: bool,
    max_output_size: f64,
) -> Result<DecoderHandle> {
    decompressor
        .create_decoder(read_across_frames, max_output_size as u64)
        .map(|decoder| new_handle(decoder, decompressor.decoder_memory()))
        .map_err(|e| to_napi(&env, e))
}

#[napi(ts_return_type = "Buffer")]
pub fn zstd_decoder_update<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ZstdDecoderHandle")] decoder: &DecoderHandle,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
) -> Result<Unknown<'env>> {
    output(env, |out| lock(decoder)?.update(&input, out))
}

/// The last step stopped at its limit: a step with an empty chunk gives more output.
#[napi]
pub fn zstd_decoder_pending(
    env: Env,
    #[napi(ts_arg_type = "ZstdDecoderHandle")] decoder: &DecoderHandle,
) -> Result<bool> {
    lock(decoder)
        .map(|d| d.pending())
        .map_err(|e| to_napi(&env, e))
}

#[napi]
pub fn zstd_decoder_eof(
    env: Env,
    #[napi(ts_arg_type = "ZstdDecoderHandle")] decoder: &DecoderHandle,
) -> Result<bool> {
    lock(decoder).map(|d| d.eof()).map_err(|e| to_napi(&env, e))
}

/// The bytes after the end of the frame, once the decoder is at `eof`.
#[napi(ts_return_type = "Buffer")]
pub fn zstd_decoder_unused_data<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ZstdDecoderHandle")] decoder: &DecoderHandle,
) -> Result<Unknown<'env>> {
    output(env, |out| {
        out.extend_from_slice(lock(decoder)?.unused_data());
        Ok(())
    })
}

/// Fails if the input so far is empty or ends in the middle of a frame, or the decoder failed.
#[napi]
pub fn zstd_decoder_finish(
    env: Env,
    #[napi(ts_arg_type = "ZstdDecoderHandle")] decoder: &DecoderHandle,
) -> Result<()> {
    lock(decoder)
        .and_then(|d| d.finish())
        .map_err(|e| to_napi(&env, e))
}

/// The promise twin of `zstdEncoderUpdate`, on the worker pool.
#[napi(ts_return_type = "Promise<Buffer>")]
pub fn zstd_encoder_update_async<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ZstdEncoderHandle")] encoder: &EncoderHandle,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
) -> Result<Object<'env>> {
    spawn_step(env, encoder, Some(input), After::Open, |e, input, out| {
        e.update(input, out)
    })
}

/// The promise twin of `zstdEncoderFlush` (and, with `finish`, of `zstdEncoderFinal`).
#[napi(ts_return_type = "Promise<Buffer>")]
pub fn zstd_encoder_flush_async<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ZstdEncoderHandle")] encoder: &EncoderHandle,
    end_frame: bool,
    finish: bool,
) -> Result<Object<'env>> {
    let flush = if end_frame {
        Flush::Frame
    } else {
        Flush::Block
    };
    let after = if finish { After::Close } else { After::Open };
    spawn_step(env, encoder, None, after, move |e, _, out| {
        if finish {
            e.finish(out)
        } else {
            e.flush(flush, out)
        }
    })
}

/// The promise twin of `zstdDecoderUpdate`, on the worker pool: a step producing about `limit`
/// bytes at most (see `zstdDecoderPending`).
#[napi(ts_return_type = "Promise<Buffer>")]
pub fn zstd_decoder_update_async<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ZstdDecoderHandle")] decoder: &DecoderHandle,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    limit: f64,
) -> Result<Object<'env>> {
    let limit = step_limit(limit);
    spawn_step(
        env,
        decoder,
        Some(input),
        After::Open,
        move |d, input, out| d.step(input, limit, out),
    )
}
