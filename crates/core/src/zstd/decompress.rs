//! One-shot zstd decompression, bounded on every path.
//!
//! Decompression first walks the input's frames ([`plan`]): that finds truncation, bad magic
//! numbers, trailing data and oversized size claims before any output is allocated. When every
//! frame records its content size, the output size is known exactly and the caller can supply a
//! buffer of that size ([`decompress_into`]); otherwise frames are streamed into a buffer that
//! grows up to `max_output_size` and no further.

use super::cache::with_decoder;
use super::dctx::Dctx;
use super::error::decode_error;
pub(crate) use super::frame::Setup;
use super::frame::{frames, Frame, Zstd};
use crate::error::bytes;
use crate::frames::Frames;
pub(crate) use crate::limits::reserve;
pub use crate::limits::{DecompressOptions, DEFAULT_MAX_OUTPUT_SIZE};
use crate::oneshot::Sizes;
use crate::thread_cache::with_scratch;
use crate::{control, memory, pool, Error, ErrorKind, Result};

/// The largest window a frame of unknown size may ask the decoder to allocate: 128 MiB,
/// libzstd's own default (window log 27).
pub const DEFAULT_MAX_WINDOW_SIZE: u64 = 1 << 27;

/// The first allocation when streaming a frame of unknown size.
const FIRST_CHUNK: usize = 64 << 10;

impl Setup {
    pub(crate) const DEFAULT: Setup = Setup {
        format: super::frame::Format::Standard,
        max_window_size: DEFAULT_MAX_WINDOW_SIZE,
        dict_id: None,
    };
}

/// Where decoding gets its contexts: the calling thread's cache, or a `Decompressor`'s pool.
pub(crate) trait Contexts: Sync {
    fn setup(&self) -> &Setup;

    /// Runs `f` with a context; `streams` says whether `f` may decode in streaming mode, the
    /// only one in which a context allocates window buffers.
    fn with_dctx<R>(&self, streams: bool, f: impl FnOnce(&mut Dctx) -> Result<R>) -> Result<R>;
}

/// The module-level decoder: default settings and the calling thread's cached context.
struct ThreadDecoder;

impl Contexts for ThreadDecoder {
    fn setup(&self) -> &Setup {
        &Setup::DEFAULT
    }

    fn with_dctx<R>(&self, streams: bool, f: impl FnOnce(&mut Dctx) -> Result<R>) -> Result<R> {
        with_decoder(streams, f)
    }
}

/// A checked zstd input.
pub type Plan = crate::oneshot::Plan<Walked>;

/// What a walk of zstd frames finds.
#[derive(Clone, Copy, Debug)]
pub struct Walked {
    /// The settings the frames were checked against.
    setup: Setup,
    /// The dictionary id and block size of the input's only frame, when that frame is the whole
    /// input and records its size: the common case, decoded without walking the input again.
    whole_frame: Option<(u32, u64)>,
}

impl Plan {
    fn frames<'a>(&self, src: &'a [u8]) -> Frames<'a, Zstd> {
        frames(src, self.walked.setup, self.options)
    }
}

pub(crate) fn plan_for(setup: &Setup, src: &[u8], options: &DecompressOptions) -> Result<Plan> {
    let mut sizes = Sizes::new(options);
    let mut whole_frame = None;
    for frame in frames(src, *setup, *options) {
        let frame = frame?;
        if frame.bytes.len() == src.len() && frame.content_size.is_some() {
            whole_frame = Some((frame.dict_id, frame.block_size));
        }
        sizes.add(frame.content_size)?;
    }
    Ok(sizes.plan(Walked {
        setup: *setup,
        whole_frame,
    }))
}

/// Decodes a planned input into the start of `dst`, which may be longer than the output, and
/// returns the output's length. Output that does not fit fails with the output limit.
pub fn decompress_into(src: &[u8], plan: &Plan, dst: &mut [u8]) -> Result<usize> {
    decode_into(&ThreadDecoder, src, plan, dst)
}

/// Decodes a planned input, replacing the contents of `out`.
pub fn decompress_to_vec(src: &[u8], plan: &Plan, out: &mut Vec<u8>) -> Result<()> {
    decode_to_vec(&ThreadDecoder, src, plan, out)
}

/// Decodes a planned input into this thread's scratch buffer and passes the output to `f`,
/// for callers that copy the result out anyway.
pub fn decompress_with<R>(src: &[u8], plan: &Plan, f: impl FnOnce(&[u8]) -> R) -> Result<R> {
    decode_with(&ThreadDecoder, src, plan, f)
}

fn check_plan(decoder: &impl Contexts, plan: &Plan) -> Result<()> {
    if plan.walked.setup != *decoder.setup() {
        return Err(Error::new(
            ErrorKind::InvalidArg,
            "the plan was made for a decoder with other settings",
        ));
    }
    Ok(())
}

pub(crate) fn decode_into(
    decoder: &impl Contexts,
    src: &[u8],
    plan: &Plan,
    dst: &mut [u8],
) -> Result<usize> {
    check_plan(decoder, plan)?;
    let Some(size) = plan.sizing.size else {
        // Of unknown size: decoded in the scratch buffer, and copied if it fits.
        return decode_with(decoder, src, plan, |out| match dst.get_mut(..out.len()) {
            Some(prefix) => {
                prefix.copy_from_slice(out);
                Ok(out.len())
            }
            None => Err(too_small(out.len(), dst.len())),
        })?;
    };
    let room = dst.len();
    let dst = dst.get_mut(..size).ok_or_else(|| too_small(size, room))?;
    decode_exact(decoder, src, plan, dst).map(|()| size)
}

