//! Work under a control: decoded and compressed in steps, with the same results, counted, and
//! stopped when cancelled.

use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use squish_core::incremental::Encode;
use squish_core::limits::DecompressOptions;
use squish_core::lz4::{self, BlockSize, FrameOptions};
use squish_core::oneshot::Decompress as _;
use squish_core::zstd::{
    self, Compressor, Decompressor, DictType, Dictionary, Format, Param, Params,
    DEFAULT_MAX_WINDOW_SIZE,
};
use squish_core::{Control, ErrorKind, Result};

fn sample(len: usize, seed: u32) -> Vec<u8> {
    let words = [
        "squish ", "zstd ", "frame ", "block ", "level ", "{\"id\":", "\n",
    ];
    let mut out = Vec::with_capacity(len + 8);
    let mut x = seed;
    while out.len() < len {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        out.extend_from_slice(words[(x >> 16) as usize % words.len()].as_bytes());
        if x % 97 == 0 {
            out.extend_from_slice(&x.to_le_bytes());
        }
    }
    out.truncate(len);
    out
}

/// Runs `f` under a fresh control; returns its result and the control's final counts.
fn controlled<R>(f: impl FnOnce() -> Result<R>) -> (Result<R>, (u64, u64)) {
    let control = Control::new();
    let result = Control::run(Some(&control), f);
    (result, control.progress())
}

fn zstd_decode(decompressor: &Decompressor, frame: &[u8]) -> Result<Vec<u8>> {
    let plan = decompressor.plan(frame, &DecompressOptions::default())?;
    let mut out = Vec::new();
    decompressor.decompress_to_vec(frame, &plan, &mut out)?;
    Ok(out)
}

#[test]
fn zstd_frames_decode_block_by_block_with_checksums_formats_and_dictionaries() {
    let data = sample(5 << 20, 1);
    let dictionary = Arc::new(Dictionary::new(sample(64 << 10, 2), DictType::Raw).unwrap());
    for (checksum, format, dict) in [
        (false, Format::Standard, None),
        (true, Format::Standard, None),
        (true, Format::Magicless, None),
        (true, Format::Standard, Some(dictionary.clone())),
    ] {
        let params = Params::default()
            .with(Param::Level, 5)
            .unwrap()
            .with(Param::Checksum, checksum.into())
            .unwrap()
            .with(Param::Format, (format == Format::Magicless).into())
            .unwrap();
        let mut frame = Vec::new();
        Compressor::new(params, dict.clone())
            .unwrap()
            .compress(&data, &mut frame)
            .unwrap();
        let decompressor = Decompressor::new(dict, DEFAULT_MAX_WINDOW_SIZE, format).unwrap();
        let (decoded, progress) = controlled(|| zstd_decode(&decompressor, &frame));
        assert!(decoded.unwrap() == data, "{checksum} {format:?}");
        assert_eq!(progress, (frame.len() as u64, data.len() as u64));
        if checksum {
            let mut bad = frame.clone();
            *bad.last_mut().unwrap() ^= 1;
            let (result, _) = controlled(|| zstd_decode(&decompressor, &bad));
            assert_eq!(result.unwrap_err().kind, ErrorKind::Checksum);
        }
        let mut corrupt = frame.clone();
        let middle = corrupt.len() / 2;
        corrupt[middle..middle + 64].fill(0xA5);
        let (result, _) = controlled(|| zstd_decode(&decompressor, &corrupt));
        assert!(result.is_err());
    }
}

#[test]
fn zstd_compression_under_a_control_holds_the_same_content_and_counts_it() {
    let data = sample(3 << 20, 3);
    for threads in [0, 2] {
        let options = zstd::CompressOptions {
            level: 3,
            checksum: true,
            threads,
            ..Default::default()
        };
        let mut frame = Vec::new();
        let (result, progress) = controlled(|| zstd::compress(&data, &options, &mut frame));
        result.unwrap();
        assert_eq!(progress, (data.len() as u64, frame.len() as u64));
        let plan = zstd::plan(&frame, &DecompressOptions::default()).unwrap();
        assert_eq!(plan.size(), Some(data.len()));
        let mut out = vec![0; data.len()];
        zstd::decompress_into(&frame, &plan, &mut out).unwrap();
        assert!(out == data);
    }
}

#[test]
fn lz4_frames_made_in_steps_are_the_bytes_of_one_call() {
    let data = sample((5 << 20) + 12_345, 4);
    for (len, block_size, block_linked, checksums, store_size, level) in [
        (data.len(), BlockSize::Default, true, false, true, 0),
        (data.len(), BlockSize::Max256Kb, false, true, false, 9),
        (data.len(), BlockSize::Max1Mb, true, true, true, -5),
        ((1 << 20) + 7, BlockSize::Max4Mb, true, true, true, 0),
        ((4 << 20) + 1, BlockSize::Max4Mb, true, false, true, 3),
    ] {
        let src = &data[..len];
        let options = FrameOptions {
            level,
            block_size,
            block_linked,
            content_checksum: checksums,
            block_checksum: checksums,
            auto_flush: false,
        };
        let mut plain = Vec::new();
        lz4::compress(src, &options, store_size, &mut plain).unwrap();
        let mut stepped = Vec::new();
        let (result, progress) =
            controlled(|| lz4::compress(src, &options, store_size, &mut stepped));
        result.unwrap();
        assert!(
            plain == stepped,
            "{len} B, {block_size:?}, linked {block_linked}"
        );
        assert_eq!(progress, (len as u64, stepped.len() as u64));
        let plan = lz4::plan(&stepped, &DecompressOptions::default()).unwrap();
        let mut out = Vec::new();
        let (result, progress) = controlled(|| lz4::decompress_to_vec(&stepped, &plan, &mut out));
        result.unwrap();
        assert!(out == src);
        assert_eq!(progress, (stepped.len() as u64, len as u64));
    }
}

