use squish_core::incremental::{Decode, Encode, Flush};
use squish_core::limits::DecompressOptions;
use squish_core::lz4::{
    self, BlockMode, BlockSize, FrameDecoder, FrameDecompressor, FrameEncoder, FrameOptions,
};
use squish_core::ErrorKind;

fn sample(len: usize) -> Vec<u8> {
    let words = ["squish ", "lz4 ", "frame ", "block ", "level ", "\n"];
    let mut out = Vec::with_capacity(len);
    let mut x: u32 = 12345;
    while out.len() < len {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        out.extend_from_slice(words[(x >> 16) as usize % words.len()].as_bytes());
    }
    out.truncate(len);
    out
}

fn compress(src: &[u8], options: &FrameOptions, store_size: bool) -> Vec<u8> {
    let mut out = Vec::new();
    lz4::compress(src, options, store_size, &mut out).unwrap();
    out
}

fn decompress(src: &[u8], options: &DecompressOptions) -> squish_core::Result<Vec<u8>> {
    let plan = lz4::plan(src, options)?;
    let mut out = Vec::new();
    lz4::decompress_to_vec(src, &plan, &mut out)?;
    Ok(out)
}

#[test]
fn frames_round_trip_with_every_setting() {
    let data = sample(300_000);
    for level in [-10, 0, 3, 9, 16, 40] {
        for block_size in [BlockSize::Default, BlockSize::Max256Kb, BlockSize::Max4Mb] {
            for (linked, checksums, store_size) in [(true, false, true), (false, true, false)] {
                let options = FrameOptions {
                    level,
                    block_size,
                    block_linked: linked,
                    content_checksum: checksums,
                    block_checksum: checksums,
                    auto_flush: false,
                };
                let frame = compress(&data, &options, store_size);
                let plan = lz4::plan(&frame, &DecompressOptions::default()).unwrap();
                assert_eq!(plan.size(), store_size.then_some(data.len()));
                assert_eq!(
                    decompress(&frame, &DecompressOptions::default()).unwrap(),
                    data
                );
                let info = lz4::frame_info(&frame).unwrap();
                assert_eq!(info.content_checksum, checksums);
                assert_eq!(info.block_checksum, checksums);
            }
        }
    }
}

#[test]
fn concatenated_and_skippable_frames() {
    let a = compress(b"first ", &FrameOptions::default(), true);
    let b = compress(b"second", &FrameOptions::default(), false);
    let skippable = [0x50, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 1, 2, 3];
    let input = [&a[..], &skippable, &b].concat();
    let options = DecompressOptions::default();
    assert_eq!(decompress(&input, &options).unwrap(), b"first second");
    let first_only = DecompressOptions {
        read_across_frames: false,
        ..options
    };
    assert_eq!(
        decompress(&input, &first_only).unwrap_err().kind,
        ErrorKind::Corrupt
    );
    let trailing = [&input[..], b"junk"].concat();
    assert_eq!(
        decompress(&trailing, &options).unwrap_err().kind,
        ErrorKind::Corrupt
    );
    let allow = DecompressOptions {
        allow_extra_data: true,
        ..options
    };
    let plan = lz4::plan(&trailing, &allow).unwrap();
    assert_eq!(plan.bytes_read(), input.len());
    assert_eq!(decompress(&trailing, &allow).unwrap(), b"first second");
}

#[test]
fn limits_hold_for_known_and_unknown_sizes() {
    let data = sample(100_000);
    for store_size in [true, false] {
        let frame = compress(&data, &FrameOptions::default(), store_size);
        let exact = DecompressOptions {
            max_output_size: data.len(),
            ..Default::default()
        };
        assert_eq!(decompress(&frame, &exact).unwrap(), data);
        let short = DecompressOptions {
            max_output_size: data.len() - 1,
            ..Default::default()
        };
        assert_eq!(
            decompress(&frame, &short).unwrap_err().kind,
            ErrorKind::OutputLimit
        );
    }
}

#[test]
fn every_truncation_is_a_typed_error() {
    let options = FrameOptions {
        content_checksum: true,
        block_checksum: true,
        ..Default::default()
    };
    let frame = compress(&sample(5000), &options, true);
    for len in 0..frame.len() {
        let error = decompress(&frame[..len], &DecompressOptions::default()).unwrap_err();
        assert_eq!(error.kind, ErrorKind::Truncated, "prefix of {len} bytes");
    }
}

