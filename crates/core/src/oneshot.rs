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

/// A checked input: its frames are complete and within the limits. `W` is what the codec's walk
/// of the input found, for its decode.
#[derive(Clone, Copy, Debug)]
pub struct Plan<W> {
    pub(crate) options: DecompressOptions,
    pub(crate) sizing: Sizing,
    pub(crate) walked: W,
}

impl<W> Plan<W> {
    /// The exact decompressed size, when every frame records its content size.
    pub fn size(&self) -> Option<usize> {
        self.sizing.size
    }

    /// The plan, with frames decoded on up to `threads` threads (0: one per pool worker) when
    /// the output size is known and there are several frames. The output is the same.
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.sizing.threads = threads;
        self
    }
}

/// The content sizes the frames of an input record, summed against the output limit as a walk
/// meets them.
pub(crate) struct Sizes<'a> {
    options: &'a DecompressOptions,
    known: u64,
    all_known: bool,
}

impl<'a> Sizes<'a> {
    pub(crate) fn new(options: &'a DecompressOptions) -> Self {
        Sizes {
            options,
            known: 0,
            all_known: true,
        }
    }

    /// Counts a frame's content size, if it records one.
    pub(crate) fn add(&mut self, content_size: Option<u64>) -> Result<()> {
        match content_size {
            Some(n) => {
                self.known = self.known.saturating_add(n);
                if self.known > self.options.max_output_size as u64 {
                    return Err(self.options.output_limit(self.known));
                }
            }
            None => self.all_known = false,
        }
        Ok(())
    }

    /// The plan of the walked input, of the exact size when every frame records its size.
    pub(crate) fn plan<W>(self, walked: W) -> Plan<W> {
        Plan {
            options: *self.options,
            sizing: Sizing {
                size: self.all_known.then_some(self.known as usize),
                threads: 1,
            },
            walked,
        }
    }
}

pub trait Decompress: Send + Sync {
    /// What a walk of an input finds for its decode.
    type Walked: Copy + Send + 'static;

    /// Checks `src` without decoding it: every frame is complete, the sizes the headers record
    /// fit within `max_output_size`, and the frames' settings are within this decompressor's.
    /// When it fails, its error may not be the one decoding in order meets first, which
    /// [`Decompress::plan`] finds by decoding.
    fn walk(&self, src: &[u8], options: &DecompressOptions) -> Result<Plan<Self::Walked>>;

    /// [`Decompress::walk`], with the error decoding in order meets first when it fails.
    fn plan(&self, src: &[u8], options: &DecompressOptions) -> Result<Plan<Self::Walked>>;

    /// Decodes a planned input into the start of `dst`, which may be longer than the output, and
    /// returns the output's length. Output that does not fit fails with the output limit.
    fn decompress_into(
        &self,
        src: &[u8],
        plan: &Plan<Self::Walked>,
        dst: &mut [u8],
    ) -> Result<usize>;

    /// Decodes a planned input, replacing the contents of `out`.
    fn decompress_to_vec(
        &self,
        src: &[u8],
        plan: &Plan<Self::Walked>,
        out: &mut Vec<u8>,
    ) -> Result<()>;

    /// Decodes a planned input into this thread's scratch buffer and passes the output to `f`,
    /// for callers that copy the result out anyway.
    fn decompress_with<R>(
        &self,
        src: &[u8],
        plan: &Plan<Self::Walked>,
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
