//! Node.js bindings for squish-core: argument conversion, promises and error mapping only.
//!
//! This is the addon's private surface: the TypeScript facade validates options and calls these
//! functions with plain values, so each call converts a handful of primitives rather than
//! reading an options object property by property: on 100-byte messages, that would cost more
//! than the codec's work. Hence functions with many arguments.
#![allow(clippy::too_many_arguments)]
#![deny(unsafe_code)]
#![deny(clippy::undocumented_unsafe_blocks)]

mod call_queue;
mod compress;
mod control;
mod decompress;
mod direct;
mod errors;
mod facade;
mod flags;
mod handle;
mod incremental;
mod limits;
mod lz4;
mod output;
mod owned;
mod size;
mod task;
mod zstd;

use napi::bindgen_prelude::{Env, Object, Result};
use napi_derive::napi;

/// The one-shot calls, sync and async, which `direct` registers.
static DIRECT: [direct::Call; 17] = [
    ("callQueueSubmit", call_queue::submit),
    ("zstdCompressSync", zstd::compress_sync),
    ("zstdCompress", zstd::compress),
    ("zstdCompressorCompressSync", zstd::instances::compress_sync),
    ("zstdCompressorCompress", zstd::instances::compress),
    ("zstdDecompressSync", zstd::decompress_sync),
    ("zstdDecompress", zstd::decompress),
    (
        "zstdDecompressorDecompressSync",
        zstd::instances::decompress_sync,
    ),
    ("zstdDecompressorDecompress", zstd::instances::decompress),
    ("lz4CompressSync", lz4::compress_sync),
    ("lz4Compress", lz4::compress),
    ("lz4DecompressSync", lz4::decompress_sync),
    ("lz4Decompress", lz4::decompress),
    ("lz4CompressBlockSync", lz4::block::compress_sync),
    ("lz4CompressBlock", lz4::block::compress),
    ("lz4DecompressBlockSync", lz4::block::decompress_sync),
    ("lz4DecompressBlock", lz4::block::decompress),
];

/// Adds the direct calls to the addon's exports, beside napi-rs's.
#[napi(module_exports)]
pub fn exports(mut exports: Object, env: Env) -> Result<()> {
    direct::register(&env, &mut exports, &DIRECT)
}

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
