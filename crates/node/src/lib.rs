//! Node.js bindings for squish-core: argument conversion, promises and error mapping only.
//!
//! This is the addon's private surface: the TypeScript facade validates options and calls these
//! functions with plain values, so each call converts a handful of primitives rather than
//! reading an options object property by property: on 100-byte messages, that would cost more
//! than the codec's work. Hence functions with many arguments.
#![allow(clippy::too_many_arguments)]
#![deny(unsafe_code)]

mod compress;
mod control;
mod decompress;
mod errors;
mod facade;
mod flags;
mod handle;
mod limits;
mod lz4;
mod output;
mod owned;
mod size;
mod task;
mod zstd;

use napi_derive::napi;

/// Versions of the C libraries linked into this binary.
#[napi(object)]
pub struct Versions {
    pub zstd: String,
    pub lz4: String,
}

#[napi]
pub fn versions() -> Versions {
    Versions {
        zstd: squish_core::zstd::version().to_string(),
        lz4: squish_core::lz4::version(),
    }
}

/// Number of threads in squish's worker pool.
#[napi]
pub fn pool_threads() -> u32 {
    squish_core::pool::threads() as u32
}

/// Sets the number of threads in squish's worker pool (0: one per available core).
#[napi]
pub fn set_pool_threads(count: u32) {
    squish_core::pool::set_threads(count as usize)
}
