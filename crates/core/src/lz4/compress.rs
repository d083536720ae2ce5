//! One-shot LZ4 frame compression, with a context cached per thread.

use std::cell::RefCell;
use std::mem::MaybeUninit;

use super::ctx::{uninit, Cctx};
use super::ffi;
use super::frame::BlockSize;
use crate::spare::append;
use crate::thread_cache::{with_cached, with_scratch};
use crate::{control, Result};

/// The highest level; higher ones compress as this one does.
pub const MAX_LEVEL: i32 = 16;
/// The lowest level: liblz4's largest acceleration.
pub const MIN_LEVEL: i32 = -65537;
/// The first high-compression level.
pub const MIN_HC_LEVEL: i32 = 3;

/// Frame settings, as python-lz4's `lz4.frame.compress` takes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameOptions {
    /// Negative: fast with that acceleration; 0 to 2: the default; 3 to 16: high compression.
    pub level: i32,
    pub block_size: BlockSize,
    /// Blocks may refer to earlier blocks (better ratio); otherwise each decodes on its own.
    pub block_linked: bool,
    pub content_checksum: bool,
    pub block_checksum: bool,
    /// Flush a block on every update instead of buffering up to a whole block.
    pub auto_flush: bool,
}

impl Default for FrameOptions {
    fn default() -> Self {
        FrameOptions {
            level: 0,
            block_size: BlockSize::Default,
            block_linked: true,
            content_checksum: false,
            block_checksum: false,
            auto_flush: false,
        }
    }
}

impl FrameOptions {
    /// The level for liblz4: 1 and 2 are the default fast mode, as in python-lz4 (liblz4 1.10
    /// made 2 a high-compression level), and the extremes are clamped.
    fn compression_level(&self) -> i32 {
        match self.level {
            1..MIN_HC_LEVEL => 0,
            level => level.clamp(MIN_LEVEL, MAX_LEVEL),
        }
    }

    /// liblz4's preferences for a frame that records `content_size` (0 records none).
    pub(crate) fn preferences(&self, content_size: u64) -> ffi::LZ4F_preferences_t {
        ffi::LZ4F_preferences_t {
            frameInfo: ffi::LZ4F_frameInfo_t {
                blockSizeID: self.block_size.id(),
                blockMode: u32::from(!self.block_linked),
                contentChecksumFlag: u32::from(self.content_checksum),
                frameType: 0,
                contentSize: content_size,
                dictID: 0,
                blockChecksumFlag: u32::from(self.block_checksum),
            },
            compressionLevel: self.compression_level(),
            autoFlush: u32::from(self.auto_flush),
            ..Default::default()
        }
    }
}

thread_local! {
    static ENCODER: RefCell<Option<Cctx>> = const { RefCell::new(None) };
}

/// The most a frame of `size` bytes can take with `options`.
pub fn compress_bound(size: usize, options: &FrameOptions) -> usize {
    let prefs = options.preferences(1);
    // SAFETY: a pure function of its arguments; `prefs` is a valid preferences struct.
    unsafe { ffi::LZ4F_compressFrameBound(size, &prefs) }
}

/// Compresses `src` into one frame in `dst`, which must hold [`compress_bound`] bytes; returns
/// the frame's length. `store_size` records the content size in the header (python-lz4's
/// `store_size`; an empty input records none). The bytes are python-lz4's.
pub fn compress_into(
    src: &[u8],
    options: &FrameOptions,
    store_size: bool,
    dst: &mut [u8],
) -> Result<usize> {
    // SAFETY: only liblz4's output is written through it.
    frame_into(src, options, store_size, unsafe { uninit(dst) })
}

fn frame_into(
    src: &[u8],
    options: &FrameOptions,
    store_size: bool,
    dst: &mut [MaybeUninit<u8>],
) -> Result<usize> {
    let prefs = options.preferences(u64::from(store_size));
    with_cached(
        &ENCODER,
        Cctx::create,
        |_| true,
        |cctx| {
            if control::stepped(src.len()) {
                return compress_steps(cctx, src, options, prefs, dst);
            }
            let written = cctx.compress_frame(src, &prefs, dst)?;
            control::advance(src.len(), written)?;
            Ok(written)
        },
    )
}

/// Compresses `src` (over [`control::STEP`] bytes) into one frame a block at a time, so that a
/// control follows and can stop it. The settings and calls are those of
/// `LZ4F_compressFrame`, split at block boundaries, so the bytes are the same.
fn compress_steps(
    cctx: &mut Cctx,
    src: &[u8],
    options: &FrameOptions,
    mut prefs: ffi::LZ4F_preferences_t,
    dst: &mut [MaybeUninit<u8>],
) -> Result<usize> {
    let block = options.block_size.bytes();
    if prefs.frameInfo.contentSize != 0 {
        prefs.frameInfo.contentSize = src.len() as u64;
    }
    prefs.autoFlush = 1;
    if src.len() <= block {
        // One block needs no link to another.
        prefs.frameInfo.blockMode = 1;
    }
    let mut written = cctx.begin(&prefs, dst)?;
    control::advance(0, written)?;
    for piece in src.chunks(block) {
        // SAFETY: the pieces are consecutive parts of `src`, borrowed until the frame ends.
        let n = unsafe { cctx.update_stable(piece, &mut dst[written..]) }?;
        written += n;
        control::advance(piece.len(), n)?;
    }
    let end = cctx.flush(true, &mut dst[written..])?;
    control::advance(0, end)?;
    Ok(written + end)
}

/// Compresses `src` into one frame appended to `out`.
pub fn compress(
    src: &[u8],
    options: &FrameOptions,
    store_size: bool,
    out: &mut Vec<u8>,
) -> Result<()> {
    let bound = compress_bound(src.len(), options);
    // SAFETY: liblz4 reports exactly the bytes it wrote at the start of the slice.
    unsafe {
        append(out, bound, |spare| {
            frame_into(src, options, store_size, spare)
        })
    }
    .map(drop)
}

/// Compresses `src` into this thread's scratch buffer and passes the frame to `f`, for callers
/// that copy the result out anyway.
pub fn compress_with<R>(
    src: &[u8],
    options: &FrameOptions,
    store_size: bool,
    f: impl FnOnce(&[u8]) -> R,
) -> Result<R> {
    with_scratch(|scratch| {
        scratch.clear();
        compress(src, options, store_size, scratch)?;
        Ok(f(scratch))
    })
}
