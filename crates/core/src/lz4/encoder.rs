//! Incremental LZ4 frame compression: python-lz4's `compress_begin`, `compress_chunk` and
//! `compress_flush` over one context.

use super::compress::FrameOptions;
use super::ctx::Cctx;
use super::error::not_started;
use super::ffi;
use crate::incremental::{Encode, Flush};
use crate::spare::append;
use crate::{Error, ErrorKind, Result};

/// A compression context and the frame in progress, if any.
pub struct FrameEncoder {
    cctx: Cctx,
    /// The preferences of the frame in progress.
    frame: Option<ffi::LZ4F_preferences_t>,
}

impl FrameEncoder {
    pub fn new() -> Result<Self> {
        Ok(FrameEncoder {
            cctx: Cctx::create()?,
            frame: None,
        })
    }

    /// Starts a frame, appending its header to `out`. `source_size` is recorded in the header
    /// when not 0; the frame must then hold exactly that many bytes.
    pub fn begin(
        &mut self,
        options: &FrameOptions,
        source_size: u64,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        if self.frame.is_some() {
            return Err(Error::new(
                ErrorKind::InvalidState,
                "an lz4 frame is already in progress: end it before beginning another",
            ));
        }
        let prefs = options.preferences(source_size);
        // SAFETY: liblz4 reports exactly the bytes it wrote at the start of the slice.
        unsafe {
            append(out, ffi::LZ4F_HEADER_SIZE_MAX, |dst| {
                self.cctx.begin(&prefs, dst)
            })
        }?;
        self.frame = Some(prefs);
        Ok(())
    }

    /// A failed step abandons the frame.
    fn settle(&mut self, result: Result<usize>) -> Result<()> {
        if result.is_err() {
            self.frame = None;
        }
        result.map(drop)
    }
}

impl Encode for FrameEncoder {
    /// Compresses `src`, appending what is ready to `out` (nothing, without auto-flush, until
    /// a block fills).
    fn update(&mut self, src: &[u8], out: &mut Vec<u8>) -> Result<()> {
        let prefs = self.frame.ok_or_else(not_started)?;
        // SAFETY: a pure function of its arguments.
        let bound = unsafe { ffi::LZ4F_compressBound(src.len(), &prefs) };
        let cctx = &mut self.cctx;
        // SAFETY: liblz4 reports exactly the bytes it wrote at the start of the slice.
        let result = unsafe { append(out, bound, |dst| cctx.update(src, dst)) };
        self.settle(result)
    }

    /// Appends the buffered input to `out` as a block; [`Flush::Frame`] also ends the frame,
    /// after which the encoder can begin another.
    fn flush(&mut self, flush: Flush, out: &mut Vec<u8>) -> Result<()> {
        let end = flush == Flush::Frame;
        let prefs = self.frame.ok_or_else(not_started)?;
        // SAFETY: a pure function of its arguments.
        let bound = unsafe { ffi::LZ4F_compressBound(0, &prefs) };
        let cctx = &mut self.cctx;
        // SAFETY: liblz4 reports exactly the bytes it wrote at the start of the slice.
        let result = unsafe { append(out, bound, |dst| cctx.flush(end, dst)) };
        if end {
            self.frame = None;
        }
        self.settle(result)
    }

    fn finish(&mut self, out: &mut Vec<u8>) -> Result<()> {
        self.flush(Flush::Frame, out)
    }
}
