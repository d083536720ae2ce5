//! Idle contexts kept for reuse by an instance (a `Compressor`, a `Decompressor`) and shared by
//! the threads that use it.

use std::sync::{Mutex, MutexGuard};

use crate::Result;

/// Contexts whose workspace grew beyond this are freed after the call that grew them.
pub(crate) const KEEP_CONTEXT_BYTES: usize = 16 << 20;

/// Idle contexts of one configuration, shared by the threads that use an instance.
pub(crate) struct Idle<T> {
    idle: Mutex<Vec<T>>,
}

impl<T> Idle<T> {
    pub fn new() -> Self {
        Idle {
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs `f` with an idle context, or one from `create`. The context returns to the pool
    /// afterwards unless `f` failed (it may be mid-frame) or it grew beyond the keep limit.
    pub fn with<R>(
        &self,
        create: impl FnOnce() -> Result<T>,
        size: impl Fn(&T) -> usize,
        f: impl FnOnce(&mut T) -> Result<R>,
    ) -> Result<R> {
        let idle = self.lock().pop();
        let mut ctx = match idle {
            Some(ctx) => ctx,
            None => create()?,
        };
        let result = f(&mut ctx);
        if result.is_ok() && size(&ctx) <= KEEP_CONTEXT_BYTES {
            self.lock().push(ctx);
        }
        result
    }

    /// Applies `f` to every idle context.
    pub fn fold<A>(&self, init: A, f: impl Fn(A, &T) -> A) -> A {
        self.lock().iter().fold(init, f)
    }

    fn lock(&self) -> MutexGuard<'_, Vec<T>> {
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }
}
