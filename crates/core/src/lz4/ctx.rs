//! Owned liblz4 frame contexts.

use std::alloc::{self, Layout};
use std::ffi::c_void;
use std::mem::MaybeUninit;
use std::ptr::{self, NonNull};

use super::error::{check, encode_error, Raw};
use super::ffi;
use super::frame::BlockSize;
use crate::{Error, ErrorKind, Result};

fn out_of_memory() -> Error {
    Error::new(ErrorKind::Memory, "out of memory creating an lz4 context")
}

/// Room before each block a [`Recycler`] hands out, for the block's size; it keeps the
/// alignment malloc gives.
const HEADER: usize = 16;
/// Freed blocks a [`Recycler`] keeps: a context is made of three (itself, its compression
/// state and its block buffer), and a fourth covers a state of the other kind.
const KEEP_BLOCKS: usize = 4;

/// The memory allocator of a [`Cctx`]'s liblz4 contexts: it keeps the blocks a freed context
/// gave back and hands them to the next context made in it, so that making a new context for a
/// frame allocates nothing (its block buffer holds up to 4 MiB + 128 KiB).
struct Recycler {
    /// Freed blocks, oldest first, each starting with its size.
    free: Vec<NonNull<u8>>,
}

impl Recycler {
    fn new() -> Self {
        Recycler {
            free: Vec::with_capacity(KEEP_BLOCKS),
        }
    }

    /// A block of `size` bytes, zeroed when `zeroed`, or null if out of memory.
    fn take(&mut self, size: usize, zeroed: bool) -> *mut c_void {
        // SAFETY: every block in `free` starts with its size.
        let kept = (self.free.iter()).position(|block| unsafe { block_size(*block) } == size);
        let block = match kept {
            Some(i) => {
                let block = self.free.remove(i);
                if zeroed {
                    // SAFETY: the block holds `size` bytes after its header.
                    unsafe { block.as_ptr().add(HEADER).write_bytes(0, size) };
                }
                block
            }
            None => {
                let Some(layout) = layout(size) else {
                    return ptr::null_mut();
                };
                // SAFETY: `layout` has a non-zero size.
                let raw = unsafe {
                    if zeroed {
                        alloc::alloc_zeroed(layout)
                    } else {
                        alloc::alloc(layout)
                    }
                };
                let Some(block) = NonNull::new(raw) else {
                    return ptr::null_mut();
                };
                // SAFETY: the block is aligned for and at least as large as its header.
                unsafe { block.as_ptr().cast::<usize>().write(size) };
                block
            }
        };
        // SAFETY: the block holds `HEADER + size` bytes.
        unsafe { block.as_ptr().add(HEADER).cast() }
    }

    /// Takes back a block from [`Recycler::take`], given by the address it handed out.
    ///
    /// # Safety
    /// `address` came from this recycler's `take` and is not used again.
    unsafe fn give(&mut self, address: *mut c_void) {
        // SAFETY: `take` handed out the address `HEADER` bytes into a block.
        let block = unsafe { NonNull::new_unchecked(address.cast::<u8>().sub(HEADER)) };
        if self.free.len() == KEEP_BLOCKS {
            // SAFETY: a block of this recycler, no longer listed.
            unsafe { release(self.free.remove(0)) };
        }
        self.free.push(block);
    }
}

impl Drop for Recycler {
    fn drop(&mut self) {
        for block in self.free.drain(..) {
            // SAFETY: a block of this recycler, not used again.
            unsafe { release(block) };
        }
    }
}

fn layout(size: usize) -> Option<Layout> {
    Layout::from_size_align(size.checked_add(HEADER)?, HEADER).ok()
}

/// # Safety
/// `block` starts a block from [`Recycler::take`].
unsafe fn block_size(block: NonNull<u8>) -> usize {
    // SAFETY: the block starts with its size (see `take`).
    unsafe { block.as_ptr().cast::<usize>().read() }
}

/// # Safety
/// `block` starts a block from [`Recycler::take`], not used again.
unsafe fn release(block: NonNull<u8>) {
    // SAFETY: the block was allocated with the layout of its recorded size.
    unsafe {
        let layout = layout(block_size(block)).expect("the layout it was allocated with");
        alloc::dealloc(block.as_ptr(), layout);
    }
}

