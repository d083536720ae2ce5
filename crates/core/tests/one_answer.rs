//! The incremental decoders give the one-shot decoders' answer, however the input is chunked.

use squish_core::incremental::Decode;
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
    // Claims 128 bytes; an empty last block (and the checksum of no content, then a wrong
    // checksum: the size is checked first). Then the same claim with a 3-byte raw block before
    // the empty last one.
    for frame in [
        hex("28b52ffd248001000099e9d851"),
        hex("28b52ffd2480010000deadbeef"),
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
    lz4_decoder.step(&[], 1 << 20, &mut out).unwrap();
    assert_eq!(kind(lz4_decoder.finish()), Some(ErrorKind::Truncated));
    let bad = b"not lz4 data";
    assert!(lz4_decoder.step(bad, 1 << 20, &mut out).is_err());
    assert_eq!(kind(lz4_decoder.finish()), Some(ErrorKind::InvalidState));
    // The one-shot answer for empty input.
    assert_eq!(kind(one_shot(&[])), Some(ErrorKind::Truncated));
    assert_eq!(
        kind(lz4::plan(&[], &DecompressOptions::default())),
        Some(ErrorKind::Truncated)
    );
}

#[test]
fn an_lz4_frame_read_by_decompress_ends_at_a_frame_boundary() {
    // An empty frame, and one of an uncompressed block "abc".
    for (frame, content) in [
        (hex("04224d1860408200000000"), &b""[..]),
        (hex("04224d186040820300008061626300000000"), b"abc"),
    ] {
        let mut decoder = FrameDecoder::new().unwrap();
        let mut out = Vec::new();
        let chunk = decoder.decompress(&frame, 1000, &mut out).unwrap();
        assert_eq!((chunk.bytes_read, chunk.end_of_frame), (frame.len(), true));
        assert_eq!(out, content);
        decoder.finish().unwrap();
    }
}

#[test]
fn an_lz4_frame_decoding_to_more_than_it_records_meets_its_block_checksum_first() {
    // Records 3 bytes of content; one uncompressed block of 49 bytes with a wrong checksum.
    let mut frame = hex("04224d187c4003000000000000007431000080");
    frame.extend_from_slice(&[b'x'; 49]);
    // The block checksum, the end mark, the content checksum.
    frame.extend_from_slice(&[0; 12]);
    let options = DecompressOptions::default();
    let plan = lz4::plan(&frame, &options).unwrap();
    let mut out = Vec::new();
    let one_shot = lz4::decompress_to_vec(&frame, &plan, &mut out);
    assert_eq!(kind(one_shot), Some(ErrorKind::Checksum));
    let mut decoder = FrameDecoder::new().unwrap();
    let streamed = decoder.step(&frame, 1 << 20, &mut out);
    assert_eq!(kind(streamed), Some(ErrorKind::Checksum));
}

#[test]
fn a_zstd_frame_over_the_limit_before_a_corrupt_block_is_over_the_limit_on_every_call() {
    // Unknown content size, a 1 KiB window: a raw block of 1000 bytes, then a corrupt block.
    let mut frame = hex("28b52ffd0000401f00");
    frame.extend_from_slice(&[b'x'; 1000]);
    frame.extend_from_slice(&hex("1d0000ffffff"));
    let options = DecompressOptions {
        max_output_size: 500,
        ..DecompressOptions::default()
    };
    let plan = zstd::plan(&frame, &options).unwrap();
    let through_scratch = || kind(zstd::decompress_with(&frame, &plan, |out| out.len()));
    assert_eq!(through_scratch(), Some(ErrorKind::OutputLimit));
    // The scratch buffer grows on a larger output, and keeps that room.
    let mut large = Vec::new();
    zstd::compress(
        &[7; 64 << 10],
        &zstd::CompressOptions::default(),
        &mut large,
    )
    .unwrap();
    let large_plan = zstd::plan(&large, &DecompressOptions::default()).unwrap();
    zstd::decompress_with(&large, &large_plan, |out| out.len()).unwrap();
    assert_eq!(through_scratch(), Some(ErrorKind::OutputLimit));
    let mut out = Vec::new();
    assert_eq!(
        kind(zstd::decompress_to_vec(&frame, &plan, &mut out)),
        Some(ErrorKind::OutputLimit)
    );
}

