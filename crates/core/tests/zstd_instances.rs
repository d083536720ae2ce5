use std::sync::Arc;

use squish_core::zstd::{
    self, Compressor, DecompressOptions, Decompressor, DictType, Dictionary, Format, Param, Params,
    TrainOptions, DEFAULT_MAX_WINDOW_SIZE,
};
use squish_core::{ErrorKind, Limit};

/// Small JSON-like messages that share structure, as a dictionary is meant for.
fn messages(n: usize) -> Vec<Vec<u8>> {
    let mut x: u32 = 7;
    (0..n)
        .map(|i| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            format!(
                r#"{{"id":{i},"user":"user-{}","status":"{}","tags":["alpha","beta"],"score":{}}}"#,
                x % 1000,
                ["active", "idle", "banned"][(x >> 8) as usize % 3],
                x >> 20
            )
            .into_bytes()
        })
        .collect()
}

fn level(level: i32) -> Params {
    Params::default().with(Param::Level, level).unwrap()
}

fn decompressor(dict: Option<Arc<Dictionary>>) -> Decompressor {
    Decompressor::new(dict, DEFAULT_MAX_WINDOW_SIZE, Format::Standard).unwrap()
}

fn trained() -> Arc<Dictionary> {
    let samples = messages(2000);
    let refs: Vec<&[u8]> = samples.iter().map(|s| s.as_slice()).collect();
    let options = TrainOptions {
        size: 4096,
        dict_id: 1234,
        ..Default::default()
    };
    let bytes = zstd::train(&refs, &options, &|_, _| {}).unwrap();
    Arc::new(Dictionary::new(bytes, DictType::Full).unwrap())
}

#[test]
fn parameters_are_checked_against_libzstd_bounds() {
    let error = Params::default().with(Param::WindowLog, 40).unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidArg);
    assert_eq!(error.param, Some((Param::WindowLog, 40)));
    assert_eq!(
        error.message,
        "WindowLog must be from 10 to 31; received 40"
    );
    assert_eq!(Param::Strategy.bounds(), (1, 9));
    let error = Params::default()
        .with(Param::TargetCBlockSize, 5)
        .unwrap_err();
    assert!(error.message.ends_with(", or 0; received 5"));
    assert!(Params::default().with(Param::TargetCBlockSize, 0).is_ok());
}

#[test]
fn explicit_parameters_shape_the_frame() {
    let src = messages(500).concat();
    let params = level(19)
        .with(Param::WindowLog, 20)
        .and_then(|p| p.with(Param::Checksum, 1))
        .and_then(|p| p.with(Param::EnableLdm, 1))
        .unwrap();
    let compressor = Compressor::new(params, None).unwrap();
    let mut frame = Vec::new();
    compressor.compress(&src, &mut frame).unwrap();
    let header = zstd::frame_parameters(&frame, Format::Standard).unwrap();
    assert!(header.has_checksum);
    assert_eq!(header.content_size, Some(src.len() as u64));
    let out = decompressor(None)
        .decompress(&frame, &DecompressOptions::default())
        .unwrap();
    assert_eq!(out, src);
    let (ingested, consumed, produced) = compressor.frame_progression();
    assert_eq!((ingested, consumed), (src.len() as u64, src.len() as u64));
    // libzstd counts block output, not the checksum after the last block.
    assert_eq!(produced, frame.len() as u64 - 4);
    assert!(compressor.memory_size() > 0);
}

