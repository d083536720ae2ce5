//! `Compressor` and `Decompressor`: shared, reusable instances over the core's context pools,
//! held by JavaScript as external handles. A handle argument costs a pointer lookup, where a
//! class instance costs a type-tag check and an unwrap on every call: that is most of the
//! binding's overhead on small messages.

use std::collections::HashMap;
use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::zstd::{Compressor, Decompressor};

use super::dictionary::ZstdDictionary;
use super::format;
use super::params::params_from;
use crate::compress;
use crate::control::ControlHandle;
use crate::direct::Args;
use crate::direct::{promised, Output};
use crate::errors::to_napi;
use crate::flags::READ_ACROSS_FRAMES;
use crate::limits::decompressing;
use crate::output::{batch_output, buffer_copy};
use crate::owned::Inputs;
use crate::task::{spawn, views};

pub type CompressorHandle = External<Arc<Compressor>>;
pub type DecompressorHandle = External<Arc<Decompressor>>;

/// A compressor with fixed parameters and dictionary, safe to share between concurrent calls.
#[napi(ts_return_type = "ZstdCompressorHandle")]
pub fn zstd_compressor_new(
    env: Env,
    params: HashMap<String, f64>,
    dictionary: Option<ClassInstance<ZstdDictionary>>,
    frame_size: f64,
) -> Result<CompressorHandle> {
    let dictionary = dictionary.map(|d| d.inner.clone());
    params_from(&params)
        .and_then(|params| Compressor::new(params, dictionary))
        // Saturating: the facade passes a non-negative integer.
        .map(|compressor| compressor.with_frame_size(frame_size as usize))
        .map(|compressor| External::new(Arc::new(compressor)))
        .map_err(|e| to_napi(&env, e))
}

/// `zstdCompressorCompressSync(compressor, input, out, offset)`, with the compressor's settings
/// (see `compress::compress_sync`).
pub(crate) fn compress_sync<'env>(env: &'env Env, args: Args<'env>) -> Result<Output<'env>> {
    let compressor: &Compressor = args.handle::<Arc<Compressor>>(0)?;
    let (input, mut out) = (args.bytes(1)?, args.bytes(2)?);
    compress::compress_sync(env, compressor, &input, &mut out, args.u32(3)?)
}

/// `zstdCompressorCompress(compressor, input, control)`: the promise twin of
/// `zstdCompressorCompressSync`.
pub(crate) fn compress<'env>(env: &'env Env, args: Args<'env>) -> Result<Output<'env>> {
    let compressor = Arc::clone(args.handle::<Arc<Compressor>>(0)?);
    let (input, control) = (args.bytes(1)?, args.handle(2)?);
    compress::compress(env, compressor, &input, control).map(promised)
}

/// Compresses each input into its own frame on up to `threads` threads (0: all).
#[napi(ts_return_type = "Buffer[]")]
pub fn zstd_compressor_compress_many_sync(
    env: Env,
    #[napi(ts_arg_type = "ZstdCompressorHandle")] compressor: &CompressorHandle,
    #[napi(ts_arg_type = "ArrayBufferView[]")] inputs: Vec<BufferSlice>,
    threads: u32,
) -> Result<Vec<Buffer>> {
    let outputs = compressor
        .compress_many(&views(&inputs), threads as usize)
        .map_err(|e| to_napi(&env, e))?;
    batch_output(&env, outputs)
}

#[napi(ts_return_type = "Promise<Buffer[]>")]
pub fn zstd_compressor_compress_many<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ZstdCompressorHandle")] compressor: &CompressorHandle,
    #[napi(ts_arg_type = "ArrayBufferView[]")] inputs: Vec<BufferSlice>,
    threads: u32,
    #[napi(ts_arg_type = "ControlHandle")] control: &ControlHandle,
) -> Result<Object<'env>> {
    let compressor = Arc::clone(compressor);
    spawn(
        env,
        Some(control),
        Inputs::new(&inputs),
        move |inputs| compressor.compress_many(&inputs.views(), threads as usize),
        |env, _, outputs| batch_output(env, outputs),
    )
}

/// Bytes held by idle contexts and the dictionary.
#[napi]
pub fn zstd_compressor_memory_size(
    #[napi(ts_arg_type = "ZstdCompressorHandle")] compressor: &CompressorHandle,
) -> f64 {
    compressor.memory_size() as f64
}

/// `[ingested, consumed, produced]` for the most recently completed frame.
#[napi]
pub fn zstd_compressor_frame_progression(
    #[napi(ts_arg_type = "ZstdCompressorHandle")] compressor: &CompressorHandle,
) -> Vec<f64> {
    let (ingested, consumed, produced) = compressor.frame_progression();
    vec![ingested as f64, consumed as f64, produced as f64]
}

