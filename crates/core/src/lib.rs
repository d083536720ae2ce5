//! The codec core of squish: safe contexts over libzstd and liblz4, and the worker pool
//! that runs asynchronous work off the caller's thread.
//!
//! This crate knows nothing about JavaScript; `squish-node` binds it.

#![deny(clippy::undocumented_unsafe_blocks)]

pub mod control;
pub mod error;
mod frames;
pub mod incremental;
pub mod limits;
pub mod lz4;
pub mod memory;
pub mod oneshot;
pub mod parts;
pub mod pool;
mod spare;
mod step;
pub mod thread_cache;
pub mod zstd;

pub use control::Control;
pub use error::{Error, ErrorKind, Limit, Result};
pub use parts::Parts;
