//! An owned libzstd compression context.
//!
//! zstd-safe's contexts borrow their dictionaries for a lifetime; squish's contexts are kept for
//! reuse by shared objects and hold their digested dictionary with an `Arc` instead, so a
//! context can never outlive the dictionary it references.

use std::mem::MaybeUninit;
use std::ptr::NonNull;
use std::sync::Arc;

use zstd_safe::zstd_sys as sys;

use super::buffers::{in_buffer, out_buffer};
use super::dict::Cdict;
use super::error::{check, encode_error, out_of_memory, Raw};
use super::param::Param;
use super::params::{param_error, Params};
use super::workers::{self, Workers};
use crate::spare::{counted, fill};
use crate::{pool, Result};

/// A compression context, with the digested dictionary it references, if any.
pub(crate) struct Cctx {
    ptr: NonNull<sys::ZSTD_CCtx>,
    cdict: Option<Arc<Cdict>>,
    /// The shared thread pool the context's libzstd workers run on, and how many it uses.
    workers: Option<(Arc<Workers>, i32)>,
    /// A frame was started and not seen to end: it may have jobs in flight on the workers.
    open: bool,
}

// SAFETY: a libzstd context has no thread affinity; `&mut self` on every call that uses it
// means one thread at a time.
unsafe impl Send for Cctx {}

impl Cctx {
    pub fn create() -> Result<Self> {
        // SAFETY: plain constructor; a null return is handled.
        let ptr = NonNull::new(unsafe { sys::ZSTD_createCCtx() }).ok_or_else(out_of_memory)?;
        Ok(Cctx {
            ptr,
            cdict: None,
            workers: None,
            open: false,
        })
    }

    pub fn set(&mut self, param: sys::ZSTD_cParameter, value: i32) -> Raw<()> {
        // SAFETY: `ptr` is a live context; libzstd validates the parameter and value.
        check(unsafe { sys::ZSTD_CCtx_setParameter(self.ptr.as_ptr(), param, value) }).map(drop)
    }

    /// Waits for the jobs of a frame left unfinished (abandoned mid-way, or failed) on the
    /// shared workers. libzstd frees a context or starts its next frame without waiting for jobs
    /// it posted to a pool it does not own, which would then work on freed memory; but it does
    /// wait for them when a multithreaded frame starts, so this starts an empty one. Returns
    /// false if that failed, and the jobs may still be running.
    fn settle(&mut self) -> bool {
        if !std::mem::take(&mut self.open) || self.workers.is_none() {
            return true;
        }
        let ctx = self.ptr.as_ptr();
        let (mut output, mut input) = (out_buffer(&mut []), in_buffer(&[], 0));
        // SAFETY: `ctx` is live; the buffers are empty. After a session reset, a flush starts a
        // frame of unknown size, which libzstd makes multithreaded and starts by waiting for the
        // previous frame's jobs; it takes no input and writes nothing.
        unsafe {
            sys::ZSTD_CCtx_reset(ctx, sys::ZSTD_ResetDirective::ZSTD_reset_session_only);
            let started = check(sys::ZSTD_compressStream2(
                ctx,
                &mut output,
                &mut input,
                sys::ZSTD_EndDirective::ZSTD_e_flush,
            ))
            .is_ok();
            sys::ZSTD_CCtx_reset(ctx, sys::ZSTD_ResetDirective::ZSTD_reset_session_only);
            started
        }
    }

    /// Sets the context up with exactly `params`, forgetting earlier ones.
    pub fn apply(&mut self, params: &Params) -> Result<()> {
        let threads = params.get(Param::Threads).unwrap_or(0);
        if threads > 0 && self.workers().is_some_and(|count| count != threads) {
            *self = Cctx::create()?;
        }
        self.reset_parameters();
        for (param, value) in params.explicit() {
            self.set(param.raw(), value)
                .map_err(|code| param_error(param, value, code))?;
        }
        if threads > 0 {
            self.use_shared_workers(threads)?;
        }
        Ok(())
    }

    /// Forgets every parameter and the dictionary.
    pub fn reset_parameters(&mut self) {
        self.settle();
        // SAFETY: `ptr` is a live context. Resetting parameters between frames cannot fail.
        unsafe {
            sys::ZSTD_CCtx_reset(
                self.ptr.as_ptr(),
                sys::ZSTD_ResetDirective::ZSTD_reset_session_and_parameters,
            );
        }
        self.cdict = None;
    }

    /// Uses `cdict` for every following frame.
    pub fn ref_cdict(&mut self, cdict: Arc<Cdict>) -> Raw<()> {
        // SAFETY: both pointers are live, and the context keeps the `Arc` until it is reset or
        // freed, so the dictionary outlives every use libzstd makes of it.
        check(unsafe { sys::ZSTD_CCtx_refCDict(self.ptr.as_ptr(), cdict.as_ptr()) })?;
        self.cdict = Some(cdict);
        Ok(())
    }

    /// The worker count the context was set up with on the shared thread pool, if any.
    pub fn workers(&self) -> Option<i32> {
        self.workers.as_ref().map(|(_, count)| *count)
    }

    /// Runs this context's `count` libzstd workers on the shared thread pool. Set once per
    /// context: libzstd keeps the pool of its first multithreaded frame, and resizes it when the
    /// worker count changes, so a context that needs another count is replaced instead.
    pub fn use_shared_workers(&mut self, count: i32) -> Result<()> {
        if self.workers.is_some() {
            return Ok(());
        }
        let pool = workers::shared(count.max(1) as usize)?;
        // SAFETY: both pointers are live, and the context keeps the `Arc` until it is freed, so
        // the pool outlives every job the context posts to it.
        check(unsafe { sys::ZSTD_CCtx_refThreadPool(self.ptr.as_ptr(), pool.as_ptr()) })
            .map_err(encode_error)?;
        self.workers = Some((pool, count));
        Ok(())
    }

