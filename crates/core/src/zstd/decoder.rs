//! Incremental zstd decompression: python-zstandard's `decompressobj`, over a context of its own
//! set up as its decompressor's.
//!
//! Each frame's header is checked before libzstd sees it, so that every chunking of an input
//! gets the answer the one-shot decoder gives: the window limit applies to the window memory the
//! frame needs, `min(window size, content size)` (what libzstd allocates for a frame that records
//! its size, `ZSTD_decodingBufferSize_internal`), a frame must decode to the content size its
//! header records (libzstd's streaming API does not check that when the frame ends in an empty
//! block), and no block may exceed the frame's block size (which libzstd does not check when it
//! decodes a whole frame in one pass).

use super::blocks::{BlockWalk, Stop};
use super::dctx::Dctx;
use super::error::decode_error;
use super::frame::{frame_parameters, Setup};
use crate::error::{bytes, ensure};
use crate::incremental::Decode;
use crate::limits::make_room;
use crate::step::{self, Steps};
use crate::{Error, ErrorKind, Limit, Result};

/// Output room added per streaming step (libzstd's `ZSTD_DStreamOutSize`: one block).
const STEP_ROOM: usize = 128 << 10;

pub struct Decoder {
    dctx: Dctx,
    setup: Setup,
    read_across_frames: bool,
    max_output_size: u64,
    produced: u64,
    /// Input bytes decoded so far.
    consumed: u64,
    /// The frame being decoded, once its header has been checked.
    frame: Option<Frame>,
    /// Its block headers, checked as they arrive.
    blocks: BlockWalk,
    /// The (only) frame has ended: `read_across_frames` is off.
    eof: bool,
    unused: Vec<u8>,
    steps: Steps,
    failed: bool,
}

/// What the decoder knows of the frame it is decoding.
struct Frame {
    /// The content size its header records (none for a skippable frame).
    content_size: Option<u64>,
    /// A skippable frame: it does not count as the first frame when `read_across_frames` is off.
    skippable: bool,
    dict_id: u32,
    produced: u64,
}

impl Decoder {
    /// A decoder over `dctx`, set up as `setup` says, producing at most `max_output_size` bytes
    /// in all (see `Decompressor::create_decoder`).
    pub(crate) fn new(
        dctx: Dctx,
        setup: &Setup,
        read_across_frames: bool,
        max_output_size: u64,
    ) -> Self {
        Decoder {
            dctx,
            setup: *setup,
            read_across_frames,
            max_output_size,
            produced: 0,
            consumed: 0,
            frame: None,
            blocks: BlockWalk::default(),
            eof: false,
            unused: Vec::new(),
            steps: Steps::default(),
            failed: false,
        }
    }

    /// The frame has ended and `read_across_frames` is off: further input is not decoded.
    pub fn eof(&self) -> bool {
        self.eof
    }

    /// The input after the end of the frame, once `eof`.
    pub fn unused_data(&self) -> &[u8] {
        &self.unused
    }

    /// Decodes `src`, appending all of its output to `out`. After the end of the frame (`eof`),
    /// input is refused.
    pub fn update(&mut self, src: &[u8], out: &mut Vec<u8>) -> Result<()> {
        self.check_usable()?;
        if self.eof {
            return Err(Error::new(
                ErrorKind::Closed,
                "the frame has ended; the input after it is kept as unused data",
            ));
        }
        self.step(src, usize::MAX, out)
    }

    fn check_usable(&self) -> Result<()> {
        ensure(
            !self.failed,
            ErrorKind::InvalidState,
            "the decoder failed on bad data and cannot continue",
        )
    }

