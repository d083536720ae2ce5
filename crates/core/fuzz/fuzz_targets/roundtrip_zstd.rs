//! zstd round trip: the data, compressed with options drawn from the input (level, checksum,
//! content size, libzstd workers, magicless frames, a window log, a raw dictionary) into one
//! frame, independent frames of `frameSize`, an `Encoder`'s frames with block and frame flushes,
//! or a caller's buffer, decodes back to itself on every path (one-shot, frames on threads, a
//! `Decoder`), and to the size the frames record.
//!
//! Input: 8 options bytes, then the data. Byte 0: the level. Byte 1: bit 0 checksum, bit 1
//! content size, bits 2-3 the mode, bit 4 one libzstd worker, bit 5 magicless, bit 6 a
//! dictionary (the data's first `byte 2` * 4 bytes), bit 7 a window log (10 + byte 3 % 14).
//! Bytes 2-3: the frame size (`frameSize` mode). Bytes 4-7: the encoder's chunk sizes and flushes.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use squish_core::incremental::{Decode, Encode, Flush};
use squish_core::limits::DecompressOptions;
use squish_core::oneshot::Decompress as _;
use squish_core::zstd::{
    self, Compressor, Decompressor, DictType, Dictionary, Encoder, Format, Param, Params,
    DEFAULT_MAX_WINDOW_SIZE,
};
use squish_core::Result;
use squish_core_fuzz::{answer, assert_same, chunks, decompressor, Answer, Input};

const LEVELS: [i32; 16] = [-50, -7, -1, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 15, 19, 22];

/// The encoder's frames: a chunk at a time, each followed by the flush its pattern byte picks.
fn encode(compressor: &Compressor, src: &[u8], pledged: bool, pattern: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = Encoder::new(compressor, pledged.then_some(src.len() as u64))?;
    let mut out = Vec::new();
    for (i, chunk) in chunks(src, pattern).into_iter().enumerate() {
        encoder.update(chunk, &mut out)?;
        match pattern[i % pattern.len()] % 4 {
            1 => encoder.flush(Flush::Block, &mut out)?,
            // A pledged size covers one frame: its frame ends only at the end.
            2 if !pledged => encoder.flush(Flush::Frame, &mut out)?,
            _ => {}
        }
    }
    encoder.finish(&mut out)?;
    Ok(out)
}

fuzz_target!(|raw: &[u8]| {
    let input = Input::split(raw, 8);
    let flags = input.byte(1);
    let (checksum, content_size, mode) = (flags & 1 != 0, flags & 2 != 0, flags >> 2 & 3);
    let workers = i32::from(flags >> 4 & 1);
    let format = if flags & 32 != 0 {
        Format::Magicless
    } else {
        Format::Standard
    };
    let (dict, src) = if flags & 64 != 0 {
        input
            .data
            .split_at((usize::from(input.byte(2)) * 4).min(input.data.len()))
    } else {
        (&[][..], input.data)
    };
    let mut level = LEVELS[usize::from(input.byte(0)) % LEVELS.len()];
    // The encoder does not know the size of an unpledged frame: the highest levels' tables
    // would be sized for large inputs.
    if mode == 2 && !content_size {
        level = level.min(9);
    }
    let mut params = Params::default()
        .with(Param::Level, level)
        .and_then(|p| p.with(Param::Checksum, checksum.into()))
        .and_then(|p| p.with(Param::ContentSize, content_size.into()))
        .and_then(|p| p.with(Param::Threads, workers))
        .and_then(|p| p.with(Param::Format, (format == Format::Magicless).into()))
        .expect("parameters within bounds");
    if flags & 128 != 0 {
        params
            .set(Param::WindowLog, 10 + i32::from(input.byte(3) % 14))
            .expect("a window log");
    }
    let dictionary = (!dict.is_empty()).then(|| {
        Arc::new(Dictionary::new(dict.to_vec(), DictType::Raw).expect("a raw dictionary"))
    });
    let compressor = Compressor::new(params, dictionary.clone()).expect("a compressor");
    let pattern = [4, 5, 6, 7].map(|i| input.byte(i));

    let compressed = match mode {
        0 => {
            let mut out = Vec::new();
            compressor.compress(src, &mut out).map(|()| out)
        }
        1 => compressor
            .compress_frames(src, usize::from(input.u16(2)) + 1, 2)
            .map(|parts| parts.0.concat()),
        2 => encode(&compressor, src, content_size, &pattern),
        _ => {
            let mut out = vec![0; zstd::compress_bound(src.len())];
            compressor.compress_into(src, &mut out).map(|n| {
                out.truncate(n);
                out
            })
        }
    }
    .expect("compression succeeds");

    let options = DecompressOptions {
        max_output_size: src.len(),
        ..DecompressOptions::default()
    };
    let owned;
    let d: &Decompressor = match &dictionary {
        None => decompressor(format),
        Some(dict) => {
            owned = Decompressor::new(Some(dict.clone()), DEFAULT_MAX_WINDOW_SIZE, format)
                .expect("a decompressor");
            &owned
        }
    };
    let plan = d.plan(&compressed, &options).expect("the frames plan");
    // Every mode but the encoder's records each frame's size.
    if content_size && (mode != 2 || pattern.iter().all(|b| b % 4 != 2)) {
        assert_eq!(
            plan.size(),
            Some(src.len()),
            "the frames do not record the size"
        );
    }
    let one_shot = answer(d.decompress(&compressed, &options));
    let threads = answer({
        let p = plan.with_threads(2);
        let mut out = vec![0; plan.size().unwrap_or(0)];
        match p.size() {
            Some(_) => d.decompress_into(&compressed, &p, &mut out).map(drop),
            None => d.decompress_to_vec(&compressed, &p, &mut out),
        }
        .map(|()| out)
    });
    let incremental = answer(
        d.create_decoder(true, src.len() as u64)
            .and_then(|mut decoder| {
                let mut out = Vec::new();
                decoder.update(&compressed, &mut out)?;
                decoder.finish()?;
                Ok(out)
            }),
    );
    let expected: Answer = Ok(src.to_vec());
    assert_same(
        raw,
        &[
            ("the input", &expected),
            ("one-shot", &one_shot),
            ("2 threads", &threads),
            ("Decoder", &incremental),
        ],
    );
});
