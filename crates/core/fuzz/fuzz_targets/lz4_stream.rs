//! LZ4 frame incremental decompression: a `FrameDecoder` fed the input in chunks whose sizes
//! come from the fuzz input, through `Decode::step` (bounded steps, frame after frame) and
//! through `decompress` (python-lz4's `decompress_chunk`, a `max_length` per call), gives the
//! one-shot answer (all frames, no extra data), and so does one fed the whole input at once; no
//! call goes over its bound.
//!
//! Input: 8 options bytes, then the data. Byte 0: bits 0-1 the output bound, bits 2-3 the step
//! limit, bits 4-5 `max_length`, bit 6 drains every pending step before the next chunk.
//! Bytes 1-7: the chunk sizes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use squish_core::incremental::Decode;
use squish_core::limits::DecompressOptions;
use squish_core::lz4::{self, FrameDecoder};
use squish_core::{Error, ErrorKind, Result};
use squish_core_fuzz::{answer, assert_bounded, assert_same, chunks, max_output, Answer, Input};

/// `Decode::step` over `chunks`, in steps of `limit`.
fn stream(chunks: &[&[u8]], max: usize, limit: usize, drain_each: bool) -> Result<Vec<u8>> {
    let mut decoder = FrameDecoder::with_limit(max as u64)?;
    let mut out = Vec::new();
    let drain = |decoder: &mut FrameDecoder, out: &mut Vec<u8>| -> Result<()> {
        while decoder.pending() {
            let before = out.len();
            decoder.step(&[], limit, out)?;
            assert!(out.len() <= max, "a step went over maxOutputSize");
            assert!(
                out.len() > before || !decoder.pending(),
                "a pending step produced nothing and is still pending"
            );
        }
        Ok(())
    };
    for (i, chunk) in chunks.iter().enumerate() {
        decoder.step(chunk, limit, &mut out)?;
        assert!(out.len() <= max, "a step went over maxOutputSize");
        if drain_each || i + 1 == chunks.len() {
            drain(&mut decoder, &mut out)?;
        }
    }
    drain(&mut decoder, &mut out)?;
    decoder.finish()?;
    Ok(out)
}

/// `decompress` over `chunks` with at most `max_length` bytes per call, as a caller of
/// python-lz4's `decompress_chunk` reads across frames: the bytes a call did not read are given
/// again, and the output is bounded by `max` in all.
fn chunked(chunks: &[&[u8]], max: usize, max_length: usize) -> Result<Vec<u8>> {
    let mut decoder = FrameDecoder::new()?;
    let mut out = Vec::new();
    let mut held: Vec<u8> = Vec::new();
    let over = || Error::new(ErrorKind::OutputLimit, "over maxOutputSize");
    let mut calls = 0usize;
    for (i, chunk) in chunks.iter().enumerate() {
        held.extend_from_slice(chunk);
        let last = i + 1 == chunks.len();
        loop {
            // One byte past the bound, so that going over it is seen.
            let room = max_length.min(max + 1 - out.len());
            let before = out.len();
            let c = decoder.decompress(&held, room, &mut out)?;
            calls += 1;
            assert!(
                out.len() - before <= room,
                "decompress went over max_length"
            );
            assert!(
                c.bytes_read <= held.len(),
                "decompress read more than it was given"
            );
            if out.len() > max {
                return Err(over());
            }
            held.drain(..c.bytes_read);
            let progress = c.bytes_read > 0 || out.len() > before || c.end_of_frame;
            // Until the output stops filling the room, more may be buffered; at the end of
            // the input, also until every byte is read.
            if !progress || (held.is_empty() && out.len() - before < room) {
                if !progress && last && !held.is_empty() {
                    // The decoder takes no more of the input: what is left is not decodable.
                    return Err(Error::new(ErrorKind::Corrupt, "input left undecoded"));
                }
                break;
            }
            assert!(calls < 1 << 22, "decompress makes no progress");
        }
    }
    decoder.finish()?;
    Ok(out)
}

fuzz_target!(|raw: &[u8]| {
    let input = Input::split(raw, 8);
    let src = input.data;
    let flags = input.byte(0);
    let max = max_output(flags);
    let limit = [usize::MAX, 1 << 10, 64 << 10, 200 << 10][usize::from(flags >> 2 & 3)];
    let max_length = [usize::MAX, 1, 1000, 100 << 10][usize::from(flags >> 4 & 3)];
    let drain_each = flags & 64 != 0;
    let pattern = [1, 2, 3, 4, 5, 6, 7].map(|i| input.byte(i));
    let pieces = chunks(src, &pattern);

    let options = DecompressOptions {
        read_across_frames: true,
        allow_extra_data: false,
        max_output_size: max,
    };
    let one_shot = answer(lz4::plan(src, &options).and_then(|p| {
        let mut out = Vec::new();
        lz4::decompress_to_vec(src, &p, &mut out).map(|()| out)
    }));
    let streamed = answer(stream(&pieces, max, limit, drain_each));
    let streamed_whole = answer(stream(&[src], max, usize::MAX, false));
    let answers: [(&str, &Answer); 3] = [
        ("one-shot", &one_shot),
        ("step, chunked", &streamed),
        ("step, whole", &streamed_whole),
    ];
    for (name, a) in answers {
        assert_bounded(name, a, max);
    }
    assert_same(raw, &answers);
    // max_length of 1 is a call per output byte: only for small outputs.
    if max_length > 1 || one_shot.as_ref().is_ok_and(|o| o.len() <= 1 << 16) {
        let by_chunk = answer(chunked(&pieces, max, max_length));
        assert_bounded("decompress, chunked", &by_chunk, max);
        // `decompress` (python-lz4's decompress_chunk) has no maxOutputSize, so it cannot refuse
        // a header's claim over it as the other paths do.
        if streamed_whole == Err(ErrorKind::OutputLimit) {
            return;
        }
        assert_same(
            raw,
            &[
                ("step, whole", &streamed_whole),
                ("decompress, chunked", &by_chunk),
            ],
        );
    }
});
