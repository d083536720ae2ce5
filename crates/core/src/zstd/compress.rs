//! One-shot zstd compression with the calling thread's cached context.

use super::cache::with_encoder;
use super::cctx::Cctx;
use super::error::encode_error;
use super::param::Param;
use super::params::Params;
use crate::error::bytes;
use crate::oneshot::{Compress, Shape};
use crate::thread_cache::with_scratch;
use crate::{control, parts, Error, ErrorKind, Parts, Result};

/// Frame options for the module-level functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompressOptions {
    /// Any level libzstd accepts: negative levels are faster, 0 means the default (3).
    pub level: i32,
    /// Append a 32-bit checksum of the content to each frame.
    pub checksum: bool,
    /// Record the content size in the frame header.
    pub content_size: bool,
    /// Record the dictionary id in the frame header when a dictionary is used.
    pub dict_id: bool,
    /// libzstd workers for each frame, on the shared thread pool; 0 compresses on the calling
    /// thread. The output is one frame either way.
    pub threads: i32,
    /// Inputs larger than this are cut into independent frames of this many bytes each,
    /// compressed side by side on as many threads as `threads` (one without workers); 0: one
    /// frame.
    pub frame_size: usize,
}

impl Default for CompressOptions {
    fn default() -> Self {
        CompressOptions {
            level: zstd_safe::CLEVEL_DEFAULT,
            checksum: false,
            content_size: true,
            dict_id: true,
            threads: 0,
            frame_size: 0,
        }
    }
}

impl CompressOptions {
    pub fn params(&self) -> Result<Params> {
        Params::default()
            .with(Param::Level, self.level)?
            .with(Param::Checksum, self.checksum.into())?
            .with(Param::ContentSize, self.content_size.into())?
            .with(Param::DictId, self.dict_id.into())?
            .with(Param::Threads, self.threads)
    }
}

/// The lowest and highest compression levels libzstd accepts.
pub fn level_range() -> (i32, i32) {
    (zstd_safe::min_c_level(), zstd_safe::max_c_level())
}

/// The most a frame of `len` bytes of input can take: a buffer this large never fails for lack
/// of room.
pub fn compress_bound(len: usize) -> usize {
    zstd_safe::compress_bound(len)
}

/// Compresses `src` into one frame at the start of `dst`, which must hold at least
/// `compress_bound(src.len())` bytes; returns the frame's length.
pub(crate) fn compress_frame_into(cctx: &mut Cctx, src: &[u8], dst: &mut [u8]) -> Result<usize> {
    let bound = compress_bound(src.len());
    if dst.len() < bound {
        return Err(Error::new(
            ErrorKind::InvalidArg,
            format!(
                "output buffer is {} bytes; compressing {} bytes needs {bound}",
                dst.len(),
                src.len()
            ),
        ));
    }
    cctx.compress_into(src, dst).map_err(encode_error)
}

/// Compresses `src` into one frame with `cctx`, replacing the contents of `out`.
pub(crate) fn compress_frame(cctx: &mut Cctx, src: &[u8], out: &mut Vec<u8>) -> Result<()> {
    out.clear();
    let bound = compress_bound(src.len());
    out.try_reserve_exact(bound).map_err(|_| {
        Error::new(
            ErrorKind::Memory,
            format!(
                "cannot allocate {} for compressed output",
                bytes(bound as u64)
            ),
        )
    })?;
    if control::stepped(src.len()) {
        return compress_steps(cctx, src, out);
    }
    cctx.compress(src, out).map_err(encode_error)?;
    control::advance(src.len(), out.len())
}

/// The largest zstd block: compression under a control goes one block at a time.
const BLOCK: usize = 128 << 10;