/// Runs `work` under a control that another thread cancels once the work has made progress.
fn cancelled_midway(work: impl FnOnce() -> Result<()>) -> Result<()> {
    let control = Control::new();
    let watcher = {
        let control = Arc::clone(&control);
        thread::spawn(move || {
            while control.progress().0 == 0 {
                thread::yield_now();
            }
            control.cancel();
        })
    };
    let result = Control::run(Some(&control), work);
    control.cancel();
    watcher.join().unwrap();
    result
}

#[test]
fn cancelled_work_stops_with_aborted() {
    let data = sample(48 << 20, 5);
    let mut frame = Vec::new();
    let options = zstd::CompressOptions {
        level: 19,
        ..Default::default()
    };
    let result = cancelled_midway(|| zstd::compress(&data, &options, &mut frame));
    assert_eq!(result.unwrap_err().kind, ErrorKind::Aborted);

    let frame = {
        let mut frame = Vec::new();
        zstd::compress(&data, &Default::default(), &mut frame).unwrap();
        frame
    };
    let plan = zstd::plan(&frame, &DecompressOptions::default()).unwrap();
    let mut out = vec![0; data.len()];
    let result = cancelled_midway(|| zstd::decompress_into(&frame, &plan, &mut out).map(drop));
    assert_eq!(result.unwrap_err().kind, ErrorKind::Aborted);

    let mut frame = Vec::new();
    lz4::compress(&data, &FrameOptions::default(), true, &mut frame).unwrap();
    let plan = lz4::plan(&frame, &DecompressOptions::default()).unwrap();
    let mut out = vec![0; data.len()];
    let result = cancelled_midway(|| lz4::decompress_into(&frame, &plan, &mut out).map(drop));
    assert_eq!(result.unwrap_err().kind, ErrorKind::Aborted);
}

/// A slow compressor whose frames run as libzstd jobs of `job_size` bytes on 2 workers.
fn level_19_on_two_workers(job_size: i32) -> Compressor {
    let params = Params::default()
        .with(Param::Level, 19)
        .unwrap()
        .with(Param::Threads, 2)
        .unwrap()
        .with(Param::JobSize, job_size)
        .unwrap();
    Compressor::new(params, None).unwrap()
}

/// libzstd frees a context without waiting for the jobs it posted to a shared pool: contexts
/// left mid-frame must wait for them first. Without that, these read freed memory (as
/// AddressSanitizer reports: `RUSTFLAGS=-Zsanitizer=address CFLAGS=-fsanitize=address
/// cargo +nightly test --target x86_64-unknown-linux-gnu`).
#[test]
fn multithreaded_frames_left_unfinished_wait_for_their_jobs() {
    let compressor = level_19_on_two_workers(1 << 19);
    let data = sample(3 << 20, 6);
    for _ in 0..2 {
        let mut encoder = zstd::Encoder::new(&compressor, None).unwrap();
        encoder.update(&data, &mut Vec::new()).unwrap();
        drop(encoder);
    }
    let mut out = Vec::new();
    let result = cancelled_midway(|| compressor.compress(&data, &mut out));
    assert_eq!(result.unwrap_err().kind, ErrorKind::Aborted);
    // The compressor and the pool's threads are still sound.
    compressor.compress(&data[..1 << 20], &mut out).unwrap();
    let plan = zstd::plan(&out, &DecompressOptions::default()).unwrap();
    let mut back = vec![0; 1 << 20];
    zstd::decompress_into(&out, &plan, &mut back).unwrap();
    assert!(back == data[..1 << 20]);
}

/// The wait for the jobs of a frame left unfinished falls to a pool worker: the thread that drops
/// the encoder (JavaScript's, when a stream is garbage-collected) goes on at once. Before, it
/// waited for all of them: 7.8 s for this one on 2 cores.
#[test]
fn dropping_a_multithreaded_encoder_mid_frame_leaves_the_wait_to_the_pool() {
    let compressor = level_19_on_two_workers(1 << 20);
    // Text-like bytes that take level 19 several seconds.
    let mut x: u64 = 1;
    let data: Vec<u8> = (0..10 << 20)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            b"abcdefghijklmnopqrstuvwxyz     etaoin"[(x >> 59) as usize % 37]
        })
        .collect();
    let mut encoder = zstd::Encoder::new(&compressor, None).unwrap();
    encoder.update(&data, &mut Vec::new()).unwrap();
    let start = Instant::now();
    drop(encoder);
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "dropping took {:?}",
        start.elapsed()
    );
}
