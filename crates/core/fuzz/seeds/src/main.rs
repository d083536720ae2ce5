//! Writes small valid zstd and LZ4 frames and LZ4 blocks made by squish-core, with a spread of
//! options, and the smaller payloads themselves, into the directory given: raw seeds that
//! `make-corpus` turns into the fuzz corpora.

use std::path::Path;
use std::{env, fs};

use squish_core::incremental::{Encode, Flush};
use squish_core::lz4::{self, BlockMode, BlockSize, FrameOptions};
use squish_core::zstd::{self, CompressOptions, Compressor, Encoder, Param, Params};

/// Payloads: empty, tiny, text, runs, noise-like and a multi-block one.
fn payloads() -> Vec<(&'static str, Vec<u8>)> {
    let text =
        b"squish: Zstandard and LZ4 for Node.js. The quick brown fox jumps over the lazy dog. "
            .repeat(12);
    let noise: Vec<u8> = (0u32..600)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    // Over two zstd blocks and several LZ4 blocks, but compressing to a few KiB.
    let mixed: Vec<u8> = (0u32..300_000)
        .map(|i| match i % 1000 {
            0..=3 => (i / 1000).to_le_bytes()[(i % 4) as usize],
            j => b"0123456789abcdef"[(j % 16) as usize],
        })
        .collect();
    vec![
        ("empty", Vec::new()),
        ("abc", b"abc".to_vec()),
        ("text", text),
        ("runs", vec![b'a'; 3000]),
        ("noise", noise),
        ("mixed", mixed),
    ]
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    fs::write(dir.join(name), bytes).expect("writing a seed");
}

fn skippable(payload: &[u8]) -> Vec<u8> {
    let mut frame = 0x184D_2A50u32.to_le_bytes().to_vec();
    frame.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    frame.extend_from_slice(payload);
    frame
}

fn zstd_seeds(dir: &Path, name: &str, src: &[u8]) {
    for (tag, level, checksum, content_size) in [
        ("l1", 1, false, true),
        ("l3c", 3, true, true),
        ("l19", 19, false, true),
        ("n5", -5, true, false),
    ] {
        let options = CompressOptions {
            level,
            checksum,
            content_size,
            ..CompressOptions::default()
        };
        let mut frame = Vec::new();
        zstd::compress(src, &options, &mut frame).expect("zstd compression");
        write(dir, &format!("zstd-{name}-{tag}"), &frame);
        if tag == "l1" {
            let mut two = skippable(b"user data");
            two.extend_from_slice(&frame);
            two.extend_from_slice(&frame);
            write(dir, &format!("zstd-{name}-skip-two"), &two);
        }
    }
    let options = CompressOptions::default();
    let frames = zstd::compress_frames(src, &options, 1000, 1).expect("zstd frames");
    write(dir, &format!("zstd-{name}-frames"), &frames.0.concat());
    let magicless = Params::default()
        .with(Param::Format, 1)
        .and_then(|p| p.with(Param::Checksum, 1))
        .expect("parameters");
    let compressor = Compressor::new(magicless, None).expect("a compressor");
    let mut frame = Vec::new();
    compressor
        .compress(src, &mut frame)
        .expect("zstd compression");
    write(dir, &format!("zstdm-{name}"), &frame);
    // An encoder's frame of unknown size, with a block flush halfway.
    let compressor = Compressor::new(Params::default(), None).expect("a compressor");
    let mut encoder = Encoder::new(&compressor, None).expect("an encoder");
    let mut out = Vec::new();
    let (a, b) = src.split_at(src.len() / 2);
    encoder.update(a, &mut out).expect("update");
    encoder.flush(Flush::Block, &mut out).expect("flush");
    encoder.update(b, &mut out).expect("update");
    encoder.finish(&mut out).expect("finish");
    write(dir, &format!("zstd-{name}-encoder"), &out);
}

fn lz4_seeds(dir: &Path, name: &str, src: &[u8]) {
    let variants = [
        ("default", FrameOptions::default(), true),
        (
            "hc-checksums",
            FrameOptions {
                level: 9,
                content_checksum: true,
                block_checksum: true,
                ..FrameOptions::default()
            },
            false,
        ),
        (
            "fast-256k-independent",
            FrameOptions {
                level: -5,
                block_size: BlockSize::Max256Kb,
                block_linked: false,
                ..FrameOptions::default()
            },
            true,
        ),
        (
            "4m",
            FrameOptions {
                block_size: BlockSize::Max4Mb,
                content_checksum: true,
                ..FrameOptions::default()
            },
            false,
        ),
    ];
    for (tag, options, store_size) in variants {
        let mut frame = Vec::new();
        lz4::compress(src, &options, store_size, &mut frame).expect("lz4 compression");
        write(dir, &format!("lz4-{name}-{tag}"), &frame);
        if tag == "default" {
            let mut two = skippable(b"user data");
            two.extend_from_slice(&frame);
            two.extend_from_slice(&frame);
            write(dir, &format!("lz4-{name}-skip-two"), &two);
        }
    }
    let frames =
        lz4::compress_frames(src, &FrameOptions::default(), true, 1000, 1).expect("lz4 frames");
    write(dir, &format!("lz4-{name}-frames"), &frames.0.concat());
    if src.len() <= 1 << 16 {
        for (tag, mode, store_size) in [
            ("default", BlockMode::Default, true),
            ("fast", BlockMode::Fast { acceleration: 8 }, true),
            ("hc", BlockMode::HighCompression { level: 9 }, false),
        ] {
            let mut block = Vec::new();
            lz4::compress_block(src, mode, store_size, None, &mut block).expect("lz4 block");
            write(dir, &format!("lz4block-{name}-{tag}"), &block);
        }
    }
}

fn main() {
    let dir = env::args()
        .nth(1)
        .expect("usage: squish-core-fuzz-seeds <directory>");
    let dir = Path::new(&dir);
    fs::create_dir_all(dir).expect("creating the seed directory");
    for (name, src) in payloads() {
        if src.len() <= 8192 {
            write(dir, &format!("plain-{name}"), &src);
        }
        zstd_seeds(dir, name, &src);
        lz4_seeds(dir, name, &src);
    }
}
