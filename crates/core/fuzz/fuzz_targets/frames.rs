//! Frame inspection and frame walking: `zstd::frame_parameters` and `lz4::frame_info` describe a
//! header within the input, and agree with libzstd's own reading of it; the frame walkers behind
//! `zstd::plan` and `lz4::plan` find the first frame where libzstd does, and never claim more
//! output than the bound.
//!
//! Input: 1 options byte, then the data. Options: bits 0-1 the output bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use squish_core::limits::DecompressOptions;
use squish_core::oneshot::Decompress as _;
use squish_core::zstd::{self, Format, DEFAULT_MAX_WINDOW_SIZE, WINDOW_SIZE_RANGE};
use squish_core::{lz4, ErrorKind};
use squish_core_fuzz::{decompressor, hex, max_output, Input};

fuzz_target!(|raw: &[u8]| {
    let input = Input::split(raw, 1);
    let src = input.data;
    let max = max_output(input.byte(0));
    let options = |read_across_frames, allow_extra_data| DecompressOptions {
        read_across_frames,
        allow_extra_data,
        max_output_size: max,
    };

    for format in [Format::Standard, Format::Magicless] {
        if let Ok(p) = zstd::frame_parameters(src, format) {
            assert!(
                p.header_size <= src.len(),
                "the zstd header is longer than the input"
            );
            if p.skippable {
                assert_eq!(p.content_size, Some(0));
                assert_eq!(p.window_size, 0);
            }
            // Found by this target: a header recording 2^64 - 2 bytes (libzstd's
            // ZSTD_CONTENTSIZE_ERROR) has that content size here and is an error to libzstd.
            let error_sentinel = p.content_size == Some(u64::MAX - 1);
            if format == Format::Standard && !p.skippable && !error_sentinel {
                let libzstd = zstd_safe::get_frame_content_size(src);
                assert_eq!(
                    libzstd.ok(),
                    Some(p.content_size),
                    "the content size is not libzstd's"
                );
            }
        }
        let d = decompressor(format);
        for (across, extra) in [(true, false), (false, true), (false, false), (true, true)] {
            if let Ok(plan) = d.plan(src, &options(across, extra)) {
                if let Some(n) = plan.size() {
                    assert!(n <= max, "a plan's size is over maxOutputSize");
                }
            }
        }
    }

    // The first frame, as libzstd finds its end, against the frame walker: a data frame that
    // is the whole input plans when nothing else stops it, and one that is not does not.
    if let Ok(p) = zstd::frame_parameters(src, Format::Standard) {
        if !p.skippable {
            let whole = zstd_safe::find_frame_compressed_size(src).ok() == Some(src.len());
            let plan = zstd::plan(src, &options(false, false));
            let blocked = match &plan {
                Err(e) => matches!(
                    e.kind,
                    ErrorKind::OutputLimit | ErrorKind::WindowTooLarge | ErrorKind::Dictionary
                ),
                Ok(_) => false,
            };
            // A frame that claims more content than its blocks can hold is corrupt, wherever
            // it ends.
            let claims_too_much = plan
                .as_ref()
                .is_err_and(|e| e.kind == ErrorKind::Corrupt && p.content_size.is_some());
            // libzstd finds the end without looking inside blocks; the walker refuses a block
            // the format does not allow (named by its offset) where it stands.
            let bad_block = plan
                .as_ref()
                .is_err_and(|e| e.kind == ErrorKind::Corrupt && e.message.contains("the block at"));
            // Found by this target: a window over the most libzstd decodes (2 GiB) is refused
            // whatever the content size, as libzstd's streaming decoder refuses it.
            let refused_for_size = p.content_size.is_some_and(|n| n > max as u64)
                || (p.content_size.is_none() && p.window_size > DEFAULT_MAX_WINDOW_SIZE)
                || p.window_size > WINDOW_SIZE_RANGE.1
                || p.dict_id != 0;
            if !blocked && !claims_too_much && !bad_block {
                assert_eq!(
                    plan.is_ok(),
                    whole,
                    "the frame walker and libzstd disagree on the end of the frame in {}: plan {:?}, \
                     libzstd {:?}",
                    hex(&src[..src.len().min(256)]),
                    plan.as_ref().map(|p| p.size()).map_err(|e| e.kind),
                    zstd_safe::find_frame_compressed_size(src),
                );
            } else if blocked {
                assert!(
                    refused_for_size,
                    "a frame refused for its claims makes no such claim"
                );
            }
        }
    }

    if let Ok(info) = lz4::frame_info(src) {
        assert!(
            info.header_size <= src.len(),
            "the lz4 header is longer than the input"
        );
        if info.skippable {
            assert_eq!(info.block_size, 0);
        } else {
            assert!(
                matches!(info.block_size_id, 4..=7),
                "block size id {}",
                info.block_size_id
            );
            assert_eq!(info.block_size, 1 << (8 + 2 * info.block_size_id));
        }
    }
    for (across, extra) in [(true, false), (false, true), (false, false), (true, true)] {
        if let Ok(plan) = lz4::plan(src, &options(across, extra)) {
            assert!(plan.bytes_read() <= src.len());
            if !extra {
                assert_eq!(plan.bytes_read(), src.len(), "extra data was allowed");
            }
            if let Some(n) = plan.size() {
                assert!(n <= max, "a plan's size is over maxOutputSize");
            }
            let first = lz4::frame_info(src);
            assert!(
                first.is_ok(),
                "input that plans has no first frame header: {first:?}"
            );
        }
    }
});