#[test]
fn a_zstd_block_the_format_does_not_allow_is_corrupt_in_every_chunking() {
    // Content size 0 (a block size of 0): an RLE block of 0 bytes, its byte, a wrong checksum;
    // then the same frame again. libzstd decodes it whole in one pass (a checksum error) and
    // refuses the block in chunks.
    let zero = hex("28b52ffd240003000099e9d85128b52ffd240001000099e9d851");
    // A 1 KiB window (so 1 KiB blocks) and a raw block of 2 KiB, content size unknown, then
    // recorded (2 KiB).
    let mut raw = hex("28b52ffd0000");
    raw.extend_from_slice(&hex("004000"));
    raw.extend_from_slice(&[b'x'; 2048]);
    raw.extend_from_slice(&hex("010000"));
    let mut raw_known = hex("28b52ffd4000");
    raw_known.extend_from_slice(&2048u16.wrapping_sub(256).to_le_bytes());
    raw_known.extend_from_slice(&hex("014000"));
    raw_known.extend_from_slice(&[b'x'; 2048]);
    // A compressed block of no bytes, in a frame of 3 bytes, then of unknown size: libzstd's
    // streaming decoder reads it as an empty block.
    let empty_compressed = hex("28b52ffd2403050000");
    let empty_compressed_unknown = hex("28b52ffd0400050000");
    for frame in [
        zero,
        raw,
        raw_known,
        empty_compressed,
        empty_compressed_unknown,
    ] {
        assert_eq!(
            kind(one_shot(&frame)),
            Some(ErrorKind::Corrupt),
            "{frame:02x?}"
        );
        for size in [1, 2, 3, 7, frame.len()] {
            // Found at the block's header, on every path.
            let error = streamed(&frame, size, 1 << 27).unwrap_err();
            assert_eq!(error.kind, ErrorKind::Corrupt);
            assert!(
                error.message.contains("the block at offset"),
                "{}",
                error.message
            );
        }
    }
}

#[test]
fn read_across_frames_off_skips_skippable_frames_before_the_first_data_frame() {
    // A skippable frame of 3 bytes, a frame of "abc", a frame of "def".
    let skippable = hex("502a4d1803000000010203");
    let abc = hex("28b52ffd2003190000616263");
    let def = hex("28b52ffd2003190000646566");
    let src = [skippable, abc, def.clone()].concat();
    let options = DecompressOptions {
        read_across_frames: false,
        allow_extra_data: true,
        ..DecompressOptions::default()
    };
    let plan = zstd::plan(&src, &options).unwrap();
    let mut out = Vec::new();
    zstd::decompress_to_vec(&src, &plan, &mut out).unwrap();
    assert_eq!(out, b"abc");
    for size in 1..=src.len() {
        let decompressor = Decompressor::new(None, 1 << 27, Format::Standard).unwrap();
        let mut decoder = decompressor.create_decoder(false, u64::MAX).unwrap();
        let mut out = Vec::new();
        for chunk in src.chunks(size) {
            if decoder.eof() {
                break;
            }
            decoder.update(chunk, &mut out).unwrap();
        }
        assert_eq!(out, b"abc");
        assert!(decoder.eof());
        // Unused data: what the chunk that ended the frame held of the next one.
        assert!(def.starts_with(decoder.unused_data()));
    }
    // No data frame after the skippable one: not extra data after the first frame, but no frame.
    let no_frame = hex("502a4d180300000001020363");
    assert_eq!(
        kind(zstd::plan(&no_frame, &options)),
        Some(ErrorKind::Corrupt)
    );
    let decompressor = Decompressor::new(None, 1 << 27, Format::Standard).unwrap();
    let mut decoder = decompressor.create_decoder(false, u64::MAX).unwrap();
    let mut out = Vec::new();
    assert_eq!(
        kind(decoder.update(&no_frame, &mut out)),
        Some(ErrorKind::Corrupt)
    );
}

