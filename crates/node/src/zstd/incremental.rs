//! Incremental zstd: encoders and decoders made from a `Compressor` or `Decompressor`, and the
//! calls only zstd's decoders take (see `incremental` for the steps both codecs' take).

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::zstd::Encoder;

use super::instances::{CompressorHandle, DecompressorHandle};
use crate::errors::to_napi;
use crate::handle::{lock, locked, new_handle, output};
use crate::incremental::{Codec, DecoderHandle, EncoderHandle};

/// An encoder with `compressor`'s settings; `pledged_size` is negative for none.
#[napi(ts_return_type = "EncoderHandle")]
pub fn zstd_encoder_new(
    env: Env,
    #[napi(ts_arg_type = "ZstdCompressorHandle")] compressor: &CompressorHandle,
    pledged_size: f64,
) -> Result<EncoderHandle> {
    let pledged = (pledged_size >= 0.0).then_some(pledged_size as u64);
    Encoder::new(compressor, pledged)
        .map(|encoder| new_handle(Codec::Zstd(encoder), compressor.encoder_memory()))
        .map_err(|e| to_napi(&env, e))
}

/// A decoder with `decompressor`'s settings.
#[napi(ts_return_type = "DecoderHandle")]
pub fn zstd_decoder_new(
    env: Env,
    #[napi(ts_arg_type = "ZstdDecompressorHandle")] decompressor: &DecompressorHandle,
    read_across_frames: bool,
    max_output_size: f64,
) -> Result<DecoderHandle> {
    decompressor
        .create_decoder(read_across_frames, max_output_size as u64)
        .map(|decoder| new_handle(Codec::Zstd(decoder), decompressor.decoder_memory()))
        .map_err(|e| to_napi(&env, e))
}

/// Decodes `input` and returns all of its output; after the end of the frame (`eof`), input is
/// refused.
#[napi(ts_return_type = "Buffer")]
pub fn zstd_decoder_update<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "DecoderHandle")] decoder: &DecoderHandle,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
) -> Result<Unknown<'env>> {
    output(env, |out| lock(decoder)?.zstd()?.update(&input, out))
}

#[napi]
pub fn zstd_decoder_eof(
    env: Env,
    #[napi(ts_arg_type = "DecoderHandle")] decoder: &DecoderHandle,
) -> Result<bool> {
    locked(&env, decoder, |d| d.zstd().map(|d| d.eof()))
}

/// The bytes after the end of the frame, once the decoder is at `eof`.
#[napi(ts_return_type = "Buffer")]
pub fn zstd_decoder_unused_data<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "DecoderHandle")] decoder: &DecoderHandle,
) -> Result<Unknown<'env>> {
    output(env, |out| {
        out.extend_from_slice(lock(decoder)?.zstd()?.unused_data());
        Ok(())
    })
}
