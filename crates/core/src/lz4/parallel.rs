//! LZ4 compressed on several threads, the worker pool's and the calling one:
//! - one frame: the input is cut into jobs of whole blocks that do not refer to one another,
//!   compressed side by side and put together into one standard frame, byte for byte the one a
//!   single thread makes with `block_linked: false`;
//! - independent frames of a given size, compressed side by side.

use std::cell::RefCell;

use super::compress::{compress, FrameOptions};
use super::encoder::FrameEncoder;
use super::frame::xxh32;
use crate::incremental::{Encode, Flush};
use crate::thread_cache::with_cached;
use crate::{control, parts, pool, Parts, Result};

/// Input per job, in whole blocks: about 1 MiB, or one block when blocks are larger.
const JOB_BYTES: usize = 1 << 20;

thread_local! {
    static ENCODER: RefCell<Option<FrameEncoder>> = const { RefCell::new(None) };
}

/// Compresses `src` into one frame of independent blocks, returned in parts, on up to `threads`
/// threads: the calling thread and pool workers (0: one per worker). `options.block_linked` is
/// ignored: blocks that refer to earlier ones cannot be compressed apart. An input of one block
/// or less, or `threads` of 1, is compressed on the calling thread alone.
pub fn compress_parallel(
    src: &[u8],
    options: &FrameOptions,
    store_size: bool,
    threads: usize,
) -> Result<Parts> {
    let options = FrameOptions {
        block_linked: false,
        auto_flush: true,
        ..*options
    };
    let threads = pool::resolve(threads);
    let block = options.block_size.bytes();
    if threads <= 1 || src.len() <= block {
        return Parts::written(|out| compress(src, &options, store_size, out));
    }
    let per_job = (JOB_BYTES / block).max(1) * block;
    let jobs: Vec<&[u8]> = src.chunks(per_job).collect();
    // Item 0 is the content checksum, which one thread computes while the others compress.
    let parts = pool::scatter(jobs.len() + 1, threads, |i| match i {
        0 if options.content_checksum => Ok(xxh32(src).to_le_bytes().to_vec()),
        0 => Ok(Vec::new()),
        _ => {
            let body = blocks(jobs[i - 1], &options)?;
            control::advance(jobs[i - 1].len(), body.len())?;
            Ok(body)
        }
    });
    let mut parts = parts.into_iter().collect::<Result<Vec<_>>>()?;
    let checksum = parts.remove(0);
    // The header, from liblz4, as a frame of this size with these settings starts; the context
    // that wrote it is dropped mid-frame.
    let size = if store_size { src.len() as u64 } else { 0 };
    let mut header = Vec::new();
    FrameEncoder::new()?.begin(&options, size, &mut header)?;
    let mut end = 0u32.to_le_bytes().to_vec();
    end.extend_from_slice(&checksum);
    // The header, end mark and checksum, which no job counted.
    control::advance(0, header.len() + end.len())?;
    parts.insert(0, header);
    parts.push(end);
    Ok(Parts(parts))
}

/// Compresses `src` into independent frames of `frame_size` input bytes each (the last may be
/// shorter), side by side on up to `threads` threads (0: one per pool worker), and returns them
/// in order. With `store_size`, each frame records its size, so the whole decodes in parallel
/// too.
pub fn compress_frames(
    src: &[u8],
    options: &FrameOptions,
    store_size: bool,
    frame_size: usize,
    threads: usize,
) -> Result<Parts> {
    parts::scatter_pieces(src, frame_size, threads, |piece, frame| {
        compress(piece, options, store_size, frame)
    })
}

/// The blocks of `piece` (whole blocks, but for the input's last piece), as a frame's body.
fn blocks(piece: &[u8], options: &FrameOptions) -> Result<Vec<u8>> {
    let options = FrameOptions {
        content_checksum: false,
        ..*options
    };
    // The header and end mark of the frame the blocks are made in, which are not kept.
    let mut framing = Vec::new();
    let mut body = Vec::new();
    with_encoder(|encoder| {
        encoder.begin(&options, 0, &mut framing)?;
        // With auto-flush, every block is written out by the update itself.
        encoder.update(piece, &mut body)?;
        encoder.flush(Flush::Frame, &mut framing)
    })?;
    Ok(body)
}

fn with_encoder<R>(f: impl FnOnce(&mut FrameEncoder) -> Result<R>) -> Result<R> {
    with_cached(&ENCODER, FrameEncoder::new, |_| true, f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lz4::BlockSize;

    fn sample(len: usize) -> Vec<u8> {
        (0..len)
            .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[(i / 7) % 4] % 23)
            .collect()
    }

    #[test]
    fn equals_the_single_threaded_frame_of_independent_blocks() {
        for (len, block_size, level, checksums, store_size) in [
            (3 << 20, BlockSize::Default, 0, false, true),
            ((5 << 20) + 12_345, BlockSize::Max256Kb, -3, true, true),
            ((9 << 20) + 1, BlockSize::Max4Mb, 9, true, false),
            ((64 << 10) + 1, BlockSize::Max64Kb, 0, true, true),
        ] {
            let src = sample(len);
            let options = FrameOptions {
                level,
                block_size,
                block_linked: false,
                content_checksum: checksums,
                block_checksum: checksums,
                auto_flush: false,
            };
            let mut one = Vec::new();
            compress(&src, &options, store_size, &mut one).unwrap();
            for threads in [2, 3, 8] {
                let linked = FrameOptions {
                    block_linked: true,
                    ..options
                };
                let many = compress_parallel(&src, &linked, store_size, threads)
                    .unwrap()
                    .0
                    .concat();
                assert!(
                    one == many,
                    "{len} B, {block_size:?}, level {level}, {threads} threads"
                );
            }
        }
    }
}
