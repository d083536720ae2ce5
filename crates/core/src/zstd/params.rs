//! Parameter sets: the ones a caller chose, checked against libzstd's bounds, and the ones
//! libzstd derives from a level.

use std::ptr::NonNull;

use zstd_safe::zstd_sys as sys;

use super::error::{check, encode_error, out_of_memory};
use super::param::{Param, COUNT};
use crate::{Error, ErrorKind, Result};

/// A set of explicitly chosen parameters; the rest keep libzstd's defaults (level 3, content
/// size and dictionary id recorded, no checksum, standard format).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Params {
    values: [Option<i32>; COUNT],
}

impl Params {
    /// Sets `param`, checking the value against libzstd's bounds.
    pub fn set(&mut self, param: Param, value: i32) -> Result<()> {
        let (min, max) = param.bounds();
        if !((min..=max).contains(&value) || value == 0 && param.zero_means_none()) {
            return Err(Error::out_of_range(param, value));
        }
        self.values[param as usize] = Some(value);
        Ok(())
    }

    pub fn with(mut self, param: Param, value: i32) -> Result<Self> {
        self.set(param, value)?;
        Ok(self)
    }

    pub fn get(&self, param: Param) -> Option<i32> {
        self.values[param as usize]
    }

    /// The compression level in effect.
    pub fn level(&self) -> i32 {
        match self.get(Param::Level) {
            None | Some(0) => zstd_safe::CLEVEL_DEFAULT,
            Some(level) => level,
        }
    }

    /// The parameters a digested dictionary depends on: the level and the match finder's.
    pub(crate) fn dictionary_key(&self) -> Params {
        let mut key = Params::default();
        key.values[Param::Level as usize] = Some(self.level());
        // The match-finder parameters follow the level in `ALL`: windowLog to strategy.
        for &p in &Param::ALL[1..=7] {
            key.values[p as usize] = self.get(p);
        }
        key
    }

    pub(crate) fn explicit(&self) -> impl Iterator<Item = (Param, i32)> + '_ {
        Param::ALL
            .into_iter()
            .filter_map(|p| self.get(p).map(|v| (p, p.raw_value(v))))
    }
}

pub(crate) fn param_error(param: Param, value: i32, code: usize) -> Error {
    let error = encode_error(code);
    if error.kind != ErrorKind::InvalidArg {
        return error;
    }
    let (min, max) = param.bounds();
    Error::new(
        ErrorKind::InvalidArg,
        format!(
            "{param:?} = {value} is not accepted by libzstd (range {min} to {max}): {}",
            error.message
        ),
    )
}

/// The match-finder parameters libzstd uses for a level (`ZSTD_getCParams`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompressionParameters {
    pub window_log: u32,
    pub chain_log: u32,
    pub hash_log: u32,
    pub search_log: u32,
    pub min_match: u32,
    pub target_length: u32,
    pub strategy: u32,
}

/// The parameters libzstd derives from `level` for inputs of `source_size` bytes (0 when
/// unknown) compressed with a dictionary of `dict_size` bytes.
pub fn compression_parameters(
    level: i32,
    source_size: u64,
    dict_size: usize,
) -> Result<CompressionParameters> {
    Params::default().with(Param::Level, level)?;
    // SAFETY: a pure function of its arguments.
    let p = unsafe { sys::ZSTD_getCParams(level, source_size, dict_size) };
    Ok(CompressionParameters {
        window_log: p.windowLog,
        chain_log: p.chainLog,
        hash_log: p.hashLog,
        search_log: p.searchLog,
        min_match: p.minMatch,
        target_length: p.targetLength,
        strategy: p.strategy as u32,
    })
}

/// A `ZSTD_CCtx_params` holding a parameter set, for functions that take one.
pub(crate) struct CctxParams(NonNull<sys::ZSTD_CCtx_params>);

impl CctxParams {
    pub fn new(params: &Params) -> Result<Self> {
        // SAFETY: plain constructor; a null return is handled.
        let ptr =
            NonNull::new(unsafe { sys::ZSTD_createCCtxParams() }).ok_or_else(out_of_memory)?;
        let this = CctxParams(ptr);
        for (param, value) in params.explicit() {
            // SAFETY: `ptr` is live; libzstd validates the parameter and value.
            check(unsafe { sys::ZSTD_CCtxParams_setParameter(ptr.as_ptr(), param.raw(), value) })
                .map_err(|code| param_error(param, value, code))?;
        }
        Ok(this)
    }

    pub fn as_ptr(&self) -> *const sys::ZSTD_CCtx_params {
        self.0.as_ptr()
    }
}

impl Drop for CctxParams {
    fn drop(&mut self) {
        // SAFETY: created by ZSTD_createCCtxParams and freed once.
        unsafe { sys::ZSTD_freeCCtxParams(self.0.as_ptr()) };
    }
}

/// The memory a compression context needs for one-shot compression with `params`.
pub fn estimate_compression_context_size(params: &Params) -> Result<usize> {
    if params.get(Param::Threads).unwrap_or(0) > 0 {
        return Err(Error::new(
            ErrorKind::InvalidArg,
            "libzstd estimates single-threaded contexts only; leave threads at 0",
        ));
    }
    let p = CctxParams::new(params)?;
    // SAFETY: `p` is a live parameter set.
    check(unsafe { sys::ZSTD_estimateCCtxSize_usingCCtxParams(p.as_ptr()) }).map_err(encode_error)
}

/// About the memory a streaming compression context with `params` holds once it has compressed
/// something: libzstd's estimate for one thread (a multithreaded context holds more).
pub(crate) fn estimate_stream_size(params: &Params) -> usize {
    let single = params.with(Param::Threads, 0);
    let estimate = single.and_then(|p| {
        let p = CctxParams::new(&p)?;
        // SAFETY: `p` is a live parameter set.
        check(unsafe { sys::ZSTD_estimateCStreamSize_usingCCtxParams(p.as_ptr()) })
            .map_err(encode_error)
    });
    estimate.unwrap_or(1 << 20)
}

/// About the memory a streaming decompression context holds for frames with windows up to
/// `window` bytes.
pub(crate) fn estimate_decoder_size(window: u64) -> usize {
    // SAFETY: a pure function.
    check(unsafe { sys::ZSTD_estimateDStreamSize(window as usize) }).unwrap_or(1 << 20)
}

/// The memory a decompression context needs for one-shot decompression.
pub fn estimate_decompression_context_size() -> usize {
    // SAFETY: a pure function.
    unsafe { sys::ZSTD_estimateDCtxSize() }
}
