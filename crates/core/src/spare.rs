//! Writing into a vector's spare capacity, as the C libraries output: the one place that sets a
//! vector's length past the bytes safe code wrote.

use std::mem::MaybeUninit;

use crate::limits::make_room;
use crate::Result;

/// Passes `write` at most `limit` bytes of `out`'s spare capacity and appends to `out` the bytes
/// `write` initialized, which it counts beside its result.
///
/// # Safety
/// `write` must initialize at least as many bytes, from the start of the slice, as it counts.
pub(crate) unsafe fn fill<T>(
    out: &mut Vec<u8>,
    limit: usize,
    write: impl FnOnce(&mut [MaybeUninit<u8>]) -> (usize, T),
) -> T {
    let spare = out.spare_capacity_mut();
    let len = spare.len().min(limit);
    let (written, result) = write(&mut spare[..len]);
    // SAFETY: the caller's `write` initialized the first `written` bytes of the spare capacity,
    // which `len` bounds.
    unsafe { out.set_len(out.len() + written.min(len)) };
    result
}

/// The count of bytes a write returns, as [`fill`] takes it with the result (none on failure).
pub(crate) fn counted<E>(
    result: std::result::Result<usize, E>,
) -> (usize, std::result::Result<usize, E>) {
    (*result.as_ref().unwrap_or(&0), result)
}

/// Makes room for `room` more bytes in `out`, then appends what `write` puts there and returns
/// how many bytes that was.
///
/// # Safety
/// `write` must initialize at least as many bytes, from the start of the slice, as it returns.
pub(crate) unsafe fn append(
    out: &mut Vec<u8>,
    room: usize,
    write: impl FnOnce(&mut [MaybeUninit<u8>]) -> Result<usize>,
) -> Result<usize> {
    make_room(out, room)?;
    // SAFETY: the caller's promise about `write` is the one `fill` asks for.
    unsafe { fill(out, room, |spare| counted(write(spare))) }
}