unsafe extern "C" fn recycled_alloc(recycler: *mut c_void, size: usize) -> *mut c_void {
    // SAFETY: liblz4 passes back the recycler of the context it allocates for, which is live
    // and used by no one else while the context works (see `Cctx`).
    unsafe { &mut *recycler.cast::<Recycler>() }.take(size, false)
}

unsafe extern "C" fn recycled_calloc(recycler: *mut c_void, size: usize) -> *mut c_void {
    // SAFETY: as in `recycled_alloc`.
    unsafe { &mut *recycler.cast::<Recycler>() }.take(size, true)
}

unsafe extern "C" fn recycled_free(recycler: *mut c_void, address: *mut c_void) {
    // SAFETY: as in `recycled_alloc`; liblz4 frees only what it allocated, once.
    unsafe { (*recycler.cast::<Recycler>()).give(address) }
}

/// A frame compression context.
///
/// Every frame compresses as it would on a new context, whatever the context did before. liblz4
/// starts a fast-level frame of linked blocks on the hash table the previous frame left
/// (LZ4_resetStream_fast moves past its entries rather than clearing them), where a new
/// context's table is zeroed. A zero points at the input's first bytes, and in the 32-bit table
/// of linked blocks (hashed on five bytes, matched on four) it can make a match that a used
/// table does not offer. So such a frame, after a fast-level one, gets a new liblz4 context made
/// in the old one's memory. Other frames need none: independent blocks under 64 KiB + 11 bytes
/// use a 16-bit table, hashed on the four bytes matched, where a zero is never a match; liblz4
/// clears the table for larger ones (for any block of 4 KiB and up); high-compression frames
/// start with every old entry out of reach, as a zeroed table's are (LZ4_resetStreamHC_fast);
/// and liblz4 initializes the state afresh when a context changes kind.
pub(crate) struct Cctx {
    ptr: NonNull<ffi::LZ4F_cctx>,
    /// The allocator of `ptr` and of the contexts before it; freed after them.
    memory: NonNull<Recycler>,
    /// Whether the last frame begun was at a fast level.
    fast_used: bool,
}

// SAFETY: an LZ4F context and its recycler have no thread affinity; `&mut self` on every call
// that uses them means one thread at a time.
unsafe impl Send for Cctx {}

/// A liblz4 context that allocates from `memory`.
fn context_in(memory: NonNull<Recycler>) -> Result<NonNull<ffi::LZ4F_cctx>> {
    let custom = ffi::LZ4F_CustomMem {
        customAlloc: Some(recycled_alloc),
        customCalloc: Some(recycled_calloc),
        customFree: Some(recycled_free),
        opaqueState: memory.as_ptr().cast(),
    };
    // SAFETY: the callbacks allocate and free through `memory`, which outlives every context
    // made in it (`Cctx`'s drop frees the context first); a failure returns null.
    NonNull::new(unsafe { ffi::LZ4F_createCompressionContext_advanced(custom, ffi::LZ4F_VERSION) })
        .ok_or_else(out_of_memory)
}

impl Cctx {
    pub fn create() -> Result<Self> {
        let memory = NonNull::from(Box::leak(Box::new(Recycler::new())));
        match context_in(memory) {
            Ok(ptr) => Ok(Cctx {
                ptr,
                memory,
                fast_used: false,
            }),
            Err(error) => {
                // SAFETY: from the `Box::leak` above; no context was made in it.
                drop(unsafe { Box::from_raw(memory.as_ptr()) });
                Err(error)
            }
        }
    }

    /// Readies the context for a frame with `prefs`, of one block or less when `one_block`
    /// (see [`Cctx`]).
    fn prepare(&mut self, prefs: &ffi::LZ4F_preferences_t, one_block: bool) -> Result<()> {
        let fast = prefs.compressionLevel < ffi::LZ4HC_CLEVEL_MIN;
        let linked = prefs.frameInfo.blockMode == 0 && !one_block;
        if fast && linked && self.fast_used {
            let fresh = context_in(self.memory)?;
            // SAFETY: the old context is live and not used again.
            unsafe { ffi::LZ4F_freeCompressionContext(self.ptr.as_ptr()) };
            self.ptr = fresh;
        }
        self.fast_used = fast;
        Ok(())
    }

