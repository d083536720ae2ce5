//! Incremental zstd decompression: python-zstandard's `decompressobj`, over a context of its own
//! set up as its decompressor's.

use super::ctx::Dctx;
use super::decompressor::Decompressor;
use super::error::decode_error;
use crate::error::bytes;
use crate::limits::reserve;
use crate::step::Steps;
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
    steps: Steps,
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
            steps: Steps::default(),
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

    /// The last step stopped at its output limit: a step with an empty chunk gives more output.
    pub fn pending(&self) -> bool {
        self.steps.pending()
    }

    /// Decodes `src`, appending all of its output to `out`.
    pub fn update(&mut self, src: &[u8], out: &mut Vec<u8>) -> Result<()> {
        self.step(src, usize::MAX, out)
    }

    /// Decodes any input held from the last step, then `src`, appending to `out` until this step
    /// has produced about `limit` bytes (up to one block more); the input left is held for the
    /// next step, and [`Decoder::pending`] says whether there is more to come.
    pub fn step(&mut self, src: &[u8], limit: usize, out: &mut Vec<u8>) -> Result<()> {
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
        let mut steps = std::mem::take(&mut self.steps);
        let result = steps.run(src, |input| self.decode(input, limit, out));
        self.steps = steps;
        if result.is_err() {
            self.failed = true;
        }
        result
    }

    /// Decodes from `src` until it is used up or this call's output reaches `limit`; returns the
    /// bytes of `src` used and whether it stopped at the limit.
    fn decode(&mut self, src: &[u8], limit: usize, out: &mut Vec<u8>) -> Result<(usize, bool)> {
        let start = out.len();
        let mut pos = 0;
        loop {
            if out.capacity() - out.len() < STEP {
                reserve(out, STEP.max(out.len() - start).min(limit.max(STEP)))?;
            }
            let end = out.capacity().min(start.saturating_add(limit));
            let (before, started) = (out.len(), pos);
            let hint = self
                .dctx
                .decompress_stream(out, end, src, &mut pos)
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
                    return Ok((src.len(), false));
                }
            } else if pos > started || written > 0 {
                self.in_frame = true;
            }
            // All input taken and the output not full: nothing more is ready.
            if pos == src.len() && out.len() < end {
                return Ok((pos, false));
            }
            if out.len() - start >= limit {
                return Ok((pos, true));
            }
        }
    }

    /// Checks that the input ended at a frame boundary.
    pub fn finish(&self) -> Result<()> {
        self.steps.finish(self.failed, self.in_frame, "zstd")
    }
}
