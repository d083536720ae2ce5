//! Per-thread contexts and scratch buffers for the module-level functions.
//!
//! Creating a zstd context costs far more than compressing a small message, so every thread
//! (the JavaScript thread and each pool worker) keeps one compression context, one
//! decompression context and one scratch buffer, and reuses them from call to call. Ones that
//! grew large on a big input are freed after use rather than pinned for the thread's lifetime.

use std::cell::RefCell;

use super::ctx::{Cctx, Dctx, KEEP_CONTEXT_BYTES};
use super::params::Params;
use crate::Result;

/// libzstd sizes a context's tables from the input size, so work on inputs up to this size
/// cannot grow one past [`KEEP_CONTEXT_BYTES`], and its size is not measured afterwards.
const SMALL_INPUT: usize = 128 << 10;
/// Scratch buffers beyond this are freed after the call that grew them.
const KEEP_SCRATCH_BYTES: usize = 1 << 20;

pub(crate) struct Encoder {
    pub cctx: Cctx,
    /// The parameters the context is set up for, so a call with the same ones sets nothing.
    pub params: Option<Params>,
}

thread_local! {
    static ENCODER: RefCell<Option<Encoder>> = const { RefCell::new(None) };
    static DECODER: RefCell<Option<Dctx>> = const { RefCell::new(None) };
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with a context from `slot`, creating it on first use. The context is dropped
/// afterwards if `f` failed (it may be mid-stream) or, when `may_grow`, if it grew beyond the
/// keep limit. A re-entrant call gets a fresh context of its own.
fn with_cached<T, R>(
    slot: &'static std::thread::LocalKey<RefCell<Option<T>>>,
    create: impl Fn() -> Result<T>,
    size: impl Fn(&T) -> usize,
    may_grow: bool,
    f: impl FnOnce(&mut T) -> Result<R>,
) -> Result<R> {
    slot.with(|cell| match cell.try_borrow_mut() {
        Ok(mut cached) => {
            let ctx = match cached.as_mut() {
                Some(ctx) => ctx,
                None => cached.insert(create()?),
            };
            let result = f(ctx);
            if result.is_err() || (may_grow && size(ctx) > KEEP_CONTEXT_BYTES) {
                *cached = None;
            }
            result
        }
        Err(_) => f(&mut create()?),
    })
}

/// Runs `f` with this thread's encoder; `input_len` is the size of the input it compresses.
pub(crate) fn with_encoder<R>(
    input_len: usize,
    f: impl FnOnce(&mut Encoder) -> Result<R>,
) -> Result<R> {
    with_cached(
        &ENCODER,
        || {
            Ok(Encoder {
                cctx: Cctx::create()?,
                params: None,
            })
        },
        |e| e.cctx.size(),
        input_len > SMALL_INPUT,
        f,
    )
}

/// Runs `f` with this thread's decoder (default settings, no dictionary); `streams` says
/// whether `f` may use streaming decompression, the only mode in which a decoder allocates
/// window buffers.
pub(crate) fn with_decoder<R>(streams: bool, f: impl FnOnce(&mut Dctx) -> Result<R>) -> Result<R> {
    with_cached(&DECODER, Dctx::create, Dctx::size, streams, f)
}

/// Runs `f` with this thread's scratch buffer (contents unspecified).
pub(crate) fn with_scratch<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            let result = f(&mut scratch);
            if scratch.capacity() > KEEP_SCRATCH_BYTES {
                *scratch = Vec::new();
            }
            result
        }
        Err(_) => f(&mut Vec::new()),
    })
}
