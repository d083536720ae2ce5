//! Owned liblz4 frame contexts.

use std::mem::MaybeUninit;
use std::ptr::{self, NonNull};

use super::error::{check, Raw};
use super::ffi;
use crate::{Error, ErrorKind, Result};

fn out_of_memory() -> Error {
    Error::new(ErrorKind::Memory, "out of memory creating an lz4 context")
}

/// Appends to `out` what `write` puts in its spare capacity, after reserving `capacity` bytes.
/// `write` gets the spare memory and returns how many bytes it initialized.
///
/// # Safety
/// `write` must initialize at least as many bytes, from the start of the slice, as it returns.
pub(crate) unsafe fn append(
    out: &mut Vec<u8>,
    capacity: usize,
    write: impl FnOnce(&mut [MaybeUninit<u8>]) -> Result<usize>,
) -> Result<usize> {
    crate::limits::reserve(out, capacity)?;
    let written = write(&mut out.spare_capacity_mut()[..capacity])?.min(capacity);
    // SAFETY: the caller's `write` initialized the first `written` bytes of the spare capacity.
    unsafe { out.set_len(out.len() + written) };
    Ok(written)
}

/// A frame compression context.
pub(crate) struct Cctx(NonNull<ffi::LZ4F_cctx>);

// SAFETY: an LZ4F context has no thread affinity; `&mut self` on every call that uses it means
// one thread at a time.
unsafe impl Send for Cctx {}

impl Cctx {
    pub fn create() -> Result<Self> {
        let mut ptr = ptr::null_mut();
        // SAFETY: `ptr` is a valid out-pointer; a failure leaves it null, which is handled.
        let code = unsafe { ffi::LZ4F_createCompressionContext(&mut ptr, ffi::LZ4F_VERSION) };
        match (check(code), NonNull::new(ptr)) {
            (Ok(_), Some(ptr)) => Ok(Cctx(ptr)),
            _ => Err(out_of_memory()),
        }
    }

    /// Compresses `src` into one whole frame in `dst`, which must hold
    /// `LZ4F_compressFrameBound(src.len(), prefs)` bytes.
    pub fn compress_frame(
        &mut self,
        src: &[u8],
        prefs: &ffi::LZ4F_preferences_t,
        dst: &mut [MaybeUninit<u8>],
    ) -> Raw<usize> {
        // SAFETY: the context is live; `src` and `dst` are valid for their lengths and do not
        // overlap (`dst` is exclusively borrowed); no dictionary.
        check(unsafe {
            ffi::LZ4F_compressFrame_usingCDict(
                self.0.as_ptr(),
                dst.as_mut_ptr().cast(),
                dst.len(),
                src.as_ptr().cast(),
                src.len(),
                ptr::null(),
                prefs,
            )
        })
    }

    /// Starts a frame: writes its header (at most `LZ4F_HEADER_SIZE_MAX` bytes) to `dst`.
    pub fn begin(
        &mut self,
        prefs: &ffi::LZ4F_preferences_t,
        dst: &mut [MaybeUninit<u8>],
    ) -> Raw<usize> {
        // SAFETY: the context is live and `dst` is valid for its length.
        check(unsafe {
            ffi::LZ4F_compressBegin(self.0.as_ptr(), dst.as_mut_ptr().cast(), dst.len(), prefs)
        })
    }

