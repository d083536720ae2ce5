//! Incremental zstd compression: python-zstandard's `compressobj`, over a context of its own set
//! up as its compressor's.

use zstd_safe::zstd_sys::ZSTD_EndDirective as Directive;

use super::cctx::Cctx;
use super::compressor::Compressor;
use super::error::encode_error;
use crate::error::ensure;
use crate::incremental::{Encode, Flush};
use crate::limits::make_room;
use crate::{ErrorKind, Result};

/// Output room added per streaming step (libzstd's `ZSTD_CStreamOutSize`, one block and then some).
const STEP_ROOM: usize = 128 << 10;

pub struct Encoder {
    cctx: Cctx,
    /// The size the next frame was pledged to have, set again after each frame ends.
    pledged: Option<u64>,
    /// A frame has begun (input or a block flush since the last frame ended).
    in_frame: bool,
    /// Some frame has ended.
    ended_frame: bool,
    finished: bool,
}

impl Encoder {
    /// An encoder with `compressor`'s settings. `pledged_size`, when given, is recorded in the
    /// first frame's header, and input of another size fails rather than make a wrong frame.
    pub fn new(compressor: &Compressor, pledged_size: Option<u64>) -> Result<Self> {
        let mut encoder = Encoder {
            cctx: compressor.create_context()?,
            pledged: pledged_size,
            in_frame: false,
            ended_frame: false,
            finished: false,
        };
        encoder.pledge()?;
        Ok(encoder)
    }

    fn pledge(&mut self) -> Result<()> {
        if let Some(size) = self.pledged {
            self.cctx.set_pledged_size(size).map_err(encode_error)?;
        }
        Ok(())
    }

    fn check_open(&self) -> Result<()> {
        ensure(
            !self.finished,
            ErrorKind::Closed,
            "the encoder is finished: final() has been called",
        )
    }

    fn end_frame(&mut self, out: &mut Vec<u8>) -> Result<()> {
        if !self.in_frame {
            return Ok(());
        }
        self.drain(Directive::ZSTD_e_end, out)?;
        self.in_frame = false;
        self.ended_frame = true;
        // A pledge covers one frame; the frames after it record no size.
        self.pledged = None;
        Ok(())
    }

    fn drain(&mut self, directive: Directive, out: &mut Vec<u8>) -> Result<()> {
        let mut pos = 0;
        while self.step(&[], &mut pos, directive, out)? > 0 {}
        Ok(())
    }

    fn step(
        &mut self,
        src: &[u8],
        pos: &mut usize,
        directive: Directive,
        out: &mut Vec<u8>,
    ) -> Result<usize> {
        if out.capacity() - out.len() < STEP_ROOM {
            make_room(out, STEP_ROOM)?;
        }
        let result = self.cctx.compress_stream(out, src, pos, directive);
        result.map_err(|code| {
            // The frame is lost; the next input starts a fresh one.
            self.cctx.reset_session();
            self.in_frame = false;
            self.pledged = None;
            encode_error(code)
        })
    }
}

impl Encode for Encoder {
    fn update(&mut self, src: &[u8], out: &mut Vec<u8>) -> Result<()> {
        self.check_open()?;
        if src.is_empty() {
            return Ok(());
        }
        self.in_frame = true;
        let mut pos = 0;
        while pos < src.len() {
            self.step(src, &mut pos, Directive::ZSTD_e_continue, out)?;
        }
        Ok(())
    }

    fn flush(&mut self, flush: Flush, out: &mut Vec<u8>) -> Result<()> {
        self.check_open()?;
        match flush {
            Flush::Block => {
                self.in_frame = true;
                self.drain(Directive::ZSTD_e_flush, out)
            }
            Flush::Frame => self.end_frame(out),
        }
    }

    /// Ends the frame in progress, or writes an empty frame if none was ever written.
    fn finish(&mut self, out: &mut Vec<u8>) -> Result<()> {
        self.check_open()?;
        self.in_frame |= !self.ended_frame;
        let result = self.end_frame(out);
        self.finished = true;
        result
    }
}
