//! Small-message throughput of squish-core, the baseline squish's Node bindings are held to:
//! level-3 compression with a reused `zstd::Compressor` and decompression with a reused
//! `zstd::Decompressor`, on 10,000 distinct JSON-like messages of 100 B and of 1 KiB, with a
//! libzstd context driven directly through zstd-safe as a reference. Each measurement runs for
//! about half a second; contenders are interleaved and the best of 5 rounds is kept.
//!
//! Prints one JSON line of ops/s per size, plus `fnv`, a hash of the messages that
//! bench/small-messages.mjs checks to be sure it measured the same bytes:
//!
//! `cargo run -q --release -p squish-core --example small_messages`

use std::hint::black_box;
use std::time::Instant;

use squish_core::zstd::{
    Compressor, DecompressOptions, Decompressor, Format, Param, Params, DEFAULT_MAX_WINDOW_SIZE,
};
use zstd_safe::{CCtx, CParameter, DCtx};

const COUNT: usize = 10_000;
const SIZES: [usize; 2] = [100, 1024];
const ROUNDS: usize = 5;
const SECONDS: f64 = 0.5;

const NAMES: &str =
    "alice bob carol dave erin frank grace heidi ivan judy mallory oscar peggy trent";
const EVENTS: &str = "page_view click add_to_cart checkout login logout search signup";
const PATHS: &str =
    "/api/v2/orders /api/v2/users /api/v2/cart /api/v2/search /static/app.js /health";
const TAGS: &str = "mobile desktop eu-west us-east beta returning new ab-test-7";
const STATUS: [u32; 10] = [200, 200, 200, 200, 201, 204, 304, 400, 404, 500];

/// xorshift32, seeded per message; bench/small-messages.mjs has the same generator.
struct Rng(u32);

impl Rng {
    fn below(&mut self, n: u32) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0 % n
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u32) as usize]
    }

    fn word(&mut self, words: &'static str) -> &'static str {
        let n = words.split(' ').count() as u32;
        words.split(' ').nth(self.below(n) as usize).unwrap()
    }
}

/// Message `i`: a JSON array of log events, cut at exactly `size` bytes.
fn message(i: usize, size: usize) -> Vec<u8> {
    let mut rng = Rng((i as u32 + 1).wrapping_mul(0x9e37_79b1));
    let mut text = String::from("[");
    let mut r = 0;
    while text.len() < size {
        text += &format!(
            "{{\"id\":{},\"ts\":\"2024-05-{:02}T{:02}:{:02}:{:02}.{:03}Z\",\"user\":{{\"id\":{},\
             \"name\":\"{}\"}},\"event\":\"{}\",\"path\":\"{}/{}\",\"status\":{},\"ms\":{},\
             \"tags\":[\"{}\",\"{}\"]}},",
            i * 16 + r,
            1 + rng.below(28),
            rng.below(24),
            rng.below(60),
            rng.below(60),
            rng.below(1000),
            rng.below(100_000),
            rng.word(NAMES),
            rng.word(EVENTS),
            rng.word(PATHS),
            rng.below(10_000),
            rng.pick(&STATUS),
            rng.below(2000),
            rng.word(TAGS),
            rng.word(TAGS),
        );
        r += 1;
    }
    text.truncate(size);
    text.into_bytes()
}

/// FNV-1a over every message of every size.
fn fnv(sets: &[Vec<Vec<u8>>]) -> u32 {
    sets.iter().flatten().flatten().fold(0x811c_9dc5, |h, &b| {
        (h ^ b as u32).wrapping_mul(0x0100_0193)
    })
}

/// One pass over a message set; returns the number of operations done.
type Pass<'a> = Box<dyn FnMut() -> usize + 'a>;

/// Best ops/s of each pass over `ROUNDS` interleaved rounds of about `SECONDS` each.
fn race(passes: &mut [Pass]) -> Vec<f64> {
    let reps: Vec<u32> = passes
        .iter_mut()
        .map(|pass| {
            pass();
            let start = Instant::now();
            pass();
            (SECONDS / start.elapsed().as_secs_f64()).ceil() as u32
        })
        .collect();
    let mut best = vec![0.0; passes.len()];
    for _ in 0..ROUNDS {
        for (i, pass) in passes.iter_mut().enumerate() {
            let start = Instant::now();
            let ops: usize = (0..reps[i]).map(|_| pass()).sum();
            best[i] = f64::max(best[i], ops as f64 / start.elapsed().as_secs_f64());
        }
    }
    best
}

fn main() -> squish_core::Result<()> {
    let sets: Vec<Vec<Vec<u8>>> = SIZES
        .iter()
        .map(|&size| (0..COUNT).map(|i| message(i, size)).collect())
        .collect();
    let compressor = Compressor::new(Params::default().with(Param::Level, 3)?, None)?;
    let decompressor = Decompressor::new(None, DEFAULT_MAX_WINDOW_SIZE, Format::Standard)?;
    let options = DecompressOptions::default();
    let frames: Vec<Vec<Vec<u8>>> = sets
        .iter()
        .map(|set| {
            set.iter()
                .map(|m| {
                    let mut out = Vec::new();
                    compressor.compress(m, &mut out).map(|()| out)
                })
                .collect()
        })
        .collect::<squish_core::Result<_>>()?;

    let mut passes: Vec<Pass> = Vec::new();
    for (messages, frames) in sets.iter().zip(&frames) {
        let (compressor, decompressor, options) = (&compressor, &decompressor, &options);
        let mut out = Vec::new();
        passes.push(Box::new(move || {
            for m in messages {
                compressor.compress(m, &mut out).unwrap();
                black_box(&out);
            }
            messages.len()
        }));
        let mut cctx = CCtx::create();
        cctx.set_parameter(CParameter::CompressionLevel(3)).unwrap();
        let mut out = Vec::with_capacity(zstd_safe::compress_bound(messages[0].len()));
        passes.push(Box::new(move || {
            for m in messages {
                out.clear();
                cctx.compress2(&mut out, m).unwrap();
                black_box(&out);
            }
            messages.len()
        }));
        let mut out = Vec::new();
        passes.push(Box::new(move || {
            for f in frames {
                let plan = decompressor.plan(f, options).unwrap();
                decompressor.decompress_to_vec(f, &plan, &mut out).unwrap();
                black_box(&out);
            }
            frames.len()
        }));
        let mut dctx = DCtx::create();
        let mut out = Vec::with_capacity(messages[0].len());
        passes.push(Box::new(move || {
            for f in frames {
                out.clear();
                dctx.decompress(&mut out, f).unwrap();
                black_box(&out);
            }
            frames.len()
        }));
    }
    let ops = race(&mut passes);
    drop(passes);

    let rows: Vec<String> = SIZES
        .iter()
        .zip(ops.chunks(4))
        .map(|(size, o)| {
            format!(
                "\"{size}\":{{\"compress\":{:.0},\"libzstd_compress\":{:.0},\
                 \"decompress\":{:.0},\"libzstd_decompress\":{:.0}}}",
                o[0], o[1], o[2], o[3]
            )
        })
        .collect();
    println!("{{\"fnv\":{},{}}}", fnv(&sets), rows.join(","));
    Ok(())
}
