//! One-shot LZ4 frame decompression, bounded on every path.
//!
//! As for zstd, decompression first walks the input's frames ([`plan`]), which finds truncation,
//! bad headers, trailing data and oversized size claims before any output is allocated. When
//! every frame records its size the output size is known exactly; otherwise each frame's block
//! headers bound its output, and it is decoded into that much room, never more than the limit.

use std::cell::RefCell;
use std::mem::MaybeUninit;

use super::ctx::{uninit, Dctx};
use super::decoder::FrameDecoder;
use super::error::decode_error;
use super::frame::{frames, Frame, FrameInfo};
use crate::error::bytes;
use crate::limits::DecompressOptions;
use crate::oneshot::{Decompress, Sizes};
use crate::spare::append;
use crate::thread_cache::{with_cached, with_scratch};
use crate::{control, incremental, memory, pool, Error, ErrorKind, Limit, Result};

/// Decoders that decoded frames with blocks larger than this are not kept: liblz4 sizes its
/// buffers from the largest block it has seen.
const KEEP_BLOCK_SIZE: usize = 256 << 10;

thread_local! {
    static DECODER: RefCell<Option<Dctx>> = const { RefCell::new(None) };
}

fn with_decoder<R>(f: impl FnOnce(&mut Dctx) -> Result<R>) -> Result<R> {
    with_cached(
        &DECODER,
        Dctx::create,
        |d| d.largest_block <= KEEP_BLOCK_SIZE,
        f,
    )
}

/// A checked LZ4 input.
pub type Plan = crate::oneshot::Plan<Walked>;

/// What a walk of LZ4 frames finds.
#[derive(Clone, Copy, Debug)]
pub struct Walked {
    /// The most the frames can decode to, from their headers and block headers.
    bound: u64,
    bytes_read: usize,
    /// The header and bound of the input's only frame, when that frame is the whole input: the
    /// common case, decoded without walking the input again.
    whole_frame: Option<(FrameInfo, u64)>,
}

impl Plan {
    /// How many bytes of the input the frames take (any extra data starts there).
    pub fn bytes_read(&self) -> usize {
        self.walked.bytes_read
    }
}

/// LZ4's one-shot decompression, as [`Decompress`] gives it to bindings: the module's functions,
/// which need no settings.
pub struct Decompressor;

impl Decompress for Decompressor {
    type Walked = Walked;

    fn walk(&self, src: &[u8], options: &DecompressOptions) -> Result<Plan> {
        walk(src, options)
    }

    fn plan(&self, src: &[u8], options: &DecompressOptions) -> Result<Plan> {
        plan(src, options)
    }

    fn decompress_into(&self, src: &[u8], plan: &Plan, dst: &mut [u8]) -> Result<usize> {
        decompress_into(src, plan, dst)
    }

    fn decompress_to_vec(&self, src: &[u8], plan: &Plan, out: &mut Vec<u8>) -> Result<()> {
        decompress_to_vec(src, plan, out)
    }

    fn decompress_with<R>(&self, src: &[u8], plan: &Plan, f: impl FnOnce(&[u8]) -> R) -> Result<R> {
        decompress_with(src, plan, f)
    }
}

/// Checks `src` without decoding it: every frame is complete, and the sizes the headers record
/// fit within `max_output_size`.
pub fn plan(src: &[u8], options: &DecompressOptions) -> Result<Plan> {
    walk(src, options).map_err(|walked| first_error(src, options, walked))
}

/// The error for an input whose frame walk or one-shot decode failed with `walked`: the first
/// error decoding in order meets (see [`incremental::first_error`]).
fn first_error(src: &[u8], options: &DecompressOptions, walked: Error) -> Error {
    let decoder = FrameDecoder::with_limit(options.max_output_size as u64);
    incremental::first_error(decoder, src, walked)
}