    /// Compresses `src` into `dst`, which must hold `LZ4F_compressBound(src.len(), prefs)`.
    pub fn update(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Raw<usize> {
        let options = ffi::LZ4F_compressOptions_t::default();
        // SAFETY: the context is live; `src` and `dst` are valid for their lengths and do not
        // overlap. `stableSrc` is 0, so liblz4 copies what it keeps of `src` for later blocks.
        unsafe { self.update_with(src, dst, &options) }
    }

    /// As [`Cctx::update`], for consecutive pieces of one input that stays in place until the
    /// frame ends: liblz4 then reads earlier pieces where they are, as `LZ4F_compressFrame` does.
    ///
    /// # Safety
    /// `src` must directly follow the piece of the previous call in memory, and every piece of
    /// the frame must stay in place, unchanged, until the frame ends.
    pub unsafe fn update_stable(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Raw<usize> {
        let options = ffi::LZ4F_compressOptions_t {
            stableSrc: 1,
            ..Default::default()
        };
        // SAFETY: as for `update`; the caller keeps the earlier pieces in place.
        unsafe { self.update_with(src, dst, &options) }
    }

    /// # Safety
    /// As [`Cctx::update_stable`] when `options.stableSrc` is set.
    unsafe fn update_with(
        &mut self,
        src: &[u8],
        dst: &mut [MaybeUninit<u8>],
        options: &ffi::LZ4F_compressOptions_t,
    ) -> Raw<usize> {
        // SAFETY: the context is live; `src` and `dst` are valid for their lengths and do not
        // overlap; the caller vouches for `stableSrc`.
        check(unsafe {
            ffi::LZ4F_compressUpdate(
                self.0.as_ptr(),
                dst.as_mut_ptr().cast(),
                dst.len(),
                src.as_ptr().cast(),
                src.len(),
                options,
            )
        })
    }

    /// Writes out buffered input as a block, or ends the frame when `end`; `dst` must hold
    /// `LZ4F_compressBound(0, prefs)`.
    pub fn flush(&mut self, end: bool, dst: &mut [MaybeUninit<u8>]) -> Raw<usize> {
        let options = ffi::LZ4F_compressOptions_t::default();
        let f = if end {
            ffi::LZ4F_compressEnd
        } else {
            ffi::LZ4F_flush
        };
        // SAFETY: the context is live and `dst` is valid for its length.
        check(unsafe {
            f(
                self.0.as_ptr(),
                dst.as_mut_ptr().cast(),
                dst.len(),
                &options,
            )
        })
    }
}

impl Drop for Cctx {
    fn drop(&mut self) {
        // SAFETY: the context is live and not used again.
        unsafe { ffi::LZ4F_freeCompressionContext(self.0.as_ptr()) };
    }
}

/// What one decompression step did.
pub(crate) struct Step {
    pub read: usize,
    pub written: usize,
    /// liblz4's hint of how many more input bytes it wants; 0 when a frame just ended.
    pub hint: usize,
}

/// A frame decompression context.
pub(crate) struct Dctx {
    ptr: NonNull<ffi::LZ4F_dctx>,
    /// The largest block size of the frames decoded so far, which sizes liblz4's buffers.
    pub largest_block: usize,
}

// SAFETY: as for `Cctx`.
unsafe impl Send for Dctx {}

impl Dctx {
    pub fn create() -> Result<Self> {
        let mut ptr = ptr::null_mut();
        // SAFETY: `ptr` is a valid out-pointer; a failure leaves it null, which is handled.
        let code = unsafe { ffi::LZ4F_createDecompressionContext(&mut ptr, ffi::LZ4F_VERSION) };
        match (check(code), NonNull::new(ptr)) {
            (Ok(_), Some(ptr)) => Ok(Dctx {
                ptr,
                largest_block: 0,
            }),
            _ => Err(out_of_memory()),
        }
    }

    /// Forgets any frame in progress.
    pub fn reset(&mut self) {
        // SAFETY: the context is live; resetting always succeeds.
        unsafe { ffi::LZ4F_resetDecompressionContext(self.ptr.as_ptr()) };
    }

    /// Decodes from `src` into `dst`.
    ///
    /// # Safety
    /// With `stable_dst`, the frame's earlier output must sit right before `dst` and stay there
    /// until the frame ends: liblz4 reads it as the history of linked blocks.
    pub unsafe fn decompress(
        &mut self,
        src: &[u8],
        dst: &mut [MaybeUninit<u8>],
        stable_dst: bool,
    ) -> Raw<Step> {
        let options = ffi::LZ4F_decompressOptions_t {
            stableDst: stable_dst as u32,
            ..Default::default()
        };
        let mut written = dst.len();
        let mut read = src.len();
        // SAFETY: the context is live; `src` and `dst` are valid for the lengths passed, which
        // liblz4 overwrites with the amounts consumed and produced. Callers that pass
        // `stable_dst` keep the frame's earlier output in place (see above).
        let hint = check(unsafe {
            ffi::LZ4F_decompress(
                self.ptr.as_ptr(),
                dst.as_mut_ptr().cast(),
                &mut written,
                src.as_ptr().cast(),
                &mut read,
                &options,
            )
        })?;
        Ok(Step {
            read,
            written,
            hint,
        })
    }
}

impl Drop for Dctx {
    fn drop(&mut self) {
        // SAFETY: the context is live and not used again.
        unsafe { ffi::LZ4F_freeDecompressionContext(self.ptr.as_ptr()) };
    }
}

/// `&mut [u8]` as the `MaybeUninit` slice the contexts write to.
///
/// # Safety
/// Only initialized bytes may be written through the result (liblz4 writes only output bytes).
pub(crate) unsafe fn uninit(dst: &mut [u8]) -> &mut [MaybeUninit<u8>] {
    // SAFETY: `MaybeUninit<u8>` has the layout of `u8`; the caller keeps the bytes initialized.
    unsafe { &mut *(dst as *mut [u8] as *mut [MaybeUninit<u8>]) }
}
