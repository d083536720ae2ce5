//! Dictionary training with libzstd's fastCover algorithm.
//!
//! The parameter search of `ZDICT_optimizeTrainFromBuffer_fastCover` is done here rather than
//! in libzstd, with the same candidates and the same score (the total compressed size of the
//! held-out samples plus the dictionary), so that it can run on squish's pool and report
//! progress after each candidate.

use std::sync::Arc;

use zstd_safe::zstd_sys as sys;
use zstd_safe::zstd_sys::ZSTD_ErrorCode;

use super::compressor::Compressor;
use super::dict::{DictType, Dictionary};
use super::error::check;
use super::param::Param;
use super::params::Params;
use crate::{pool, Error, ErrorKind, Result};

/// Options with python-zstandard's names; 0 means "libzstd's default or search".
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainOptions {
    /// The largest dictionary to produce, in bytes.
    pub size: usize,
    /// Segment size; 0 searches from 50 to 2000 in `steps` steps.
    pub k: u32,
    /// Dmer size; 0 tries 6 and 8.
    pub d: u32,
    /// Log2 of the frequency table size; 0 means 20.
    pub f: u32,
    /// Share of samples used for training, the rest for scoring; 0 means 0.75 (1.0 trains and
    /// scores on all of them).
    pub split_point: f64,
    /// Speed over accuracy, 1 to 10; 0 means 1.
    pub accel: u32,
    /// Number of `k` values to try when searching; 0 means 4.
    pub steps: u32,
    /// Candidates trained at once; 0 means one per pool worker.
    pub threads: usize,
    /// The compression level the dictionary is tuned and scored for; 0 means 3.
    pub level: i32,
    /// The id to give the dictionary; 0 picks one at random.
    pub dict_id: u32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            size: 110 << 10,
            k: 0,
            d: 0,
            f: 0,
            split_point: 0.0,
            accel: 0,
            steps: 0,
            threads: 0,
            level: 0,
            dict_id: 0,
        }
    }
}

const K_MIN: u32 = 50;
const K_MAX: u32 = 2000;
const DEFAULT_STEPS: u32 = 4;
const DEFAULT_SPLIT: f64 = 0.75;

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidArg, message)
}

impl TrainOptions {
    fn validate(&self) -> Result<()> {
        if self.size < 256 {
            return Err(invalid(format!(
                "size must be at least 256 bytes; received {}",
                self.size
            )));
        }
        if self.f > 31 || self.accel > 10 || !(0.0..=1.0).contains(&self.split_point) {
            return Err(invalid(
                "f must be 0 to 31, accel 0 to 10 and splitPoint 0 to 1".to_string(),
            ));
        }
        if !matches!(self.d, 0 | 6 | 8) {
            return Err(invalid(format!(
                "d must be 6 or 8 (or 0 to try both); received {}",
                self.d
            )));
        }
        if self.k > 0 && (self.k < self.d.max(1) || self.k as usize > self.size) {
            return Err(invalid(format!(
                "k must be from d to the dictionary size ({}); received {}",
                self.size, self.k
            )));
        }
        Params::default().with(Param::Level, self.level).map(drop)
    }

    /// The `(k, d)` pairs to train, in libzstd's order.
    fn candidates(&self) -> Vec<(u32, u32)> {
        let ds: Vec<u32> = if self.d > 0 { vec![self.d] } else { vec![6, 8] };
        let ks: Vec<u32> = if self.k > 0 {
            vec![self.k]
        } else {
            let steps = if self.steps == 0 {
                DEFAULT_STEPS
            } else {
                self.steps
            };
            let step = ((K_MAX - K_MIN) / steps).max(1);
            (K_MIN..=K_MAX).step_by(step as usize).collect()
        };
        ds.iter()
            .flat_map(|&d| ks.iter().filter(move |&&k| d <= k).map(move |&k| (k, d)))
            .collect()
    }
}

