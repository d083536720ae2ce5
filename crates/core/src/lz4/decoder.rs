//! Incremental LZ4 frame decompression: python-lz4's `decompress_chunk` over one context.

use super::ctx::Dctx;
use super::error::decode_error;
use super::ffi::LZ4F_HEADER_SIZE_MAX;
use super::frame::{header, needs_dictionary};
use crate::error::{bytes, ensure};
use crate::incremental::Decode;
use crate::spare::append;
use crate::step::{self, Steps};
use crate::{Error, ErrorKind, Limit, Result};

/// The first output room per call, when the caller sets no smaller limit.
const FIRST_ROOM: usize = 64 << 10;

/// A decompression context, fed a frame chunk by chunk.
pub struct FrameDecoder {
    dctx: Dctx,
    /// A chunk failed: the context is mid-frame in an unknown state until reset.
    failed: bool,
    /// Input has started a frame that has not ended.
    in_frame: bool,
    /// The bytes of the current frame's header given so far, until it is all there and checked.
    header: Option<Vec<u8>>,
    /// Input consumed since the decoder was made or reset, and where the current frame starts.
    consumed: u64,
    frame_start: u64,
    /// The most output its steps ([`Decode::step`]) may produce in all.
    max_output_size: u64,
    /// The output its steps have produced so far.
    produced: u64,
    /// Bounded steps.
    steps: Steps,
}

/// What one chunk did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// Input bytes consumed; fewer than given when a frame ended or the output limit was hit.
    pub bytes_read: usize,
    /// A frame ended within this chunk (the context is then ready for the next frame).
    pub end_of_frame: bool,
}

impl FrameDecoder {
    pub fn new() -> Result<Self> {
        Self::with_limit(u64::MAX)
    }

    /// A decoder whose steps fail once their output exceeds `max_output_size` in all.
    pub fn with_limit(max_output_size: u64) -> Result<Self> {
        Ok(FrameDecoder {
            dctx: Dctx::create()?,
            failed: false,
            in_frame: false,
            header: Some(Vec::new()),
            consumed: 0,
            frame_start: 0,
            max_output_size,
            produced: 0,
            steps: Steps::default(),
        })
    }

    /// Forgets the frame in progress, and any failure.
    pub fn reset(&mut self) {
        self.dctx.reset();
        self.failed = false;
        self.in_frame = false;
        self.header = Some(Vec::new());
        self.consumed = 0;
        self.frame_start = 0;
        self.steps.clear();
    }

    /// Decodes from `src`, appending at most `max_length` bytes to `out`. Stops at the end of a
    /// frame. Output that did not fit stays buffered for the next call, which may pass an empty
    /// chunk to drain it.
    pub fn decompress(
        &mut self,
        src: &[u8],
        max_length: usize,
        out: &mut Vec<u8>,
    ) -> Result<Chunk> {
        self.steps.saw(src);
        self.decode(src, max_length, u64::MAX, out)
    }

    /// [`FrameDecoder::decompress`], refusing a frame whose header claims more than `budget`.
    fn decode(
        &mut self,
        src: &[u8],
        max_length: usize,
        budget: u64,
        out: &mut Vec<u8>,
    ) -> Result<Chunk> {
        self.check_usable()?;
        let mut read = 0;
        let mut produced = 0;
        loop {
            let room =
                (max_length - produced).min(FIRST_ROOM.max(produced).max(4 * (src.len() - read)));
            if room == 0 {
                return Ok(Chunk {
                    bytes_read: read,
                    end_of_frame: false,
                });
            }
            if let Err(error) = self.check_header(&src[read..], budget) {
                self.failed = true;
                return Err(error);
            }
            let (mut step_read, mut hint) = (0, 1);
            let dctx = &mut self.dctx;
            // SAFETY: liblz4 reports exactly the bytes it wrote at the start of the slice; without
            // `stable_dst` it keeps the history it needs in its own buffers.
            let written = unsafe {
                append(out, room, |dst| {
                    let step = dctx
                        .decompress(&src[read..], dst, false)
                        .map_err(decode_error)?;
                    (step_read, hint) = (step.read, step.hint);
                    Ok(step.written)
                })
            };
            let written = match written {
                Ok(n) => n,
                Err(error) => {
                    self.failed = true;
                    return Err(error);
                }
            };
            if let Some(header) = &mut self.header {
                header.extend_from_slice(&src[read..read + step_read]);
            }
            read += step_read;
            self.consumed += step_read as u64;
            produced += written;
            self.in_frame = hint != 0 && (self.in_frame || step_read > 0);
            if hint == 0 {
                self.header = Some(Vec::new());
                self.frame_start = self.consumed;
                return Ok(Chunk {
                    bytes_read: read,
                    end_of_frame: true,
                });
            }
            // Input used up, and room to spare: nothing is left buffered.
            let done = read == src.len() && written < room;
            if done || (step_read == 0 && written == 0) {
                return Ok(Chunk {
                    bytes_read: read,
                    end_of_frame: false,
                });
            }
        }
    }

