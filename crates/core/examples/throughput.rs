//! Throughput of squish-core, the limit the Node binding is held to in the benchmark suite,
//! measured with contexts reused. Each figure is the median of `samples` timed stretches of
//! about `seconds` each.
//!
//! Arguments: `<seconds> <samples> <case> ... -- <file> ...`, where a case is
//! - `zstd:<level>` or `lz4:<level>`: one-shot frame compression and decompression of the whole
//!   file, in MB/s of uncompressed bytes (1 MB = 10^6 B, as `zstd -b` and `lz4 -b` count);
//! - `zstd:<level>@<size>x<count>`: the file's first `count` pieces of `size` bytes, each its own
//!   frame, through one reused `zstd::Compressor` and `zstd::Decompressor`, with a libzstd
//!   context driven directly through zstd-safe as a reference; in operations per second.
//!
//! e.g. `cargo run -q --release -p squish-core --example throughput -- 0.3 5 zstd:3 zstd:3@100x10000 -- logs.ndjson`.
//! Prints one JSON line per file and case: `{"file","codec","level","bytes","compressedBytes",
//! "compressMBps","decompressMBps"}` for a whole file; `{"file","codec","level","size","count",
//! "compressOps","decompressOps","libzstdCompressOps","libzstdDecompressOps"}` for messages.

use std::hint::black_box;
use std::time::Instant;

use squish_core::limits::DecompressOptions;
use squish_core::oneshot::Decompress as _;
use squish_core::zstd::{Compressor, Decompressor, Format, Param, Params, DEFAULT_MAX_WINDOW_SIZE};
use squish_core::{lz4, zstd};
use zstd_safe::{CCtx, CParameter, DCtx};

/// The median rate of `samples` stretches of about `seconds` each, running `op`, which does
/// `units` units of work.
fn median_rate(units: f64, seconds: f64, samples: usize, mut op: impl FnMut()) -> f64 {
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
            units * reps as f64 / start.elapsed().as_secs_f64()
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    rates[rates.len() / 2]
}

/// Whole-file compression and decompression: (compressed bytes, compress MB/s, decompress MB/s).
fn whole_file(
    src: &[u8],
    codec: &str,
    level: i32,
    seconds: f64,
    samples: usize,
) -> (usize, f64, f64) {
    let mb = src.len() as f64 / 1e6;
    let mut frame = Vec::new();
    let mut out = Vec::new();
    let (compress, decompress) = match codec {
        "zstd" => {
            let options = zstd::CompressOptions {
                level,
                ..Default::default()
            };
            let c = median_rate(mb, seconds, samples, || {
                frame.clear();
                zstd::compress(src, &options, &mut frame).unwrap();
            });
            let d = median_rate(mb, seconds, samples, || {
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
            let c = median_rate(mb, seconds, samples, || {
                frame.clear();
                lz4::compress(src, &options, true, &mut frame).unwrap();
            });
            let d = median_rate(mb, seconds, samples, || {
                let plan = lz4::plan(&frame, &DecompressOptions::default()).unwrap();
                out.clear();
                lz4::decompress_to_vec(&frame, &plan, &mut out).unwrap();
            });
            (c, d)
        }
        other => panic!("unknown codec {other}"),
    };
    assert_eq!(out, src, "{codec}:{level} does not round-trip");
    (frame.len(), compress, decompress)
}

/// Ops/s over `messages`: [core compress, core decompress, libzstd compress, libzstd decompress].
fn messages(messages: &[&[u8]], level: i32, seconds: f64, samples: usize) -> [f64; 4] {
    let n = messages.len() as f64;
    let compressor =
        Compressor::new(Params::default().with(Param::Level, level).unwrap(), None).unwrap();
    let decompressor = Decompressor::new(None, DEFAULT_MAX_WINDOW_SIZE, Format::Standard).unwrap();
    let options = DecompressOptions::default();
    let frames: Vec<Vec<u8>> = messages
        .iter()
        .map(|m| {
            let mut frame = Vec::new();
            compressor.compress(m, &mut frame).unwrap();
            frame
        })
        .collect();
    let mut out = Vec::new();
    let compress = median_rate(n, seconds, samples, || {
        for m in messages {
            compressor.compress(m, &mut out).unwrap();
            black_box(&out);
        }
    });
    let decompress = median_rate(n, seconds, samples, || {
        for (f, m) in frames.iter().zip(messages) {
            let plan = decompressor.plan(f, &options).unwrap();
            decompressor.decompress_to_vec(f, &plan, &mut out).unwrap();
            assert_eq!(&out, m);
        }
    });
    let mut cctx = CCtx::create();
    cctx.set_parameter(CParameter::CompressionLevel(level))
        .unwrap();
    let mut out = Vec::with_capacity(zstd_safe::compress_bound(messages[0].len()));
    let libzstd_compress = median_rate(n, seconds, samples, || {
        for m in messages {
            out.clear();
            cctx.compress2(&mut out, m).unwrap();
            black_box(&out);
        }
    });
    let mut dctx = DCtx::create();
    let mut out = Vec::with_capacity(messages[0].len());
    let libzstd_decompress = median_rate(n, seconds, samples, || {
        for f in &frames {
            out.clear();
            dctx.decompress(&mut out, f).unwrap();
            black_box(&out);
        }
    });
    [compress, decompress, libzstd_compress, libzstd_decompress]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let split = args
        .iter()
        .position(|a| a == "--")
        .expect("usage: see the module docs");
    let seconds: f64 = args[0].parse().expect("seconds");
    let samples: usize = args[1].parse().expect("samples");
    for path in &args[split + 1..] {
        let src = std::fs::read(path).expect("a readable file");
        let name = std::path::Path::new(path)
            .file_name()
            .unwrap()
            .to_string_lossy();
        for case in &args[2..split] {
            let (codec, rest) = case.split_once(':').expect("codec:level");
            let (level, cut) = rest
                .split_once('@')
                .map_or((rest, None), |(l, c)| (l, Some(c)));
            let level: i32 = level.parse().expect("level");
            match cut {
                None => {
                    let (compressed, c, d) = whole_file(&src, codec, level, seconds, samples);
                    println!(
                        "{{\"file\":\"{name}\",\"codec\":\"{codec}\",\"level\":{level},\"bytes\":{},\"compressedBytes\":{compressed},\"compressMBps\":{c:.1},\"decompressMBps\":{d:.1}}}",
                        src.len()
                    );
                }
                Some(cut) => {
                    assert_eq!(codec, "zstd", "message cases are zstd only");
                    let (size, count) = cut.split_once('x').expect("<size>x<count>");
                    let (size, count): (usize, usize) =
                        (size.parse().expect("size"), count.parse().expect("count"));
                    assert!(
                        size * count <= src.len(),
                        "{name} is too short for {count} pieces of {size} B"
                    );
                    let pieces: Vec<&[u8]> = src.chunks(size).take(count).collect();
                    let [c, d, lc, ld] = messages(&pieces, level, seconds, samples);
                    println!(
                        "{{\"file\":\"{name}\",\"codec\":\"{codec}\",\"level\":{level},\"size\":{size},\"count\":{count},\"compressOps\":{c:.0},\"decompressOps\":{d:.0},\"libzstdCompressOps\":{lc:.0},\"libzstdDecompressOps\":{ld:.0}}}"
                    );
                }
            }
        }
    }
}
