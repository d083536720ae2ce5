//! The libzstd thread pool that multithreaded compression contexts share, so `threads` on many
//! contexts runs on one set of threads, sized like squish's own pool, instead of starting
//! threads for each context.

use std::ptr::NonNull;
use std::sync::{Arc, Mutex};

use zstd_safe::zstd_sys as sys;

use super::ctx::out_of_memory;
use crate::{pool, Result};

pub(crate) struct ThreadPool {
    ptr: NonNull<sys::ZSTD_threadPool>,
    threads: usize,
}

// SAFETY: libzstd's pool is internally synchronized and has no thread affinity; contexts post
// jobs to it from any thread.
unsafe impl Send for ThreadPool {}
// SAFETY: as above.
unsafe impl Sync for ThreadPool {}

impl ThreadPool {
    pub fn as_ptr(&self) -> *mut sys::ZSTD_threadPool {
        self.ptr.as_ptr()
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        // SAFETY: created by POOL_create and freed once, after every context that
        // referenced it (each holds an `Arc`); this joins the pool's threads.
        unsafe { sys::ZSTD_freeThreadPool(self.ptr.as_ptr()) };
    }
}

static SHARED: Mutex<Option<Arc<ThreadPool>>> = Mutex::new(None);

/// Jobs the shared pool queues while its threads are busy.
const QUEUE: usize = 1024;

extern "C" {
    /// libzstd's pool constructor (`common/pool.h`), which `ZSTD_createThreadPool` calls with no
    /// queue. Without one, a context whose job finds every thread busy polls until one is free,
    /// spinning a CPU, instead of queueing the job and waiting for its own jobs to finish.
    fn POOL_create(num_threads: usize, queue_size: usize) -> *mut sys::ZSTD_threadPool;
}

/// The shared pool, with as many threads as squish's pool. After the pool size changes, new
/// contexts get a new pool; the old one lives on until the contexts using it are freed.
pub(crate) fn shared() -> Result<Arc<ThreadPool>> {
    let threads = pool::threads();
    let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(existing) = shared.as_ref().filter(|p| p.threads == threads) {
        return Ok(Arc::clone(existing));
    }
    // SAFETY: plain constructor; a null return is handled.
    let ptr = NonNull::new(unsafe { POOL_create(threads, QUEUE) }).ok_or_else(out_of_memory)?;
    let created = Arc::new(ThreadPool { ptr, threads });
    *shared = Some(Arc::clone(&created));
    Ok(created)
}
