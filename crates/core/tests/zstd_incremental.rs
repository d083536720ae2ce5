use squish_core::incremental::{Decode, Encode, Flush};
use squish_core::limits::DecompressOptions;
use squish_core::zstd::{self, Compressor, Decompressor, Encoder, Format, Params};
use squish_core::ErrorKind;

fn sample(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| b"squish zstd stream "[i % 19] ^ (i / 997) as u8)
        .collect()
}

fn one_shot(src: &[u8]) -> Vec<u8> {
    let plan = zstd::plan(src, &DecompressOptions::default()).unwrap();
    let mut out = Vec::new();
    zstd::decompress_to_vec(src, &plan, &mut out).unwrap();
    out
}

#[test]
fn encoder_frames_decode_and_pledges_are_checked() {
    let compressor = Compressor::new(Params::default(), None).unwrap();
    let data = sample(500_000);
    let mut encoder = Encoder::new(&compressor, Some(data.len() as u64)).unwrap();
    let mut out = Vec::new();
    for chunk in data.chunks(10_000) {
        encoder.update(chunk, &mut out).unwrap();
    }
    encoder.flush(Flush::Block, &mut out).unwrap();
    encoder.finish(&mut out).unwrap();
    let params = zstd::frame_parameters(&out, Format::Standard).unwrap();
    assert_eq!(params.content_size, Some(data.len() as u64));
    assert_eq!(one_shot(&out), data);
    assert_eq!(
        encoder.update(b"x", &mut out).unwrap_err().kind,
        ErrorKind::Closed
    );

    let mut short = Encoder::new(&compressor, Some(10)).unwrap();
    let mut out = Vec::new();
    short.update(b"12345", &mut out).unwrap();
    assert_eq!(
        short.finish(&mut out).unwrap_err().kind,
        ErrorKind::InvalidArg
    );
}

#[test]
fn decoder_reads_across_frames_or_stops_at_the_first() {
    let compressor = Compressor::new(Params::default(), None).unwrap();
    let decompressor = Decompressor::new(None, 1 << 27, Format::Standard).unwrap();
    let mut frames = Vec::new();
    let mut encoder = Encoder::new(&compressor, None).unwrap();
    encoder.update(b"first ", &mut frames).unwrap();
    encoder.flush(Flush::Frame, &mut frames).unwrap();
    encoder.update(b"second", &mut frames).unwrap();
    encoder.finish(&mut frames).unwrap();

    let mut all = decompressor.create_decoder(true, u64::MAX).unwrap();
    let mut out = Vec::new();
    for byte in frames.chunks(1) {
        all.update(byte, &mut out).unwrap();
    }
    all.finish().unwrap();
    assert_eq!(out, b"first second");

    let mut first = decompressor.create_decoder(false, u64::MAX).unwrap();
    let mut out = Vec::new();
    first.update(&frames, &mut out).unwrap();
    assert!(first.eof());
    assert_eq!(out, b"first ");
    assert_eq!(
        first.unused_data(),
        &frames[frames.len() - first.unused_data().len()..]
    );
    assert!(!first.unused_data().is_empty());
    // Past the end of the only frame, `update` refuses input and a step (as streams take) ignores
    // it.
    let unused = first.unused_data().len();
    assert_eq!(
        first.update(b"more", &mut out).unwrap_err().kind,
        ErrorKind::Closed
    );
    first.step(b"more", 1 << 20, &mut out).unwrap();
    assert_eq!(
        (out.as_slice(), first.unused_data().len()),
        (&b"first "[..], unused)
    );
    assert!(!first.pending());

    // Output that fills the decoder's room exactly at the end of a frame.
    let big = sample(1 << 20);
    let mut frame = Vec::new();
    let mut encoder = Encoder::new(&compressor, None).unwrap();
    encoder.update(&big, &mut frame).unwrap();
    encoder.finish(&mut frame).unwrap();
    let mut whole = decompressor.create_decoder(true, u64::MAX).unwrap();
    let mut out = Vec::new();
    whole.update(&frame, &mut out).unwrap();
    whole.finish().unwrap();
    assert_eq!(out, big);

    let mut cut = decompressor.create_decoder(true, u64::MAX).unwrap();
    cut.update(&frames[..frames.len() - 3], &mut Vec::new())
        .unwrap();
    assert_eq!(cut.finish().unwrap_err().kind, ErrorKind::Truncated);

    let mut limited = decompressor.create_decoder(true, 7).unwrap();
    assert_eq!(
        limited.update(&frames, &mut Vec::new()).unwrap_err().kind,
        ErrorKind::OutputLimit
    );
}

