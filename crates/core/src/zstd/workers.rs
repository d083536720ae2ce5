//! The libzstd thread pools that multithreaded compression contexts share, so `threads` on many
//! contexts runs on one set of threads instead of starting threads for each context.
//!
//! libzstd runs a context's jobs on as many of the pool's threads as are free, whatever its
//! worker count: contexts with `threads: n` share a pool of `n` threads (at most as many as
//! squish's pool), so that `n` stays the most threads a compression uses.

use std::ptr::NonNull;
use std::sync::{Arc, Mutex};

use zstd_safe::zstd_sys as sys;

use super::error::out_of_memory;
use crate::{pool, Result};

pub(crate) struct Workers {
    ptr: NonNull<sys::ZSTD_threadPool>,
    threads: usize,
}

// SAFETY: libzstd's pool is internally synchronized and has no thread affinity; contexts post
// jobs to it from any thread.
unsafe impl Send for Workers {}
// SAFETY: as above.
unsafe impl Sync for Workers {}

impl Workers {
    pub fn as_ptr(&self) -> *mut sys::ZSTD_threadPool {
        self.ptr.as_ptr()
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        // SAFETY: created by POOL_create and freed once, after every context that
        // referenced it (each holds an `Arc`); this joins the pool's threads.
        unsafe { sys::ZSTD_freeThreadPool(self.ptr.as_ptr()) };
    }
}

static SHARED: Mutex<Vec<Arc<Workers>>> = Mutex::new(Vec::new());

/// Jobs a shared pool queues while its threads are busy.
const QUEUE: usize = 1024;

extern "C" {
    /// libzstd's pool constructor (`common/pool.h`), which `ZSTD_createThreadPool` calls with no
    /// queue. Without one, a context whose job finds every thread busy polls until one is free,
    /// spinning a CPU, instead of queueing the job and waiting for its own jobs to finish.
    fn POOL_create(num_threads: usize, queue_size: usize) -> *mut sys::ZSTD_threadPool;
}

/// The shared pool for contexts with `workers` libzstd workers: `workers` threads, or as many
/// as squish's pool if that is fewer, so at most one pool per size up to squish's pool size.
pub(crate) fn shared(workers: usize) -> Result<Arc<Workers>> {
    let threads = workers.clamp(1, pool::threads());
    let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(existing) = shared.iter().find(|p| p.threads == threads) {
        return Ok(Arc::clone(existing));
    }
    // Pools too large for squish's pool since a `set_threads` go once no context uses them.
    shared.retain(|p| p.threads <= pool::threads() || Arc::strong_count(p) > 1);
    // SAFETY: plain constructor; a null return is handled.
    let ptr = NonNull::new(unsafe { POOL_create(threads, QUEUE) }).ok_or_else(out_of_memory)?;
    let created = Arc::new(Workers { ptr, threads });
    shared.push(Arc::clone(&created));
    Ok(created)
}
