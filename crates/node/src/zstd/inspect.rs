//! Frame headers, parameter sets and memory estimates.

use std::collections::HashMap;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::zstd::{self, Param, WINDOW_SIZE_RANGE};

use super::format;
use super::params::{integer, name, params_from};
use crate::errors::to_napi;
use crate::size::size;

#[napi(object)]
pub struct ZstdFrameParameters {
    /// `null` when the frame does not record it.
    pub content_size: Option<Either<f64, BigInt>>,
    pub window_size: Either<f64, BigInt>,
    pub dict_id: u32,
    pub has_checksum: bool,
    pub header_size: u32,
    pub skippable: bool,
}

#[napi]
pub fn zstd_frame_parameters(
    env: Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    magicless: bool,
) -> Result<ZstdFrameParameters> {
    let p = zstd::frame_parameters(&input, format(magicless)).map_err(|e| to_napi(&env, e))?;
    Ok(ZstdFrameParameters {
        content_size: p.content_size.map(size),
        window_size: size(p.window_size),
        dict_id: p.dict_id,
        has_checksum: p.has_checksum,
        header_size: p.header_size as u32,
        skippable: p.skippable,
    })
}

/// The frame's content size alone, `null` when not recorded: a number, not an object of six
/// properties, as callers sizing a buffer per message need it.
#[napi(ts_return_type = "number | bigint | null")]
pub fn zstd_frame_content_size(
    env: Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    magicless: bool,
) -> Result<Option<Either<f64, BigInt>>> {
    zstd::frame_parameters(&input, format(magicless))
        .map(|p| p.content_size.map(size))
        .map_err(|e| to_napi(&env, e))
}

#[napi(object)]
pub struct ZstdCompressionParameters {
    pub window_log: u32,
    pub chain_log: u32,
    pub hash_log: u32,
    pub search_log: u32,
    pub min_match: u32,
    pub target_length: u32,
    pub strategy: u32,
}

#[napi]
pub fn zstd_compression_parameters(
    env: Env,
    level: f64,
    source_size: f64,
    dict_size: f64,
) -> Result<ZstdCompressionParameters> {
    let p = integer(Param::Level, level)
        .and_then(|level| {
            zstd::compression_parameters(level, source_size as u64, dict_size as usize)
        })
        .map_err(|e| to_napi(&env, e))?;
    Ok(ZstdCompressionParameters {
        window_log: p.window_log,
        chain_log: p.chain_log,
        hash_log: p.hash_log,
        search_log: p.search_log,
        min_match: p.min_match,
        target_length: p.target_length,
        strategy: p.strategy,
    })
}

#[napi]
pub fn zstd_estimate_compression_context_size(
    env: Env,
    params: HashMap<String, f64>,
) -> Result<f64> {
    params_from(&params)
        .and_then(|params| zstd::estimate_compression_context_size(&params))
        .map(|n| n as f64)
        .map_err(|e| to_napi(&env, e))
}

#[napi]
pub fn zstd_estimate_decompression_context_size() -> f64 {
    zstd::estimate_decompression_context_size() as f64
}

/// A parameter's option name and the inclusive range libzstd accepts.
#[napi(object)]
pub struct ZstdParameterRange {
    pub name: String,
    pub min: i32,
    pub max: i32,
}

#[napi]
pub fn zstd_parameter_ranges() -> Vec<ZstdParameterRange> {
    Param::ALL
        .into_iter()
        .map(|p| {
            let (min, max) = p.bounds();
            ZstdParameterRange {
                name: name(p).to_string(),
                min,
                max,
            }
        })
        .collect()
}

/// `[min, max, default]` for `maxWindowSize`.
#[napi]
pub fn zstd_window_sizes() -> Vec<f64> {
    vec![
        WINDOW_SIZE_RANGE.0 as f64,
        WINDOW_SIZE_RANGE.1 as f64,
        zstd::DEFAULT_MAX_WINDOW_SIZE as f64,
    ]
}
