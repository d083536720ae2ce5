//! LZ4 block decompression: the room `block_output_size` finds is within the bound, a block
//! decodes within its room (exactly filling it when `exact`), decodes the same or fails (see
//! below) in a buffer of exactly its output's size, fails with one byte less, and an empty
//! dictionary is no dictionary.
//!
//! Input: 4 options bytes, then the data. Byte 0: bit 0 the size is passed (bytes 2-3, scaled)
//! rather than stored as a 4-byte prefix, bit 1 `exact`, bit 2 a dictionary (the data's first
//! `byte 1` * 8 bytes), bits 3-4 the output bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use squish_core::lz4;
use squish_core_fuzz::{answer, assert_same, max_output, Answer, Input};

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