    /// Decodes from `src` until it is used up or this call's output reaches `limit`; returns the
    /// bytes of `src` used and whether it stopped at the limit. A frame header cut off at the
    /// end of `src` is left unused, for the next step.
    fn decode(&mut self, src: &[u8], limit: usize, out: &mut Vec<u8>) -> Result<(usize, bool)> {
        let start = out.len();
        let mut pos = 0;
        loop {
            if self.frame.is_none() {
                if pos == src.len() {
                    return Ok((pos, false));
                }
                match self.begin_frame(&src[pos..]) {
                    Ok(frame) => self.frame = Some(frame),
                    Err(e) if e.kind == ErrorKind::Truncated => return Ok((pos, false)),
                    Err(e) => return Err(e),
                }
            }
            let frame = self.frame.as_mut().expect("a frame has begun");
            if out.capacity() - out.len() < STEP_ROOM {
                make_room(
                    out,
                    STEP_ROOM.max(out.len() - start).min(limit.max(STEP_ROOM)),
                )?;
            }
            // Room for one byte past the output limit at most: libzstd stops there, so the limit
            // is met before anything later in the input, as decoding in order meets it.
            let budget = self.max_output_size.saturating_sub(self.produced);
            let budget = usize::try_from(budget).unwrap_or(usize::MAX);
            let end = (out.capacity().min(start.saturating_add(limit)))
                .min(out.len().saturating_add(budget).saturating_add(1));
            let (before, started) = (out.len(), pos);
            // libzstd gets the input up to a bad block header, if there is one.
            let usable = pos + self.blocks.scan(&src[pos..], self.consumed);
            let hint = self
                .dctx
                .decompress_stream(out, end, &src[..usable], &mut pos)
                .map_err(|code| decode_error(code, frame.dict_id))?;
            self.consumed += (pos - started) as u64;
            let written = (out.len() - before) as u64;
            self.produced += written;
            frame.produced += written;
            if self.produced > self.max_output_size {
                return Err(Error::over(
                    ErrorKind::OutputLimit,
                    Limit::Output,
                    format!(
                        "decompressed data exceeds the output limit ({})",
                        bytes(self.max_output_size)
                    ),
                ));
            }
            // Input used up to a stop, and all output out: decoding has reached it.
            let stop = if pos == usable && out.len() < end {
                self.blocks.reached(self.consumed)
            } else {
                None
            };
            if let Some(Stop::Bad(error)) = stop {
                return Err(error);
            }
            let blocks_end = hint == 0 || matches!(stop, Some(Stop::BlocksEnd));
            if frame
                .content_size
                .is_some_and(|n| frame.produced > n || (blocks_end && frame.produced != n))
            {
                return Err(Error::new(
                    ErrorKind::Corrupt,
                    "corrupt zstd data: the frame decodes to a different size than its header \
                     records",
                ));
            }
            if hint == 0 {
                let skippable = frame.skippable;
                self.frame = None;
                self.blocks = BlockWalk::default();
                if !self.read_across_frames && !skippable {
                    self.eof = true;
                    self.unused.extend_from_slice(&src[pos..]);
                    return Ok((src.len(), false));
                }
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

    /// Checks the frame at the start of `rest` against the output limit, then as the one-shot
    /// walk does (`Truncated` if the header is not all there yet).
    fn begin_frame(&mut self, rest: &[u8]) -> Result<Frame> {
        let header = frame_parameters(rest, self.setup.format)?;
        if header.skippable {
            self.blocks = BlockWalk::default();
            return Ok(Frame {
                content_size: None,
                skippable: true,
                dict_id: 0,
                produced: 0,
            });
        }
        if let Some(n) = header.content_size {
            let claimed = self.produced.saturating_add(n);
            if claimed > self.max_output_size {
                return Err(Error::over(
                    ErrorKind::OutputLimit,
                    Limit::Output,
                    format!(
                        "decompressed data would be at least {}, over the output limit ({})",
                        bytes(claimed),
                        bytes(self.max_output_size)
                    ),
                ));
            }
        }
        let offset = usize::try_from(self.consumed).unwrap_or(usize::MAX);
        self.setup.check_frame(rest, offset)?;
        let first_block = self.consumed + header.header_size as u64;
        self.blocks.begin(first_block, header.window_size);
        Ok(Frame {
            content_size: header.content_size,
            skippable: false,
            dict_id: header.dict_id,
            produced: 0,
        })
    }
}

impl Decode for Decoder {
    /// Steps produce up to one block more than `limit`.
    fn step(&mut self, src: &[u8], limit: usize, out: &mut Vec<u8>) -> Result<()> {
        self.check_usable()?;
        if self.eof {
            return Ok(());
        }
        let result = step::run(
            self,
            |d| &mut d.steps,
            src,
            |d, input| d.decode(input, limit, out),
        );
        if result.is_err() {
            self.failed = true;
        }
        result
    }

    fn pending(&self) -> bool {
        self.steps.pending()
    }

    fn finish(&self) -> Result<()> {
        self.check_usable()?;
        self.steps.finish(self.frame.is_some(), "zstd")
    }
}