#[test]
fn incremental_frames_match_in_any_chunking() {
    let data = sample(200_000);
    let options = FrameOptions {
        auto_flush: true,
        ..Default::default()
    };
    let mut encoder = FrameEncoder::new().unwrap();
    let mut frame = Vec::new();
    encoder.begin(&options, 0, &mut frame).unwrap();
    assert_eq!(
        encoder.begin(&options, 0, &mut frame).unwrap_err().kind,
        ErrorKind::InvalidState
    );
    for chunk in data.chunks(7777) {
        encoder.update(chunk, &mut frame).unwrap();
    }
    encoder.flush(Flush::Frame, &mut frame).unwrap();
    assert_eq!(
        encoder.update(b"x", &mut frame).unwrap_err().kind,
        ErrorKind::InvalidState
    );

    let mut decoder = FrameDecoder::new().unwrap();
    let mut out = Vec::new();
    let mut pos = 0;
    let mut ended = false;
    while !ended {
        let end = (pos + 1000).min(frame.len());
        let chunk = decoder
            .decompress(&frame[pos..end], 3000, &mut out)
            .unwrap();
        pos += chunk.bytes_read;
        ended = chunk.end_of_frame;
    }
    assert_eq!(pos, frame.len());
    assert_eq!(out, data);

    let mut corrupt = frame.clone();
    corrupt[5] ^= 0x10;
    let mut decoder = FrameDecoder::new().unwrap();
    let mut sink = Vec::new();
    assert!(decoder.decompress(&corrupt, usize::MAX, &mut sink).is_err());
    assert_eq!(
        decoder
            .decompress(&frame, usize::MAX, &mut sink)
            .unwrap_err()
            .kind,
        ErrorKind::InvalidState
    );
    decoder.reset();
    sink.clear();
    decoder.decompress(&frame, usize::MAX, &mut sink).unwrap();
    assert_eq!(sink, data);
}

#[test]
fn blocks_round_trip_with_prefix_and_dictionary() {
    let data = sample(70_000);
    let dict = sample(100_000);
    for mode in [
        BlockMode::Default,
        BlockMode::Fast { acceleration: 8 },
        BlockMode::HighCompression { level: 9 },
    ] {
        for dict in [None, Some(&dict[..])] {
            let mut block = Vec::new();
            lz4::compress_block(&data, mode, true, dict, &mut block).unwrap();
            let (start, size) = lz4::block_output_size(&block, None, usize::MAX).unwrap();
            assert_eq!((start, size), (4, data.len()));
            let mut out = vec![0; size];
            lz4::decompress_block(&block, start, dict, &mut out, true).unwrap();
            assert_eq!(out, data);
        }
    }
    let mut block = Vec::new();
    lz4::compress_block(&data, BlockMode::Default, false, None, &mut block).unwrap();
    let mut out = vec![0; data.len() + 10];
    let n = lz4::decompress_block(&block, 0, None, &mut out, false).unwrap();
    assert_eq!(&out[..n], &data[..]);
    let mut short = vec![0; data.len() - 1];
    assert_eq!(
        lz4::decompress_block(&block, 0, None, &mut short, false)
            .unwrap_err()
            .kind,
        ErrorKind::Corrupt
    );
    assert_eq!(
        lz4::block_output_size(&[0xff, 0xff, 0xff, 0x7d], None, 1 << 28)
            .unwrap_err()
            .kind,
        ErrorKind::OutputLimit
    );
}

#[test]
fn empty_blocks_in_every_mode() {
    for mode in [
        BlockMode::Default,
        BlockMode::Fast { acceleration: 4 },
        BlockMode::HighCompression { level: 9 },
        BlockMode::HighCompression { level: 12 },
    ] {
        let mut block = Vec::new();
        lz4::compress_block(&[], mode, true, None, &mut block).unwrap();
        assert_eq!(block, [0, 0, 0, 0, 0]);
    }
}

#[test]
fn bounded_stream_steps_hold_input_and_drain_to_the_same_output() {
    let data = vec![7u8; 20 << 20];
    let frame = compress(&data, &FrameOptions::default(), true);
    let mut decoder = FrameDecoder::new().unwrap();
    let mut out = Vec::new();
    let mut steps = 0;
    for chunk in frame.chunks(4096) {
        let mut input = chunk;
        loop {
            let before = out.len();
            decoder.step(input, 1 << 20, &mut out).unwrap();
            assert!(out.len() - before <= 1 << 20);
            steps += 1;
            input = &[];
            if !decoder.pending() {
                break;
            }
            assert_eq!(decoder.finish().unwrap_err().kind, ErrorKind::InvalidState);
        }
    }
    decoder.finish().unwrap();
    assert!(steps >= 20);
    assert_eq!(out, data);
}

/// How many times `out` was moved to a larger allocation while `f` appended to it, a call at a
/// time.
fn reallocations(out: &mut Vec<u8>, mut f: impl FnMut(&mut Vec<u8>) -> bool) -> usize {
    let mut moves = 0;
    let mut capacity = out.capacity();
    while f(out) {
        if out.capacity() != capacity {
            moves += 1;
            capacity = out.capacity();
        }
    }
    moves
}

