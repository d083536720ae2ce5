//! Memory hints for large outputs, and copies for work that must own what it reads.

use std::ops::{Deref, DerefMut};
use std::sync::Mutex;

/// Outputs at least this large are worth the hint.
const HUGE_PAGE_MIN: usize = 4 << 20;

/// Asks the kernel to back `buf` with transparent huge pages when it is first touched, on Linux.
///
/// A fresh output of tens of megabytes otherwise takes a page fault per 4 KiB as decoding first
/// writes it: for LZ4, faults took about two thirds of the time of decoding into a fresh 64 MiB
/// Buffer. With huge pages, one fault maps 2 MiB. It is a hint: the contents do not change, and
/// kernels that have huge pages off (or already back the memory) ignore it.
pub fn prefer_huge_pages<T>(buf: &mut [T]) {
    #[cfg(target_os = "linux")]
    if std::mem::size_of_val(buf) >= HUGE_PAGE_MIN {
        const HUGE: usize = 2 << 20;
        let start = buf.as_mut_ptr() as usize;
        let first = start.next_multiple_of(HUGE);
        let end = (start + std::mem::size_of_val(buf)) / HUGE * HUGE;
        if end > first {
            // SAFETY: the range lies within `buf`, which this call borrows exclusively, and
            // MADV_HUGEPAGE changes only how the kernel backs it, never its contents; a failure
            // (no THP support) leaves things as they were.
            unsafe { libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE) };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (buf, HUGE_PAGE_MIN);
}

/// Maps in the pages of `buf`, an output about to be written whole, in one call, on Linux.
///
/// Fresh memory is otherwise mapped a page at a time as it is first written, each time through a
/// page fault: writing 15 MB of fresh memory took 8-10 ms here with 4 KiB pages and 3.4-3.5 ms
/// with huge pages, but 1.5-1.6 ms with the pages mapped first (`MADV_POPULATE_WRITE`, Linux
/// 5.14). Pages already mapped are left as they are, and an older kernel refuses the call, which
/// changes nothing.
pub fn populate<T>(buf: &mut [T]) {
    #[cfg(target_os = "linux")]
    if std::mem::size_of_val(buf) >= HUGE_PAGE_MIN {
        // SAFETY: sysconf only reads a system setting.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(1) as usize;
        let start = buf.as_mut_ptr() as usize;
        let first = start.next_multiple_of(page);
        let end = (start + std::mem::size_of_val(buf)) / page * page;
        if end > first {
            // SAFETY: the whole pages within `buf`, which this call borrows exclusively;
            // MADV_POPULATE_WRITE maps them writable and never changes their contents.
            unsafe {
                libc::madvise(
                    first as *mut libc::c_void,
                    end - first,
                    libc::MADV_POPULATE_WRITE,
                )
            };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = buf;
}

/// Copies at least this large reuse the memory of earlier ones.
const SPARE_MIN: usize = 64 << 10;
/// The most memory kept for reuse between copies.
const SPARE_MAX: usize = 64 << 20;

/// Memory of finished copies, kept for the next ones: the pages of a fresh allocation cost more
/// to map (the kernel zeroes each one) than the copy itself. 64 MiB copied into fresh memory took
/// 18-22 ms here, even with huge pages; into memory already mapped, 4-5 ms.
static SPARE: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());

/// Bytes in memory of their own, which goes back for reuse when they are dropped (see
/// [`copy_of`] and [`room`]).
pub struct Owned(Vec<u8>);

impl Deref for Owned {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl DerefMut for Owned {
    fn deref_mut(&mut self) -> &mut [u8] {
        &mut self.0
    }
}

impl Owned {
    /// Keeps the first `len` bytes.
    pub fn truncate(&mut self, len: usize) {
        self.0.truncate(len);
    }
}

impl Drop for Owned {
    fn drop(&mut self) {
        let buf = std::mem::take(&mut self.0);
        if buf.capacity() < SPARE_MIN {
            return;
        }
        let mut spare = SPARE.lock().unwrap_or_else(|e| e.into_inner());
        let kept: usize = spare.iter().map(Vec::capacity).sum();
        if kept + buf.capacity() <= SPARE_MAX {
            spare.push(buf);
        }
    }
}

/// Memory for `len` bytes: that of an earlier copy when some is the right size (up to twice
/// as large), or fresh memory, backed by huge pages where possible.
fn memory_for(len: usize) -> Vec<u8> {
    let reused = (len >= SPARE_MIN).then(|| {
        let mut spare = SPARE.lock().unwrap_or_else(|e| e.into_inner());
        let fits = spare
            .iter()
            .position(|b| (len..=len.saturating_mul(2)).contains(&b.capacity()))?;
        Some(spare.swap_remove(fits))
    });
    let mut buf = reused.flatten().unwrap_or_else(|| {
        let mut fresh = Vec::with_capacity(len);
        prefer_huge_pages(fresh.spare_capacity_mut());
        fresh
    });
    buf.clear();
    buf
}

/// A copy of `bytes` in memory of its own, for work that must not depend on memory someone else
/// can free.
pub fn copy_of(bytes: &[u8]) -> Owned {
    let mut copy = memory_for(bytes.len());
    copy.extend_from_slice(bytes);
    Owned(copy)
}

/// `len` zero bytes in memory of their own, for output that is copied elsewhere once made.
pub fn room(len: usize) -> Owned {
    let mut room = memory_for(len);
    room.resize(len, 0);
    Owned(room)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hints_leave_the_contents_alone() {
        for len in [0, 100, (4 << 20) - 1, (6 << 20) + 3] {
            let mut buf: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let copy = buf.clone();
            prefer_huge_pages(&mut buf);
            populate(&mut buf);
            assert!(buf == copy);
            assert!(*copy_of(&buf) == buf[..]);
            assert!(room(len).iter().all(|&b| b == 0));
            buf.iter_mut().for_each(|b| *b = b.wrapping_add(1));
            assert!(buf.iter().zip(&copy).all(|(a, b)| *a == b.wrapping_add(1)));
        }
    }
}