/// `src` through a decoder of `format` in chunks of `size`, whole updates.
fn updated(src: &[u8], size: usize, format: Format) -> Result<Vec<u8>> {
    let decompressor = Decompressor::new(None, 1 << 27, format)?;
    let mut decoder = decompressor.create_decoder(true, u64::MAX)?;
    let mut out = Vec::new();
    for chunk in src.chunks(size) {
        decoder.update(chunk, &mut out)?;
    }
    decoder.finish()?;
    Ok(out)
}

#[test]
fn a_zstd_block_that_decodes_to_more_than_the_block_size_is_corrupt_on_every_path() {
    // A single-segment frame of 300,000 bytes in three compressed blocks, one of which decodes to
    // more than 128 KiB: libzstd's one-shot call accepted it, its streaming decoder and the
    // zstd CLI do not.
    let frame = hex("28b52ffda0e09304004c0a00540900343536373839616263646566303132330102030405060708090a0b0c0d0e0f020012131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303234363931333537383a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f80818283008085a811f0b37f06f0a5cd2208fcffff2b08cc1f439ebc79f2e491374f9e3cf9e493274f9e3c79f2e4c993279f3c79f2e4c993479e3c79f2e493274f9e3c79f2e4c993274f3e79f2e4c993278f7cf2e4c9934f9e3c79f2e4c993274f9e3cf9e4c993274f9e3c79f2c993279f3c79f2e4c993274f9e3c79f2c9234f9e3c79f2e4c9934f9e7cf2e4c993274f9e3c79f2e4c9274f9e3c79f2e4c993274f3ef9e4c993274f9e3cf2e4c957f2eb1325fa3400160ba4090054088485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff0001010203040506018084a820be01e00f12f8ffff7f0401fe010bf2e4c99327dfc793274f9e3cf9e4c993074f9e3c79f2c8274f9e3c79f2e4c993479e3c79f2e4c993274f3e79f2c893274f9e3c79e4c993274f9e3c79f2e493274f9e3c79e4c993471e79f2e4c993274f9e7cf2e4c993274f9e3c79c893274f9e3c79f2e4c9274f9e3c79f2e4c993479e3c79e4c993274f9e7cf2e4c993274f9e3c79e4c993274f9e3cf2e4c9274f9e3c79f2c99357e4f1ce870502cd020054020708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b26f42de4c993274f9e3c79f2e493274f9e3c79f2e4c9234f9e3cf2e4c993274f3e79f2e4c993274f9e3cf2e42d79a7ea0201");
    assert_eq!(kind(one_shot(&frame)), Some(ErrorKind::Corrupt));
    for size in [1, 7, 64, frame.len()] {
        assert_eq!(
            kind(updated(&frame, size, Format::Standard)),
            Some(ErrorKind::Corrupt)
        );
    }
}

#[test]
fn a_zstd_window_over_what_libzstd_decodes_is_too_large_on_every_path() {
    // A magicless frame with a 2.25 GiB window, a content size of 0 and a corrupt block: libzstd's
    // streaming decoder refuses the window as soon as it has the header, so every path does.
    let frame = hex("92a90000000000000000004000000000000000004000ed000000ff000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000092ffffffffffffffffffffffffffffffff00406d00000000000099e9d851");
    let decompressor = Decompressor::new(None, 1 << 27, Format::Magicless).unwrap();
    let options = DecompressOptions::default();
    assert_eq!(
        kind(decompressor.decompress(&frame, &options)),
        Some(ErrorKind::WindowTooLarge)
    );
    for size in [1, 5, 47, frame.len()] {
        assert_eq!(
            kind(updated(&frame, size, Format::Magicless)),
            Some(ErrorKind::WindowTooLarge)
        );
    }
}