/// Compresses `src` into one frame a block at a time, so that a control follows and can stop
/// it. `out` must have room for `compress_bound(src.len())` bytes. The frame holds the same
/// content as a one-shot frame; its bytes may differ, as libzstd splits blocks per call.
fn compress_steps(cctx: &mut Cctx, src: &[u8], out: &mut Vec<u8>) -> Result<()> {
    use zstd_safe::zstd_sys::ZSTD_EndDirective::{ZSTD_e_continue, ZSTD_e_end};
    cctx.set_pledged_size(src.len() as u64)
        .map_err(encode_error)?;
    let mut pos = 0;
    while pos < src.len() {
        let (consumed, produced) = (pos, out.len());
        let end = (pos + BLOCK).min(src.len());
        let directive = if end == src.len() {
            ZSTD_e_end
        } else {
            ZSTD_e_continue
        };
        loop {
            let remaining = cctx
                .compress_stream(out, &src[..end], &mut pos, directive)
                .map_err(encode_error)?;
            let done = match directive {
                ZSTD_e_end => remaining == 0,
                _ => pos == end,
            };
            if done {
                break;
            }
        }
        control::advance(pos - consumed, out.len() - produced)?;
    }
    Ok(())
}

/// Runs `f` with this thread's context, set up for `options`.
fn with_context<R>(
    src: &[u8],
    options: &CompressOptions,
    f: impl FnOnce(&mut Cctx) -> Result<R>,
) -> Result<R> {
    let params = options.params()?;
    with_encoder(src.len(), |encoder| {
        if encoder.params != Some(params) {
            encoder.params = None;
            encoder.cctx.apply(&params)?;
            encoder.params = Some(params);
        }
        f(&mut encoder.cctx)
    })
}

/// Compresses `src` into one zstd frame, replacing the contents of `out`.
pub fn compress(src: &[u8], options: &CompressOptions, out: &mut Vec<u8>) -> Result<()> {
    with_context(src, options, |cctx| compress_frame(cctx, src, out))
}

/// Compresses `src` into independent frames of `frame_size` input bytes each (the last may be
/// shorter), side by side on up to `threads` threads (0: one per pool worker), and returns them
/// in order. Each frame records its size, so the whole decodes in parallel too.
pub fn compress_frames(
    src: &[u8],
    options: &CompressOptions,
    frame_size: usize,
    threads: usize,
) -> Result<Parts> {
    parts::scatter_pieces(src, frame_size, threads, |piece, frame| {
        compress(piece, options, frame)
    })
}

/// Compresses `src` into one zstd frame at the start of `dst`, which must hold at least
/// [`compress_bound`]`(src.len())` bytes; returns the frame's length.
pub fn compress_into(src: &[u8], options: &CompressOptions, dst: &mut [u8]) -> Result<usize> {
    with_context(src, options, |cctx| compress_frame_into(cctx, src, dst))
}

/// Compresses `src` into this thread's scratch buffer and passes the frame to `f`, for
/// callers that copy the result out anyway.
pub fn compress_with<R>(
    src: &[u8],
    options: &CompressOptions,
    f: impl FnOnce(&[u8]) -> R,
) -> Result<R> {
    with_scratch(|scratch| {
        compress(src, options, scratch)?;
        Ok(f(scratch))
    })
}

/// Whether inputs of `len` bytes are cut into frames of `frame_size` (0: never).
pub(crate) fn framed(frame_size: usize, len: usize) -> bool {
    frame_size > 0 && len > frame_size
}

/// The shape of a zstd compression with `workers` libzstd workers per frame, cutting inputs into
/// frames of `frame_size`: frames side by side on as many threads as the workers (one without),
/// or one frame copied out on as many threads as made it.
pub(crate) fn shape(len: usize, frame_size: usize, workers: usize) -> Shape {
    Shape {
        bound: (!framed(frame_size, len)).then(|| compress_bound(len)),
        threads: workers.max(1),
    }
}

impl Compress for CompressOptions {
    fn shape(&self, len: usize) -> Shape {
        shape(len, self.frame_size, self.threads.max(0) as usize)
    }

    fn compress_into(&self, src: &[u8], dst: &mut [u8]) -> Result<usize> {
        compress_into(src, self, dst)
    }

    fn compress_with<R>(&self, src: &[u8], f: impl FnOnce(&[u8]) -> R) -> Result<R> {
        compress_with(src, self, f)
    }

    fn compress_parts(&self, src: &[u8]) -> Result<Parts> {
        match framed(self.frame_size, src.len()) {
            true => compress_frames(src, self, self.frame_size, self.threads.max(1) as usize),
            false => Parts::written(|out| compress(src, self, out)),
        }
    }
}
