//! Compression parameters: every stable `ZSTD_c_*` parameter plus the frame format and
//! `forceMaxWindow`, their bounds from libzstd, and the parameter sets libzstd derives from a
//! level.

use std::ptr::NonNull;

use zstd_safe::zstd_sys as sys;
use zstd_safe::zstd_sys::ZSTD_cParameter as C;

use super::error::{check, encode_error, out_of_memory};
use crate::{Error, ErrorKind, Result};

/// One compression parameter. Booleans are 0 or 1; `Strategy` is 1 (fast) to 9 (btultra2);
/// `Format` is 0 (standard) or 1 (magicless).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Param {
    Level,
    WindowLog,
    HashLog,
    ChainLog,
    SearchLog,
    MinMatch,
    TargetLength,
    Strategy,
    TargetCBlockSize,
    EnableLdm,
    LdmHashLog,
    LdmMinMatch,
    LdmBucketSizeLog,
    LdmHashRateLog,
    ContentSize,
    Checksum,
    DictId,
    Threads,
    JobSize,
    OverlapLog,
    Format,
    ForceMaxWindow,
}

const COUNT: usize = 22;

impl Param {
    /// Every parameter, in the order they are applied: the level first, so that parameters set
    /// explicitly override the ones it implies.
    pub const ALL: [Param; COUNT] = [
        Param::Level,
        Param::WindowLog,
        Param::HashLog,
        Param::ChainLog,
        Param::SearchLog,
        Param::MinMatch,
        Param::TargetLength,
        Param::Strategy,
        Param::TargetCBlockSize,
        Param::EnableLdm,
        Param::LdmHashLog,
        Param::LdmMinMatch,
        Param::LdmBucketSizeLog,
        Param::LdmHashRateLog,
        Param::ContentSize,
        Param::Checksum,
        Param::DictId,
        Param::Threads,
        Param::JobSize,
        Param::OverlapLog,
        Param::Format,
        Param::ForceMaxWindow,
    ];

    /// The option name squish uses for it in JavaScript.
    pub fn name(self) -> &'static str {
        match self {
            Param::Level => "level",
            Param::WindowLog => "windowLog",
            Param::HashLog => "hashLog",
            Param::ChainLog => "chainLog",
            Param::SearchLog => "searchLog",
            Param::MinMatch => "minMatch",
            Param::TargetLength => "targetLength",
            Param::Strategy => "strategy",
            Param::TargetCBlockSize => "targetCBlockSize",
            Param::EnableLdm => "enableLdm",
            Param::LdmHashLog => "ldmHashLog",
            Param::LdmMinMatch => "ldmMinMatch",
            Param::LdmBucketSizeLog => "ldmBucketSizeLog",
            Param::LdmHashRateLog => "ldmHashRateLog",
            Param::ContentSize => "contentSize",
            Param::Checksum => "checksum",
            Param::DictId => "dictId",
            Param::Threads => "threads",
            Param::JobSize => "jobSize",
            Param::OverlapLog => "overlapLog",
            Param::Format => "format",
            Param::ForceMaxWindow => "forceMaxWindow",
        }
    }

    pub fn from_name(name: &str) -> Option<Param> {
        Param::ALL.into_iter().find(|p| p.name() == name)
    }

    pub(crate) fn raw(self) -> C {
        match self {
            Param::Level => C::ZSTD_c_compressionLevel,
            Param::WindowLog => C::ZSTD_c_windowLog,
            Param::HashLog => C::ZSTD_c_hashLog,
            Param::ChainLog => C::ZSTD_c_chainLog,
            Param::SearchLog => C::ZSTD_c_searchLog,
            Param::MinMatch => C::ZSTD_c_minMatch,
            Param::TargetLength => C::ZSTD_c_targetLength,
            Param::Strategy => C::ZSTD_c_strategy,
            Param::TargetCBlockSize => C::ZSTD_c_targetCBlockSize,
            Param::EnableLdm => C::ZSTD_c_enableLongDistanceMatching,
            Param::LdmHashLog => C::ZSTD_c_ldmHashLog,
            Param::LdmMinMatch => C::ZSTD_c_ldmMinMatch,
            Param::LdmBucketSizeLog => C::ZSTD_c_ldmBucketSizeLog,
            Param::LdmHashRateLog => C::ZSTD_c_ldmHashRateLog,
            Param::ContentSize => C::ZSTD_c_contentSizeFlag,
            Param::Checksum => C::ZSTD_c_checksumFlag,
            Param::DictId => C::ZSTD_c_dictIDFlag,
            Param::Threads => C::ZSTD_c_nbWorkers,
            Param::JobSize => C::ZSTD_c_jobSize,
            Param::OverlapLog => C::ZSTD_c_overlapLog,
            // ZSTD_c_format and ZSTD_c_forceMaxWindow in zstd.h's experimental section.
            Param::Format => C::ZSTD_c_experimentalParam2,
            Param::ForceMaxWindow => C::ZSTD_c_experimentalParam3,
        }
    }

    /// The inclusive range libzstd accepts. For `EnableLdm`, libzstd's tri-state switch is
    /// narrowed to a boolean.
    pub fn bounds(self) -> (i32, i32) {
        match self {
            Param::EnableLdm
            | Param::ContentSize
            | Param::Checksum
            | Param::DictId
            | Param::Format
            | Param::ForceMaxWindow => (0, 1),
            _ => {
                // SAFETY: a pure query on a valid enum value.
                let b = unsafe { sys::ZSTD_cParam_getBounds(self.raw()) };
                (b.lowerBound, b.upperBound)
            }
        }
    }

    /// `EnableLdm` is a libzstd switch: 1 enables, 2 disables.
    fn raw_value(self, value: i32) -> i32 {
        match (self, value) {
            (Param::EnableLdm, 0) => 2,
            _ => value,
        }
    }
}

/// A set of explicitly chosen parameters; the rest keep libzstd's defaults (level 3, content
/// size and dictionary id recorded, no checksum, standard format).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Params {
    values: [Option<i32>; COUNT],
}

impl Params {
    /// The parameters named in `values`, by [`Param::name`], each checked as [`Params::set`]
    /// does.
    pub fn from_named<'a>(values: impl IntoIterator<Item = (&'a str, i32)>) -> Result<Params> {
        let mut params = Params::default();
        for (name, value) in values {
            let param = Param::from_name(name).ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidArg,
                    format!("unknown zstd parameter: {name}"),
                )
            })?;
            params.set(param, value)?;
        }
        Ok(params)
    }

    /// Sets `param`, checking the value against libzstd's bounds.
    pub fn set(&mut self, param: Param, value: i32) -> Result<()> {
        let (min, max) = param.bounds();
        // 0 means the default level, or no block size target, as in libzstd.
        let default = value == 0 && matches!(param, Param::Level | Param::TargetCBlockSize);
        if !((min..=max).contains(&value) || default) {
            return Err(Error::new(
                ErrorKind::InvalidArg,
                format!(
                    "{} must be an integer from {min} to {max}{}; received {value}",
                    param.name(),
                    if param == Param::TargetCBlockSize {
                        ", or 0 for none"
                    } else {
                        ""
                    }
                ),
            ));
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
            "{} = {value} is not accepted by libzstd (range {min} to {max}): {}",
            param.name(),
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
