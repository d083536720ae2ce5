//! LZ4 blocks without a frame: python-lz4's `lz4.block`.
//!
//! A block records neither its decompressed size nor a checksum. python-lz4 prefixes the size as
//! 4 little-endian bytes (`store_size`); without it the caller must supply the size.

use std::cell::RefCell;
use std::ffi::c_int;
use std::mem::MaybeUninit;
use std::ptr::NonNull;

use super::ctx::uninit;
use super::ffi;
use super::frame::decoded_bound;
use crate::error::bytes;
use crate::spare::append;
use crate::thread_cache::with_cached;
use crate::{Error, ErrorKind, Limit, Result};

/// The size prefix of python-lz4's `store_size`.
pub const SIZE_PREFIX: usize = 4;
/// The largest input a block can hold (`LZ4_MAX_INPUT_SIZE`).
pub const MAX_INPUT_SIZE: usize = ffi::LZ4_MAX_INPUT_SIZE;
/// liblz4 uses only the last 64 KiB of a dictionary.
const DICT_WINDOW: usize = 64 << 10;

/// How a block is compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockMode {
    /// `LZ4_compress_default`.
    Default,
    /// `LZ4_compress_fast`: larger accelerations are faster and compress less.
    Fast { acceleration: i32 },
    /// `LZ4_compress_HC` at `level` (below 1 means 9, above 12 means 12).
    HighCompression { level: i32 },
}

/// A liblz4 stream (fast or high-compression), freed with it.
struct Stream<T> {
    ptr: NonNull<T>,
    free: unsafe extern "C" fn(*mut T) -> c_int,
}

// SAFETY: liblz4 streams have no thread affinity; they are only used through `&mut`.
unsafe impl<T> Send for Stream<T> {}

impl<T> Stream<T> {
    /// `create` is one of liblz4's stream constructors, `free` its destructor.
    fn create(
        create: unsafe extern "C" fn() -> *mut T,
        free: unsafe extern "C" fn(*mut T) -> c_int,
    ) -> Result<Self> {
        // SAFETY: a liblz4 stream constructor, which returns an initialized stream or null.
        let ptr = NonNull::new(unsafe { create() })
            .ok_or_else(|| Error::new(ErrorKind::Memory, "out of memory creating an lz4 stream"))?;
        Ok(Stream { ptr, free })
    }
}

impl<T> Drop for Stream<T> {
    fn drop(&mut self) {
        // SAFETY: the stream came from the constructor `free` pairs with, and is not used again.
        unsafe { (self.free)(self.ptr.as_ptr()) };
    }
}

type FastStream = Stream<ffi::LZ4_stream_t>;
type HcStream = Stream<ffi::LZ4_streamHC_t>;

thread_local! {
    static FAST: RefCell<Option<FastStream>> = const { RefCell::new(None) };
    static HC: RefCell<Option<HcStream>> = const { RefCell::new(None) };
}

fn too_large(size: usize) -> Error {
    Error::new(
        ErrorKind::InvalidArg,
        format!(
            "an lz4 block holds at most {}; the input is {}",
            bytes(MAX_INPUT_SIZE as u64),
            bytes(size as u64)
        ),
    )
}

/// The most a block of `size` bytes can take, prefix included when `store_size`.
pub fn compress_block_bound(size: usize, store_size: bool) -> Result<usize> {
    if size > MAX_INPUT_SIZE {
        return Err(too_large(size));
    }
    // SAFETY: a pure function of its argument, which is within liblz4's input limit.
    let bound = unsafe { ffi::LZ4_compressBound(size as c_int) } as usize;
    Ok(bound + if store_size { SIZE_PREFIX } else { 0 })
}

/// The last 64 KiB of `dict`, all liblz4 reads of it.
fn window(dict: &[u8]) -> &[u8] {
    &dict[dict.len().saturating_sub(DICT_WINDOW)..]
}

/// Compresses `src` into one block appended to `out`, after its size as a 4-byte prefix when
/// `store_size`. With `dict`, the block may refer to the dictionary's last 64 KiB.
pub fn compress_block(
    src: &[u8],
    mode: BlockMode,
    store_size: bool,
    dict: Option<&[u8]>,
    out: &mut Vec<u8>,
) -> Result<()> {
    let bound = compress_block_bound(src.len(), store_size)?;
    // SAFETY: `prefixed_block` reports the prefix it wrote plus what liblz4 reports writing.
    unsafe {
        append(out, bound, |dst| {
            prefixed_block(src, mode, store_size, dict, dst)
        })
    }
    .map(drop)
}

