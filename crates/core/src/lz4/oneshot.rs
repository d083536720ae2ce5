//! LZ4 one-shot work as bindings make it: a frame's compression settings, with the threads and
//! frame size that decide whether it is made on the calling thread or in parts side by side; a
//! block's compression settings; and a block's decoding.

use std::ops::Deref;

use super::block::{
    block_output_size, compress_block, compress_block_bound, compress_block_into, decompress_block,
    BlockMode,
};
use super::compress::{compress, compress_bound, compress_into, compress_with, FrameOptions};
use super::parallel::{compress_frames, compress_parallel};
use crate::limits::DecompressOptions;
use crate::oneshot::{Compress, Decompress, Plan, Shape, Sizing};
use crate::thread_cache::with_scratch;
use crate::{Error, ErrorKind, Parts, Result};

#[derive(Clone, Copy, Debug)]
pub struct CompressOptions {
    pub frame: FrameOptions,
    /// Record the content size in each frame's header (python-lz4's `store_size`).
    pub store_size: bool,
    /// Compress on this many threads, the calling one and pool workers (0: one per worker).
    /// With more than one, blocks are independent and an input of more than one block is
    /// compressed in parallel (see [`compress_parallel`]).
    pub threads: usize,
    /// Inputs larger than this are cut into independent frames of this many bytes each,
    /// compressed side by side on `threads` threads; 0: one frame.
    pub frame_size: usize,
}

impl Default for CompressOptions {
    /// python-lz4's `lz4.frame.compress` defaults: one frame that records its size, made on the
    /// calling thread.
    fn default() -> Self {
        CompressOptions {
            frame: FrameOptions::default(),
            store_size: true,
            threads: 1,
            frame_size: 0,
        }
    }
}

impl CompressOptions {
    /// Whether an input of `len` bytes is made in parts: frames of `frame_size`, or one frame of
    /// blocks on several threads.
    fn parallel(&self, len: usize) -> bool {
        match self.frame_size {
            0 => self.threads != 1 && len > self.frame.block_size.bytes(),
            size => len > size,
        }
    }
}

impl Compress for CompressOptions {
    fn shape(&self, len: usize) -> Shape {
        match self.parallel(len) {
            true => Shape {
                bound: None,
                threads: self.threads,
            },
            false => Shape {
                bound: Some(compress_bound(len, &self.frame)),
                threads: 1,
            },
        }
    }

    fn compress_into(&self, src: &[u8], dst: &mut [u8]) -> Result<usize> {
        compress_into(src, &self.frame, self.store_size, dst)
    }

    fn compress_with<R>(&self, src: &[u8], f: impl FnOnce(&[u8]) -> R) -> Result<R> {
        compress_with(src, &self.frame, self.store_size, f)
    }

    fn compress_parts(&self, src: &[u8]) -> Result<Parts> {
        let (frame, store_size, threads) = (&self.frame, self.store_size, self.threads);
        match (self.parallel(src.len()), self.frame_size) {
            (false, _) => Parts::written(|out| compress(src, frame, store_size, out)),
            (true, 0) => compress_parallel(src, frame, store_size, threads),
            (true, size) => compress_frames(src, frame, store_size, size, threads),
        }
    }
}

/// One block's settings, with its dictionary held as `D` (borrowed for a call on the calling
/// thread, owned for work on the pool).
pub struct BlockOptions<D> {
    pub mode: BlockMode,
    /// Prefix the block with its size (python-lz4's `store_size`).
    pub store_size: bool,
    pub dict: Option<D>,
}

impl<D: Deref<Target = [u8]> + Send + Sync> Compress for BlockOptions<D> {
    fn shape(&self, len: usize) -> Shape {
        Shape {
            // An input over liblz4's limit has no bound: compressing it reports the error.
            bound: Some(compress_block_bound(len, self.store_size).unwrap_or(usize::MAX)),
            threads: 1,
        }
    }

    fn compress_into(&self, src: &[u8], dst: &mut [u8]) -> Result<usize> {
        compress_block_into(src, self.mode, self.store_size, self.dict.as_deref(), dst)
    }

    fn compress_with<R>(&self, src: &[u8], f: impl FnOnce(&[u8]) -> R) -> Result<R> {
        with_scratch(|scratch| {
            scratch.clear();
            compress_block(
                src,
                self.mode,
                self.store_size,
                self.dict.as_deref(),
                scratch,
            )?;
            Ok(f(scratch))
        })
    }

    fn compress_parts(&self, src: &[u8]) -> Result<Parts> {
        Parts::written(|out| {
            compress_block(src, self.mode, self.store_size, self.dict.as_deref(), out)
        })
    }
}

/// How a block is decoded, with its dictionary held as `D`: by the size stored in its first bytes,
/// or into room for `uncompressed_size` bytes, the most it may decode to.
pub struct BlockDecompressor<D> {
    pub uncompressed_size: Option<usize>,
    pub dict: Option<D>,
}

/// A checked LZ4 block. Its size is the room's when the block stores it; a block decodes on one
/// thread, whatever the threads say.
pub type BlockPlan = Plan<Block>;

/// Where a block's compressed bytes start and the room its output needs, which is its size when
/// the block stores it.
#[derive(Clone, Copy, Debug)]
pub struct Block {
    start: usize,
    room: usize,
}

impl<D: Deref<Target = [u8]> + Send + Sync> BlockDecompressor<D> {
    fn decode(&self, src: &[u8], plan: &BlockPlan, dst: &mut [u8]) -> Result<usize> {
        let exact = plan.sizing.size.is_some();
        decompress_block(src, plan.walked.start, self.dict.as_deref(), dst, exact)
    }
}

impl<D: Deref<Target = [u8]> + Send + Sync> Decompress for BlockDecompressor<D> {
    type Walked = Block;

    fn walk(&self, src: &[u8], options: &DecompressOptions) -> Result<BlockPlan> {
        let max = options.max_output_size;
        let (start, room) = block_output_size(src, self.uncompressed_size, max)?;
        Ok(BlockPlan {
            options: *options,
            walked: Block { start, room },
            sizing: Sizing {
                size: self.uncompressed_size.is_none().then_some(room),
                threads: 1,
            },
        })
    }

    /// A block has nothing to walk before it is decoded.
    fn plan(&self, src: &[u8], options: &DecompressOptions) -> Result<BlockPlan> {
        self.walk(src, options)
    }

    fn decompress_into(&self, src: &[u8], plan: &BlockPlan, dst: &mut [u8]) -> Result<usize> {
        let len = dst.len();
        let room = dst.get_mut(..plan.walked.room).ok_or_else(|| {
            Error::new(
                ErrorKind::OutputLimit,
                format!(
                    "the lz4 block needs room for {} bytes; the output has {len}",
                    plan.walked.room
                ),
            )
        })?;
        self.decode(src, plan, room)
    }

    fn decompress_to_vec(&self, src: &[u8], plan: &BlockPlan, out: &mut Vec<u8>) -> Result<()> {
        out.resize(plan.walked.room, 0);
        let n = self.decode(src, plan, out)?;
        out.truncate(n);
        Ok(())
    }

    fn decompress_with<R>(
        &self,
        src: &[u8],
        plan: &BlockPlan,
        f: impl FnOnce(&[u8]) -> R,
    ) -> Result<R> {
        with_scratch(|scratch| {
            scratch.resize(plan.walked.room, 0);
            let n = self.decode(src, plan, scratch)?;
            Ok(f(&scratch[..n]))
        })
    }
}