#[test]
fn a_zstd_frame_over_the_limit_before_a_corrupt_block_in_one_input_is_over_the_limit() {
    // A frame of unknown size whose first block decodes to 128 KiB, over a 64 KiB limit, then a
    // block libzstd finds corrupt: given both at once, libzstd decoded the second before the
    // decoder saw the first's output (Corrupt); a chunk at a time, the limit came first.
    let frame = hex("28b52ffd00584c0a00740900000000393133353738616263646566303132330102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5b5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838084a811e0ef7f06f0a5cd12f8ffff1f4160fe01449e3c79f2e4c993274f9e7cf2e4c993274f9e3c79f2e4c9274f9e3c79f2e4c993274f9e7cf2e4c993274f9e3c79f2c8934f9e3c79f2e4c993274f9e3cf9e4c993274f9e3c79f2e491279f3c79f2e4c993274f9e3c79f2c993274f9e3c79f2c893274f3e79f2e4c993274f9e3c79f2e493274f9e3c79f2e4c993274f3e79f2e4c993274f9e3c79f2e493274f9e3c79e4c9274fbe925f9f08d1e720ab7c010098348485868788898a8b8c8d8e8f909192939495135401002de4c993274fffffffffffffffffffffffffffffffffffffffffffffffff9e3c79f2e4c993274f9e3c79f2e4c9730e7c09005408969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c901080000000000000079f2e4c993274f9e7cf2e4c993274f9a1400f2e4c993274f9e3c79f2e4c993479e3c79f212e4c993479e3c79f2e4c993274ff2e4c993274f9e3c79f2e4c993274f9e3cf2e4c993274f9e3c79f2e4274f9e4f9e3c79f2e4c993479e3c79f2e4c993274f9e3cf9e4c94093277fa0017d99010098381a1b1c23242526270000000128292a2b135401002de4c993274f9e3c79f2e4c99316274f9e3c79f2e4c9730e");
    let decompressor = Decompressor::new(None, 1 << 27, Format::Standard).unwrap();
    let options = DecompressOptions {
        max_output_size: 64 << 10,
        ..DecompressOptions::default()
    };
    assert_eq!(
        kind(decompressor.decompress(&frame, &options)),
        Some(ErrorKind::OutputLimit)
    );
    for size in [1, 128, frame.len()] {
        for limit in [1024, 64 << 10, usize::MAX] {
            let mut decoder = decompressor.create_decoder(true, 64 << 10).unwrap();
            let mut out = Vec::new();
            let result = frame.chunks(size).try_for_each(|chunk| {
                decoder.step(chunk, limit, &mut out)?;
                while decoder.pending() {
                    decoder.step(&[], limit, &mut out)?;
                }
                Ok(())
            });
            assert_eq!(kind(result), Some(ErrorKind::OutputLimit));
            assert!(out.len() <= (64 << 10) + 1);
        }
    }
}

#[test]
fn an_lz4_block_over_the_limit_with_a_bad_checksum_fails_its_checksum_on_every_path() {
    // Found by the lz4_stream fuzz target (its 8 option bytes first): linked blocks with block
    // checksums, a block that decodes past 64 KiB and whose checksum is wrong.
    let input =
        include_bytes!("../fuzz/corpus/lz4_stream/823aed7c36506e439979bd08e2e976f1ff6c1caa");
    let frame = &input[8..];
    let options = DecompressOptions {
        max_output_size: 64 << 10,
        ..DecompressOptions::default()
    };
    let plan = lz4::plan(frame, &options).unwrap();
    let mut out = Vec::new();
    let one_shot = lz4::decompress_to_vec(frame, &plan, &mut out);
    assert_eq!(kind(one_shot), Some(ErrorKind::Checksum));
    let mut decoder = FrameDecoder::with_limit(64 << 10).unwrap();
    let streamed = decoder.step(frame, 1 << 20, &mut out);
    assert_eq!(kind(streamed), Some(ErrorKind::Checksum));
}