#[test]
fn output_appended_over_many_calls_grows_geometrically() {
    // Bytes that do not compress: liblz4 stores them in uncompressed blocks, which it passes
    // on as their input arrives.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let data: Vec<u8> = (0..4 << 20)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let options = FrameOptions::default();

    let mut chunks = data.chunks(1000);
    let mut encoder = FrameEncoder::new().unwrap();
    let mut out = Vec::new();
    encoder.begin(&options, 0, &mut out).unwrap();
    let moves = reallocations(&mut out, |out| match chunks.next() {
        Some(chunk) => {
            encoder.update(chunk, out).unwrap();
            true
        }
        None => false,
    });
    encoder.flush(Flush::Frame, &mut out).unwrap();
    let frame = out;
    assert_eq!(
        decompress(&frame, &DecompressOptions::default()).unwrap(),
        data
    );
    // Each move copies the output so far: a move per call would copy it thousands of times.
    assert!(moves <= 32, "{moves} reallocations encoding");

    for limit in [usize::MAX, 4096] {
        let mut chunks = frame.chunks(1000);
        let mut decoder = FrameDecoder::new().unwrap();
        let mut out = Vec::new();
        let moves = reallocations(&mut out, |out| match chunks.next() {
            Some(chunk) => {
                decoder.step(chunk, limit, out).unwrap();
                while decoder.pending() {
                    decoder.step(&[], limit, out).unwrap();
                }
                true
            }
            None => false,
        });
        decoder.finish().unwrap();
        assert_eq!(out, data);
        assert!(
            moves <= 32,
            "{moves} reallocations decoding, step limit {limit}"
        );
    }
}

#[test]
fn one_shot_shape_follows_threads_and_frame_size() {
    use squish_core::oneshot::{Compress, Shape};
    let data = sample(300_000);
    let one = lz4::CompressOptions::default();
    let bound = lz4::compress_bound(data.len(), &one.frame);
    assert_eq!(
        one.shape(data.len()),
        Shape {
            bound: Some(bound),
            threads: 1
        }
    );
    assert_eq!(
        one.compress_parts(&data).unwrap().0.concat(),
        compress(&data, &one.frame, true)
    );

    // Several threads: blocks side by side, the bytes of independent blocks on one thread.
    let two = lz4::CompressOptions { threads: 2, ..one };
    assert_eq!(
        two.shape(data.len()),
        Shape {
            bound: None,
            threads: 2
        }
    );
    assert_eq!(
        two.shape(1000).bound,
        Some(lz4::compress_bound(1000, &two.frame))
    );
    let independent = FrameOptions {
        block_linked: false,
        auto_flush: true,
        ..one.frame
    };
    assert_eq!(
        two.compress_parts(&data).unwrap().0.concat(),
        compress(&data, &independent, true)
    );

    // Frames of a set size, each recording its size.
    let framed = lz4::CompressOptions {
        frame_size: 100_000,
        ..one
    };
    assert_eq!(
        framed.shape(data.len()),
        Shape {
            bound: None,
            threads: 1
        }
    );
    assert!(framed.shape(100_000).bound.is_some());
    let frames = framed.compress_parts(&data).unwrap();
    assert_eq!(frames.0.len(), 3);
    assert_eq!(
        decompress(&frames.0.concat(), &DecompressOptions::default()).unwrap(),
        data
    );
}

#[test]
fn frame_decompressor_keeps_input_and_the_bytes_after_the_frame() {
    let data = sample(300_000);
    let frame = compress(&data, &FrameOptions::default(), true);
    let mut input = frame.clone();
    input.extend_from_slice(b"after");

    // All at once, with no limit: the frame, then what follows it.
    let mut d = FrameDecompressor::new().unwrap();
    let mut out = Vec::new();
    d.decompress(&input, usize::MAX, &mut out).unwrap();
    assert_eq!(out, data);
    assert!(d.eof() && d.needs_input());
    assert_eq!(d.unused_data(), Some(&b"after"[..]));
    let error = d.decompress(b"", usize::MAX, &mut out).unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidState);

    // In pieces of output: empty chunks drain the input kept from the first call.
    d.reset();
    assert!(!d.eof() && d.unused_data().is_none());
    let mut out = Vec::new();
    let mut calls = 0;
    d.decompress(&frame, 10_000, &mut out).unwrap();
    while !d.needs_input() {
        assert!(!d.eof());
        d.decompress(b"", 10_000, &mut out).unwrap();
        calls += 1;
    }
    assert!(d.eof() && d.unused_data().is_none());
    assert_eq!(out, data);
    assert!(calls >= 29, "{calls} calls");

    // Chunk by chunk: the same output, and the frame ends with the last chunk.
    let mut d = FrameDecompressor::new().unwrap();
    let mut out = Vec::new();
    for chunk in frame.chunks(777) {
        assert!(!d.eof());
        d.decompress(chunk, usize::MAX, &mut out).unwrap();
    }
    assert!(d.eof());
    assert_eq!(out, data);
}
