//! Stateful native objects (incremental encoders and decoders) held by JavaScript as external
//! handles, and the Buffers their steps return.

use std::sync::{Mutex, MutexGuard};

use napi::bindgen_prelude::*;
use squish_core::thread_cache::with_scratch;

use crate::errors::to_napi;
use crate::output::buffer_copy;

/// The context behind a handle. A panic cannot happen while it is held, so a poisoned lock
/// still guards a consistent context.
pub(crate) fn lock<T>(handle: &External<Mutex<T>>) -> MutexGuard<'_, T> {
    handle.lock().unwrap_or_else(|e| e.into_inner())
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
