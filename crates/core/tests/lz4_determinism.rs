//! LZ4 output depends on the input and the options alone, never on what the thread's cached
//! contexts (or an encoder's own) compressed before: every path gives, after other work, the
//! bytes that the first call of a new thread gives.

use std::sync::Arc;
use std::thread;

use squish_core::control::Control;
use squish_core::incremental::{Encode, Flush};
use squish_core::lz4::{self, BlockMode, BlockSize, FrameEncoder, FrameOptions};

/// Text whose first four bytes come back with another fifth byte ("bloc" + 'X', then "block "):
/// a zeroed hash table offers position 0 as a match for them, a used one does not.
fn text(len: usize, seed: u32) -> Vec<u8> {
    let words = [
        "squish ", "lz4 ", "frame ", "block ", "level ", "{\"id\":", "42}", "\n",
    ];
    let mut out = b"blocX".to_vec();
    let mut x = seed;
    while out.len() < len {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        out.extend_from_slice(words[(x >> 16) as usize % words.len()].as_bytes());
    }
    out.truncate(len);
    out
}

/// Text with stretches of noise, which the fast compressor skips through with acceleration.
fn mixed(len: usize) -> Vec<u8> {
    let mut out = text(len, 3);
    let mut x = 0x9e37_79b9u32;
    for (i, byte) in out.iter_mut().enumerate() {
        if (i / 5000) % 3 == 1 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            *byte = x as u8;
        }
    }
    out
}

/// Sizes on both sides of 64 KiB + 11 (where liblz4's one-shot block compressor changes its
/// hash table), of 4 KiB (under which it keeps a used table), and of 64 KiB blocks.
const SIZES: [usize; 10] = [
    1, 100, 1000, 4095, 4097, 65_546, 65_547, 65_548, 130_779, 300_000,
];

/// Compresses unrelated data with every kind of frame and block on this thread.
fn dirty_this_thread() {
    let other = mixed(200_000);
    // The fast level last, as liblz4 clears the table when a context changes kind.
    for level in [9, -4, 0] {
        for (linked, block_size) in [(true, BlockSize::Max64Kb), (false, BlockSize::Max4Mb)] {
            let options = FrameOptions {
                level,
                block_size,
                block_linked: linked,
                ..Default::default()
            };
            for len in [200, 3000, 70_000, 200_000] {
                lz4::compress(&other[..len], &options, true, &mut Vec::new()).unwrap();
            }
        }
    }
    for mode in block_modes() {
        for len in [300, 3000, 70_000] {
            let mut out = Vec::new();
            lz4::compress_block(&other[..len], mode, true, None, &mut out).unwrap();
            lz4::compress_block(&other[..len], mode, false, Some(&other[len..]), &mut out).unwrap();
        }
    }
}

/// `f()` as the first work of a new thread.
fn on_new_thread<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    thread::spawn(f).join().unwrap()
}

fn frame_options() -> Vec<FrameOptions> {
    let mut all = Vec::new();
    for level in [-20, -1, 0, 3, 9, 12] {
        for (block_size, block_linked, checksums) in [
            (BlockSize::Default, true, false),
            (BlockSize::Max64Kb, false, true),
            (BlockSize::Max256Kb, true, true),
            (BlockSize::Max4Mb, false, false),
        ] {
            all.push(FrameOptions {
                level,
                block_size,
                block_linked,
                content_checksum: checksums,
                block_checksum: checksums,
                auto_flush: false,
            });
        }
    }
    all
}

fn block_modes() -> Vec<BlockMode> {
    let mut modes = vec![BlockMode::Default];
    modes.extend([1, 4, 17].map(|acceleration| BlockMode::Fast { acceleration }));
    modes.extend([1, 3, 9, 10, 12].map(|level| BlockMode::HighCompression { level }));
    modes
}

fn frame(src: &[u8], options: &FrameOptions, store_size: bool) -> Vec<u8> {
    let mut out = Vec::new();
    lz4::compress(src, options, store_size, &mut out).unwrap();
    out
}

#[test]
fn one_shot_frames_after_other_work_are_those_of_a_new_thread() {
    let inputs: Vec<Arc<Vec<u8>>> = SIZES.iter().map(|&n| Arc::new(mixed(n))).collect();
    for options in frame_options() {
        let firsts: Vec<Vec<u8>> = inputs
            .iter()
            .map(|input| {
                let input = Arc::clone(input);
                on_new_thread(move || frame(&input, &options, true))
            })
            .collect();
        dirty_this_thread();
        for (input, first) in inputs.iter().zip(&firsts) {
            let again = frame(input, &options, true);
            assert!(
                again == *first,
                "{} B, {options:?}: {} B first, {} B after other work",
                input.len(),
                first.len(),
                again.len()
            );
            // The same again, straight after the same input.
            assert!(frame(input, &options, true) == *first);
        }
    }
}

