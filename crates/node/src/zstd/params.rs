//! zstd parameters under their JavaScript names: the facade's `{ name: value }` records, and the
//! messages for values out of bounds.

use std::collections::HashMap;

use squish_core::zstd::{Param, Params};
use squish_core::{Error, ErrorKind, Result};

/// The option that sets `param`.
pub(crate) fn name(param: Param) -> &'static str {
    match param {
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

/// The message for `received`, given for `param` and not an integer within its bounds. The
/// match finder's parameters are members of `params`; the others are options of their own.
pub(crate) fn out_of_range(param: Param, received: f64) -> String {
    let (min, max) = param.bounds();
    let place = match param {
        Param::Level
        | Param::Checksum
        | Param::ContentSize
        | Param::DictId
        | Param::Threads
        | Param::Format => "options",
        _ => "params",
    };
    let zero = if param.zero_means_none() {
        ", or 0 for none"
    } else {
        ""
    };
    format!(
        "{place}.{} must be an integer from {min} to {max}{zero}; received number {}",
        name(param),
        number(received)
    )
}

/// `value` as JavaScript prints it.
fn number(value: f64) -> String {
    match value {
        f64::INFINITY => "Infinity".into(),
        f64::NEG_INFINITY => "-Infinity".into(),
        _ => value.to_string(),
    }
}

/// `value`, a JavaScript number given for `param`, as an integer; core checks its bounds.
pub(crate) fn integer(param: Param, value: f64) -> Result<i32> {
    // Saturating, and NaN to 0: only an integer within i32 comes back as itself.
    let integer = value as i32;
    if f64::from(integer) == value {
        Ok(integer)
    } else {
        Err(Error::new(
            ErrorKind::InvalidArg,
            out_of_range(param, value),
        ))
    }
}

/// The parameters of a record from the facade, by their option names.
pub(crate) fn params_from(values: &HashMap<String, f64>) -> Result<Params> {
    let mut params = Params::default();
    for (key, &value) in values {
        let param = Param::ALL
            .into_iter()
            .find(|&p| name(p) == key)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidArg,
                    format!("unknown zstd parameter {key}"),
                )
            })?;
        params.set(param, integer(param, value)?)?;
    }
    Ok(params)
}
