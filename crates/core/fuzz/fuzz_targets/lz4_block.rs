//! LZ4 block decompression: the room `block_output_size` finds is within the bound, a block
//! decodes within its room (exactly filling it when `exact`), decodes the same or fails (see
//! below) in a buffer of exactly its output's size, fails with one byte less, and an empty
//! dictionary is no dictionary; and the one-shot paths bindings take (`BlockDecompressor` into a
//! vector, the scratch buffer, or a larger buffer) give the same answer.
//!
//! Input: 4 options bytes, then the data. Byte 0: bit 0 the size is passed (bytes 2-3, scaled)
//! rather than stored as a 4-byte prefix, bit 1 `exact`, bit 2 a dictionary (the data's first
//! `byte 1` * 8 bytes), bits 3-4 the output bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use squish_core::limits::DecompressOptions;
use squish_core::lz4::{self, BlockDecompressor};
use squish_core::oneshot::Decompress as _;
use squish_core_fuzz::{answer, assert_same, max_output, Answer, Input};

/// The block through [`BlockDecompressor`]'s paths, each answer named.
fn one_shot(
    src: &[u8],
    given: Option<usize>,
    dict: Option<&[u8]>,
    max: usize,
) -> Vec<(&'static str, Answer)> {
    let d = BlockDecompressor {
        uncompressed_size: given,
        dict,
    };
    let options = DecompressOptions {
        max_output_size: max,
        ..DecompressOptions::default()
    };
    let plan = d.plan(src, &options).expect("the room found above");
    let mut vector = Vec::new();
    let mut paths = vec![
        (
            "a vector",
            answer(
                d.decompress_to_vec(src, &plan, &mut vector)
                    .map(|()| vector),
            ),
        ),
        (
            "scratch",
            answer(d.decompress_with(src, &plan, <[u8]>::to_vec)),
        ),
    ];
    if let Some(size) = plan.size() {
        let mut out = vec![0; size + 3];
        let into = d.decompress_into(src, &plan, &mut out).map(|n| {
            out.truncate(n);
            out
        });
        paths.push(("a larger buffer", answer(into)));
    }
    paths
}

fn decode(src: &[u8], start: usize, dict: Option<&[u8]>, room: usize, exact: bool) -> Answer {
    let mut dst = vec![0; room];
    answer(
        lz4::decompress_block(src, start, dict, &mut dst, exact).map(|n| {
            assert!(n <= room, "the block reports more output than its room");
            dst.truncate(n);
            dst
        }),
    )
}

fuzz_target!(|raw: &[u8]| {
    let input = Input::split(raw, 4);
    let flags = input.byte(0);
    let exact = flags & 2 != 0;
    let max = max_output(flags >> 3);
    let (dict, src) = if flags & 4 != 0 {
        input
            .data
            .split_at((usize::from(input.byte(1)) * 8).min(input.data.len()))
    } else {
        (&[][..], input.data)
    };
    let dict = (flags & 4 != 0).then_some(dict);
    let given = (flags & 1 != 0).then(|| usize::from(input.u16(2)) * 4);
    let Ok((start, room)) = lz4::block_output_size(src, given, max) else {
        return;
    };
    assert!(room <= max, "the block's room is over maxOutputSize");
    assert!(start <= src.len(), "the block starts past the input");
    let a = decode(src, start, dict, room, exact);
    if let Ok(out) = &a {
        if exact {
            assert_eq!(out.len(), room, "an exact block did not fill its room");
        }
        // Found by this target: liblz4 decodes blocks that break the format's end rules (the
        // last 5 bytes literals, the last match 12 bytes before the end; or a lone nonzero
        // token) when it has room to spare, and refuses them when the room is exactly their
        // output. So a tight room must give the same bytes or fail, never other bytes.
        let tight = decode(src, start, dict, out.len(), exact);
        if tight.is_ok() {
            assert_same(raw, &[("room", &a), ("exact room", &tight)]);
        }
        if !out.is_empty() {
            assert!(
                decode(src, start, dict, out.len() - 1, false).is_err(),
                "the block decoded into less room than its output"
            );
        }
    }
    if exact == given.is_none() {
        let paths = one_shot(src, given, dict, max);
        let mut all = vec![("the block", &a)];
        all.extend(paths.iter().map(|(name, answer)| (*name, answer)));
        assert_same(raw, &all);
    }
    if dict.is_some_and(<[u8]>::is_empty) {
        assert_same(
            raw,
            &[
                ("empty dictionary", &a),
                ("no dictionary", &decode(src, start, None, room, exact)),
            ],
        );
    }
});
