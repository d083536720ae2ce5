use squish_core::incremental::Encode;
use squish_core::zstd::{self, CompressOptions, DecompressOptions};
use squish_core::ErrorKind;

fn sample(len: usize) -> Vec<u8> {
    let words = ["squish ", "zstd ", "frame ", "window ", "block ", "\n"];
    let mut out = Vec::with_capacity(len);
    let mut x: u32 = 12345;
    while out.len() < len {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        out.extend_from_slice(words[(x >> 16) as usize % words.len()].as_bytes());
    }
    out.truncate(len);
    out
}

fn compress(src: &[u8], level: i32) -> Vec<u8> {
    let mut out = Vec::new();
    let options = CompressOptions {
        level,
        ..Default::default()
    };
    zstd::compress(src, &options, &mut out).unwrap();
    out
}

fn decompress(src: &[u8], options: &DecompressOptions) -> squish_core::Result<Vec<u8>> {
    let plan = zstd::plan(src, options)?;
    let mut out = Vec::new();
    zstd::decompress_to_vec(src, &plan, &mut out)?;
    Ok(out)
}

fn kind(src: &[u8], options: &DecompressOptions) -> ErrorKind {
    decompress(src, options).unwrap_err().kind
}

/// A frame with no content size, as `zstd` writes when reading from a pipe.
fn streamed_frame(src: &[u8]) -> Vec<u8> {
    let options = CompressOptions {
        content_size: false,
        ..Default::default()
    };
    let mut out = Vec::new();
    zstd::compress(src, &options, &mut out).unwrap();
    out
}

#[test]
fn round_trips_over_sizes_and_levels() {
    for len in [0, 1, 100, 65_535, 65_536, 65_537, 1 << 20] {
        let src = sample(len);
        for level in [-5, 1, 3, 19] {
            let frame = compress(&src, level);
            let plan = zstd::plan(&frame, &Default::default()).unwrap();
            assert_eq!(plan.size(), Some(len));
            let mut direct = vec![0; len];
            zstd::decompress_into(&frame, &plan, &mut direct).unwrap();
            assert_eq!(direct, src, "len {len} level {level}");
            let copied = zstd::decompress_with(&frame, &plan, |out| out.to_vec()).unwrap();
            assert_eq!(copied, src);
        }
    }
}

#[test]
fn empty_frame_golden_bytes() {
    assert_eq!(
        compress(b"", 3),
        [0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x00, 0x01, 0x00, 0x00]
    );
}

#[test]
fn frames_without_content_size_stream_within_the_limit() {
    let src = sample(300_000);
    let frame = streamed_frame(&src);
    assert_eq!(
        zstd::plan(&frame, &Default::default()).unwrap().size(),
        None
    );
    assert_eq!(decompress(&frame, &Default::default()).unwrap(), src);
    let tight = DecompressOptions {
        max_output_size: 299_999,
        ..Default::default()
    };
    assert_eq!(kind(&frame, &tight), ErrorKind::OutputLimit);
    let exact = DecompressOptions {
        max_output_size: 300_000,
        ..Default::default()
    };
    assert_eq!(decompress(&frame, &exact).unwrap(), src);
}

#[test]
fn concatenated_and_skippable_frames() {
    let (a, b) = (sample(1000), sample(70_000));
    let mut input = compress(&a, 3);
    input.extend_from_slice(&[0x5a, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]);
    input.extend_from_slice(&streamed_frame(&b));
    input.extend_from_slice(&compress(b"", 3));
    let mut expected = a.clone();
    expected.extend_from_slice(&b);
    assert_eq!(decompress(&input, &Default::default()).unwrap(), expected);

    let first_only = DecompressOptions {
        read_across_frames: false,
        allow_extra_data: true,
        ..Default::default()
    };
    assert_eq!(decompress(&input, &first_only).unwrap(), a);
    let strict_first = DecompressOptions {
        read_across_frames: false,
        ..Default::default()
    };
    assert_eq!(kind(&input, &strict_first), ErrorKind::Corrupt);
}

#[test]
fn trailing_garbage_is_refused_unless_allowed() {
    let src = sample(5000);
    let mut input = compress(&src, 3);
    input.extend_from_slice(b"garbage!");
    assert_eq!(kind(&input, &Default::default()), ErrorKind::Corrupt);
    let lenient = DecompressOptions {
        allow_extra_data: true,
        ..Default::default()
    };
    assert_eq!(decompress(&input, &lenient).unwrap(), src);
}

#[test]
fn bad_inputs_have_the_right_kind() {
    let src = sample(100_000);
    let frame = compress(&src, 3);
    let d = DecompressOptions::default();
    assert_eq!(kind(b"", &d), ErrorKind::Truncated);
    assert_eq!(kind(b"hello world, not zstd", &d), ErrorKind::Corrupt);
    assert_eq!(kind(&frame[..2], &d), ErrorKind::Truncated);
    for cut in [4, 6, 20, frame.len() / 2, frame.len() - 1] {
        assert_eq!(
            kind(&frame[..cut], &d),
            ErrorKind::Truncated,
            "cut at {cut}"
        );
    }
    let mut corrupt = frame.clone();
    let mid = corrupt.len() / 2;
    corrupt[mid..mid + 16].fill(0xff);
    assert!(matches!(
        kind(&corrupt, &d),
        ErrorKind::Corrupt | ErrorKind::Truncated
    ));

    let checked = {
        let mut out = Vec::new();
        let options = CompressOptions {
            checksum: true,
            ..Default::default()
        };
        zstd::compress(&src, &options, &mut out).unwrap();
        out
    };
    let mut wrong_sum = checked.clone();
    let last = wrong_sum.len() - 1;
    wrong_sum[last] ^= 1;
    assert_eq!(kind(&wrong_sum, &d), ErrorKind::Checksum);
}

