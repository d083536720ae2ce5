//! LZ4 frame one-shot decompression: every one-shot path (into a vector, through the scratch
//! buffer, into the start of a buffer of the exact size or larger, frames side by side on
//! threads) gives the same answer, within the output bound and of the planned size; one byte too
//! little room is the output limit, never a write past it.
//!
//! Input: 1 options byte, then the data. Options: bit 0 readAcrossFrames, bit 1 allowExtraData,
//! bits 2-3 the output bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use squish_core::limits::DecompressOptions;
use squish_core::lz4::{self, Plan};
use squish_core::ErrorKind;
use squish_core_fuzz::{answer, assert_bounded, assert_same, max_output, Answer, Input};

/// Decodes into the start of a buffer of `room` bytes.
fn into_prefix(src: &[u8], plan: &Plan, room: usize) -> Answer {
    let mut dst = vec![0; room];
    answer(lz4::decompress_into(src, plan, &mut dst).map(|n| {
        dst.truncate(n);
        dst
    }))
}

fuzz_target!(|raw: &[u8]| {
    let input = Input::split(raw, 1);
    let src = input.data;
    let options = DecompressOptions {
        read_across_frames: input.bit(0, 0),
        allow_extra_data: input.bit(0, 1),
        max_output_size: max_output(input.byte(0) >> 2),
    };
    let max = options.max_output_size;
    let plan = lz4::plan(src, &options);
    if let Ok(p) = &plan {
        assert!(
            p.bytes_read() <= src.len(),
            "the frames take more than the input"
        );
        if !options.allow_extra_data {
            assert_eq!(p.bytes_read(), src.len(), "extra data was allowed");
        }
    }
    let with_plan = |f: &dyn Fn(&Plan) -> Answer| match &plan {
        Ok(p) => f(p),
        Err(e) => Err(e.kind),
    };
    let to_vec = with_plan(&|p| {
        let mut out = Vec::new();
        answer(lz4::decompress_to_vec(src, p, &mut out).map(|()| out))
    });
    let scratch = with_plan(&|p| answer(lz4::decompress_with(src, p, <[u8]>::to_vec)));
    // The planned size when known, otherwise the output bound, or less when the input cannot
    // expand that far: an LZ4 byte decodes to at most 255 bytes.
    let room = |p: &Plan| p.size().unwrap_or(max.min(src.len() * 256 + 64));
    let exact = with_plan(&|p| into_prefix(src, p, room(p)));
    let larger = with_plan(&|p| into_prefix(src, p, room(p) + 100));
    let threads = with_plan(&|p| into_prefix(src, &p.with_threads(2), room(p)));
    let answers = [
        ("decompress_to_vec", &to_vec),
        ("decompress_with", &scratch),
        ("decompress_into, exact room", &exact),
        ("decompress_into, larger room", &larger),
        ("decompress_into, 2 threads", &threads),
    ];
    for (name, a) in answers {
        assert_bounded(name, a, max);
    }
    if let (Ok(p), Ok(out)) = (&plan, &to_vec) {
        if let Some(n) = p.size() {
            assert_eq!(n, out.len(), "the output is not the size the plan found");
        }
        if let Some(short) = out.len().checked_sub(1) {
            for threads in [1, 2] {
                let a = into_prefix(src, &p.with_threads(threads), short);
                assert_eq!(
                    a,
                    Err(ErrorKind::OutputLimit),
                    "one byte too little room ({threads} threads) is not the output limit"
                );
            }
        }
    }
    if let (Ok(_), Err(kind)) = (&plan, &to_vec) {
        assert_ne!(
            *kind,
            ErrorKind::Truncated,
            "a planned (complete) input decoded as truncated"
        );
    }
    assert_same(raw, &answers);
});
