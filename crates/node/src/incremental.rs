//! Incremental encoders and decoders of both codecs, held by JavaScript as external handles: the
//! steps every one takes, written once over core's [`Encode`] and [`Decode`]. Each codec's
//! module makes them and adds the calls only its own take.

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::incremental::{Decode, Encode, Flush};
use squish_core::{lz4, zstd, Error as CoreError, ErrorKind};

use crate::handle::{close, lock, locked, output, spawn_step, After, Handle};
use crate::limits::step_limit;

/// An object of one codec or the other.
pub(crate) enum Codec<Z, L> {
    Zstd(Z),
    Lz4(L),
}

pub type EncoderHandle = Handle<Codec<zstd::Encoder, lz4::FrameEncoder>>;
pub type DecoderHandle = Handle<Codec<zstd::Decoder, lz4::FrameDecoder>>;

fn other_codec(message: &'static str) -> CoreError {
    CoreError::new(ErrorKind::InvalidArg, message)
}

impl<Z, L> Codec<Z, L> {
    /// The zstd object, for the calls only zstd's take.
    pub(crate) fn zstd(&mut self) -> squish_core::Result<&mut Z> {
        match self {
            Codec::Zstd(z) => Ok(z),
            Codec::Lz4(_) => Err(other_codec("not a zstd object")),
        }
    }

    /// The LZ4 object, for the calls only LZ4's take.
    pub(crate) fn lz4(&mut self) -> squish_core::Result<&mut L> {
        match self {
            Codec::Lz4(l) => Ok(l),
            Codec::Zstd(_) => Err(other_codec("not an LZ4 object")),
        }
    }
}

impl<Z: Encode, L: Encode> Codec<Z, L> {
    fn encoder(&mut self) -> &mut dyn Encode {
        match self {
            Codec::Zstd(z) => z,
            Codec::Lz4(l) => l,
        }
    }
}

impl<Z: Decode, L: Decode> Codec<Z, L> {
    fn decoder(&mut self) -> &mut dyn Decode {
        match self {
            Codec::Zstd(z) => z,
            Codec::Lz4(l) => l,
        }
    }
}

fn flush_of(end_frame: bool) -> Flush {
    if end_frame {
        Flush::Frame
    } else {
        Flush::Block
    }
}

/// Compresses `input` and returns the output that is ready.
#[napi(ts_return_type = "Buffer")]
pub fn encoder_update<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "EncoderHandle")] encoder: &EncoderHandle,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
) -> Result<Unknown<'env>> {
    output(env, |out| lock(encoder)?.encoder().update(&input, out))
}

/// Writes out everything given so far, as blocks or (with `end_frame`) ending the frame.
#[napi(ts_return_type = "Buffer")]
pub fn encoder_flush<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "EncoderHandle")] encoder: &EncoderHandle,
    end_frame: bool,
) -> Result<Unknown<'env>> {
    let flush = flush_of(end_frame);
    output(env, |out| lock(encoder)?.encoder().flush(flush, out))
}

/// Ends the frame and the encoder, whose context is freed.
#[napi(ts_return_type = "Buffer")]
pub fn encoder_final<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "EncoderHandle")] encoder: &EncoderHandle,
) -> Result<Unknown<'env>> {
    let last = output(env, |out| lock(encoder)?.encoder().finish(out));
    if last.is_ok() {
        close(encoder);
    }
    last
}

/// The promise twin of `encoderUpdate`, on the worker pool.
#[napi(ts_return_type = "Promise<Buffer>")]
pub fn encoder_update_async<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "EncoderHandle")] encoder: &EncoderHandle,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
) -> Result<Object<'env>> {
    spawn_step(env, encoder, Some(input), After::Open, |e, input, out| {
        e.encoder().update(input, out)
    })
}

/// The promise twin of `encoderFlush` (and, with `finish`, of `encoderFinal`).
#[napi(ts_return_type = "Promise<Buffer>")]
pub fn encoder_flush_async<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "EncoderHandle")] encoder: &EncoderHandle,
    end_frame: bool,
    finish: bool,
) -> Result<Object<'env>> {
    let flush = flush_of(end_frame);
    let after = if finish { After::Close } else { After::Open };
    spawn_step(env, encoder, None, after, move |e, _, out| {
        if finish {
            e.encoder().finish(out)
        } else {
            e.encoder().flush(flush, out)
        }
    })
}

/// Frees an encoder's context now; further use is `ERR_SQUISH_CLOSED`.
#[napi]
pub fn encoder_close(#[napi(ts_arg_type = "EncoderHandle")] encoder: &EncoderHandle) {
    close(encoder)
}

/// Decodes `input` on the worker pool, in a step producing about `limit` bytes at most (see
/// `decoderPending`).
#[napi(ts_return_type = "Promise<Buffer>")]
pub fn decoder_step_async<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "DecoderHandle")] decoder: &DecoderHandle,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    limit: f64,
) -> Result<Object<'env>> {
    let limit = step_limit(limit);
    spawn_step(
        env,
        decoder,
        Some(input),
        After::Open,
        move |d, input, out| d.decoder().step(input, limit, out),
    )
}

/// The last step stopped at its limit: a step with an empty chunk gives more output.
#[napi]
pub fn decoder_pending(
    env: Env,
    #[napi(ts_arg_type = "DecoderHandle")] decoder: &DecoderHandle,
) -> Result<bool> {
    locked(&env, decoder, |d| Ok(d.decoder().pending()))
}

/// Fails if the input so far is empty or ends in the middle of a frame, or the decoder failed.
#[napi]
pub fn decoder_finish(
    env: Env,
    #[napi(ts_arg_type = "DecoderHandle")] decoder: &DecoderHandle,
) -> Result<()> {
    locked(&env, decoder, |d| d.decoder().finish())
}

/// Frees a decoder's context now; further use is `ERR_SQUISH_CLOSED`.
#[napi]
pub fn decoder_close(#[napi(ts_arg_type = "DecoderHandle")] decoder: &DecoderHandle) {
    close(decoder)
}
