//! Per-thread contexts and scratch buffers.
//!
//! Creating a zstd context costs far more than compressing a small message, so every thread
//! (the JavaScript thread and each pool worker) keeps one compression context, one
//! decompression context and one scratch buffer, and reuses them from call to call. Ones that
//! grew large on a big input are freed after use rather than pinned for the thread's lifetime.

use std::cell::RefCell;

use zstd_safe::{CCtx, DCtx};

use super::compress::CompressOptions;
use crate::{Error, ErrorKind, Result};

/// Contexts whose workspace grew beyond this are freed after the call that grew them.
const KEEP_CONTEXT_BYTES: usize = 16 << 20;
/// libzstd sizes a context's tables from the input size, so work on inputs up to this size
/// cannot grow one past [`KEEP_CONTEXT_BYTES`], and its size is not measured afterwards.
const SMALL_INPUT: usize = 128 << 10;
/// Scratch buffers beyond this are freed after the call that grew them.
const KEEP_SCRATCH_BYTES: usize = 1 << 20;

pub(crate) struct Encoder {
    pub cctx: CCtx<'static>,
    /// The options the context is set up for, so a call with the same ones sets nothing.
    pub options: Option<CompressOptions>,
}

thread_local! {
    static ENCODER: RefCell<Option<Encoder>> = const { RefCell::new(None) };
    static DECODER: RefCell<Option<DCtx<'static>>> = const { RefCell::new(None) };
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

fn out_of_memory() -> Error {
    Error::new(ErrorKind::Memory, "out of memory creating a zstd context")
}

/// Runs `f` with a context from `slot`, creating it on first use. The context is dropped
/// afterwards if `f` failed (it may be mid-stream) or, when `may_grow`, if it grew beyond the
/// keep limit. A re-entrant call gets a fresh context of its own.
fn with_cached<T, R>(
    slot: &'static std::thread::LocalKey<RefCell<Option<T>>>,
    create: impl Fn() -> Option<T>,
    size: impl Fn(&T) -> usize,
    may_grow: bool,
    f: impl FnOnce(&mut T) -> Result<R>,
) -> Result<R> {
    slot.with(|cell| match cell.try_borrow_mut() {
        Ok(mut cached) => {
            if cached.is_none() {
                *cached = Some(create().ok_or_else(out_of_memory)?);
            }
            let ctx = cached.as_mut().expect("context was just created");
            let result = f(ctx);
            if result.is_err() || (may_grow && size(ctx) > KEEP_CONTEXT_BYTES) {
                *cached = None;
            }
            result
        }
        Err(_) => f(&mut create().ok_or_else(out_of_memory)?),
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
            Some(Encoder {
                cctx: CCtx::try_create()?,
                options: None,
            })
        },
        |e| e.cctx.sizeof(),
        input_len > SMALL_INPUT,
        f,
    )
}

/// Runs `f` with this thread's decoder; `streams` says whether `f` may use streaming
/// decompression, the only mode in which a decoder allocates window buffers.
pub(crate) fn with_decoder<R>(
    streams: bool,
    f: impl FnOnce(&mut DCtx<'static>) -> Result<R>,
) -> Result<R> {
    with_cached(&DECODER, DCtx::try_create, DCtx::sizeof, streams, f)
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
