//! File throughput of squish-core, the limit the Node binding is held to in the benchmark suite:
//! one-shot frame compression and decompression of whole files, with contexts reused, in MB/s of
//! uncompressed bytes (1 MB = 10^6 B, as `zstd -b` and `lz4 -b` count). Each figure is the median
//! of `samples` timed stretches of about `seconds` each.
//!
//! Arguments: `<seconds> <samples> <codec>:<level> ... -- <file> ...`, e.g.
//! `cargo run -q --release -p squish-core --example throughput -- 0.3 5 zstd:3 lz4:0 -- data.json`.
//! Prints one JSON line per file and codec/level:
//! `{"file","codec","level","bytes","compressedBytes","compressMBps","decompressMBps"}`.

use std::time::Instant;

use squish_core::limits::DecompressOptions;
use squish_core::{lz4, zstd};

/// The median MB/s of `samples` stretches of about `seconds` each, running `op` on `bytes`.
fn median_mbps(bytes: usize, seconds: f64, samples: usize, mut op: impl FnMut()) -> f64 {
    let start = Instant::now();
    op();
    let once = start.elapsed().as_secs_f64().max(1e-9);
    let reps = ((seconds / once).ceil() as usize).max(1);
    let mut rates: Vec<f64> = (0..samples)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..reps {
                op();
            }
            (bytes * reps) as f64 / 1e6 / start.elapsed().as_secs_f64()
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    rates[rates.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let split = args
        .iter()
        .position(|a| a == "--")
        .expect("usage: see the module docs");
    let seconds: f64 = args[0].parse().expect("seconds");
    let samples: usize = args[1].parse().expect("samples");
    let cases = &args[2..split];
    for path in &args[split + 1..] {
        let src = std::fs::read(path).expect("a readable file");
        let name = std::path::Path::new(path)
            .file_name()
            .unwrap()
            .to_string_lossy();
        for case in cases {
            let (codec, level) = case.split_once(':').expect("codec:level");
            let level: i32 = level.parse().expect("level");
            let mut frame = Vec::new();
            let mut out = Vec::new();
            let (compress, decompress) = match codec {
                "zstd" => {
                    let options = zstd::CompressOptions {
                        level,
                        ..Default::default()
                    };
                    let c = median_mbps(src.len(), seconds, samples, || {
                        frame.clear();
                        zstd::compress(&src, &options, &mut frame).unwrap();
                    });
                    let d = median_mbps(src.len(), seconds, samples, || {
                        let plan = zstd::plan(&frame, &DecompressOptions::default()).unwrap();
                        out.clear();
                        zstd::decompress_to_vec(&frame, &plan, &mut out).unwrap();
                    });
                    (c, d)
                }
                "lz4" => {
                    let options = lz4::FrameOptions {
                        level,
                        ..Default::default()
                    };
                    let c = median_mbps(src.len(), seconds, samples, || {
                        frame.clear();
                        lz4::compress(&src, &options, true, &mut frame).unwrap();
                    });
                    let d = median_mbps(src.len(), seconds, samples, || {
                        let plan = lz4::plan(&frame, &DecompressOptions::default()).unwrap();
                        out.clear();
                        lz4::decompress_to_vec(&frame, &plan, &mut out).unwrap();
                    });
                    (c, d)
                }
                other => panic!("unknown codec {other}"),
            };
            assert_eq!(out, src, "{name}: {case} does not round-trip");
            println!(
                "{{\"file\":\"{name}\",\"codec\":\"{codec}\",\"level\":{level},\"bytes\":{},\"compressedBytes\":{},\"compressMBps\":{compress:.1},\"decompressMBps\":{decompress:.1}}}",
                src.len(),
                frame.len()
            );
        }
    }
}