/// [`plan`] without decoding anything: as quick, but when it fails, its error may not be the one
/// decoding in order meets first, which `plan` finds by decoding.
pub fn walk(src: &[u8], options: &DecompressOptions) -> Result<Plan> {
    let mut frames = frames(src, *options);
    let mut sizes = Sizes::new(options);
    let mut bound: u64 = 0;
    let mut whole_frame = None;
    for frame in frames.by_ref() {
        let frame = frame?;
        whole_frame = (frame.offset == 0 && frame.bytes.len() == src.len())
            .then_some((frame.info, frame.bound));
        bound = bound.saturating_add(frame.info.content_size.unwrap_or(frame.bound));
        sizes.add(frame.info.content_size)?;
    }
    Ok(sizes.plan(Walked {
        bound,
        bytes_read: frames.end(),
        whole_frame,
    }))
}

/// Decodes a planned input into the start of `dst`, which may be longer than the output, and
/// returns the output's length. Output that does not fit fails with the output limit.
pub fn decompress_into(src: &[u8], plan: &Plan, dst: &mut [u8]) -> Result<usize> {
    if let Some(size) = plan.sizing.size.filter(|&n| n > dst.len()) {
        return Err(too_small(size as u64, dst.len()));
    }
    // SAFETY: only liblz4's output is written through it.
    decode(src, plan, unsafe { uninit(dst) })
}

/// Decodes a planned input, replacing the contents of `out`.
pub fn decompress_to_vec(src: &[u8], plan: &Plan, out: &mut Vec<u8>) -> Result<()> {
    out.clear();
    let room = plan.walked.bound.min(plan.options.max_output_size as u64) as usize;
    // SAFETY: `decode` returns the bytes liblz4 wrote from the start of the slice.
    unsafe { append(out, room, |spare| decode(src, plan, spare)) }.map(drop)
}

/// Decodes the frames one after another into `dst`, or side by side when the plan allows;
/// returns the bytes written. Corrupt data gets the error decoding in order meets first: decoding
/// into exactly a frame's recorded size finds a frame that decodes to more when its room is full,
/// before the end of the block, where the streaming paths check the block's checksum first.
fn decode(src: &[u8], plan: &Plan, dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
    // Whether the room is the output limit, rather than a caller's smaller buffer.
    let at_limit = dst.len() >= plan.options.max_output_size;
    decode_frames(src, plan, dst).map_err(|e| match e.kind {
        ErrorKind::Corrupt => first_error(src, &plan.options, e),
        // Decoding into room cut at the limit stops there, within a block whose checksum the
        // streaming paths check before its output: they may meet a checksum error first.
        ErrorKind::OutputLimit if at_limit => first_error(src, &plan.options, e),
        _ => e,
    })
}

fn decode_frames(src: &[u8], plan: &Plan, dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
    let room = dst.len().min(plan.options.max_output_size);
    memory::prefer_huge_pages(&mut dst[..room]);
    if plan.sizing.threads != 1 && plan.sizing.size.is_some() {
        return decode_parallel(src, plan, dst, room);
    }
    if let Some(size) = plan.sizing.size.filter(|&size| size <= room) {
        memory::populate(&mut dst[..size]);
    }
    let whole_frame = plan.walked.whole_frame.map(|(info, bound)| Frame {
        bytes: src,
        offset: 0,
        info,
        bound,
    });
    with_decoder(|dctx| {
        let mut pos: usize = 0;
        let frames: &mut dyn Iterator<Item = Result<Frame<'_>>> = match whole_frame {
            Some(frame) => &mut std::iter::once(Ok(frame)),
            None => &mut frames(src, plan.options),
        };
        for frame in frames {
            let frame = frame?;
            let left = room - pos;
            let (capacity, limited) = match frame.info.content_size {
                Some(n) if n > left as u64 => {
                    return Err(too_small((pos as u64).saturating_add(n), room))
                }
                Some(n) => (n as usize, false),
                None if frame.bound > left as u64 => (left, true),
                None => (frame.bound as usize, false),
            };
            let written = decode_frame(dctx, &frame, &mut dst[pos..pos + capacity], limited)?;
            if frame.info.content_size.is_some_and(|n| n != written as u64) {
                return Err(wrong_size());
            }
            pos += written;
        }
        Ok(pos)
    })
}

