//! LZ4 round trip: the data, compressed with options drawn from the input (level, block size,
//! linked blocks, checksums, auto-flush, stored size) into one frame, a caller's buffer, one
//! frame on threads, independent frames of `frameSize`, a `FrameEncoder`'s frame, or a block
//! (with or without its size prefix and a dictionary), decodes back to itself on every path
//! (one-shot, frames on threads, a `FrameDecoder`), to the size the frames record. A frame made
//! on threads is byte for byte the single-threaded frame of independent blocks.
//!
//! Input: 8 options bytes, then the data. Byte 0: the level. Byte 1: bits 0-2 the block size,
//! bit 3 linked blocks, bit 4 content checksum, bit 5 block checksums, bit 6 auto-flush, bit 7
//! the stored size. Byte 2: the mode (and for blocks, a dictionary: the data's first
//! `byte 2 / 8` * 16 bytes). Bytes 3-4: the frame size. Bytes 5-7: the encoder's chunk sizes
//! and flushes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use squish_core::incremental::{Decode, Encode, Flush};
use squish_core::limits::DecompressOptions;
use squish_core::lz4::{self, BlockMode, BlockSize, FrameDecoder, FrameEncoder, FrameOptions};
use squish_core::Result;
use squish_core_fuzz::{answer, assert_same, chunks, Answer, Input};

const LEVELS: [i32; 12] = [-65537, -100, -3, -1, 0, 1, 2, 3, 4, 9, 12, 16];
const BLOCK_SIZES: [BlockSize; 5] = [
    BlockSize::Default,
    BlockSize::Max64Kb,
    BlockSize::Max256Kb,
    BlockSize::Max1Mb,
    BlockSize::Max4Mb,
];

/// The encoder's frame: a chunk at a time, each followed by a block flush when its pattern byte
/// says so.
fn encode(options: &FrameOptions, src: &[u8], size: u64, pattern: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = FrameEncoder::new()?;
    let mut out = Vec::new();
    encoder.begin(options, size, &mut out)?;
    for (i, chunk) in chunks(src, pattern).into_iter().enumerate() {
        encoder.update(chunk, &mut out)?;
        if pattern[i % pattern.len()] % 2 == 1 {
            encoder.flush(Flush::Block, &mut out)?;
        }
    }
    encoder.flush(Flush::Frame, &mut out)?;
    Ok(out)
}

/// Compresses `src` as a block and decodes it back.
fn block(src: &[u8], level: i32, store_size: bool, dict: Option<&[u8]>) -> Answer {
    let mode = match level {
        ..0 => BlockMode::Fast {
            acceleration: -level,
        },
        0..=2 => BlockMode::Default,
        _ => BlockMode::HighCompression { level },
    };
    let mut block = Vec::new();
    lz4::compress_block(src, mode, store_size, dict, &mut block).expect("block compression");
    let given = (!store_size).then_some(src.len());
    answer(
        lz4::block_output_size(&block, given, src.len()).and_then(|(start, size)| {
            let mut out = vec![0; size];
            let n = lz4::decompress_block(&block, start, dict, &mut out, true)?;
            out.truncate(n);
            Ok(out)
        }),
    )
}

fuzz_target!(|raw: &[u8]| {
    let input = Input::split(raw, 8);
    let level = LEVELS[usize::from(input.byte(0)) % LEVELS.len()];
    let flags = input.byte(1);
    let options = FrameOptions {
        level,
        block_size: BLOCK_SIZES[usize::from(flags & 7) % BLOCK_SIZES.len()],
        block_linked: flags & 8 != 0,
        content_checksum: flags & 16 != 0,
        block_checksum: flags & 32 != 0,
        auto_flush: flags & 64 != 0,
    };
    let store_size = flags & 128 != 0;
    let mode = input.byte(2) % 8;
    let pattern = [5, 6, 7].map(|i| input.byte(i));
    let src = input.data;
    let expected: Answer = Ok(src.to_vec());

    if mode >= 5 {
        let (dict, data) = match mode {
            5 => (None, src),
            _ => {
                let (dict, data) =
                    src.split_at((usize::from(input.byte(2) / 8) * 16).min(src.len()));
                (Some(dict), data)
            }
        };
        let data_expected: Answer = Ok(data.to_vec());
        assert_same(
            raw,
            &[
                ("the input", &data_expected),
                ("block", &block(data, level, store_size, dict)),
            ],
        );
        return;
    }

    let compress = |options: &FrameOptions| -> Vec<u8> {
        let mut out = Vec::new();
        lz4::compress(src, options, store_size, &mut out).expect("compression");
        out
    };
    let compressed = match mode {
        0 => compress(&options),
        1 => {
            let mut out = vec![0; lz4::compress_bound(src.len(), &options)];
            let n = lz4::compress_into(src, &options, store_size, &mut out).expect("compression");
            out.truncate(n);
            out
        }
        2 => {
            let frame = lz4::compress_parallel(src, &options, store_size, 2)
                .expect("compression")
                .0
                .concat();
            let independent = compress(&FrameOptions {
                block_linked: false,
                ..options
            });
            assert!(
                frame == independent,
                "the frame made on threads differs from one made on one"
            );
            frame
        }
        3 => {
            let frame_size = usize::from(u16::from_le_bytes([input.byte(3), input.byte(4)])) + 1;
            lz4::compress_frames(src, &options, store_size, frame_size, 2)
                .expect("compression")
                .0
                .concat()
        }
        _ => {
            let size = if store_size { src.len() as u64 } else { 0 };
            encode(&options, src, size, &pattern).expect("compression")
        }
    };

    let decode_options = DecompressOptions {
        max_output_size: src.len(),
        ..DecompressOptions::default()
    };
    let plan = lz4::plan(&compressed, &decode_options).expect("the frames plan");
    if store_size && !src.is_empty() && mode != 3 {
        assert_eq!(
            plan.size(),
            Some(src.len()),
            "the frame does not record its size"
        );
    }
    let one_shot = answer({
        let mut out = Vec::new();
        lz4::decompress_to_vec(&compressed, &plan, &mut out).map(|()| out)
    });
    let threads = answer({
        let mut out = vec![0; src.len()];
        lz4::decompress_into(&compressed, &plan.with_threads(2), &mut out).map(|n| {
            out.truncate(n);
            out
        })
    });
    let incremental = answer(
        FrameDecoder::with_limit(src.len() as u64).and_then(|mut decoder| {
            let mut out = Vec::new();
            decoder.step(&compressed, usize::MAX, &mut out)?;
            decoder.finish()?;
            Ok(out)
        }),
    );
    assert_same(
        raw,
        &[
            ("the input", &expected),
            ("one-shot", &one_shot),
            ("2 threads", &threads),
            ("FrameDecoder", &incremental),
        ],
    );
});