#[test]
fn stepped_frames_under_a_control_are_the_plain_ones() {
    let input = mixed(3 << 20);
    for options in frame_options().into_iter().step_by(3) {
        let first = {
            let input = input.clone();
            on_new_thread(move || frame(&input, &options, true))
        };
        dirty_this_thread();
        let stepped = Control::run(Some(&Control::new()), || {
            let mut out = Vec::new();
            lz4::compress(&input, &options, true, &mut out)?;
            Ok(out)
        })
        .unwrap();
        assert!(stepped == first, "{options:?}");
    }
}

/// A frame made with `encoder` from `src` in pieces of `chunk` bytes.
fn encode(encoder: &mut FrameEncoder, src: &[u8], options: &FrameOptions, chunk: usize) -> Vec<u8> {
    let mut out = Vec::new();
    encoder.begin(options, src.len() as u64, &mut out).unwrap();
    for piece in src.chunks(chunk) {
        encoder.update(piece, &mut out).unwrap();
    }
    encoder.flush(Flush::Frame, &mut out).unwrap();
    out
}

#[test]
fn incremental_frames_on_a_used_encoder_are_those_of_a_new_one() {
    let other = text(150_000, 9);
    for options in frame_options() {
        for auto_flush in [false, true] {
            let options = FrameOptions {
                auto_flush,
                ..options
            };
            for len in [100, 4095, 65_547, 130_779] {
                let input = mixed(len);
                for chunk in [1000, 65_536] {
                    let first = encode(&mut FrameEncoder::new().unwrap(), &input, &options, chunk);
                    let mut used = FrameEncoder::new().unwrap();
                    for level in [0, 9, -3] {
                        let other_options = FrameOptions { level, ..options };
                        encode(&mut used, &other, &other_options, 7777);
                    }
                    encode(&mut used, &input, &options, chunk);
                    let again = encode(&mut used, &input, &options, chunk);
                    assert!(again == first, "{len} B in {chunk} B pieces, {options:?}");
                }
            }
        }
    }
}

#[test]
fn parallel_and_frame_size_frames_after_other_work_are_those_of_new_threads() {
    let input = Arc::new(mixed((5 << 20) + 12_345));
    for level in [-2, 0, 9] {
        let linked = FrameOptions {
            level,
            block_size: BlockSize::Max256Kb,
            content_checksum: true,
            ..Default::default()
        };
        let independent = FrameOptions {
            block_linked: false,
            ..linked
        };
        let first = {
            let input = Arc::clone(&input);
            on_new_thread(move || frame(&input, &independent, true))
        };
        let pieces: Vec<u8> = (0..input.len().div_ceil(1 << 20))
            .flat_map(|i| {
                let input = Arc::clone(&input);
                on_new_thread(move || {
                    let piece = &input[i << 20..((i + 1) << 20).min(input.len())];
                    frame(piece, &linked, true)
                })
            })
            .collect();
        // The pool's threads compress something else first.
        for _ in 0..2 {
            lz4::compress_parallel(&text(3 << 20, 5), &linked, true, 3).unwrap();
            lz4::compress_frames(&text(3 << 20, 6), &linked, false, 1 << 20, 3).unwrap();
        }
        dirty_this_thread();
        let parallel = lz4::compress_parallel(&input, &linked, true, 3).unwrap();
        assert!(parallel.0.concat() == first, "level {level}");
        let frames = lz4::compress_frames(&input, &linked, true, 1 << 20, 3).unwrap();
        assert!(frames.0.concat() == pieces, "level {level}");
    }
}

fn block(src: &[u8], mode: BlockMode, store_size: bool, dict: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    lz4::compress_block(src, mode, store_size, dict, &mut out).unwrap();
    out
}

#[test]
fn blocks_after_other_work_are_those_of_a_new_thread() {
    let dict = Arc::new(text(70_000, 13));
    let inputs: Vec<Arc<Vec<u8>>> = SIZES.iter().map(|&n| Arc::new(mixed(n))).collect();
    for mode in block_modes() {
        for store_size in [true, false] {
            for with_dict in [false, true] {
                let firsts: Vec<Vec<u8>> = inputs
                    .iter()
                    .map(|input| {
                        let (input, dict) = (Arc::clone(input), Arc::clone(&dict));
                        on_new_thread(move || {
                            block(&input, mode, store_size, with_dict.then_some(&dict[..]))
                        })
                    })
                    .collect();
                dirty_this_thread();
                for (input, first) in inputs.iter().zip(&firsts) {
                    let dict = with_dict.then_some(&dict[..]);
                    let again = block(input, mode, store_size, dict);
                    assert!(
                        again == *first,
                        "{} B, {mode:?}, store_size {store_size}, dict {with_dict}",
                        input.len()
                    );
                    assert!(block(input, mode, store_size, dict) == *first);
                }
            }
        }
    }
}
