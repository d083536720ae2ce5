//! Incremental zstd decompression: python-zstandard's `decompressobj`, over a context of its own
//! set up as its decompressor's.

use super::ctx::Dctx;
use super::decompressor::Decompressor;
use super::error::decode_error;
use crate::error::bytes;
use crate::limits::reserve;
use crate::{Error, ErrorKind, Result};

/// Output room added per streaming step (libzstd's `ZSTD_DStreamOutSize`: one block).
const STEP: usize = 128 << 10;

pub struct Decoder {
    dctx: Dctx,
    read_across_frames: bool,
    max_output_size: u64,
    produced: u64,
    /// Input has started a frame that has not ended.
    in_frame: bool,
    /// The (only) frame has ended: `read_across_frames` is off.
    eof: bool,
    unused: Vec<u8>,
    failed: bool,
}

impl Decoder {
    /// A decoder with `decompressor`'s settings, producing at most `max_output_size` bytes in all.
    pub fn new(
        decompressor: &Decompressor,
        read_across_frames: bool,
        max_output_size: u64,
    ) -> Result<Self> {
        Ok(Decoder {
            dctx: decompressor.create_context(true)?,
            read_across_frames,
            max_output_size,
            produced: 0,
            in_frame: false,
            eof: false,
            unused: Vec::new(),
            failed: false,
        })
    }

    /// The frame has ended and `read_across_frames` is off: further input is not decoded.
    pub fn eof(&self) -> bool {
        self.eof
    }

    /// The input after the end of the frame, once `eof`.
    pub fn unused_data(&self) -> &[u8] {
        &self.unused
    }

    /// Decodes `src`, appending the output to `out`.
    pub fn update(&mut self, src: &[u8], out: &mut Vec<u8>) -> Result<()> {
        if self.failed {
            return Err(Error::new(
                ErrorKind::InvalidState,
                "the decoder failed on bad data and cannot continue",
            ));
        }
        if self.eof {
            return Err(Error::new(
                ErrorKind::Closed,
                "the frame has ended (eof); unusedData holds the bytes after it",
            ));
        }
        let result = self.decode(src, out);
        if result.is_err() {
            self.failed = true;
        }
        result
    }

    fn decode(&mut self, src: &[u8], out: &mut Vec<u8>) -> Result<()> {
        let mut pos = 0;
        loop {
            if out.capacity() - out.len() < STEP {
                reserve(out, STEP.max(out.len()))?;
            }
            let (before, started) = (out.len(), pos);
            let hint = self
                .dctx
                .decompress_stream(out, src, &mut pos)
                .map_err(|code| decode_error(code, 0))?;
            let written = out.len() - before;
            self.produced += written as u64;
            if self.produced > self.max_output_size {
                return Err(Error::new(
                    ErrorKind::OutputLimit,
                    format!(
                        "decompressed data exceeds maxOutputSize ({})",
                        bytes(self.max_output_size)
                    ),
                ));
            }
            if hint == 0 {
                self.in_frame = false;
                if !self.read_across_frames {
                    self.eof = true;
                    self.unused.extend_from_slice(&src[pos..]);
                    return Ok(());
                }
            } else if pos > started || written > 0 {
                self.in_frame = true;
            }
            // All input taken and the output not full: nothing more is ready.
            if pos == src.len() && out.len() < out.capacity() {
                return Ok(());
            }
        }
    }

    /// Checks that the input ended at a frame boundary.
    pub fn finish(&self) -> Result<()> {
        if self.in_frame && !self.failed {
            return Err(Error::new(
                ErrorKind::Truncated,
                "zstd input ends in the middle of a frame",
            ));
        }
        Ok(())
    }
}
