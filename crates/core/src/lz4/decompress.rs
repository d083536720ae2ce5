//! One-shot LZ4 frame decompression, bounded on every path.
//!
//! As for zstd, decompression first walks the input's frames ([`plan`]), which finds truncation,
//! bad headers, trailing data and oversized size claims before any output is allocated. When
//! every frame records its size the output size is known exactly; otherwise each frame's block
//! headers bound its output, and it is decoded into that much room, never more than the limit.

use std::cell::RefCell;
use std::mem::MaybeUninit;

use super::ctx::{append, uninit, Dctx};
use super::error::decode_error;
use super::frame::{frames, Frame};
use crate::limits::{check_output_len, reserve, DecompressOptions};
use crate::thread_cache::{with_cached, with_scratch};
use crate::{Error, ErrorKind, Result};

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

/// A checked input: its frames are complete and within the limits.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    options: DecompressOptions,
    size: Option<usize>,
    bytes_read: usize,
}

impl Plan {
    /// The exact decompressed size, when every frame records its content size.
    pub fn size(&self) -> Option<usize> {
        self.size
    }

    /// How many bytes of the input the frames take (any extra data starts there).
    pub fn bytes_read(&self) -> usize {
        self.bytes_read
    }
}

/// Checks `src` without decoding it: every frame is complete, and the sizes the headers record
/// fit within `max_output_size`.
pub fn plan(src: &[u8], options: &DecompressOptions) -> Result<Plan> {
    let mut frames = frames(src, *options);
    let mut known: u64 = 0;
    let mut all_known = true;
    for frame in frames.by_ref() {
        match frame?.info.content_size {
            Some(n) => {
                known += n;
                if known > options.max_output_size as u64 {
                    return Err(options.output_limit(known));
                }
            }
            None => all_known = false,
        }
    }
    Ok(Plan {
        options: *options,
        size: all_known.then_some(known as usize),
        bytes_read: frames.end(),
    })
}

/// Decodes a planned input whose size is known into `dst`, which must be exactly that size.
pub fn decompress_into(src: &[u8], plan: &Plan, dst: &mut [u8]) -> Result<()> {
    check_output_len(plan.size, dst.len())?;
    let dst = uninit(dst);
    with_decoder(|dctx| {
        let mut pos: usize = 0;
        for frame in frames(src, plan.options) {
            let frame = frame?;
            // A frame that no longer matches the plan (the input changed since) cannot overrun.
            let end = frame
                .info
                .content_size
                .and_then(|n| pos.checked_add(usize::try_from(n).ok()?))
                .filter(|&end| end <= dst.len())
                .ok_or_else(changed)?;
            let written = decode_frame(dctx, &frame, &mut dst[pos..end], false)?;
            if written != end - pos {
                return Err(wrong_size());
            }
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
    let options = &plan.options;
    with_decoder(|dctx| {
        for frame in frames(src, *options) {
            let frame = frame?;
            let room = options.max_output_size - out.len();
            let (capacity, limited) = match frame.info.content_size {
                Some(n) if n > room as u64 => {
                    return Err(options.output_limit((out.len() as u64).saturating_add(n)))
                }
                Some(n) => (n as usize, false),
                None if frame.bound > room as u64 => (room, true),
                None => (frame.bound as usize, false),
            };
            let before = out.len();
            let written = append(out, capacity, |spare| {
                decode_frame(dctx, &frame, spare, limited)
            })?;
            if frame.info.content_size.is_some_and(|n| n != written as u64) {
                return Err(wrong_size());
            }
            debug_assert_eq!(out.len(), before + written);
        }
        Ok(())
    })
}

/// Decodes a planned input into this thread's scratch buffer and passes the output to `f`, for
/// callers that copy the result out anyway.
pub fn decompress_with<R>(src: &[u8], plan: &Plan, f: impl FnOnce(&[u8]) -> R) -> Result<R> {
    with_scratch(|scratch| {
        decompress_to_vec(src, plan, scratch)?;
        Ok(f(scratch))
    })
}

/// Decodes one whole frame into `dst` in one call; returns the bytes written. `limited` says
/// that the output limit cut `dst` short, so a frame that does not fit is over the limit
/// rather than corrupt.
fn decode_frame(
    dctx: &mut Dctx,
    frame: &Frame<'_>,
    dst: &mut [MaybeUninit<u8>],
    limited: bool,
) -> Result<usize> {
    dctx.largest_block = dctx.largest_block.max(frame.info.block_size);
    let capacity = dst.len();
    let step = dctx
        .decompress(frame.bytes, dst, true)
        .map_err(decode_error)?;
    if step.hint == 0 && step.read == frame.bytes.len() {
        return Ok(step.written);
    }
    if step.written == capacity {
        if !limited {
            return Err(wrong_size());
        }
        return Err(Error::new(
            ErrorKind::OutputLimit,
            format!(
                "the lz4 frame at offset {} decodes to more than {capacity} bytes, over \
                 maxOutputSize",
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

fn changed() -> Error {
    Error::new(
        ErrorKind::Corrupt,
        "the input changed while it was being decompressed",
    )
}

fn wrong_size() -> Error {
    Error::new(
        ErrorKind::Corrupt,
        "corrupt lz4 data: the frame decodes to a different size than its header records",
    )
}
