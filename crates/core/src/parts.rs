//! An output made in parts on several threads, and put together in one place.

use crate::{pool, Result};

/// Pieces of at most this many bytes are copied side by side.
const COPY_PIECE: usize = 1 << 20;

/// An output's parts, in order.
#[derive(Debug, Default)]
pub struct Parts(pub Vec<Vec<u8>>);

impl Parts {
    /// The output `write` appends to a vector of its own, as one part.
    pub fn written(write: impl FnOnce(&mut Vec<u8>) -> Result<()>) -> Result<Parts> {
        let mut out = Vec::new();
        write(&mut out)?;
        Ok(Parts(vec![out]))
    }

    /// The parts, as slices.
    pub fn slices(&self) -> Vec<&[u8]> {
        self.0.iter().map(Vec::as_slice).collect()
    }
}

/// Runs `f` on each `size`-byte piece of `src` (one empty piece for an empty input), on the
/// calling thread and up to `threads - 1` pool workers (0: one per worker), and returns what it
/// writes for each piece, in order. The first failure, in piece order, is returned.
pub fn scatter_pieces<F>(src: &[u8], size: usize, threads: usize, f: F) -> Result<Parts>
where
    F: Fn(&[u8], &mut Vec<u8>) -> Result<()> + Sync,
{
    let pieces: Vec<&[u8]> = if src.is_empty() {
        vec![src]
    } else {
        src.chunks(size.max(1)).collect()
    };
    pool::scatter(pieces.len(), threads, |i| {
        let mut part = Vec::new();
        f(pieces[i], &mut part).map(|()| part)
    })
    .into_iter()
    .collect::<Result<Vec<_>>>()
    .map(Parts)
}

/// Writes `parts` one after another to `dst`, which must be exactly as long as they are together,
/// in pieces of up to 1 MiB side by side on up to `threads` threads (0: one per pool worker).
///
/// `dst` is typically fresh memory, whose first writes fault its pages in: a page at a time, at a
/// fraction of the speed of copying. Spread over threads, so are the faults, and the copy of a
/// large output no longer costs a multithreaded compression much of its gain.
pub fn copy(parts: &[&[u8]], dst: &mut [u8], threads: usize) {
    let pieces: Vec<&[u8]> = parts.iter().flat_map(|p| p.chunks(COPY_PIECE)).collect();
    let lens: Vec<usize> = pieces.iter().map(|p| p.len()).collect();
    assert_eq!(
        dst.len(),
        lens.iter().sum::<usize>(),
        "the destination must fit the parts exactly"
    );
    pool::scatter_slices(dst, &lens, threads, |i, dst| {
        dst.copy_from_slice(pieces[i]);
        Ok::<(), ()>(())
    })
    .expect("copying cannot fail");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scatter_pieces_returns_each_piece_in_order() {
        let src: Vec<u8> = (0..=255).collect();
        let parts = scatter_pieces(&src, 100, 4, |piece, part| {
            part.push(piece.len() as u8);
            part.extend_from_slice(&piece[..2]);
            Ok(())
        })
        .unwrap();
        assert_eq!(parts.0, [[100, 0, 1], [100, 100, 101], [56, 200, 201]]);
        let empty = scatter_pieces(&[], 100, 4, |piece, part| {
            part.push(piece.len() as u8);
            Ok(())
        })
        .unwrap();
        assert_eq!(empty.0, [[0]]);
    }

    #[test]
    fn copies_the_parts_in_order_on_any_number_of_threads() {
        let parts = Parts(vec![
            vec![1, 2],
            Vec::new(),
            (0..3 * COPY_PIECE + 5).map(|i| (i % 251) as u8).collect(),
            vec![7],
        ]);
        let whole: Vec<u8> = parts.0.concat();
        for threads in [0, 1, 2, 5] {
            let mut copied = vec![0; whole.len()];
            copy(&parts.slices(), &mut copied, threads);
            assert!(copied == whole);
        }
        copy(&Parts::default().slices(), &mut [], 2);
        let written = Parts::written(|out| {
            out.push(3);
            Ok(())
        });
        assert_eq!(written.unwrap().0, [[3]]);
    }
}
