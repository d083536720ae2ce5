//! One-shot work as both codecs provide it. Decompression: a plan from the frames' headers, then
//! the decode the plan allows, into a caller's buffer, a vector or the thread's scratch buffer.
//! Compression: a shape from the settings and the input's size (one piece on the calling thread,
//! or parts side by side), then the work it calls for. Bindings write each operation once, over
//! these traits.

use crate::limits::DecompressOptions;
use crate::{Parts, Result};

/// What a plan says of the output: its exact size, when every frame records its content size,
/// and the threads its frames decode on (0: one per pool worker).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sizing {
    pub(crate) size: Option<usize>,
    pub(crate) threads: usize,
}

/// A checked input: its frames are complete and within the limits.
pub trait Plan: Copy + Send + 'static {
    fn sizing(&mut self) -> &mut Sizing;

    /// The exact decompressed size, when every frame records its content size.
    fn size(&self) -> Option<usize> {
        let mut plan = *self;
        plan.sizing().size
    }

    /// The plan, with frames decoded on up to `threads` threads (0: one per pool worker) when
    /// the output size is known and there are several frames. The output is the same.
    fn with_threads(mut self, threads: usize) -> Self {
        self.sizing().threads = threads;
        self
    }
}

pub trait Decompress: Send + Sync {
    type Plan: Plan;

    /// Checks `src` without decoding it: every frame is complete, the sizes the headers record
    /// fit within `max_output_size`, and the frames' settings are within this decompressor's.
    /// When it fails, its error may not be the one decoding in order meets first, which
    /// [`Decompress::plan`] finds by decoding.
    fn walk(&self, src: &[u8], options: &DecompressOptions) -> Result<Self::Plan>;

    /// [`Decompress::walk`], with the error decoding in order meets first when it fails.
    fn plan(&self, src: &[u8], options: &DecompressOptions) -> Result<Self::Plan>;

    /// Decodes a planned input into the start of `dst`, which may be longer than the output, and
    /// returns the output's length. Output that does not fit fails with the output limit.
    fn decompress_into(&self, src: &[u8], plan: &Self::Plan, dst: &mut [u8]) -> Result<usize>;

    /// Decodes a planned input, replacing the contents of `out`.
    fn decompress_to_vec(&self, src: &[u8], plan: &Self::Plan, out: &mut Vec<u8>) -> Result<()>;

    /// Decodes a planned input into this thread's scratch buffer and passes the output to `f`,
    /// for callers that copy the result out anyway.
    fn decompress_with<R>(
        &self,
        src: &[u8],
        plan: &Self::Plan,
        f: impl FnOnce(&[u8]) -> R,
    ) -> Result<R>;
}

/// How an input is compressed: on the calling thread into one piece of at most `bound` bytes,
/// or, without a bound, in parts side by side (frames of a set size, or blocks of one frame).
/// Either way the output is copied into its buffer on up to `threads` threads (0: one per pool
/// worker).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub bound: Option<usize>,
    pub threads: usize,
}

/// One-shot compression, with the settings of the value that implements it.
pub trait Compress: Send + Sync {
    /// How an input of `len` bytes is compressed.
    fn shape(&self, len: usize) -> Shape;

    /// Compresses `src` in one piece at the start of `dst`, which must hold the shape's bound;
    /// returns the output's length.
    fn compress_into(&self, src: &[u8], dst: &mut [u8]) -> Result<usize>;

    /// Compresses `src` in one piece into this thread's scratch buffer and passes the output
    /// to `f`, for callers that copy the result out anyway.
    fn compress_with<R>(&self, src: &[u8], f: impl FnOnce(&[u8]) -> R) -> Result<R>;

    /// Compresses `src` as its shape says: the parts, or the one piece as a single part.
    fn compress_parts(&self, src: &[u8]) -> Result<Parts>;
}