#[test]
fn a_huge_size_claim_fails_before_allocating() {
    // A single-segment frame header claiming 1 TiB of content, then one empty raw block.
    let mut frame = vec![0x28, 0xb5, 0x2f, 0xfd, 0xe0];
    frame.extend_from_slice(&(1u64 << 40).to_le_bytes());
    let header_only = frame.clone();
    frame.extend_from_slice(&[0x01, 0x00, 0x00]);
    for input in [&frame, &header_only] {
        let err = zstd::plan(input, &Default::default()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::OutputLimit);
        assert!(
            err.message.contains("1099511627776 bytes"),
            "{}",
            err.message
        );
    }
}

#[test]
fn invalid_level_names_the_range() {
    let options = CompressOptions {
        level: 23,
        ..Default::default()
    };
    let err = zstd::compress(b"x", &options, &mut Vec::new()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidArg);
    assert_eq!(err.param, Some((zstd::Param::Level, 23)));
    assert!(err.message.contains("22"), "{}", err.message);
}

#[test]
fn options_change_between_calls_on_a_cached_context() {
    let src = sample(10_000);
    let plain = compress(&src, 3);
    let mut with_sum = Vec::new();
    let options = CompressOptions {
        checksum: true,
        ..Default::default()
    };
    zstd::compress(&src, &options, &mut with_sum).unwrap();
    assert_eq!(with_sum.len(), plain.len() + 4);
    assert_eq!(compress(&src, 3), plain);
}

#[test]
fn versions() {
    assert!(zstd::version().starts_with("1.5."));
    assert!(squish_core::lz4::version().starts_with("1."));
}

#[test]
fn decompress_into_fills_a_prefix_and_refuses_a_buffer_or_input_that_does_not_fit() {
    let src = sample(5000);
    let frame = compress(&src, 3);
    let plan = zstd::plan(&frame, &Default::default()).unwrap();
    let mut larger = vec![7; 6000];
    assert_eq!(
        zstd::decompress_into(&frame, &plan, &mut larger).unwrap(),
        5000
    );
    assert_eq!(&larger[..5000], &src[..]);
    assert!(larger[5000..].iter().all(|&b| b == 7));
    let err = zstd::decompress_into(&frame, &plan, &mut vec![0; 4999]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::OutputLimit);
    // A larger input than the one planned (as if it changed under an async call) cannot overrun.
    let bigger = compress(&sample(9000), 3);
    let err = zstd::decompress_into(&bigger, &plan, &mut vec![0; 5000]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Corrupt);

    // Of unknown size: decoded, then copied if it fits.
    let mut unknown = Vec::new();
    let mut encoder = zstd::Encoder::new(
        &zstd::Compressor::new(Default::default(), None).unwrap(),
        None,
    )
    .unwrap();
    encoder.update(&src, &mut unknown).unwrap();
    encoder.finish(&mut unknown).unwrap();
    let plan = zstd::plan(&unknown, &Default::default()).unwrap();
    assert_eq!(plan.size(), None);
    assert_eq!(
        zstd::decompress_into(&unknown, &plan, &mut larger).unwrap(),
        5000
    );
    assert_eq!(&larger[..5000], &src[..]);
    let err = zstd::decompress_into(&unknown, &plan, &mut vec![0; 4999]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::OutputLimit);
}

#[test]
fn one_shot_shape_follows_workers_and_frame_size() {
    use squish_core::oneshot::{Compress, Shape};
    let data = sample(300_000);
    let one = CompressOptions::default();
    let bound = zstd::compress_bound(data.len());
    assert_eq!(
        one.shape(data.len()),
        Shape {
            bound: Some(bound),
            threads: 1
        }
    );
    let mut frame = Vec::new();
    zstd::compress(&data, &one, &mut frame).unwrap();
    assert_eq!(one.compress_parts(&data).unwrap().0.concat(), frame);

    // libzstd workers make one frame, copied out on as many threads.
    let workers = CompressOptions { threads: 2, ..one };
    assert_eq!(
        workers.shape(data.len()),
        Shape {
            bound: Some(bound),
            threads: 2
        }
    );

    // Frames of a set size, side by side on as many threads as the workers (one without),
    // each recording its size.
    let framed = CompressOptions {
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
    assert_eq!(
        CompressOptions {
            threads: 2,
            ..framed
        }
        .shape(data.len())
        .threads,
        2
    );
    assert!(framed.shape(100_000).bound.is_some());
    let frames = framed.compress_parts(&data).unwrap();
    assert_eq!(frames.0.len(), 3);
    let whole = frames.0.concat();
    let plan = zstd::plan(&whole, &Default::default()).unwrap();
    assert_eq!(plan.size(), Some(data.len()));
    let mut out = Vec::new();
    zstd::decompress_to_vec(&whole, &plan, &mut out).unwrap();
    assert_eq!(out, data);
}
