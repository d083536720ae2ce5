//! Incremental work as both codecs provide it: an encoder fed input a chunk at a time, writing
//! frames, and a decoder fed frames a chunk at a time, in bounded steps. Bindings write each
//! step once, over these traits.

use crate::{control, Error, Result};

/// What a flush writes out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flush {
    /// Everything given so far, as complete blocks: a reader can decode it all, and the frame
    /// goes on.
    Block,
    /// Everything given so far, and the end of the frame; the next input starts a new frame.
    Frame,
}

pub trait Encode: Send + 'static {
    /// Compresses `src`, appending whatever output is ready to `out`.
    fn update(&mut self, src: &[u8], out: &mut Vec<u8>) -> Result<()>;

    /// Writes out everything given so far: as blocks, or ending the frame.
    fn flush(&mut self, flush: Flush, out: &mut Vec<u8>) -> Result<()>;

    /// Ends the frame in progress (writing an empty frame where the codec's encoder needs one)
    /// and the encoder's work: what follows is closing it.
    fn finish(&mut self, out: &mut Vec<u8>) -> Result<()>;
}

pub trait Decode: Send + 'static {
    /// Decodes any input held from the last step, then `src`, appending to `out` until this
    /// step has produced about `limit` bytes; the input left is held for the next step, and
    /// [`Decode::pending`] says whether there is more to come. Input after the end of what the
    /// decoder reads (one frame, where it reads no further) is ignored.
    fn step(&mut self, src: &[u8], limit: usize, out: &mut Vec<u8>) -> Result<()>;

    /// The last step stopped at its output limit: a step with an empty chunk gives more output.
    fn pending(&self) -> bool;

    /// Checks that the input ended at a frame boundary, with no output pending.
    fn finish(&self) -> Result<()>;
}

/// The error for an input whose frame walk failed with `walked`: the first error `decoder`
/// meets decoding it in order, as on the streaming paths. The walk reads block headers ahead of
/// decoding, so it may stop at a truncated or misplaced frame after a block that decoding
/// rejects first (a bad checksum, say).
pub(crate) fn first_error(decoder: Result<impl Decode>, src: &[u8], walked: Error) -> Error {
    let decoded = decoder.and_then(|mut decoder| {
        let mut out = Vec::new();
        decoder.step(src, control::STEP, &mut out)?;
        while decoder.pending() {
            out.clear();
            decoder.step(&[], control::STEP, &mut out)?;
        }
        decoder.finish()
    });
    // Of the same kind, the walk's error says more (where the frame is, what it claims).
    decoded
        .err()
        .filter(|e| e.kind != walked.kind)
        .unwrap_or(walked)
}
