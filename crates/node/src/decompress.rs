//! One-shot decompression for both codecs, written once over core's [`Decompress`]: each codec's
//! napi functions pass their decompressor and arguments to these bodies.

use std::ops::Deref;

use napi::bindgen_prelude::*;
use squish_core::oneshot::{Decompress, Plan};

use crate::control::ControlHandle;
use crate::direct::Output;
use crate::errors::to_napi;
use crate::limits::Decompressing;
use crate::output::{allocate, pooled, tail, POOLED_MAX};
use crate::owned::{Destination, Input};
use crate::task::{spawn_into, spawn_to_buffer, spawn_to_fresh};

/// Outputs at most this large are decoded into per-thread scratch and copied; larger ones of
/// known size go straight into a Buffer of their own.
const COPY_OUTPUT_LIMIT: usize = 64 << 10;

/// Decompresses `input` in one native call. An output that fits in the facade's pool `out` after
/// `offset` is written there and its length returned; a large one of known size is decoded into
/// a Buffer of exactly its size (on up to `threads` threads for several frames), and any other
/// is copied into a Buffer of its own from the thread's scratch buffer.
pub(crate) fn decompress_sync<'env, D: Decompress>(
    env: &'env Env,
    decompressor: &D,
    input: &[u8],
    out: &mut [u8],
    offset: u32,
    settings: Decompressing,
) -> Result<Output<'env>> {
    let core = |e| to_napi(env, e);
    let Decompressing { options, threads } = settings;
    let plan = decompressor.plan(input, &options).map_err(core)?;
    let area = tail(out, offset);
    match plan.size() {
        Some(size) if size <= area.len() => {
            let n = (decompressor.decompress_into(input, &plan, area)).map_err(core)?;
            Ok(Either::A(n as u32))
        }
        Some(size) if size > POOLED_MAX => {
            let mut buffer = allocate(env, size)?;
            let plan = plan.with_threads(threads as usize);
            (decompressor.decompress_into(input, &plan, &mut buffer)).map_err(core)?;
            Ok(Either::B(buffer.to_unknown()))
        }
        _ => (decompressor.decompress_with(input, &plan, |out| pooled(env, area, out, 1)))
            .map_err(core)?,
    }
}

/// Decompresses `input` into the start of `output` and returns the length written; output that
/// does not fit is the output limit. Several frames of known size decode side by side on up to
/// `threads` threads.
pub(crate) fn decompress_into_sync<D: Decompress>(
    env: &Env,
    decompressor: &D,
    input: &[u8],
    output: &mut [u8],
    settings: Decompressing,
) -> Result<f64> {
    let Decompressing { options, threads } = settings;
    (decompressor.plan(input, &options))
        .map(|plan| plan.with_threads(threads as usize))
        .and_then(|plan| decompressor.decompress_into(input, &plan, output))
        .map(|n| n as f64)
        .map_err(|e| to_napi(env, e))
}

/// The promise twin of [`decompress_sync`]: a promise of the output. A large output of known
/// size is decoded straight into a Buffer allocated first (which no JavaScript code can reach
/// before the promise settles), on up to `threads` threads.
pub(crate) fn decompress<'env, D: Decompress>(
    env: &'env Env,
    decompressor: impl Deref<Target = D> + Send + 'static,
    input: &[u8],
    settings: Decompressing,
    control: &ControlHandle,
) -> Result<Object<'env>> {
    planned(
        env,
        decompressor,
        input,
        settings,
        control,
        |decompressor, plan, input| match plan.size().filter(|&n| n > COPY_OUTPUT_LIMIT) {
            Some(size) => spawn_to_fresh(env, control, input, size, move |input, out| {
                decompressor.decompress_into(input, &plan, out).map(drop)
            }),
            None => spawn_to_buffer(env, Some(control), input, move |input, out| {
                decompressor.decompress_to_vec(input, &plan, out)
            }),
        },
    )
}

/// The promise twin of [`decompress_into_sync`]: the output is copied into `output` when it is
/// done, if `output` still has room for it then.
pub(crate) fn decompress_into<'env, D: Decompress>(
    env: &'env Env,
    decompressor: impl Deref<Target = D> + Send + 'static,
    input: &[u8],
    output: Buffer,
    settings: Decompressing,
    control: &ControlHandle,
) -> Result<Object<'env>> {
    planned(
        env,
        decompressor,
        input,
        settings,
        control,
        |decompressor, plan, input| {
            let output = Destination::new(output);
            spawn_into(
                env,
                Some(control),
                input,
                output,
                plan.size(),
                move |input, out| decompressor.decompress_into(input, &plan, out),
            )
        },
    )
}

/// Walks `input`'s frames on the calling thread, for an async call, and passes the plan to
/// `start`, which starts the decode. When the walk fails, the promise rejects instead with the
/// error decoding in order meets first, which takes a decode to find, on the pool (see
/// [`Decompress::plan`]).
fn planned<'env, D: Decompress, P: Deref<Target = D> + Send + 'static>(
    env: &'env Env,
    decompressor: P,
    input: &[u8],
    settings: Decompressing,
    control: &ControlHandle,
    start: impl FnOnce(P, Plan<D::Walked>, Input) -> Result<Object<'env>>,
) -> Result<Object<'env>> {
    let Decompressing { options, threads } = settings;
    match decompressor.walk(input, &options) {
        Ok(plan) => start(
            decompressor,
            plan.with_threads(threads as usize),
            Input::new(input),
        ),
        Err(walked) => spawn_to_buffer(env, Some(control), Input::new(input), move |input, _| {
            Err(decompressor.plan(input, &options).err().unwrap_or(walked))
        }),
    }
}