#[test]
fn a_trained_dictionary_halves_small_messages_and_is_required_to_decode() {
    let dict = trained();
    assert_eq!(dict.id(), 1234);
    let plain = Compressor::new(level(3), None).unwrap();
    let with_dict = Compressor::new(level(3), Some(dict.clone())).unwrap();
    let (mut a, mut b) = (0, 0);
    let mut frame = Vec::new();
    let test = messages(2200).split_off(2000);
    for m in &test {
        plain.compress(m, &mut frame).unwrap();
        a += frame.len();
        with_dict.compress(m, &mut frame).unwrap();
        b += frame.len();
    }
    assert!(a >= 2 * b, "no dictionary: {a} bytes, with: {b}");

    let decoded = decompressor(Some(dict.clone()))
        .decompress(&frame, &DecompressOptions::default())
        .unwrap();
    assert_eq!(&decoded, test.last().unwrap());
    let error = decompressor(None)
        .decompress(&frame, &DecompressOptions::default())
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Dictionary);
    assert!(
        error.message.contains("needs dictionary id 1234"),
        "{}",
        error.message
    );
    let other = Arc::new(Dictionary::new(b"some raw content".to_vec(), DictType::Raw).unwrap());
    let error = decompressor(Some(other))
        .decompress(&frame, &DecompressOptions::default())
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Dictionary);
}

#[test]
fn dictionary_types_are_enforced() {
    let error = Dictionary::new(b"not a dictionary".to_vec(), DictType::Full).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Dictionary);
    let raw = Dictionary::new(b"abc".repeat(100), DictType::Auto).unwrap();
    assert_eq!(raw.id(), 0);
    let mut corrupt = trained().bytes().to_vec();
    corrupt.truncate(40);
    assert_eq!(
        Dictionary::new(corrupt, DictType::Auto).unwrap_err().kind,
        ErrorKind::Dictionary
    );
}

#[test]
fn precomputed_digests_are_shared() {
    let dict = trained();
    dict.precompute(&level(3)).unwrap();
    let before = dict.memory_size();
    let _a = Compressor::new(level(3), Some(dict.clone())).unwrap();
    let _b = Compressor::new(
        level(3).with(Param::Checksum, 1).unwrap(),
        Some(dict.clone()),
    );
    assert_eq!(dict.memory_size(), before);
    let _c = Compressor::new(level(9), Some(dict.clone())).unwrap();
    assert!(dict.memory_size() > before);
}

#[test]
fn magicless_frames_round_trip_only_with_the_magicless_format() {
    let src = messages(100).concat();
    let params = level(3).with(Param::Format, 1).unwrap();
    let mut frame = Vec::new();
    Compressor::new(params, None)
        .unwrap()
        .compress(&src, &mut frame)
        .unwrap();
    assert_ne!(&frame[..4], &[0x28, 0xb5, 0x2f, 0xfd]);
    let magicless = Decompressor::new(None, DEFAULT_MAX_WINDOW_SIZE, Format::Magicless).unwrap();
    let twice = [frame.clone(), frame.clone()].concat();
    let out = magicless
        .decompress(&twice, &DecompressOptions::default())
        .unwrap();
    assert_eq!(out, [src.clone(), src].concat());
    assert_eq!(
        decompressor(None)
            .decompress(&frame, &DecompressOptions::default())
            .unwrap_err()
            .kind,
        ErrorKind::Corrupt
    );
}

#[test]
fn the_window_limit_applies_to_frames_of_unknown_size() {
    let src = messages(2000).concat();
    let params = level(3).with(Param::ContentSize, 0).unwrap();
    let mut frame = Vec::new();
    Compressor::new(params, None)
        .unwrap()
        .compress(&src, &mut frame)
        .unwrap();
    // Declare a 256 MiB window (log 28), as a streaming compressor with that window would.
    assert_eq!(frame[4] & 0x20, 0, "not a single-segment frame");
    frame[5] = (28 - 10) << 3;
    let error = decompressor(None)
        .decompress(&frame, &DecompressOptions::default())
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::WindowTooLarge);
    assert_eq!(error.limit, Some(Limit::Window), "{}", error.message);
    let wide = Decompressor::new(None, 1 << 28, Format::Standard).unwrap();
    assert_eq!(
        wide.decompress(&frame, &DecompressOptions::default())
            .unwrap(),
        src
    );
    assert_eq!(
        Decompressor::new(None, 1 << 32, Format::Standard)
            .err()
            .unwrap()
            .kind,
        ErrorKind::InvalidArg
    );
}