/// A decompressor with a dictionary, window limit and format, safe to share between concurrent
/// calls.
#[napi(ts_return_type = "ZstdDecompressorHandle")]
pub fn zstd_decompressor_new(
    env: Env,
    dictionary: Option<ClassInstance<ZstdDictionary>>,
    max_window_size: f64,
    magicless: bool,
) -> Result<DecompressorHandle> {
    let dictionary = dictionary.map(|d| d.inner.clone());
    Decompressor::new(dictionary, max_window_size as u64, format(magicless))
        .map(|decompressor| External::new(Arc::new(decompressor)))
        .map_err(|e| to_napi(&env, e))
}

/// `zstdDecompressorDecompressSync(decompressor, input, out, offset, maxOutputSize, flags)`, with
/// the decompressor's settings.
pub(crate) fn decompress_sync<'env>(env: &'env Env, args: Args<'env>) -> Result<Output<'env>> {
    let decompressor = args.handle::<Arc<Decompressor>>(0)?;
    super::decompress_sync_with(env, decompressor, &args, 1)
}

/// `zstdDecompressorDecompress(decompressor, input, maxOutputSize, flags, control)`: the promise
/// twin of `zstdDecompressorDecompressSync`.
pub(crate) fn decompress<'env>(env: &'env Env, args: Args<'env>) -> Result<Output<'env>> {
    let decompressor = args.handle::<Arc<Decompressor>>(0)?;
    super::decompress_with(env, decompressor, &args, 1)
}

#[napi(ts_return_type = "Buffer[]")]
pub fn zstd_decompressor_decompress_many_sync(
    env: Env,
    #[napi(ts_arg_type = "ZstdDecompressorHandle")] decompressor: &DecompressorHandle,
    #[napi(ts_arg_type = "ArrayBufferView[]")] inputs: Vec<BufferSlice>,
    max_output_size: f64,
    flags: u32,
    threads: u32,
) -> Result<Vec<Buffer>> {
    let options = decompressing(max_output_size, flags).options;
    let outputs = decompressor
        .decompress_many(&views(&inputs), &options, threads as usize)
        .map_err(|e| to_napi(&env, e))?;
    batch_output(&env, outputs)
}

#[napi(ts_return_type = "Promise<Buffer[]>")]
pub fn zstd_decompressor_decompress_many<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ZstdDecompressorHandle")] decompressor: &DecompressorHandle,
    #[napi(ts_arg_type = "ArrayBufferView[]")] inputs: Vec<BufferSlice>,
    max_output_size: f64,
    flags: u32,
    threads: u32,
    #[napi(ts_arg_type = "ControlHandle")] control: &ControlHandle,
) -> Result<Object<'env>> {
    let options = decompressing(max_output_size, flags).options;
    let decompressor = Arc::clone(decompressor);
    spawn(
        env,
        Some(control),
        Inputs::new(&inputs),
        move |inputs| decompressor.decompress_many(&inputs.views(), &options, threads as usize),
        |env, _, outputs| batch_output(env, outputs),
    )
}

#[napi(ts_return_type = "Buffer")]
pub fn zstd_decompressor_content_dict_chain_sync<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ZstdDecompressorHandle")] decompressor: &DecompressorHandle,
    #[napi(ts_arg_type = "ArrayBufferView[]")] frames: Vec<BufferSlice>,
    max_output_size: f64,
) -> Result<Unknown<'env>> {
    let options = decompressing(max_output_size, READ_ACROSS_FRAMES).options;
    let out = decompressor
        .decompress_content_dict_chain(&views(&frames), &options)
        .map_err(|e| to_napi(env, e))?;
    buffer_copy(env, &out)
}

#[napi(ts_return_type = "Promise<Buffer>")]
pub fn zstd_decompressor_content_dict_chain<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ZstdDecompressorHandle")] decompressor: &DecompressorHandle,
    #[napi(ts_arg_type = "ArrayBufferView[]")] frames: Vec<BufferSlice>,
    max_output_size: f64,
    #[napi(ts_arg_type = "ControlHandle")] control: &ControlHandle,
) -> Result<Object<'env>> {
    let options = decompressing(max_output_size, READ_ACROSS_FRAMES).options;
    let decompressor = Arc::clone(decompressor);
    spawn(
        env,
        Some(control),
        Inputs::new(&frames),
        move |frames| decompressor.decompress_content_dict_chain(&frames.views(), &options),
        |env, _, out| BufferSlice::copy_from(env, &out)?.into_buffer(env),
    )
}

/// Bytes held by idle contexts and the dictionary.
#[napi]
pub fn zstd_decompressor_memory_size(
    #[napi(ts_arg_type = "ZstdDecompressorHandle")] decompressor: &DecompressorHandle,
) -> f64 {
    decompressor.memory_size() as f64
}