    fn check_usable(&self) -> Result<()> {
        ensure(
            !self.failed,
            ErrorKind::InvalidState,
            "the lz4 decompression context failed on bad data: reset it before further use",
        )
    }

    /// Until the current frame's header is all there, checks it with the bytes `rest` adds, as
    /// the one-shot decoder does: a frame that needs a dictionary (which liblz4 would decode
    /// without one) is refused, and so is one that claims more than `budget` bytes. While the
    /// header is incomplete, liblz4 only buffers it.
    fn check_header(&mut self, rest: &[u8], budget: u64) -> Result<()> {
        let Some(seen) = &self.header else {
            return Ok(());
        };
        let mut probe = seen.clone();
        probe.extend_from_slice(&rest[..rest.len().min(LZ4F_HEADER_SIZE_MAX - seen.len())]);
        if probe.is_empty() {
            return Ok(());
        }
        // The one-shot decoder's header check: liblz4's own waits for 7 bytes before it looks
        // at the magic number, so a stream ending in fewer that are not a frame would be
        // truncated rather than corrupt.
        let offset = usize::try_from(self.frame_start).unwrap_or(usize::MAX);
        let info = match header(&probe, offset) {
            Ok(info) => info,
            Err(e) if e.kind == ErrorKind::Truncated => return Ok(()),
            Err(e) => return Err(e),
        };
        self.header = None;
        if let Some(id) = info.dict_id {
            return Err(needs_dictionary(offset, id));
        }
        // A recorded size of 0 means unknown, as liblz4 and the lz4 CLI read it.
        match info.content_size.filter(|&n| n > budget && !info.skippable) {
            Some(n) => Err(Error::over(
                ErrorKind::OutputLimit,
                Limit::Output,
                format!(
                    "lz4 frame at offset {offset} claims {} of content, over what \
                     the output limit leaves ({})",
                    bytes(n),
                    bytes(budget)
                ),
            )),
            None => Ok(()),
        }
    }

    /// Decodes from `src` until it is used up or this call's output reaches `limit`; returns the
    /// bytes of `src` used and whether it stopped at the limit.
    fn stream(&mut self, src: &[u8], limit: usize, out: &mut Vec<u8>) -> Result<(usize, bool)> {
        let max_output_size = self.max_output_size;
        let start = out.len();
        let mut used = 0;
        loop {
            let step_room = limit.saturating_sub(out.len() - start);
            if step_room == 0 {
                return Ok((used, true));
            }
            let room = max_output_size
                .saturating_sub(self.produced)
                .saturating_add(1);
            let room = usize::try_from(room).unwrap_or(usize::MAX).min(step_room);
            let before = out.len();
            let budget = max_output_size.saturating_sub(self.produced);
            let chunk = self.decode(&src[used..], room, budget, out)?;
            let written = out.len() - before;
            self.produced += written as u64;
            if self.produced > max_output_size {
                self.failed = true;
                return Err(Error::over(
                    ErrorKind::OutputLimit,
                    Limit::Output,
                    format!(
                        "decompressed data exceeds the output limit ({})",
                        bytes(max_output_size)
                    ),
                ));
            }
            used += chunk.bytes_read;
            if used == src.len() || (!chunk.end_of_frame && chunk.bytes_read == 0) {
                return Ok((used, written >= room));
            }
        }
    }
}

impl Decode for FrameDecoder {
    /// Frame after frame, skippable frames skipped; fails once the output since the decoder was
    /// made exceeds its limit.
    fn step(&mut self, src: &[u8], limit: usize, out: &mut Vec<u8>) -> Result<()> {
        step::run(
            self,
            |d| &mut d.steps,
            src,
            |d, input| d.stream(input, limit, out),
        )
    }

    fn pending(&self) -> bool {
        self.steps.pending()
    }

    fn finish(&self) -> Result<()> {
        self.check_usable()?;
        self.steps.finish(self.in_frame, "lz4")
    }
}
