//! Per-thread caches of codec contexts and scratch memory.
//!
//! Creating a context costs far more than compressing a small message, so every thread (the
//! JavaScript thread and each pool worker) keeps its contexts and one scratch buffer and reuses
//! them from call to call. Ones that grew large on a big input are freed after use rather than
//! pinned for the thread's lifetime.

use std::cell::RefCell;
use std::thread::LocalKey;

use crate::Result;

/// Scratch buffers beyond this are freed after the call that grew them.
const KEEP_SCRATCH_BYTES: usize = 1 << 20;

thread_local! {
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with the context in `slot`, creating it on first use. The context is dropped
/// afterwards if `f` failed (it may be mid-frame) or `keep` says it grew too large. A
/// re-entrant call gets a fresh context of its own.
pub(crate) fn with_cached<T, R>(
    slot: &'static LocalKey<RefCell<Option<T>>>,
    create: impl Fn() -> Result<T>,
    keep: impl Fn(&T) -> bool,
    f: impl FnOnce(&mut T) -> Result<R>,
) -> Result<R> {
    slot.with(|cell| match cell.try_borrow_mut() {
        Ok(mut cached) => {
            let ctx = match cached.as_mut() {
                Some(ctx) => ctx,
                None => cached.insert(create()?),
            };
            let result = f(ctx);
            if result.is_err() || !keep(ctx) {
                *cached = None;
            }
            result
        }
        Err(_) => f(&mut create()?),
    })
}

/// Runs `f` with this thread's scratch buffer (contents unspecified).
pub fn with_scratch<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
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
