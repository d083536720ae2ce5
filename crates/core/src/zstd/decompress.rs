//! One-shot zstd decompression, bounded on every path.
//!
//! Decompression first walks the input's frames ([`plan`]): that finds truncation, bad magic
//! numbers, trailing data and oversized size claims before any output is allocated. When every
//! frame records its content size, the output size is known exactly and the caller can supply a
//! buffer of that size ([`decompress_into`]); otherwise frames are streamed into a buffer that
//! grows up to `max_output_size` and no further.

use zstd_safe::{DCtx, InBuffer, OutBuffer, ResetDirective};

use super::cache::{with_decoder, with_scratch};
use super::error::decode_error;
use super::frame::{Frame, Frames, WalkOptions};
use crate::error::bytes;
use crate::{Error, ErrorKind, Result};

/// The default bound on decompressed output: 256 MiB.
pub const DEFAULT_MAX_OUTPUT_SIZE: usize = 256 << 20;
/// The largest window a frame of unknown size may ask the decoder to allocate: 128 MiB,
/// libzstd's own default (window log 27).
pub const DEFAULT_MAX_WINDOW_SIZE: u64 = 1 << 27;

/// The first allocation when streaming a frame of unknown size.
const FIRST_CHUNK: usize = 64 << 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecompressOptions {
    /// Fail with [`ErrorKind::OutputLimit`] rather than produce more than this many bytes.
    pub max_output_size: usize,
    /// Decode every frame of the input, not only the first.
    pub read_across_frames: bool,
    /// Ignore bytes after the frames instead of failing.
    pub allow_extra_data: bool,
}

impl Default for DecompressOptions {
    fn default() -> Self {
        DecompressOptions {
            max_output_size: DEFAULT_MAX_OUTPUT_SIZE,
            read_across_frames: true,
            allow_extra_data: false,
        }
    }
}

impl DecompressOptions {
    fn walk(&self) -> WalkOptions {
        WalkOptions {
            read_across_frames: self.read_across_frames,
            allow_extra_data: self.allow_extra_data,
            max_content_size: self.max_output_size as u64,
        }
    }

    fn output_limit(&self, claimed: u64) -> Error {
        Error::new(
            ErrorKind::OutputLimit,
            format!(
                "decompressed data would be at least {}, over maxOutputSize ({})",
                bytes(claimed),
                bytes(self.max_output_size as u64)
            ),
        )
    }
}

/// A checked input: its frames are complete and within the limits.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    options: DecompressOptions,
    size: Option<usize>,
}

impl Plan {
    /// The exact decompressed size, when every frame records its content size.
    pub fn size(&self) -> Option<usize> {
        self.size
    }
}

/// Checks `src` without decoding it: every frame is complete, the declared sizes fit within
/// `max_output_size`, and frames of unknown size need no more than the window limit.
pub fn plan(src: &[u8], options: &DecompressOptions) -> Result<Plan> {
    let mut known: u64 = 0;
    let mut all_known = true;
    for frame in Frames::new(src, options.walk()) {
        let frame = frame?;
        match frame.content_size {
            Some(n) => {
                known = known.saturating_add(n);
                if known > options.max_output_size as u64 {
                    return Err(options.output_limit(known));
                }
            }
            None => {
                all_known = false;
                if frame.window_size > DEFAULT_MAX_WINDOW_SIZE {
                    return Err(Error::new(
                        ErrorKind::WindowTooLarge,
                        format!(
                            "zstd frame needs a window of {}, over the decoder's limit of {}",
                            bytes(frame.window_size),
                            bytes(DEFAULT_MAX_WINDOW_SIZE)
                        ),
                    ));
                }
            }
        }
    }
    Ok(Plan {
        options: *options,
        size: all_known.then_some(known as usize),
    })
}

