//! The incremental decoders give the one-shot decoders' answer, however the input is chunked.

use squish_core::limits::DecompressOptions;
use squish_core::lz4::{self, FrameDecoder};
use squish_core::zstd::{self, Decompressor, Format};
use squish_core::{ErrorKind, Result};

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn one_shot(src: &[u8]) -> Result<Vec<u8>> {
    let plan = zstd::plan(src, &DecompressOptions::default())?;
    let mut out = Vec::new();
    zstd::decompress_to_vec(src, &plan, &mut out)?;
    Ok(out)
}

/// `src` through a zstd decoder in chunks of `size`, each chunk stepped with `limit`.
fn streamed(src: &[u8], size: usize, max_window_size: u64) -> Result<Vec<u8>> {
    let decompressor = Decompressor::new(None, max_window_size, Format::Standard)?;
    let mut decoder = decompressor.create_decoder(true, u64::MAX)?;
    let mut out = Vec::new();
    for chunk in src.chunks(size) {
        decoder.step(chunk, 2, &mut out)?;
        while decoder.pending() {
            decoder.step(&[], 2, &mut out)?;
        }
    }
    decoder.finish()?;
    Ok(out)
}

fn kind<T>(result: Result<T>) -> Option<ErrorKind> {
    result.err().map(|e| e.kind)
}

#[test]
fn a_zstd_frame_of_another_size_than_its_header_records_is_corrupt_in_every_chunking() {
    // Claims 128 bytes; an empty last block (and the checksum of no content). Then the same
    // claim with a 3-byte raw block before the empty last one.
    for frame in [
        hex("28b52ffd248001000099e9d851"),
        hex("28b52ffd2080180000616263010000"),
    ] {
        assert_eq!(kind(one_shot(&frame)), Some(ErrorKind::Corrupt));
        for size in 1..=frame.len() {
            assert_eq!(
                kind(streamed(&frame, size, 1 << 27)),
                Some(ErrorKind::Corrupt)
            );
        }
    }
}

#[test]
fn the_zstd_window_limit_applies_to_the_smaller_of_window_and_content_size() {
    // 3 bytes of content ("abc") with a 256 MiB window: needs 3 bytes.
    let small = hex("28b52ffd809003000000190000616263");
    assert_eq!(one_shot(&small).unwrap(), b"abc");
    // Unknown size, a 2 GiB window.
    let wide = hex("28b52ffd00a8010000");
    assert_eq!(kind(one_shot(&wide)), Some(ErrorKind::WindowTooLarge));
    // One segment of 200 MiB: needs 200 MiB.
    let mut large = hex("28b52ffde0");
    large.extend_from_slice(&(200u64 << 20).to_le_bytes());
    large.extend_from_slice(&hex("190000616263"));
    // The message names where the frame starts, as the one-shot one does.
    let after = [small.clone(), wide.clone()].concat();
    let message = |r: Result<Vec<u8>>| r.unwrap_err().message;
    assert!(message(one_shot(&after)).contains("at offset 16 needs a window of 2147483648"));
    assert!(
        message(streamed(&after, 5, 1 << 27)).contains("at offset 16 needs a window of 2147483648")
    );
    for size in 1..=large.len() {
        assert_eq!(streamed(&small, size, 1 << 27).unwrap(), b"abc");
        assert_eq!(
            kind(streamed(&wide, size, 1 << 27)),
            Some(ErrorKind::WindowTooLarge)
        );
        assert_eq!(streamed(&wide, size, 1 << 31).unwrap(), b"");
        assert_eq!(
            kind(streamed(&large, size, 1 << 27)),
            Some(ErrorKind::WindowTooLarge)
        );
    }
}

#[test]
fn empty_input_is_truncated_and_a_failed_decoder_stays_failed() {
    let decompressor = Decompressor::new(None, 1 << 27, Format::Standard).unwrap();
    let mut decoder = decompressor.create_decoder(true, u64::MAX).unwrap();
    let mut out = Vec::new();
    decoder.update(&[], &mut out).unwrap();
    assert_eq!(kind(decoder.finish()), Some(ErrorKind::Truncated));
    assert_eq!(
        kind(decoder.update(b"not zstd", &mut out)),
        Some(ErrorKind::Corrupt)
    );
    assert_eq!(kind(decoder.finish()), Some(ErrorKind::InvalidState));
    assert_eq!(kind(decoder.finish()), Some(ErrorKind::InvalidState));

    let mut lz4_decoder = FrameDecoder::new().unwrap();
    lz4_decoder
        .decompress_stream(&[], u64::MAX, 1 << 20, &mut out)
        .unwrap();
    assert_eq!(kind(lz4_decoder.finish()), Some(ErrorKind::Truncated));
    let bad = b"not lz4 data";
    assert!(lz4_decoder
        .decompress_stream(bad, u64::MAX, 1 << 20, &mut out)
        .is_err());
    assert_eq!(kind(lz4_decoder.finish()), Some(ErrorKind::InvalidState));
    // The one-shot answer for empty input.
    assert_eq!(kind(one_shot(&[])), Some(ErrorKind::Truncated));
    assert_eq!(
        kind(lz4::plan(&[], &DecompressOptions::default())),
        Some(ErrorKind::Truncated)
    );
}