    /// Compresses `src` into one frame appended to `out`, within `out`'s spare capacity.
    pub fn compress(&mut self, src: &[u8], out: &mut Vec<u8>) -> Raw<()> {
        // SAFETY: the spare capacity is writable for its length, and libzstd initializes the
        // bytes it counts.
        let written = unsafe {
            fill(out, usize::MAX, |spare| {
                counted(self.compress_raw(src, spare.as_mut_ptr().cast(), spare.len()))
            })
        };
        written.map(drop)
    }

    /// Compresses `src` into one frame at the start of `dst`, returning its length.
    pub fn compress_into(&mut self, src: &[u8], dst: &mut [u8]) -> Raw<usize> {
        // SAFETY: `dst` is writable for its length.
        unsafe { self.compress_raw(src, dst.as_mut_ptr(), dst.len()) }
    }

    /// # Safety
    /// `dst` must be writable for `capacity` bytes.
    unsafe fn compress_raw(&mut self, src: &[u8], dst: *mut u8, capacity: usize) -> Raw<usize> {
        self.open = true;
        // SAFETY: `src` is readable for its length and the caller vouches for `dst`; libzstd
        // writes at most `capacity` bytes and returns how many.
        let result = check(unsafe {
            sys::ZSTD_compress2(
                self.ptr.as_ptr(),
                dst.cast(),
                capacity,
                src.as_ptr().cast(),
                src.len(),
            )
        });
        self.open = result.is_err();
        result
    }

    /// Declares the size of the next frame's content, recorded in its header and checked.
    pub fn set_pledged_size(&mut self, size: u64) -> Raw<()> {
        // SAFETY: `ptr` is a live context; libzstd refuses the call mid-frame.
        check(unsafe { sys::ZSTD_CCtx_setPledgedSrcSize(self.ptr.as_ptr(), size) }).map(drop)
    }

    /// One streaming step: compresses from `src[*pos..]` into `out`'s spare capacity with
    /// `directive`, advancing `pos` and `out`'s length. Returns libzstd's hint: for a flush or
    /// an end, the bytes still to write (0 when done).
    pub fn compress_stream(
        &mut self,
        out: &mut Vec<u8>,
        src: &[u8],
        pos: &mut usize,
        directive: sys::ZSTD_EndDirective,
    ) -> Raw<usize> {
        let mut input = in_buffer(src, *pos);
        let step = |spare: &mut [MaybeUninit<u8>]| {
            let mut output = out_buffer(spare);
            // SAFETY: the buffers describe the spare capacity and `src`; libzstd only writes
            // between `output.pos` and `output.size` and only reads `src`.
            let result = check(unsafe {
                sys::ZSTD_compressStream2(self.ptr.as_ptr(), &mut output, &mut input, directive)
            });
            (output.pos, result)
        };
        // SAFETY: libzstd initialized the spare capacity up to `output.pos`.
        let result = unsafe { fill(out, usize::MAX, step) };
        self.open = !(directive == sys::ZSTD_EndDirective::ZSTD_e_end && result == Ok(0));
        *pos = input.pos;
        result
    }

    /// Abandons the frame in progress, keeping the parameters and dictionary.
    pub fn reset_session(&mut self) {
        self.settle();
        // SAFETY: `ptr` is a live context; a session reset cannot fail.
        unsafe {
            sys::ZSTD_CCtx_reset(
                self.ptr.as_ptr(),
                sys::ZSTD_ResetDirective::ZSTD_reset_session_only,
            );
        }
    }

    /// Bytes held by the context, not counting a referenced dictionary.
    pub fn size(&self) -> usize {
        // SAFETY: `ptr` is a live context.
        unsafe { sys::ZSTD_sizeof_CCtx(self.ptr.as_ptr()) }
    }

    /// `(ingested, consumed, produced)` for the current or last frame.
    pub fn progression(&self) -> (u64, u64, u64) {
        // SAFETY: `ptr` is a live context; the call only reads it.
        let p = unsafe { sys::ZSTD_getFrameProgression(self.ptr.as_ptr()) };
        (p.ingested, p.consumed, p.produced)
    }
}

impl Drop for Cctx {
    fn drop(&mut self) {
        if self.open && self.workers.is_some() && !pool::in_job() {
            // Waiting for the jobs of an abandoned frame would hold up the dropping thread (the
            // JavaScript thread, when an encoder is garbage-collected) for as long as they take,
            // which is seconds at high levels: a pool worker waits and frees instead.
            let abandoned = Cctx {
                ptr: self.ptr,
                cdict: self.cdict.take(),
                workers: self.workers.take(),
                open: true,
            };
            pool::spawn(move || drop(abandoned), |_| {});
            return;
        }
        if !self.settle() {
            // Jobs may still use the context and its dictionary: leak both rather than free
            // memory in use.
            std::mem::forget(self.cdict.take());
            return;
        }
        // SAFETY: `ptr` came from ZSTD_createCCtx and is freed once, with no jobs in flight
        // (`settle`), before `cdict` and `workers` are released.
        unsafe { sys::ZSTD_freeCCtx(self.ptr.as_ptr()) };
    }
}
