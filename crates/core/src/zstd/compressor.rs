//! A reusable compressor: one parameter set and dictionary, and a pool of contexts set up with
//! them, so concurrent calls each get a context and produce the same bytes as sequential ones.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::cctx::Cctx;
use super::compress::{compress_frame, compress_frame_into, framed, shape};
use super::dict::{Cdict, Dictionary};
use super::error::encode_error;
use super::idle::Idle;
use super::param::Param;
use super::params::{estimate_stream_size, Params};
use crate::oneshot::{Compress, Shape};
use crate::{parts, pool, Parts, Result};

/// `(ingested, consumed, produced)` bytes of a frame, as libzstd reports them.
pub type FrameProgression = (u64, u64, u64);

pub struct Compressor {
    params: Params,
    dictionary: Option<Arc<Dictionary>>,
    cdict: Option<Arc<Cdict>>,
    contexts: Idle<Cctx>,
    /// The progression of the last completed frame: ingested, consumed, produced.
    last: [AtomicU64; 3],
    /// One-shot inputs larger than this are cut into frames of this many bytes; 0: never.
    frame_size: usize,
}

impl Compressor {
    /// Checks the parameters by setting up a first context, and digests the dictionary for them
    /// (or reuses the dictionary's digest for the same parameters).
    pub fn new(params: Params, dictionary: Option<Arc<Dictionary>>) -> Result<Self> {
        let cdict = dictionary.as_ref().map(|d| d.cdict(&params)).transpose()?;
        let compressor = Compressor {
            params,
            dictionary,
            cdict,
            contexts: Idle::new(),
            last: Default::default(),
            frame_size: 0,
        };
        compressor
            .contexts
            .with(|| compressor.create_context(), Cctx::size, |_| Ok(()))?;
        Ok(compressor)
    }

    /// The compressor, cutting one-shot inputs larger than `frame_size` into independent frames
    /// of that many bytes, compressed side by side (see [`Compressor::compress_frames`]).
    pub fn with_frame_size(self, frame_size: usize) -> Self {
        Compressor { frame_size, ..self }
    }

    pub(crate) fn create_context(&self) -> Result<Cctx> {
        let mut cctx = Cctx::create()?;
        cctx.apply(&self.params)?;
        if let Some(cdict) = &self.cdict {
            cctx.ref_cdict(cdict.clone()).map_err(encode_error)?;
        }
        Ok(cctx)
    }

    /// libzstd workers per frame; 0 compresses on the calling thread.
    pub fn threads(&self) -> usize {
        self.params.get(Param::Threads).unwrap_or(0).max(0) as usize
    }

    /// Compresses `src` into one frame, replacing the contents of `out`.
    pub fn compress(&self, src: &[u8], out: &mut Vec<u8>) -> Result<()> {
        self.with_context(|cctx| compress_frame(cctx, src, out))
    }

    /// Compresses `src` into independent frames of `frame_size` input bytes each (the last
    /// may be shorter), side by side on up to `threads` threads (0: one per pool worker), and
    /// returns them in order. Each frame records its size, so the whole decodes in parallel too.
    pub fn compress_frames(&self, src: &[u8], frame_size: usize, threads: usize) -> Result<Parts> {
        parts::scatter_pieces(src, frame_size, threads, |piece, frame| {
            self.compress(piece, frame)
        })
    }

    /// Compresses `src` into one frame at the start of `dst`, which must hold at least
    /// `compress_bound(src.len())` bytes; returns the frame's length.
    pub fn compress_into(&self, src: &[u8], dst: &mut [u8]) -> Result<usize> {
        self.with_context(|cctx| compress_frame_into(cctx, src, dst))
    }

    fn with_context<R>(&self, f: impl FnOnce(&mut Cctx) -> Result<R>) -> Result<R> {
        // A context with libzstd workers is kept whatever its size: dropping it would stop
        // its threads and free their buffers, only for the next call to start them again.
        let workers = self.threads() > 0;
        self.contexts.with(
            || self.create_context(),
            |cctx| if workers { 0 } else { cctx.size() },
            |cctx| {
                let result = f(cctx)?;
                let (ingested, consumed, produced) = cctx.progression();
                for (slot, value) in self.last.iter().zip([ingested, consumed, produced]) {
                    slot.store(value, Ordering::Relaxed);
                }
                Ok(result)
            },
        )
    }

    /// Compresses `src` into this thread's scratch buffer and passes the frame to `f`.
    pub fn compress_with<R>(&self, src: &[u8], f: impl FnOnce(&[u8]) -> R) -> Result<R> {
        crate::thread_cache::with_scratch(|scratch| {
            self.compress(src, scratch)?;
            Ok(f(scratch))
        })
    }

    /// Compresses each input into its own frame on up to `threads` threads (0: one per pool
    /// worker). Results are in input order; the first failure names its index.
    pub fn compress_many(&self, inputs: &[&[u8]], threads: usize) -> Result<Vec<Vec<u8>>> {
        pool::scatter(inputs.len(), threads, |i| {
            self.compress_with(inputs[i], <[u8]>::to_vec)
                .map_err(|e| e.at(i))
        })
        .into_iter()
        .collect()
    }

    /// About the memory an incremental encoder with these settings holds.
    pub fn encoder_memory(&self) -> usize {
        estimate_stream_size(&self.params)
    }

    /// Bytes held by idle contexts and the digested dictionary.
    pub fn memory_size(&self) -> usize {
        let contexts = self.contexts.fold(0, |sum, cctx| sum + cctx.size());
        contexts + self.dictionary.as_ref().map_or(0, |d| d.memory_size())
    }

    /// Progress of the most recently completed frame. With concurrent calls the three counts
    /// may come from different frames.
    pub fn frame_progression(&self) -> FrameProgression {
        let [ingested, consumed, produced] = &self.last;
        (
            ingested.load(Ordering::Relaxed),
            consumed.load(Ordering::Relaxed),
            produced.load(Ordering::Relaxed),
        )
    }
}

impl Compress for Compressor {
    fn shape(&self, len: usize) -> Shape {
        shape(len, self.frame_size, self.threads())
    }

    fn compress_into(&self, src: &[u8], dst: &mut [u8]) -> Result<usize> {
        Compressor::compress_into(self, src, dst)
    }

    fn compress_with<R>(&self, src: &[u8], f: impl FnOnce(&[u8]) -> R) -> Result<R> {
        Compressor::compress_with(self, src, f)
    }

    fn compress_parts(&self, src: &[u8]) -> Result<Parts> {
        match framed(self.frame_size, src.len()) {
            true => self.compress_frames(src, self.frame_size, self.threads().max(1)),
            false => Parts::written(|out| self.compress(src, out)),
        }
    }
}
