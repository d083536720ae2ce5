//! One-shot decompression as both codecs provide it: a plan from the frames' headers, then the
//! decode the plan allows, into a caller's buffer, a vector or the thread's scratch buffer.
//! Bindings write each operation once, over this trait.

use crate::limits::DecompressOptions;
use crate::Result;

/// A checked input: its frames are complete and within the limits.
pub trait Plan: Copy + Send + 'static {
    /// The exact decompressed size, when every frame records its content size.
    fn size(&self) -> Option<usize>;

    /// The plan, with frames decoded on up to `threads` threads (0: one per pool worker) when
    /// the output size is known and there are several frames. The output is the same.
    fn with_threads(self, threads: usize) -> Self;
}

pub trait Decompress: Send + Sync + 'static {
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
