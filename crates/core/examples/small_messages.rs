//! Compresses 100,000 messages of 100 bytes three ways and prints ops/s as JSON:
//! a context held by the caller (zstd-safe directly), squish-core's module-level `compress`
//! (per-thread cached context), and a new context per call (what caching avoids).
//!
//! `cargo run --release -p squish-core --example small_messages`

use std::hint::black_box;
use std::time::Instant;

use squish_core::zstd::{self, CompressOptions};
use zstd_safe::{CCtx, CParameter};

const MESSAGES: usize = 100_000;
const SIZE: usize = 100;
const ROUNDS: usize = 5;

fn messages() -> Vec<Vec<u8>> {
    (0..MESSAGES)
        .map(|i| {
            let text = format!("{{\"id\":{i},\"user\":\"u{}\",\"event\":\"click\",\"ok\":true,\"tags\":[\"a\",\"b\"],\"pad\":\"", i % 977);
            let mut bytes = text.into_bytes();
            bytes.resize(SIZE - 2, b'x');
            bytes.extend_from_slice(b"\"}");
            bytes
        })
        .collect()
}

/// Best ops/s over `ROUNDS` runs of `f` over every message.
fn ops(messages: &[Vec<u8>], mut f: impl FnMut(&[u8], &mut Vec<u8>)) -> f64 {
    let mut out = Vec::with_capacity(zstd_safe::compress_bound(SIZE));
    (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            for m in messages {
                f(m, &mut out);
                black_box(&out);
            }
            MESSAGES as f64 / start.elapsed().as_secs_f64()
        })
        .fold(0.0, f64::max)
}

fn main() {
    let messages = messages();
    let options = CompressOptions::default();

    let mut held = CCtx::create();
    held.set_parameter(CParameter::CompressionLevel(3)).unwrap();
    let held_ops = ops(&messages, |m, out| {
        out.clear();
        held.compress2(out, m).unwrap();
    });
    let cached_ops = ops(&messages, |m, out| {
        zstd::compress(m, &options, out).unwrap()
    });
    let fresh_ops = ops(&messages, |m, out| {
        out.clear();
        let mut cctx = CCtx::create();
        cctx.set_parameter(CParameter::CompressionLevel(3)).unwrap();
        cctx.compress2(out, m).unwrap();
    });
    println!("{{\"held\":{held_ops:.0},\"cached\":{cached_ops:.0},\"fresh\":{fresh_ops:.0}}}");
}
