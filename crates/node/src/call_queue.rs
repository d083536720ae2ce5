//! Small async one-shot calls, handed over in rounds.
//!
//! On its own, an async call costs the JavaScript thread a native call, a promise, a piece of work
//! for the pool and the settling of the promise: several times the work of compressing 100 bytes.
//! So the facade queues the small calls that one turn of the event loop makes (`src/call-queue.ts`):
//! each input is copied into its staging Buffer as the call is made, and the round is submitted
//! in one native call at the end of the turn. The jobs run on the pool in as many groups as it has
//! threads, and each group's outputs come back to one call of the facade's settling function.

use std::cell::RefCell;
use std::ops::Range;
use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::oneshot::{Compress, Decompress};
use squish_core::zstd::{Compressor, Decompressor};
use squish_core::{lz4, pool, Error as CoreError, ErrorKind};

use crate::direct::{Args, Output, Pool};
use crate::errors::to_napi;
use crate::limits::{decompressing, Decompressing};
use crate::output::{buffer_of, POOLED_MAX};
use crate::task::run;

/// A queued call's operation, the first of its job's fields.
#[napi]
pub const QUEUE_ZSTD_COMPRESS: u32 = 0;
#[napi]
pub const QUEUE_ZSTD_DECOMPRESS: u32 = 1;
#[napi]
pub const QUEUE_LZ4_COMPRESS: u32 = 2;
#[napi]
pub const QUEUE_LZ4_DECOMPRESS: u32 = 3;
/// A zstd `Compressor`'s compression and a `Decompressor`'s decompression, with their own
/// settings.
#[napi]
pub const QUEUE_ZSTD_COMPRESSOR: u32 = 4;
#[napi]
pub const QUEUE_ZSTD_DECOMPRESSOR: u32 = 5;

/// The fields of a job, as f64s: the operation, where its input ends in the stage, and three
/// settings (compression: level, flags, frame size; decompression: maxOutputSize, flags).
#[napi]
pub const QUEUE_JOB_FIELDS: u32 = 5;

/// A round is split in groups of at least this many jobs, or of this much input.
const GROUP_JOBS: usize = 8;
const GROUP_BYTES: usize = 16 << 10;

/// A settled item's length field when it is a Buffer of its own or an error.
const OWN: u32 = u32::MAX;
const FAILED: u32 = u32::MAX - 1;
/// The size of the pools small outputs go in, the facade's (`src/output-pool.ts`).
const POOL_SIZE: usize = 8 << 10;

type SettleArgs = FnArgs<(u32, u32, u32, u32, Option<Vec<Buffer>>, Option<Vec<Error>>)>;

/// What the facade lends the call queue in each environment.
struct Facade {
    settle: FunctionRef<SettleArgs, ()>,
    outputs: FunctionRef<(), BufferSlice<'static>>,
    /// Where small outputs go: Buffers that `outputs` makes.
    pool: Pool,
}

thread_local! {
    // Each environment runs on a thread of its own, and forgets its facade when it is torn down.
    static FACADE: RefCell<Option<Facade>> = const { RefCell::new(None) };
}

/// Registers the facade's side of the call queue. `outputs()` returns a new pool, where the
/// outputs of the settlings after it go. `settle(round, first, count, offset, own, errors)`
/// settles items `first..first + count` of a round: from `offset` in that pool, each item has a
/// u32 (little-endian): its length, followed by its bytes (up to a multiple of four), or
/// `0xffffffff` for the next Buffer of `own`, or `0xfffffffe` for the next error of `errors`
/// (each passed only when it has any).
#[napi(
    ts_args_type = "settle: (round: number, first: number, count: number, offset: number, own?: Buffer[], errors?: Error[]) => void, outputs: () => Buffer"
)]
pub fn call_queue_init(
    env: Env,
    settle: Function<SettleArgs, ()>,
    outputs: Function<(), BufferSlice<'static>>,
) -> Result<()> {
    if FACADE.with_borrow(Option::is_none) {
        env.add_env_cleanup_hook((), |()| FACADE.set(None))?;
    }
    FACADE.set(Some(Facade {
        settle: settle.create_ref()?,
        outputs: outputs.create_ref()?,
        pool: Pool::new(),
    }));
    Ok(())
}

