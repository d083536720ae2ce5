//! Stateful native objects (incremental encoders and decoders) held by JavaScript as external
//! handles, and the Buffers their steps return.
//!
//! A step runs on the calling thread or, for its promise twin, on the worker pool. One object
//! takes one step at a time, in call order: a call while an asynchronous step is pending is
//! `ERR_SQUISH_BUSY` rather than a step that could overtake it.

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
    inner: Mutex<T>,
    pending: AtomicBool,
}

pub type Handle<T> = External<Arc<Slot<T>>>;

pub(crate) fn new_handle<T>(value: T) -> Handle<T> {
    External::new(Arc::new(Slot {
        inner: Mutex::new(value),
        pending: AtomicBool::new(false),
    }))
}

fn busy() -> CoreError {
    CoreError::new(
        ErrorKind::Busy,
        "an asynchronous call on this object is still pending; await it first",
    )
}

impl<T> Slot<T> {
    /// The object. A panic cannot happen while it is held, so a poisoned lock still guards a
    /// consistent object.
    fn lock(&self) -> MutexGuard<'_, T> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The object behind `handle`, for a synchronous step.
pub(crate) fn lock<T>(handle: &Handle<T>) -> squish_core::Result<MutexGuard<'_, T>> {
    if handle.pending.load(Ordering::Acquire) {
        return Err(busy());
    }
    Ok(handle.lock())
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
        self.0.pending.store(false, Ordering::Release);
    }
}

/// Runs a step on the worker pool with `input` (empty if none; copied, see `owned`) and resolves
/// to its output.
pub(crate) fn spawn_step<'env, T: Send + 'static>(
    env: &'env Env,
    handle: &Handle<T>,
    input: Option<BufferSlice>,
    step: impl FnOnce(&mut T, &[u8], &mut Vec<u8>) -> squish_core::Result<()> + Send + 'static,
) -> Result<Object<'env>> {
    if handle.pending.swap(true, Ordering::AcqRel) {
        return Err(to_napi(env, busy()));
    }
    // Held with the input, so released when the promise settles, however it settles.
    let release = Release(Arc::clone(handle));
    let input = Input::maybe(input);
    spawn_to_buffer(env, None, (input, release), move |(input, release), out| {
        step(
            &mut release.0.lock(),
            input.as_deref().unwrap_or_default(),
            out,
        )
    })
}
