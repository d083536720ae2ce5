//! One-shot compression for both codecs, written once over core's [`Compress`]: each codec's napi
//! functions pass their settings and arguments to these bodies.

use std::ops::Deref;

use napi::bindgen_prelude::*;
use squish_core::oneshot::Compress;

use crate::control::ControlHandle;
use crate::direct::Output;
use crate::errors::to_napi;
use crate::output::{buffer_of_parts, pooled, tail};
use crate::owned::Input;
use crate::task::spawn_to_parts;

/// Compresses `input` in one native call: into the facade's pool `out` after `offset` when the
/// output fits there (its length returned), otherwise into a Buffer of exactly its size, copied
/// from the thread's scratch buffer or put together from parts made side by side.
pub(crate) fn compress_sync<'env, C: Compress>(
    env: &'env Env,
    compressor: &C,
    input: &[u8],
    out: &mut [u8],
    offset: u32,
) -> Result<Output<'env>> {
    let core = |e| to_napi(env, e);
    let shape = compressor.shape(input.len());
    let area = tail(out, offset);
    match shape.bound {
        Some(bound) if bound <= area.len() => {
            let n = compressor.compress_into(input, area).map_err(core)?;
            Ok(Either::A(n as u32))
        }
        Some(_) => compressor
            .compress_with(input, |piece| pooled(env, area, piece, shape.threads))
            .map_err(core)?,
        None => {
            buffer_of_parts(env, compressor.compress_parts(input), shape.threads).map(Either::B)
        }
    }
}

/// The promise twin of [`compress_sync`]: the output is made on the worker pool and copied into
/// its Buffer on as many threads as made it.
pub(crate) fn compress<'env, C: Compress>(
    env: &'env Env,
    compressor: impl Deref<Target = C> + Send + 'static,
    input: &[u8],
    control: &ControlHandle,
) -> Result<Object<'env>> {
    let threads = compressor.shape(input.len()).threads;
    spawn_to_parts(
        env,
        Some(control),
        Input::new(input),
        threads,
        move |input| compressor.compress_parts(input),
    )
}
