//! Stateful native objects (incremental encoders and decoders) held by JavaScript as external
//! handles, and the Buffers their steps return.
//!
//! A step runs on the calling thread or, for its promise twin, on the worker pool. One object
//! takes one step at a time, in call order: a call while an asynchronous step is pending is
//! `ERR_SQUISH_BUSY` rather than a step that could overtake it.

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use napi::bindgen_prelude::*;
use squish_core::thread_cache::with_scratch;
use squish_core::{Error as CoreError, ErrorKind};

use crate::errors::to_napi;
use crate::output::buffer_copy;
use crate::owned::Input;
use crate::task::spawn_to_buffer;

pub(crate) struct Slot<T> {
    /// The object; `None` once closed, which frees its native memory at once.
    inner: Mutex<Option<T>>,
    pending: AtomicBool,
    /// Closed while a step was pending: closed when that step settles.
    closing: AtomicBool,
}

pub type Handle<T> = External<Arc<Slot<T>>>;

/// A handle to `value`, which holds about `held` bytes of native memory. V8 is told of them, as
/// its garbage collector cannot see them, so that dropped objects are collected before their
/// memory piles up.
pub(crate) fn new_handle<T>(value: T, held: usize) -> Handle<T> {
    let slot = Slot {
        inner: Mutex::new(Some(value)),
        pending: AtomicBool::new(false),
        closing: AtomicBool::new(false),
    };
    External::new_with_size_hint(Arc::new(slot), held)
}

fn busy() -> CoreError {
    CoreError::new(
        ErrorKind::Busy,
        "an asynchronous call on this object is still pending; await it first",
    )
}

fn closed() -> CoreError {
    CoreError::new(
        ErrorKind::Closed,
        "the object is closed: it was finished, closed or destroyed",
    )
}

/// The object behind a handle, locked for one step.
pub(crate) struct Guard<'a, T>(MutexGuard<'a, Option<T>>);

impl<T> Deref for Guard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.0.as_ref().expect("a guard holds an open object")
    }
}

impl<T> DerefMut for Guard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0.as_mut().expect("a guard holds an open object")
    }
}

impl<T> Slot<T> {
    /// The object, unless closed. A panic cannot happen while it is held, so a poisoned lock
    /// still guards a consistent object.
    fn lock(&self) -> squish_core::Result<Guard<'_, T>> {
        let guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        match *guard {
            Some(_) => Ok(Guard(guard)),
            None => Err(closed()),
        }
    }

    /// Drops the object, and with it its native memory.
    fn close(&self) {
        drop(self.inner.lock().unwrap_or_else(|e| e.into_inner()).take());
    }
}

/// The object behind `handle`, for a synchronous step.
pub(crate) fn lock<T>(handle: &Handle<T>) -> squish_core::Result<Guard<'_, T>> {
    if handle.pending.load(Ordering::Acquire) {
        return Err(busy());
    }
    handle.lock()
}

/// Runs `f` on the object behind `handle`, for a synchronous call, with core's errors made
/// JavaScript's.
pub(crate) fn locked<T, R>(
    env: &Env,
    handle: &Handle<T>,
    f: impl FnOnce(&mut T) -> squish_core::Result<R>,
) -> Result<R> {
    lock(handle)
        .and_then(|mut guard| f(&mut guard))
        .map_err(|e| to_napi(env, e))
}

/// Frees the object behind `handle` now (or, while a step is pending, once it settles) rather
/// than when it is garbage-collected; any later use is `ERR_SQUISH_CLOSED`. Closing a closed
/// object does nothing.
pub(crate) fn close<T>(handle: &Handle<T>) {
    if handle.pending.load(Ordering::Acquire) {
        handle.closing.store(true, Ordering::Release);
    } else {
        handle.close();
    }
}

/// Runs `f` with this thread's scratch buffer, emptied, and returns what it wrote as a Buffer.
pub(crate) fn output<'env>(
    env: &'env Env,
    f: impl FnOnce(&mut Vec<u8>) -> squish_core::Result<()>,
) -> Result<Unknown<'env>> {
    with_scratch(|out| {
        out.clear();
        f(out).map_err(|e| to_napi(env, e))?;
        buffer_copy(env, out)
    })
}

struct Release<T>(Arc<Slot<T>>);

impl<T> Drop for Release<T> {
    fn drop(&mut self) {
        if self.0.closing.load(Ordering::Acquire) {
            self.0.close();
        }
        self.0.pending.store(false, Ordering::Release);
    }
}

/// Whether an asynchronous step leaves its object open, or closes it once it has run (the last
/// step of an encoder, say).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum After {
    Open,
    Close,
}

/// Runs a step on the worker pool with `input` (empty if none; copied, see `owned`) and resolves
/// to its output.
pub(crate) fn spawn_step<'env, T: Send + 'static>(
    env: &'env Env,
    handle: &Handle<T>,
    input: Option<BufferSlice>,
    after: After,
    step: impl FnOnce(&mut T, &[u8], &mut Vec<u8>) -> squish_core::Result<()> + Send + 'static,
) -> Result<Object<'env>> {
    if handle.pending.swap(true, Ordering::AcqRel) {
        return Err(to_napi(env, busy()));
    }
    // Held with the input, so released when the promise settles, however it settles.
    let release = Release(Arc::clone(handle));
    // Nothing else can hold the lock now: a closed object fails here, not on the pool.
    handle.lock().map(drop).map_err(|e| to_napi(env, e))?;
    let input = Input::maybe(input);
    spawn_to_buffer(env, None, (input, release), move |(input, release), out| {
        let result = step(
            &mut *release.0.lock()?,
            input.as_deref().unwrap_or_default(),
            out,
        );
        if after == After::Close {
            release.0.close();
        }
        result
    })
}