    /// Compresses `src` into one whole frame in `dst`, which must hold
    /// `LZ4F_compressFrameBound(src.len(), prefs)` bytes.
    pub fn compress_frame(
        &mut self,
        src: &[u8],
        prefs: &ffi::LZ4F_preferences_t,
        dst: &mut [MaybeUninit<u8>],
    ) -> Result<usize> {
        // liblz4 makes a frame of one block independent.
        let block = BlockSize::from_id(prefs.frameInfo.blockSizeID).map(BlockSize::bytes);
        self.prepare(prefs, block.is_some_and(|block| src.len() <= block))?;
        let (to, from) = (dst.as_mut_ptr().cast(), src.as_ptr().cast());
        let ctx = self.ptr.as_ptr();
        // SAFETY: the context is live; `src` and `dst` are valid for their lengths and do not
        // overlap (`dst` is exclusively borrowed); no dictionary.
        encoded(unsafe {
            ffi::LZ4F_compressFrame_usingCDict(
                ctx,
                to,
                dst.len(),
                from,
                src.len(),
                ptr::null(),
                prefs,
            )
        })
    }

    /// Starts a frame: writes its header (at most `LZ4F_HEADER_SIZE_MAX` bytes) to `dst`.
    pub fn begin(
        &mut self,
        prefs: &ffi::LZ4F_preferences_t,
        dst: &mut [MaybeUninit<u8>],
    ) -> Result<usize> {
        self.prepare(prefs, false)?;
        // SAFETY: the context is live and `dst` is valid for its length.
        encoded(unsafe {
            ffi::LZ4F_compressBegin(self.ptr.as_ptr(), dst.as_mut_ptr().cast(), dst.len(), prefs)
        })
    }

    /// Compresses `src` into `dst`, which must hold `LZ4F_compressBound(src.len(), prefs)`.
    pub fn update(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
        let options = ffi::LZ4F_compressOptions_t::default();
        // SAFETY: the context is live; `src` and `dst` are valid for their lengths and do not
        // overlap. `stableSrc` is 0, so liblz4 copies what it keeps of `src` for later blocks.
        unsafe { self.update_with(src, dst, &options) }
    }

    /// As [`Cctx::update`], for consecutive pieces of one input that stays in place until the
    /// frame ends: liblz4 then reads earlier pieces where they are, as `LZ4F_compressFrame` does.
    ///
    /// # Safety
    /// `src` must directly follow the piece of the previous call in memory, and every piece of
    /// the frame must stay in place, unchanged, until the frame ends.
    pub unsafe fn update_stable(
        &mut self,
        src: &[u8],
        dst: &mut [MaybeUninit<u8>],
    ) -> Result<usize> {
        let options = ffi::LZ4F_compressOptions_t {
            stableSrc: 1,
            ..Default::default()
        };
        // SAFETY: as for `update`; the caller keeps the earlier pieces in place.
        unsafe { self.update_with(src, dst, &options) }
    }

    /// # Safety
    /// As [`Cctx::update_stable`] when `options.stableSrc` is set.
    unsafe fn update_with(
        &mut self,
        src: &[u8],
        dst: &mut [MaybeUninit<u8>],
        options: &ffi::LZ4F_compressOptions_t,
    ) -> Result<usize> {
        let (to, from) = (dst.as_mut_ptr().cast(), src.as_ptr().cast());
        // SAFETY: the context is live; `src` and `dst` are valid for their lengths and do not
        // overlap; the caller vouches for `stableSrc`.
        encoded(unsafe {
            ffi::LZ4F_compressUpdate(self.ptr.as_ptr(), to, dst.len(), from, src.len(), options)
        })
    }