/// An output limit error for output of `size` bytes that does not fit in `room`.
fn too_small(size: usize, room: usize) -> Error {
    Error::new(
        ErrorKind::OutputLimit,
        format!(
            "the zstd frames decode to {}, over the {} of the output",
            bytes(size as u64),
            bytes(room as u64)
        ),
    )
}

/// Decodes a planned input of known size into `dst`, exactly that size.
fn decode_exact(decoder: &impl Contexts, src: &[u8], plan: &Plan, dst: &mut [u8]) -> Result<()> {
    memory::prefer_huge_pages(dst);
    if let Some((dict_id, block_size)) = plan.walked.whole_frame {
        let frame = Frame {
            bytes: src,
            content_size: plan.sizing.size.map(|n| n as u64),
            dict_id,
            block_size,
        };
        memory::populate(dst);
        return decoder.with_dctx(false, |dctx| decode_known(dctx, &frame, dst));
    }
    if plan.sizing.threads != 1 {
        let frames = plan.frames(src).collect::<Result<Vec<_>>>()?;
        let lens = frame_lengths(&frames, dst.len())?;
        return pool::scatter_slices(dst, &lens, plan.sizing.threads, |i, out| {
            decoder.with_dctx(false, |dctx| decode_known(dctx, &frames[i], out))
        });
    }
    memory::populate(dst);
    decoder.with_dctx(false, |dctx| {
        let mut pos: usize = 0;
        for frame in plan.frames(src) {
            let frame = frame?;
            let len = frame_length(&frame, dst.len() - pos)?;
            decode_known(dctx, &frame, &mut dst[pos..pos + len])?;
            pos += len;
        }
        Ok(())
    })
}

/// The content size of `frame`, which must fit in `room`. Frames that no longer match the plan
/// (the input changed since) cannot overrun.
fn frame_length(frame: &Frame<'_>, room: usize) -> Result<usize> {
    frame
        .content_size
        .and_then(|n| usize::try_from(n).ok())
        .filter(|&n| n <= room)
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Corrupt,
                "the input changed while it was being decompressed",
            )
        })
}

/// The content sizes of `frames`, which must fit in `room` together.
fn frame_lengths(frames: &[Frame<'_>], mut room: usize) -> Result<Vec<usize>> {
    frames
        .iter()
        .map(|frame| {
            let len = frame_length(frame, room)?;
            room -= len;
            Ok(len)
        })
        .collect()
}

pub(crate) fn decode_to_vec(
    decoder: &impl Contexts,
    src: &[u8],
    plan: &Plan,
    out: &mut Vec<u8>,
) -> Result<()> {
    out.clear();
    if let Some(size) = plan.sizing.size {
        reserve(out, size)?;
        out.resize(size, 0);
        return decode_exact(decoder, src, plan, out);
    }
    check_plan(decoder, plan)?;
    let max = plan.options.max_output_size;
    decoder.with_dctx(true, |dctx| {
        for frame in plan.frames(src) {
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

pub(crate) fn decode_with<R>(
    decoder: &impl Contexts,
    src: &[u8],
    plan: &Plan,
    f: impl FnOnce(&[u8]) -> R,
) -> Result<R> {
    with_scratch(|scratch| {
        decode_to_vec(decoder, src, plan, scratch)?;
        Ok(f(scratch))
    })
}

/// Decodes one frame whose content size is recorded into `dst`, exactly that size. libzstd's
/// one-shot call does not check that each block decodes to at most the frame's block size, as its
/// block API and its streaming decoder do; a frame larger than one block, which could hold a
/// block that decodes to more, is decoded a block at a time, so that every path refuses it.
pub(crate) fn decode_known(dctx: &mut Dctx, frame: &Frame<'_>, dst: &mut [u8]) -> Result<()> {
    let fail = |code| decode_error(code, frame.dict_id);
    let written = if control::stepped(dst.len()) || dst.len() as u64 > frame.block_size {
        dctx.decompress_blocks(dst, frame.bytes, fail, control::advance)?
    } else {
        let written = dctx.decompress(dst, frame.bytes).map_err(fail)?;
        control::advance(frame.bytes.len(), written)?;
        written
    };
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
    dctx: &mut Dctx,
    frame: &Frame<'_>,
    out: &mut Vec<u8>,
    options: &DecompressOptions,
) -> Result<()> {
    let fail = |code| decode_error(code, frame.dict_id);
    dctx.reset_session();
    let max = options.max_output_size;
    let step = if control::active() {
        control::STEP
    } else {
        usize::MAX
    };
    let mut pos = 0;
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
        let (read, before) = (pos, out.len());
        // Within the limit whatever room `out` has kept from earlier use, so that decoding stops
        // where it would in a new vector: at the limit, before any corrupt block past it.
        let max_len = before.saturating_add(step).min(max.saturating_add(1));
        let remaining = dctx
            .decompress_stream(out, max_len, frame.bytes, &mut pos)
            .map_err(fail)?;
        control::advance(pos - read, out.len() - before)?;
        if out.len() > max {
            return Err(options.output_limit(out.len() as u64));
        }
        if remaining == 0 {
            return Ok(());
        }
        if out.len() == before && out.len() < out.capacity() && pos == frame.bytes.len() {
            return Err(Error::new(
                ErrorKind::Truncated,
                "zstd input ends in the middle of a frame",
            ));
        }
    }
}