/// Trains a dictionary of at most `options.size` bytes from `samples`. `progress(done, total)`
/// is called from the training threads after each candidate parameter set.
pub fn train(
    samples: &[&[u8]],
    options: &TrainOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<u8>> {
    options.validate()?;
    if samples.len() < 2 {
        return Err(invalid(
            "dictionary training needs at least 2 samples (thousands work best)".to_string(),
        ));
    }
    let split = if options.split_point == 0.0 {
        DEFAULT_SPLIT
    } else {
        options.split_point
    };
    let (training, testing) = if split < 1.0 {
        let n = ((samples.len() as f64 * split) as usize).clamp(1, samples.len() - 1);
        samples.split_at(n)
    } else {
        (samples, samples)
    };
    let flat = Flat::new(training);
    let candidates = options.candidates();
    let total = candidates.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results = pool::scatter(total, options.threads, |i| {
        let (k, d) = candidates[i];
        let result = train_one(&flat, options, k, d).and_then(|dict| {
            let score = score(&dict, testing, options.level)?;
            Ok((score, dict))
        });
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress(n, total);
        result
    });
    let mut best: Option<(usize, Vec<u8>)> = None;
    let mut failure = None;
    for result in results {
        match result {
            Ok((score, dict)) if best.as_ref().map_or(true, |(s, _)| score < *s) => {
                best = Some((score, dict))
            }
            Ok(_) => {}
            Err(e) => failure = Some(e),
        }
    }
    match (best, failure) {
        (Some((_, dict)), _) => Ok(dict),
        (None, Some(e)) => Err(e),
        (None, None) => Err(invalid("no training parameters to try".to_string())),
    }
}

/// Samples concatenated, as libzstd's trainer takes them.
struct Flat {
    bytes: Vec<u8>,
    sizes: Vec<usize>,
}

impl Flat {
    fn new(samples: &[&[u8]]) -> Self {
        Flat {
            bytes: samples.concat(),
            sizes: samples.iter().map(|s| s.len()).collect(),
        }
    }
}

fn train_one(flat: &Flat, options: &TrainOptions, k: u32, d: u32) -> Result<Vec<u8>> {
    let params = sys::ZDICT_fastCover_params_t {
        k,
        d,
        f: options.f,
        steps: 0,
        nbThreads: 1,
        splitPoint: 1.0,
        accel: options.accel,
        shrinkDict: 0,
        shrinkDictMaxRegression: 0,
        zParams: sys::ZDICT_params_t {
            compressionLevel: options.level,
            notificationLevel: 0,
            dictID: options.dict_id,
        },
    };
    let mut dict = vec![0u8; options.size];
    let samples = u32::try_from(flat.sizes.len())
        .map_err(|_| invalid("at most 2^32 - 1 samples".to_string()))?;
    // SAFETY: `dict` is writable for its length, `flat.bytes` holds exactly the sum of
    // `flat.sizes` bytes, and `samples` is the length of `flat.sizes`.
    let code = unsafe {
        sys::ZDICT_trainFromBuffer_fastCover(
            dict.as_mut_ptr().cast(),
            dict.len(),
            flat.bytes.as_ptr().cast(),
            flat.sizes.as_ptr(),
            samples,
            params,
        )
    };
    let size = check(code).map_err(|code| {
        let name = zstd_safe::get_error_name(code);
        if zstd_safe::is_error_kind(code, ZSTD_ErrorCode::ZSTD_error_memory_allocation) {
            Error::new(
                ErrorKind::Memory,
                format!("out of memory training a dictionary with f = {}", options.f),
            )
        } else if zstd_safe::is_error_kind(code, ZSTD_ErrorCode::ZSTD_error_parameter_outOfBound) {
            invalid(format!(
                "libzstd refused the training parameters k = {k}, d = {d}, f = {}, accel = {} \
                 ({name})",
                options.f, options.accel
            ))
        } else {
            invalid(format!(
                "dictionary training failed ({name}); provide more and more varied samples, \
                 about 100 times the dictionary size in total"
            ))
        }
    })?;
    dict.truncate(size);
    Ok(dict)
}

/// libzstd's score for a candidate: the dictionary's size plus the compressed size of every
/// held-out sample.
fn score(dict: &[u8], testing: &[&[u8]], level: i32) -> Result<usize> {
    let dictionary = Arc::new(Dictionary::new(dict.to_vec(), DictType::Full)?);
    let params = Params::default().with(Param::Level, level)?;
    let compressor = Compressor::new(params, Some(dictionary))?;
    let mut out = Vec::new();
    let mut total = dict.len();
    for sample in testing {
        compressor.compress(sample, &mut out)?;
        total += out.len();
    }
    Ok(total)
}
