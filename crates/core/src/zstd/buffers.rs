//! libzstd's streaming buffers, over the slices squish passes it.

use std::mem::MaybeUninit;

use zstd_safe::zstd_sys as sys;

/// Output into `spare`, from its start; libzstd counts what it writes in `pos`.
pub(super) fn out_buffer(spare: &mut [MaybeUninit<u8>]) -> sys::ZSTD_outBuffer {
    sys::ZSTD_outBuffer {
        dst: spare.as_mut_ptr().cast(),
        size: spare.len(),
        pos: 0,
    }
}

/// Input from `src[pos..]`; libzstd advances `pos` past what it reads.
pub(super) fn in_buffer(src: &[u8], pos: usize) -> sys::ZSTD_inBuffer {
    sys::ZSTD_inBuffer {
        src: src.as_ptr().cast(),
        size: src.len(),
        pos,
    }
}
