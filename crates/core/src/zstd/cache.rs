//! The zstd contexts each thread keeps for the module-level functions (see
//! [`crate::thread_cache`]).

use std::cell::RefCell;

use super::cctx::Cctx;
use super::dctx::Dctx;
use super::idle::KEEP_CONTEXT_BYTES;
use super::params::Params;
use crate::thread_cache::with_cached;
use crate::Result;

/// libzstd sizes a context's tables from the input size, so work on inputs up to this size
/// cannot grow one past [`KEEP_CONTEXT_BYTES`], and its size is not measured afterwards.
const SMALL_INPUT: usize = 128 << 10;

/// A thread's compression context for the module-level functions.
pub(crate) struct CachedCctx {
    pub cctx: Cctx,
    /// The parameters the context is set up for, so a call with the same ones sets nothing.
    pub params: Option<Params>,
}

thread_local! {
    static ENCODER: RefCell<Option<CachedCctx>> = const { RefCell::new(None) };
    static DECODER: RefCell<Option<Dctx>> = const { RefCell::new(None) };
}

/// Runs `f` with this thread's encoder; `input_len` is the size of the input it compresses.
pub(crate) fn with_encoder<R>(
    input_len: usize,
    f: impl FnOnce(&mut CachedCctx) -> Result<R>,
) -> Result<R> {
    let may_grow = input_len > SMALL_INPUT;
    with_cached(
        &ENCODER,
        || {
            Ok(CachedCctx {
                cctx: Cctx::create()?,
                params: None,
            })
        },
        |e| !may_grow || e.cctx.size() <= KEEP_CONTEXT_BYTES,
        f,
    )
}

/// Runs `f` with this thread's decoder (default settings, no dictionary); `streams` says
/// whether `f` may use streaming decompression, the only mode in which a decoder allocates
/// window buffers.
pub(crate) fn with_decoder<R>(streams: bool, f: impl FnOnce(&mut Dctx) -> Result<R>) -> Result<R> {
    with_cached(
        &DECODER,
        Dctx::create,
        |d| !streams || d.size() <= KEEP_CONTEXT_BYTES,
        f,
    )
}