/// As [`compress_block`], into `dst`, which must hold [`compress_block_bound`] bytes; returns
/// the length written.
pub fn compress_block_into(
    src: &[u8],
    mode: BlockMode,
    store_size: bool,
    dict: Option<&[u8]>,
    dst: &mut [u8],
) -> Result<usize> {
    let bound = compress_block_bound(src.len(), store_size)?;
    if dst.len() < bound {
        return Err(Error::new(
            ErrorKind::InvalidArg,
            format!(
                "the output has room for {} bytes; the block may need {bound}",
                dst.len()
            ),
        ));
    }
    // SAFETY: only the prefix and liblz4's output are written through it.
    prefixed_block(src, mode, store_size, dict, unsafe { uninit(dst) })
}

fn prefixed_block(
    src: &[u8],
    mode: BlockMode,
    store_size: bool,
    dict: Option<&[u8]>,
    dst: &mut [MaybeUninit<u8>],
) -> Result<usize> {
    let start = if store_size { SIZE_PREFIX } else { 0 };
    if store_size {
        for (d, b) in dst.iter_mut().zip((src.len() as u32).to_le_bytes()) {
            d.write(b);
        }
    }
    Ok(start + block(src, mode, dict, &mut dst[start..])?)
}

/// Compresses `src` into one block in `dst`, which holds at least `LZ4_compressBound` bytes.
fn block(
    src: &[u8],
    mode: BlockMode,
    dict: Option<&[u8]>,
    dst: &mut [MaybeUninit<u8>],
) -> Result<usize> {
    if src.is_empty() {
        // The block of no bytes: one token with no literals and no match. liblz4's optimal
        // parser (levels 10 to 12) reads before its input when given none.
        dst[0].write(0);
        return Ok(1);
    }
    let (src_ptr, n) = (src.as_ptr().cast(), src.len() as c_int);
    let (dst, cap) = (
        dst.as_mut_ptr().cast(),
        dst.len().min(c_int::MAX as usize) as c_int,
    );
    let written = match mode {
        BlockMode::Default | BlockMode::Fast { .. } => {
            let acceleration = match mode {
                BlockMode::Fast { acceleration } => acceleration,
                _ => 1,
            };
            with_cached(
                &FAST,
                || Stream::create(ffi::LZ4_createStream, ffi::LZ4_freeStream),
                |_| true,
                |stream| {
                    let s = stream.ptr.as_ptr();
                    // python-lz4's bytes: the stream cleared (LZ4_loadDict clears it too), then
                    // the block compressed as a stream's first, with the 32-bit hash table.
                    // liblz4's one-shot LZ4_compress_fast_extState_fastReset takes a 16-bit
                    // table for inputs under 64 KiB + 11 bytes, which finds other matches.
                    // SAFETY: the stream is live, of `LZ4_sizeofState` bytes (LZ4_createStream);
                    // `src` and `dst` are valid for `n` and `cap` bytes and do not overlap; `dict`
                    // lives through the call, the only time liblz4 reads it.
                    Ok(unsafe {
                        match dict.map(window) {
                            Some(d) => {
                                ffi::LZ4_loadDict(s, d.as_ptr().cast(), d.len() as c_int);
                            }
                            None => {
                                ffi::LZ4_initStream(s.cast(), ffi::LZ4_sizeofState() as usize);
                            }
                        }
                        ffi::LZ4_compress_fast_continue(s, src_ptr, dst, n, cap, acceleration)
                    })
                },
            )?
        }
        BlockMode::HighCompression { level } => {
            with_cached(
                &HC,
                || Stream::create(ffi::LZ4_createStreamHC, ffi::LZ4_freeStreamHC),
                |_| true,
                |stream| {
                    let s = stream.ptr.as_ptr();
                    // SAFETY: as above, for an HC stream (initialized by LZ4_createStreamHC).
                    Ok(unsafe {
                        match dict.map(window) {
                            Some(d) => {
                                ffi::LZ4_resetStreamHC_fast(s, level);
                                ffi::LZ4_loadDictHC(s, d.as_ptr().cast(), d.len() as c_int);
                                ffi::LZ4_compress_HC_continue(s, src_ptr, dst, n, cap)
                            }
                            None => ffi::LZ4_compress_HC_extStateHC_fastReset(
                                s.cast(),
                                src_ptr,
                                dst,
                                n,
                                cap,
                                level,
                            ),
                        }
                    })
                },
            )?
        }
    };
    if written <= 0 {
        return Err(Error::new(
            ErrorKind::Internal,
            "lz4 block compression failed",
        ));
    }
    Ok(written as usize)
}