/// Decodes a planned input whose size is known into `dst`, which must be exactly that size.
pub fn decompress_into(src: &[u8], plan: &Plan, dst: &mut [u8]) -> Result<()> {
    if plan.size != Some(dst.len()) {
        return Err(Error::new(
            ErrorKind::InvalidArg,
            format!(
                "output buffer is {} bytes, but the input decompresses to {}",
                dst.len(),
                plan.size
                    .map_or("an unknown size".to_string(), |n| format!("{n} bytes"))
            ),
        ));
    }
    with_decoder(false, |dctx| {
        let mut pos: usize = 0;
        for frame in Frames::new(src, plan.options.walk()) {
            let frame = frame?;
            // Frames that no longer match the plan (the input changed since) cannot overrun.
            let end = frame
                .content_size
                .and_then(|n| pos.checked_add(usize::try_from(n).ok()?))
                .filter(|&end| end <= dst.len())
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::Corrupt,
                        "the input changed while it was being decompressed",
                    )
                })?;
            decode_known(dctx, &frame, &mut dst[pos..end])?;
            pos = end;
        }
        Ok(())
    })
}

/// Decodes a planned input, replacing the contents of `out`.
pub fn decompress_to_vec(src: &[u8], plan: &Plan, out: &mut Vec<u8>) -> Result<()> {
    out.clear();
    if let Some(size) = plan.size {
        reserve(out, size)?;
        out.resize(size, 0);
        return decompress_into(src, plan, out);
    }
    let max = plan.options.max_output_size;
    with_decoder(true, |dctx| {
        for frame in Frames::new(src, plan.options.walk()) {
            let frame = frame?;
            match frame.content_size {
                Some(n) => {
                    let start = out.len();
                    let end = start + n as usize;
                    if end > max {
                        return Err(plan.options.output_limit(end as u64));
                    }
                    reserve(out, n as usize)?;
                    out.resize(end, 0);
                    decode_known(dctx, &frame, &mut out[start..])?;
                }
                None => stream_frame(dctx, &frame, out, &plan.options)?,
            }
        }
        Ok(())
    })
}

/// Decodes a planned input into this thread's scratch buffer and passes the output to `f`,
/// for callers that copy the result out anyway.
pub fn decompress_with<R>(src: &[u8], plan: &Plan, f: impl FnOnce(&[u8]) -> R) -> Result<R> {
    with_scratch(|scratch| {
        decompress_to_vec(src, plan, scratch)?;
        Ok(f(scratch))
    })
}

fn reserve(out: &mut Vec<u8>, additional: usize) -> Result<()> {
    out.try_reserve_exact(additional).map_err(|_| {
        Error::new(
            ErrorKind::Memory,
            format!(
                "cannot allocate {} for decompressed output",
                bytes(additional as u64)
            ),
        )
    })
}

/// Decodes one frame whose content size is recorded into `dst`, exactly that size.
fn decode_known(dctx: &mut DCtx<'static>, frame: &Frame<'_>, dst: &mut [u8]) -> Result<()> {
    let written = dctx
        .decompress(dst, frame.bytes)
        .map_err(|code| decode_error(code, frame.dict_id))?;
    if written != dst.len() {
        return Err(Error::new(
            ErrorKind::Corrupt,
            "corrupt zstd data: the frame decodes to a different size than its header records",
        ));
    }
    Ok(())
}

/// Streams one frame of unknown size onto the end of `out`, growing it up to the limit.
fn stream_frame(
    dctx: &mut DCtx<'static>,
    frame: &Frame<'_>,
    out: &mut Vec<u8>,
    options: &DecompressOptions,
) -> Result<()> {
    let fail = |code| decode_error(code, frame.dict_id);
    dctx.reset(ResetDirective::SessionOnly).map_err(fail)?;
    let max = options.max_output_size;
    let mut input = InBuffer::around(frame.bytes);
    loop {
        if out.len() == out.capacity() {
            // Room for one byte past the limit, so that going over it is seen.
            let room = max.saturating_add(1).saturating_sub(out.len());
            let grow = out.capacity().max(FIRST_CHUNK).min(room);
            if grow == 0 {
                return Err(options.output_limit(out.len() as u64 + 1));
            }
            reserve(out, grow)?;
        }
        let before = out.len();
        let remaining = dctx
            .decompress_stream(&mut OutBuffer::around_pos(out, before), &mut input)
            .map_err(fail)?;
        if out.len() > max {
            return Err(options.output_limit(out.len() as u64));
        }
        if remaining == 0 {
            return Ok(());
        }
        if out.len() == before && out.len() < out.capacity() && input.pos == frame.bytes.len() {
            return Err(Error::new(
                ErrorKind::Truncated,
                "zstd input ends in the middle of a frame",
            ));
        }
    }
}