/// The zstd instance a round's jobs use (one per round).
#[derive(Clone, Copy)]
enum Instance<'a> {
    None,
    Compressor(&'a Arc<Compressor>),
    Decompressor(&'a Arc<Decompressor>),
}

/// A job as its fields describe it, checked.
enum Job {
    ZstdCompress(squish_core::zstd::CompressOptions),
    ZstdCompressor(Arc<Compressor>),
    ZstdDecompress(Decompressing, Arc<Decompressor>),
    Lz4Compress(lz4::CompressOptions),
    Lz4Decompress(Decompressing),
    Refused(CoreError),
}

const FIELDS: usize = QUEUE_JOB_FIELDS as usize;

impl Job {
    fn new(fields: [f64; FIELDS], instance: Instance) -> Self {
        let [op, _, a, b, c] = fields;
        // Saturating: the facade passes flags as u32 and checked integers.
        let flags = b as u32;
        match (op as u32, instance) {
            (QUEUE_ZSTD_COMPRESS, _) => crate::zstd::compress_options(a, flags, c)
                .map_or_else(Job::Refused, Job::ZstdCompress),
            (QUEUE_ZSTD_COMPRESSOR, Instance::Compressor(c)) => Job::ZstdCompressor(Arc::clone(c)),
            (QUEUE_ZSTD_DECOMPRESS, _) => Job::ZstdDecompress(
                decompressing(a, flags),
                Arc::clone(crate::zstd::module_decompressor()),
            ),
            (QUEUE_ZSTD_DECOMPRESSOR, Instance::Decompressor(d)) => {
                Job::ZstdDecompress(decompressing(a, flags), Arc::clone(d))
            }
            (QUEUE_LZ4_COMPRESS, _) => {
                Job::Lz4Compress(crate::lz4::compress_options(a as i32, flags, c))
            }
            (QUEUE_LZ4_DECOMPRESS, _) => Job::Lz4Decompress(decompressing(a, flags)),
            _ => Job::Refused(CoreError::new(
                ErrorKind::Internal,
                "a queued call has no operation (or not the zstd instance it needs)",
            )),
        }
    }

    /// Runs the job on `src`; `out` receives its output.
    fn run(&self, src: &[u8], out: &mut Vec<u8>) -> squish_core::Result<()> {
        match self {
            Job::ZstdCompress(options) => compress(options, src, out),
            Job::ZstdCompressor(compressor) => compress(&**compressor, src, out),
            Job::Lz4Compress(options) => compress(options, src, out),
            Job::ZstdDecompress(settings, d) => decompress(&**d, src, settings, out),
            Job::Lz4Decompress(settings) => decompress(&lz4::Decompressor, src, settings, out),
            Job::Refused(error) => Err(error.clone()),
        }
    }
}

fn compress<C: Compress>(compressor: &C, src: &[u8], out: &mut Vec<u8>) -> squish_core::Result<()> {
    if compressor.shape(src.len()).bound.is_some() {
        compressor.compress_with(src, |bytes| out.extend_from_slice(bytes))
    } else {
        let parts = compressor.compress_parts(src)?;
        parts
            .slices()
            .iter()
            .for_each(|part| out.extend_from_slice(part));
        Ok(())
    }
}

fn decompress<D: Decompress>(
    decompressor: &D,
    src: &[u8],
    settings: &Decompressing,
    out: &mut Vec<u8>,
) -> squish_core::Result<()> {
    let plan = decompressor.plan(src, &settings.options)?;
    let plan = plan.with_threads(settings.threads as usize);
    decompressor.decompress_with(src, &plan, |bytes| out.extend_from_slice(bytes))
}

/// What a group of jobs made: each job's output (small ones one after another in `small`) or
/// error.
#[derive(Default)]
struct Outputs {
    small: Vec<u8>,
    items: Vec<Item>,
}

enum Item {
    Small(Range<usize>),
    Own(Vec<u8>),
    Failed(CoreError),
}

impl Item {
    /// The bytes the item takes in a pool: its length field, and a small output after it.
    fn room(&self) -> usize {
        match self {
            Item::Small(range) => 4 + range.len().next_multiple_of(4),
            _ => 4,
        }
    }
}

/// `callQueueSubmit(round, stage, jobs, count, instance)` submits a round: `count` jobs, whose
/// fields are in `jobs` (f64s in the platform's byte order) and whose inputs are in `stage`, one
/// after another. A `Compressor`'s or `Decompressor`'s calls use `instance` (a
/// `ZstdCompressorHandle` or a `ZstdDecompressorHandle`, or null).
pub(crate) fn submit<'env>(env: &'env Env, args: Args<'env>) -> Result<Output<'env>> {
    let (round, stage, jobs, count) = (args.u32(0)?, args.bytes(1)?, args.bytes(2)?, args.u32(3)?);
    let instance = match args.maybe_handle::<Arc<Decompressor>>(4) {
        Ok(Some(d)) => Instance::Decompressor(d),
        Ok(None) => Instance::None,
        Err(_) => Instance::Compressor(args.handle::<Arc<Compressor>>(4)?),
    };
    let mut start = 0;
    let mut queued = Vec::with_capacity(count as usize);
    for bytes in jobs.chunks_exact(8 * FIELDS).take(count as usize) {
        let field =
            |i: usize| f64::from_ne_bytes(bytes[8 * i..8 * i + 8].try_into().expect("8 bytes"));
        let fields: [f64; FIELDS] = std::array::from_fn(field);
        // Within the stage and after the last: the facade writes them so.
        let end = (fields[1] as usize).clamp(start, stage.len());
        queued.push((Job::new(fields, instance), start..end));
        start = end;
    }
    let stage: Arc<[u8]> = Arc::from(&stage[..start]);
    // Enough jobs in each group that its work outweighs its settling.
    let wanted = (queued.len().div_ceil(GROUP_JOBS)).max(start.div_ceil(GROUP_BYTES));
    let per_group = queued
        .len()
        .div_ceil(wanted.clamp(1, pool::threads().max(1)));
    let mut first = 0;
    let mut rest = queued.into_iter().peekable();
    while rest.peek().is_some() {
        let jobs: Vec<_> = rest.by_ref().take(per_group).collect();
        let group = Group {
            round,
            first,
            count: jobs.len() as u32,
        };
        first += group.count;
        let stage = Arc::clone(&stage);
        run(
            env,
            None,
            (),
            move |()| Ok(group.run(&stage, &jobs)),
            move |env, outcome| group.settle(env, outcome.map(|((), outputs)| outputs)),
        )?;
    }
    Ok(Either::A(first))
}

/// Consecutive jobs of a round, run in order by one piece of work.
#[derive(Clone, Copy)]
struct Group {
    round: u32,
    first: u32,
    count: u32,
}

impl Group {
    fn run(&self, stage: &[u8], jobs: &[(Job, Range<usize>)]) -> Outputs {
        let mut outputs = Outputs::default();
        let mut own = Vec::new();
        for (job, input) in jobs {
            own.clear();
            let item = match job.run(&stage[input.clone()], &mut own) {
                Ok(()) if own.len() <= POOLED_MAX => {
                    let start = outputs.small.len();
                    outputs.small.extend_from_slice(&own);
                    Item::Small(start..outputs.small.len())
                }
                Ok(()) => Item::Own(std::mem::take(&mut own)),
                Err(error) => Item::Failed(error),
            };
            outputs.items.push(item);
        }
        outputs
    }

    /// Settles the group's promises: with its outputs, or all with the error that stopped it.
    fn settle(self, env: &Env, outcome: squish_core::Result<Outputs>) {
        let outputs = outcome.unwrap_or_else(|error| Outputs {
            small: Vec::new(),
            items: (0..self.count)
                .map(|_| Item::Failed(error.clone()))
                .collect(),
        });
        // Nothing to do if it fails: the environment is going away.
        let _ = self.call(env, outputs);
    }

    /// Settles the items in turn, as many at a time as fit in one pool: a small output that
    /// outlives the others keeps no more than a pool's memory alive, as with Node's own pool.
    fn call(self, env: &Env, outputs: Outputs) -> Result<()> {
        let Outputs { small, mut items } = outputs;
        let mut first = self.first;
        while !items.is_empty() {
            let mut length = 0;
            let count = items
                .iter()
                .take_while(|item| {
                    length += item.room();
                    length <= POOL_SIZE
                })
                .count();
            let settled: Vec<Item> = items.drain(..count).collect();
            self.settle_some(env, first, &small, settled)?;
            first += count as u32;
        }
        Ok(())
    }

    /// Settles `items`, the round's from `first` on, whose small outputs are in `small`.
    fn settle_some(self, env: &Env, first: u32, small: &[u8], items: Vec<Item>) -> Result<()> {
        let length = items.iter().map(Item::room).sum();
        let fill = |room: &mut [u8]| {
            let mut at = 0;
            for item in &items {
                let (field, bytes) = match item {
                    Item::Small(range) => (range.len() as u32, &small[range.clone()]),
                    Item::Own(_) => (OWN, &[][..]),
                    Item::Failed(_) => (FAILED, &[][..]),
                };
                room[at..at + 4].copy_from_slice(&field.to_le_bytes());
                room[at + 4..at + 4 + bytes.len()].copy_from_slice(bytes);
                at += 4 + bytes.len().next_multiple_of(4);
            }
        };
        let (settle, offset) = FACADE.with_borrow_mut(|facade| {
            let Facade {
                settle,
                outputs: fresh,
                pool,
            } = facade
                .as_mut()
                .ok_or_else(|| Error::from_reason("the call queue is not set up"))?;
            let fresh = || Ok(fresh.borrow_back(env)?.call(())?.to_unknown());
            let (_, offset) = pool.place(env, length, fresh, fill)?;
            Ok::<_, Error>((settle.borrow_back(env)?, offset))
        })?;
        let count = items.len() as u32;
        let mut own = Vec::new();
        let mut errors = Vec::new();
        for item in items {
            match item {
                Item::Own(bytes) => own.push(buffer_of(env, &[&bytes], 1)?.into_buffer(env)?),
                Item::Failed(error) => errors.push(to_napi(env, error)),
                Item::Small(_) => {}
            }
        }
        let args = (
            self.round,
            first,
            count,
            offset as u32,
            (!own.is_empty()).then_some(own),
            (!errors.is_empty()).then_some(errors),
        );
        settle.call(FnArgs::from(args))
    }
}
