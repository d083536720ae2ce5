//! zstd one-shot decompression: every one-shot path (into a vector, through the scratch buffer,
//! into an exact-size buffer, frames side by side on threads, a `Decompressor`, a batch) gives the
//! same answer, within the output bound and of the planned size.
//!
//! Input: 1 options byte, then the data. Options: bit 0 readAcrossFrames, bit 1 allowExtraData,
//! bits 2-3 the output bound, bit 4 magicless frames (a `Decompressor` only).
#![no_main]

use libfuzzer_sys::fuzz_target;
use squish_core::oneshot::Decompress as _;
use squish_core::zstd::{self, DecompressOptions, Format, Plan};
use squish_core_fuzz::{
    answer, assert_bounded, assert_same, decompressor, max_output, Answer, Input,
};

/// Decodes into an exact-size buffer when the plan knows the size, otherwise into a vector.
fn planned(
    plan: &Plan,
    into: impl FnOnce(&mut [u8]) -> squish_core::Result<usize>,
    to_vec: impl FnOnce(&mut Vec<u8>) -> squish_core::Result<()>,
) -> Answer {
    let mut out = Vec::new();
    let result = match plan.size() {
        Some(n) => {
            out.resize(n, 0);
            into(&mut out).map(|written| assert_eq!(written, n, "a decode into its size"))
        }
        None => to_vec(&mut out),
    };
    answer(result.map(|()| out))
}

fuzz_target!(|raw: &[u8]| {
    let input = Input::split(raw, 1);
    let src = input.data;
    let options = DecompressOptions {
        read_across_frames: input.bit(0, 0),
        allow_extra_data: input.bit(0, 1),
        max_output_size: max_output(input.byte(0) >> 2),
    };
    let format = if input.bit(0, 4) {
        Format::Magicless
    } else {
        Format::Standard
    };
    let d = decompressor(format);

    let mut answers: Vec<(&str, Answer)> = Vec::new();
    let plan = d.plan(src, &options);
    if format == Format::Standard {
        let module = zstd::plan(src, &options);
        assert_eq!(
            module.as_ref().map(Plan::size).map_err(|e| e.kind),
            plan.as_ref().map(Plan::size).map_err(|e| e.kind),
            "the module's plan and a default Decompressor's differ"
        );
        answers.push((
            "zstd::decompress_to_vec",
            answer(module.clone().and_then(|p| {
                let mut out = Vec::new();
                zstd::decompress_to_vec(src, &p, &mut out).map(|()| out)
            })),
        ));
        answers.push((
            "zstd::decompress_with",
            answer(
                module
                    .clone()
                    .and_then(|p| zstd::decompress_with(src, &p, <[u8]>::to_vec)),
            ),
        ));
        answers.push((
            "zstd::decompress_into",
            match &module {
                Ok(p) => planned(
                    p,
                    |dst| zstd::decompress_into(src, p, dst),
                    |out| zstd::decompress_to_vec(src, p, out),
                ),
                Err(e) => Err(e.kind),
            },
        ));
        answers.push((
            "zstd::decompress_into, 2 threads",
            match module.map(|p| p.with_threads(2)) {
                Ok(p) => planned(
                    &p,
                    |dst| zstd::decompress_into(src, &p, dst),
                    |out| zstd::decompress_to_vec(src, &p, out),
                ),
                Err(e) => Err(e.kind),
            },
        ));
    }
    answers.push((
        "Decompressor::decompress",
        answer(d.decompress(src, &options)),
    ));
    answers.push((
        "Decompressor::decompress_into, 2 threads",
        match plan.as_ref().map(|p| p.with_threads(2)) {
            Ok(p) => planned(
                &p,
                |dst| d.decompress_into(src, &p, dst),
                |out| d.decompress_to_vec(src, &p, out),
            ),
            Err(e) => Err(e.kind),
        },
    ));
    answers.push((
        "Decompressor::decompress_many",
        answer(
            d.decompress_many(&[src], &options, 1)
                .map(|mut v| v.remove(0)),
        ),
    ));

    let max = options.max_output_size;
    for (name, a) in &answers {
        assert_bounded(name, a, max);
    }
    if let (Ok(p), Ok(out)) = (&plan, &answers[0].1) {
        if let Some(n) = p.size() {
            assert_eq!(n, out.len(), "the output is not the size the plan found");
        }
    }
    // A planned input is complete: it never fails as truncated (libzstd's srcSize_wrong from
    // inside a complete frame's corrupt block is Corrupt).
    if plan.is_ok() {
        for (name, a) in &answers {
            assert!(
                *a != Err(squish_core::ErrorKind::Truncated),
                "{name}: a planned input failed as truncated"
            );
        }
    }
    let named: Vec<(&str, &Answer)> = answers.iter().map(|(n, a)| (*n, a)).collect();
    assert_same(raw, &named);
});