    /// Writes out buffered input as a block, or ends the frame when `end`; `dst` must hold
    /// `LZ4F_compressBound(0, prefs)`.
    pub fn flush(&mut self, end: bool, dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
        let options = ffi::LZ4F_compressOptions_t::default();
        let f = if end {
            ffi::LZ4F_compressEnd
        } else {
            ffi::LZ4F_flush
        };
        // SAFETY: the context is live and `dst` is valid for its length.
        encoded(unsafe {
            f(
                self.ptr.as_ptr(),
                dst.as_mut_ptr().cast(),
                dst.len(),
                &options,
            )
        })
    }
}

fn encoded(code: usize) -> Result<usize> {
    check(code).map_err(encode_error)
}

impl Drop for Cctx {
    fn drop(&mut self) {
        // SAFETY: the context is live and not used again; its recycler is freed after it, and
        // was made by `Box::leak` in `create`.
        unsafe {
            ffi::LZ4F_freeCompressionContext(self.ptr.as_ptr());
            drop(Box::from_raw(self.memory.as_ptr()));
        }
    }
}

/// What one decompression step did.
pub(crate) struct Step {
    pub read: usize,
    pub written: usize,
    /// liblz4's hint of how many more input bytes it wants; 0 when a frame just ended.
    pub hint: usize,
}

/// A frame decompression context.
pub(crate) struct Dctx {
    ptr: NonNull<ffi::LZ4F_dctx>,
    /// The largest block size of the frames decoded so far, which sizes liblz4's buffers.
    pub largest_block: usize,
}

// SAFETY: as for `Cctx`.
unsafe impl Send for Dctx {}

impl Dctx {
    pub fn create() -> Result<Self> {
        let mut ptr = ptr::null_mut();
        // SAFETY: `ptr` is a valid out-pointer; a failure leaves it null, which is handled.
        let code = unsafe { ffi::LZ4F_createDecompressionContext(&mut ptr, ffi::LZ4F_VERSION) };
        match (check(code), NonNull::new(ptr)) {
            (Ok(_), Some(ptr)) => Ok(Dctx {
                ptr,
                largest_block: 0,
            }),
            _ => Err(out_of_memory()),
        }
    }

    /// Forgets any frame in progress.
    pub fn reset(&mut self) {
        // SAFETY: the context is live; resetting always succeeds.
        unsafe { ffi::LZ4F_resetDecompressionContext(self.ptr.as_ptr()) };
    }

    /// Decodes from `src` into `dst`.
    ///
    /// # Safety
    /// With `stable_dst`, the frame's earlier output must sit right before `dst` and stay there
    /// until the frame ends: liblz4 reads it as the history of linked blocks.
    pub unsafe fn decompress(
        &mut self,
        src: &[u8],
        dst: &mut [MaybeUninit<u8>],
        stable_dst: bool,
    ) -> Raw<Step> {
        let options = ffi::LZ4F_decompressOptions_t {
            stableDst: stable_dst as u32,
            ..Default::default()
        };
        let mut written = dst.len();
        let mut read = src.len();
        // SAFETY: the context is live; `src` and `dst` are valid for the lengths passed, which
        // liblz4 overwrites with the amounts consumed and produced. Callers that pass
        // `stable_dst` keep the frame's earlier output in place (see above).
        let hint = check(unsafe {
            ffi::LZ4F_decompress(
                self.ptr.as_ptr(),
                dst.as_mut_ptr().cast(),
                &mut written,
                src.as_ptr().cast(),
                &mut read,
                &options,
            )
        })?;
        Ok(Step {
            read,
            written,
            hint,
        })
    }
}

impl Drop for Dctx {
    fn drop(&mut self) {
        // SAFETY: the context is live and not used again.
        unsafe { ffi::LZ4F_freeDecompressionContext(self.ptr.as_ptr()) };
    }
}

/// `&mut [u8]` as the `MaybeUninit` slice the contexts write to.
///
/// # Safety
/// Only initialized bytes may be written through the result (liblz4 writes only output bytes).
pub(crate) unsafe fn uninit(dst: &mut [u8]) -> &mut [MaybeUninit<u8>] {
    // SAFETY: `MaybeUninit<u8>` has the layout of `u8`; the caller keeps the bytes initialized.
    unsafe { &mut *(dst as *mut [u8] as *mut [MaybeUninit<u8>]) }
}