/// Where a block's compressed bytes start, and the room its output needs: the stored size, or
/// `uncompressed_size` (the most the block may decode to) for a block without the prefix.
pub fn block_output_size(
    src: &[u8],
    uncompressed_size: Option<usize>,
    max_output_size: usize,
) -> Result<(usize, usize)> {
    let (start, size) = match uncompressed_size {
        Some(size) => (0, size),
        None => {
            let prefix = src.get(..SIZE_PREFIX).ok_or_else(|| {
                Error::new(
                    ErrorKind::Truncated,
                    format!(
                        "an lz4 block with a stored size starts with 4 size bytes; the input \
                         has {}",
                        src.len()
                    ),
                )
            })?;
            let size = u32::from_le_bytes(prefix.try_into().expect("4 bytes"));
            if size as usize > MAX_INPUT_SIZE {
                return Err(Error::new(
                    ErrorKind::Corrupt,
                    format!("corrupt lz4 block: its stored size ({size}) is beyond any lz4 block"),
                ));
            }
            (SIZE_PREFIX, size as usize)
        }
    };
    if size > max_output_size {
        return Err(Error::over(
            ErrorKind::OutputLimit,
            Limit::Output,
            format!(
                "the lz4 block would decompress to up to {}, over the output limit ({})",
                bytes(size as u64),
                bytes(max_output_size as u64)
            ),
        ));
    }
    let most = decoded_bound(src.len() - start);
    if uncompressed_size.is_none() && size > most {
        return Err(Error::new(
            ErrorKind::Corrupt,
            format!(
                "corrupt lz4 block: its stored size ({size}) is more than its {} bytes can \
                 decode to ({most})",
                src.len() - start
            ),
        ));
    }
    // The room for an output of at most `size`: never more than the block can decode to.
    Ok((start, size.min(MAX_INPUT_SIZE).min(most)))
}

/// Decodes the block in `src[start..]` (see [`block_output_size`]) into `dst`; returns the
/// bytes written. With `exact`, the block must fill `dst`.
pub fn decompress_block(
    src: &[u8],
    start: usize,
    dict: Option<&[u8]>,
    dst: &mut [u8],
    exact: bool,
) -> Result<usize> {
    let body = &src[start..];
    if body.len() > MAX_INPUT_SIZE {
        return Err(too_large(body.len()));
    }
    // SAFETY: only LZ4_decompress_safe's output is written through it.
    let dst = unsafe { uninit(dst) };
    let (src_ptr, n) = (body.as_ptr().cast(), body.len() as c_int);
    let (dst_ptr, cap) = (dst.as_mut_ptr().cast(), dst.len() as c_int);
    // SAFETY: `body` and `dst` are valid for `n` and `cap` bytes (both within c_int range) and
    // do not overlap; LZ4_decompress_safe never reads or writes outside them, whatever the
    // input; `dict` lives through the call.
    let written = unsafe {
        match dict.map(window) {
            Some(d) => ffi::LZ4_decompress_safe_usingDict(
                src_ptr,
                dst_ptr,
                n,
                cap,
                d.as_ptr().cast(),
                d.len() as c_int,
            ),
            None => ffi::LZ4_decompress_safe(src_ptr, dst_ptr, n, cap),
        }
    };
    if written < 0 {
        return Err(Error::new(
            ErrorKind::Corrupt,
            if dict.is_some() {
                "corrupt lz4 block, or a block that needs a different dictionary or more room \
                 than its stated size"
            } else {
                "corrupt lz4 block, or one that needs a dictionary or more room than its stated \
                 size"
            },
        ));
    }
    let written = written as usize;
    if exact && written != dst.len() {
        return Err(Error::new(
            ErrorKind::Corrupt,
            format!(
                "corrupt lz4 block: it decodes to {written} bytes, but its stored size is {}",
                dst.len()
            ),
        ));
    }
    Ok(written)
}
