//! An owned libzstd decompression context, holding its digested dictionary with an `Arc` (see
//! [`super::cctx`]).

use std::mem::MaybeUninit;
use std::ptr::NonNull;
use std::sync::Arc;

use zstd_safe::zstd_sys as sys;
use zstd_safe::ErrorCode;

use super::buffers::{in_buffer, out_buffer};
use super::dict::Ddict;
use super::error::{check, out_of_memory, Raw};
use crate::spare::fill;
use crate::{Error, ErrorKind, Result};

/// A decompression context, with the digested dictionary it references, if any.
pub(crate) struct Dctx {
    ptr: NonNull<sys::ZSTD_DCtx>,
    ddict: Option<Arc<Ddict>>,
}

// SAFETY: as for `Cctx`.
unsafe impl Send for Dctx {}

impl Dctx {
    pub fn create() -> Result<Self> {
        // SAFETY: plain constructor; a null return is handled.
        let ptr = NonNull::new(unsafe { sys::ZSTD_createDCtx() }).ok_or_else(out_of_memory)?;
        Ok(Dctx { ptr, ddict: None })
    }

    pub fn set(&mut self, param: sys::ZSTD_dParameter, value: i32) -> Raw<()> {
        // SAFETY: `ptr` is a live context; libzstd validates the parameter and value.
        check(unsafe { sys::ZSTD_DCtx_setParameter(self.ptr.as_ptr(), param, value) }).map(drop)
    }

    pub fn set_max_window_size(&mut self, size: usize) -> Raw<()> {
        // SAFETY: `ptr` is a live context; libzstd validates the size.
        check(unsafe { sys::ZSTD_DCtx_setMaxWindowSize(self.ptr.as_ptr(), size) }).map(drop)
    }

    /// Uses `ddict` for every following frame.
    pub fn ref_ddict(&mut self, ddict: Arc<Ddict>) -> Raw<()> {
        // SAFETY: both pointers are live, and the context keeps the `Arc` until it is freed.
        check(unsafe { sys::ZSTD_DCtx_refDDict(self.ptr.as_ptr(), ddict.as_ptr()) })?;
        self.ddict = Some(ddict);
        Ok(())
    }

    /// Forgets a partly decoded frame.
    pub fn reset_session(&mut self) {
        // SAFETY: `ptr` is a live context. Resetting the session cannot fail.
        unsafe {
            sys::ZSTD_DCtx_reset(
                self.ptr.as_ptr(),
                sys::ZSTD_ResetDirective::ZSTD_reset_session_only,
            );
        }
    }

    /// Decodes the complete frames in `src` into `dst`, returning the bytes written.
    pub fn decompress(&mut self, dst: &mut [u8], src: &[u8]) -> Raw<usize> {
        let (to, from) = (dst.as_mut_ptr().cast(), src.as_ptr().cast());
        // SAFETY: `dst` is writable and `src` readable for their lengths; libzstd writes at most
        // `dst.len()` bytes.
        check(unsafe {
            sys::ZSTD_decompressDCtx(self.ptr.as_ptr(), to, dst.len(), from, src.len())
        })
    }

    /// Decodes the one frame at the start of `src` into `dst` a block at a time (libzstd's
    /// bufferless API: each block decodes straight after the previous one, with no window
    /// buffer, as one-shot decoding does), calling `each(read, written)` after every step; an
    /// error from it stops the decoding. Returns the bytes written.
    pub fn decompress_blocks(
        &mut self,
        dst: &mut [u8],
        src: &[u8],
        fail: impl Fn(ErrorCode) -> Error,
        mut each: impl FnMut(usize, usize) -> Result<()>,
    ) -> Result<usize> {
        let ddict = self.ddict.as_ref().map_or(std::ptr::null(), |d| d.as_ptr());
        // SAFETY: `ptr` is live and `ddict` is null or the live dictionary the context holds.
        check(unsafe { sys::ZSTD_decompressBegin_usingDDict(self.ptr.as_ptr(), ddict) })
            .map_err(&fail)?;
        // One pointer for the whole frame: libzstd keeps pointers into earlier output.
        let (base, capacity) = (dst.as_mut_ptr(), dst.len());
        let (mut read, mut written) = (0, 0);
        loop {
            // SAFETY: `ptr` is live.
            let want = unsafe { sys::ZSTD_nextSrcSizeToDecompress(self.ptr.as_ptr()) };
            if want == 0 {
                return Ok(written);
            }
            if want > src.len() - read {
                return Err(Error::new(
                    ErrorKind::Truncated,
                    "zstd input ends in the middle of a frame",
                ));
            }
            // SAFETY: `src[read..read + want]` is readable, and `dst` is writable from `written`
            // to its end (libzstd writes at most that much). Matches reach back into
            // `dst[..written]`, this frame's earlier output, which is in place and unchanged:
            // `dst` is borrowed exclusively for the whole frame.
            let n = check(unsafe {
                sys::ZSTD_decompressContinue(
                    self.ptr.as_ptr(),
                    base.add(written).cast(),
                    capacity - written,
                    src[read..].as_ptr().cast(),
                    want,
                )
            })
            .map_err(&fail)?;
            read += want;
            written += n;
            each(want, n)?;
        }
    }

    /// Decodes the frame in `src` into `dst` with `prefix` as raw-content dictionary, then
    /// returns the context to no dictionary at all.
    pub fn decompress_with_prefix(
        &mut self,
        dst: &mut [u8],
        src: &[u8],
        prefix: &[u8],
    ) -> Raw<usize> {
        // SAFETY: libzstd references `prefix` (readable for its length) for the next frame
        // only; the reference is dropped below, before `prefix`'s borrow ends.
        check(unsafe {
            sys::ZSTD_DCtx_refPrefix(self.ptr.as_ptr(), prefix.as_ptr().cast(), prefix.len())
        })?;
        let result = self.decompress(dst, src);
        // SAFETY: a null prefix clears any dictionary; this cannot fail between frames.
        unsafe { sys::ZSTD_DCtx_refPrefix(self.ptr.as_ptr(), std::ptr::null(), 0) };
        self.ddict = None;
        result
    }

    /// One streaming step: decodes from `src[*pos..]` into `out`'s spare capacity, up to a
    /// length of `max_len`, advancing `pos` and `out`'s length. Returns 0 once a frame is complete.
    pub fn decompress_stream(
        &mut self,
        out: &mut Vec<u8>,
        max_len: usize,
        src: &[u8],
        pos: &mut usize,
    ) -> Raw<usize> {
        let mut input = in_buffer(src, *pos);
        let step = |spare: &mut [MaybeUninit<u8>]| {
            let mut output = out_buffer(spare);
            // SAFETY: the buffers describe the spare capacity and `src`; libzstd only writes
            // between `output.pos` and `output.size` and only reads `src`.
            let result = check(unsafe {
                sys::ZSTD_decompressStream(self.ptr.as_ptr(), &mut output, &mut input)
            });
            (output.pos, result)
        };
        let room = max_len.saturating_sub(out.len());
        // SAFETY: libzstd initialized the spare capacity up to `output.pos`.
        let result = unsafe { fill(out, room, step) };
        *pos = input.pos;
        result
    }

    /// Bytes held by the context, not counting a referenced dictionary.
    pub fn size(&self) -> usize {
        // SAFETY: `ptr` is a live context.
        unsafe { sys::ZSTD_sizeof_DCtx(self.ptr.as_ptr()) }
    }
}

impl Drop for Dctx {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from ZSTD_createDCtx and is freed once, before `ddict` is released.
        unsafe { sys::ZSTD_freeDCtx(self.ptr.as_ptr()) };
    }
}