#[test]
fn bounded_steps_hold_input_and_drain_to_the_same_output() {
    let compressor = Compressor::new(Params::default(), None).unwrap();
    let data = vec![7u8; 20 << 20];
    let mut frame = Vec::new();
    compressor.compress(&data, &mut frame).unwrap();
    let decompressor = Decompressor::new(None, 1 << 27, Format::Standard).unwrap();
    let mut decoder = decompressor.create_decoder(true, u64::MAX).unwrap();
    let mut out = Vec::new();
    let mut steps = 0;
    for chunk in frame.chunks(4096) {
        let before = out.len();
        decoder.step(chunk, 1 << 20, &mut out).unwrap();
        assert!(out.len() - before <= (1 << 20) + (128 << 10));
        steps += 1;
        while decoder.pending() {
            assert_eq!(decoder.finish().unwrap_err().kind, ErrorKind::InvalidState);
            let before = out.len();
            decoder.step(&[], 1 << 20, &mut out).unwrap();
            assert!(out.len() - before <= (1 << 20) + (128 << 10));
            steps += 1;
        }
    }
    decoder.finish().unwrap();
    assert!(steps >= 20);
    assert_eq!(out, data);
}

/// Bytes that do not compress, so that libzstd stores them in raw blocks, which its streaming
/// decoder passes on as their input arrives.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
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
    let data = noise(4 << 20);
    let compressor = Compressor::new(Params::default(), None).unwrap();
    let mut frame = Vec::new();
    compressor.compress(&data, &mut frame).unwrap();
    let decompressor = Decompressor::new(None, 1 << 27, Format::Standard).unwrap();

    let mut chunks = frame.chunks(1000);
    let mut decoder = decompressor.create_decoder(true, u64::MAX).unwrap();
    let mut out = Vec::new();
    let moves = reallocations(&mut out, |out| match chunks.next() {
        Some(chunk) => {
            decoder.update(chunk, out).unwrap();
            true
        }
        None => false,
    });
    decoder.finish().unwrap();
    assert_eq!(out, data);
    // Each move copies the output so far: a move per call would copy it thousands of times.
    assert!(
        moves <= 32,
        "{moves} reallocations over {} calls",
        frame.len() / 1000
    );

    let mut chunks = frame.chunks(1000);
    let mut decoder = decompressor.create_decoder(true, u64::MAX).unwrap();
    let mut out = Vec::new();
    let moves = reallocations(&mut out, |out| match chunks.next() {
        Some(chunk) => {
            decoder.step(chunk, 4096, out).unwrap();
            while decoder.pending() {
                decoder.step(&[], 4096, out).unwrap();
            }
            true
        }
        None => false,
    });
    assert_eq!(out, data);
    assert!(moves <= 32, "{moves} reallocations in bounded steps");

    let mut chunks = data.chunks(1000);
    let mut encoder = Encoder::new(&compressor, None).unwrap();
    let mut out = Vec::new();
    let moves = reallocations(&mut out, |out| match chunks.next() {
        Some(chunk) => {
            encoder.update(chunk, out).unwrap();
            encoder.flush(Flush::Block, out).unwrap();
            true
        }
        None => false,
    });
    encoder.finish(&mut out).unwrap();
    assert_eq!(one_shot(&out), data);
    assert!(moves <= 32, "{moves} reallocations encoding");
}