/// Decodes frames that all record their size, each into its own part of `dst`, on several
/// threads.
fn decode_parallel(
    src: &[u8],
    plan: &Plan,
    dst: &mut [MaybeUninit<u8>],
    room: usize,
) -> Result<usize> {
    let frames = frames(src, plan.options).collect::<Result<Vec<_>>>()?;
    let mut total: u64 = 0;
    let lens = frames
        .iter()
        .map(|frame| {
            // The plan knew every size: one missing now means the input changed since.
            let n = frame.info.content_size.ok_or_else(wrong_size)?;
            total = total.saturating_add(n);
            if total > room as u64 {
                return Err(too_small(total, room));
            }
            Ok(n as usize)
        })
        .collect::<Result<Vec<_>>>()?;
    pool::scatter_slices(dst, &lens, plan.sizing.threads, |i, out| {
        with_decoder(|dctx| match decode_frame(dctx, &frames[i], out, false)? {
            written if written == out.len() => Ok(()),
            _ => Err(wrong_size()),
        })
    })?;
    Ok(total as usize)
}

/// Decodes a planned input into this thread's scratch buffer and passes the output to `f`, for
/// callers that copy the result out anyway.
pub fn decompress_with<R>(src: &[u8], plan: &Plan, f: impl FnOnce(&[u8]) -> R) -> Result<R> {
    with_scratch(|scratch| {
        decompress_to_vec(src, plan, scratch)?;
        Ok(f(scratch))
    })
}

/// Decodes one whole frame into `dst` (in one call, or in steps under a control); returns the
/// bytes written. `limited` says that the output limit cut `dst` short, so a frame that does not
/// fit is over the limit rather than corrupt.
fn decode_frame(
    dctx: &mut Dctx,
    frame: &Frame<'_>,
    dst: &mut [MaybeUninit<u8>],
    limited: bool,
) -> Result<usize> {
    dctx.largest_block = dctx.largest_block.max(frame.info.block_size);
    let capacity = dst.len();
    // Under a control, input a step at a time; otherwise the whole frame in one call.
    let step_len = if control::active() {
        control::STEP
    } else {
        usize::MAX
    };
    // One pointer for the whole frame: liblz4 keeps pointers into earlier output.
    let base = dst.as_mut_ptr();
    let (mut read, mut written): (usize, usize) = (0, 0);
    loop {
        let end = read.saturating_add(step_len).min(frame.bytes.len());
        // SAFETY: `dst` is exclusively borrowed for the whole frame, and `written` is within it.
        let rest = unsafe { std::slice::from_raw_parts_mut(base.add(written), capacity - written) };
        // SAFETY: the frame is decoded into `dst`, each call's output right after the previous
        // call's, so each block's history is the output right before it, in place until the
        // frame ends.
        let step = unsafe { dctx.decompress(&frame.bytes[read..end], rest, true) }
            .map_err(decode_error)?;
        read += step.read;
        written += step.written;
        control::advance(step.read, step.written)?;
        if step.hint == 0 && read == frame.bytes.len() {
            return Ok(written);
        }
        if end == frame.bytes.len() || step.read == 0 {
            break;
        }
    }
    if written == capacity {
        if !limited {
            return Err(wrong_size());
        }
        return Err(Error::over(
            ErrorKind::OutputLimit,
            Limit::Output,
            format!(
                "the lz4 frame at offset {} decodes to more than the {capacity} bytes left \
                 within the output limit and the output",
                frame.offset
            ),
        ));
    }
    Err(Error::new(
        ErrorKind::Corrupt,
        format!(
            "corrupt lz4 data: the frame at offset {} ends before its end mark",
            frame.offset
        ),
    ))
}

fn too_small(size: u64, room: usize) -> Error {
    Error::over(
        ErrorKind::OutputLimit,
        Limit::Output,
        format!(
            "the lz4 frames decode to at least {}, over the {} that the output limit and \
             the output allow",
            bytes(size),
            bytes(room as u64)
        ),
    )
}

fn wrong_size() -> Error {
    Error::new(
        ErrorKind::Corrupt,
        "corrupt lz4 data: the frame decodes to a different size than its header records",
    )
}
