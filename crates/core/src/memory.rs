//! Memory hints for large outputs.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hint_leaves_the_contents_alone() {
        for len in [0, 100, (4 << 20) - 1, (6 << 20) + 3] {
            let mut buf: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let copy = buf.clone();
            prefer_huge_pages(&mut buf);
            assert!(buf == copy);
            buf.iter_mut().for_each(|b| *b = b.wrapping_add(1));
            assert!(buf.iter().zip(&copy).all(|(a, b)| *a == b.wrapping_add(1)));
        }
    }
}