#[test]
fn batches_match_single_calls_and_name_the_failing_item() {
    let inputs = messages(300);
    let refs: Vec<&[u8]> = inputs.iter().map(|s| s.as_slice()).collect();
    let compressor = Compressor::new(level(5), None).unwrap();
    let frames = compressor.compress_many(&refs, 0).unwrap();
    for (input, frame) in refs.iter().zip(&frames) {
        let mut single = Vec::new();
        compressor.compress(input, &mut single).unwrap();
        assert_eq!(&single, frame);
    }
    let frame_refs: Vec<&[u8]> = frames.iter().map(|s| s.as_slice()).collect();
    let options = DecompressOptions::default();
    assert_eq!(
        decompressor(None)
            .decompress_many(&frame_refs, &options, 2)
            .unwrap(),
        inputs
    );
    let mut bad = frame_refs.clone();
    bad[17] = b"garbage!";
    let error = decompressor(None)
        .decompress_many(&bad, &options, 2)
        .unwrap_err();
    assert_eq!(error.index, Some(17));
    assert_eq!(error.kind, ErrorKind::Corrupt);
}

#[test]
fn a_content_dictionary_chain_decodes_to_the_last_version() {
    let versions = [
        b"version one of a document".repeat(20),
        b"version two of a document, a little longer".repeat(20),
        b"version three".repeat(30),
    ];
    let mut frames = Vec::new();
    for (i, v) in versions.iter().enumerate() {
        let dict = if i == 0 {
            None
        } else {
            Some(Arc::new(
                Dictionary::new(versions[i - 1].clone(), DictType::Raw).unwrap(),
            ))
        };
        let mut frame = Vec::new();
        Compressor::new(level(3).with(Param::Checksum, 1).unwrap(), dict)
            .unwrap()
            .compress(v, &mut frame)
            .unwrap();
        frames.push(frame);
    }
    let refs: Vec<&[u8]> = frames.iter().map(|s| s.as_slice()).collect();
    let options = DecompressOptions::default();
    let d = decompressor(None);
    assert_eq!(
        d.decompress_content_dict_chain(&refs, &options).unwrap(),
        versions[2]
    );
    let error = d
        .decompress_content_dict_chain(&[refs[0], refs[2]], &options)
        .unwrap_err();
    assert_eq!(error.index, Some(1));
    assert_eq!(error.kind, ErrorKind::Checksum);
}

#[test]
fn frame_inspection_reads_headers_and_refuses_other_input() {
    let mut frame = Vec::new();
    Compressor::new(level(3).with(Param::Checksum, 1).unwrap(), None)
        .unwrap()
        .compress(b"hello", &mut frame)
        .unwrap();
    let p = zstd::frame_parameters(&frame, Format::Standard).unwrap();
    assert_eq!(p.content_size, Some(5));
    assert!(p.has_checksum && !p.skippable);
    assert_eq!(p.header_size, 6);
    let e = zstd::frame_parameters(&frame[..3], Format::Standard).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Truncated);
    let e = zstd::frame_parameters(b"hello world", Format::Standard).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Corrupt);
    let skippable = [0x50, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 1, 2];
    assert!(
        zstd::frame_parameters(&skippable, Format::Standard)
            .unwrap()
            .skippable
    );
}

#[test]
fn estimates_and_resolved_parameters() {
    let p = zstd::compression_parameters(19, 0, 0).unwrap();
    assert_eq!(p.strategy, 9);
    let small = zstd::compression_parameters(19, 1000, 0).unwrap();
    assert!(small.window_log < p.window_log);
    let l1 = zstd::estimate_compression_context_size(&level(1)).unwrap();
    let l19 = zstd::estimate_compression_context_size(&level(19)).unwrap();
    assert!(l19 > l1);
    let threaded = level(3).with(Param::Threads, 2).unwrap();
    assert!(zstd::estimate_compression_context_size(&threaded).is_err());
    assert!(zstd::estimate_decompression_context_size() > 0);
}
