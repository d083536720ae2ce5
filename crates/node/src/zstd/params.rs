//! zstd parameters from JavaScript's `{ name: value }` records.

use std::collections::HashMap;

use squish_core::zstd::Params;

/// The parameters of a record, by the names of `Param::name`.
pub(crate) fn params_from(values: &HashMap<String, i32>) -> squish_core::Result<Params> {
    Params::from_named(values.iter().map(|(name, &value)| (name.as_str(), value)))
}
