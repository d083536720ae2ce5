//! Promises settled by squish's worker pool.

use napi::bindgen_prelude::*;
use squish_core::{pool, ErrorKind};

use crate::errors::to_napi;

/// Runs `work` on the worker pool and returns a promise of `finish`'s value.
///
/// `held` (the JavaScript buffers the work reads or writes) travels with the task and comes back
/// to the JavaScript thread with its result, so the references are released there.
pub(crate) fn spawn<'env, H, T, V>(
    env: &'env Env,
    held: H,
    work: impl FnOnce(&mut H) -> squish_core::Result<T> + Send + 'static,
    finish: impl FnOnce(&Env, T) -> Result<V> + Send + 'static,
) -> Result<Object<'env>>
where
    H: Send + 'static,
    T: Send + 'static,
    V: ToNapiValue + 'static,
{
    let (deferred, promise) = env.create_deferred()?;
    pool::spawn(
        move || {
            let mut held = held;
            let result = work(&mut held);
            (held, result)
        },
        move |outcome| {
            deferred.resolve(move |env: Env| match outcome {
                Ok((held, result)) => {
                    drop(held);
                    match result {
                        Ok(value) => finish(&env, value),
                        Err(error) => Err(to_napi(&env, error)),
                    }
                }
                Err(panic) => Err(to_napi(
                    &env,
                    squish_core::Error::new(
                        ErrorKind::Internal,
                        format!("a squish worker failed: {panic}"),
                    ),
                )),
            })
        },
    );
    Ok(promise)
}

/// Runs `work` on the worker pool with `held` (the buffers it reads), and resolves to a Buffer
/// holding a copy of what it wrote to its output vector.
pub(crate) fn spawn_to_buffer<'env, H: Send + 'static>(
    env: &'env Env,
    held: H,
    work: impl FnOnce(&mut H, &mut Vec<u8>) -> squish_core::Result<()> + Send + 'static,
) -> Result<Object<'env>> {
    spawn(
        env,
        held,
        move |held| {
            let mut out = Vec::new();
            work(held, &mut out)?;
            Ok(out)
        },
        |env, out| BufferSlice::copy_from(env, &out)?.into_buffer(env),
    )
}

/// The bytes of each of a batch's inputs.
pub(crate) fn views<B: AsRef<[u8]>>(inputs: &[B]) -> Vec<&[u8]> {
    inputs.iter().map(|b| b.as_ref()).collect()
}

/// Batches whose outputs add up to more than this come back as one Buffer per item.
const PACK_LIMIT: usize = 1 << 30;

/// A batch's outputs for the facade: one Buffer holding each item's length (a little-endian
/// f64) followed by the items, which the facade cuts into Buffers of their own (small ones from
/// Node's Buffer pool). One allocation instead of one per item; very large batches are returned
/// item by item instead.
pub(crate) fn batch_output(
    env: &Env,
    outputs: Vec<Vec<u8>>,
) -> Result<Either<Buffer, Vec<Buffer>>> {
    let total = outputs.iter().map(|o| 8 + o.len()).sum::<usize>();
    if total > PACK_LIMIT {
        return outputs
            .iter()
            .map(|out| BufferSlice::copy_from(env, out)?.into_buffer(env))
            .collect::<Result<Vec<_>>>()
            .map(Either::B);
    }
    let mut packed = Vec::with_capacity(total);
    for out in &outputs {
        packed.extend_from_slice(&(out.len() as f64).to_le_bytes());
    }
    for out in &outputs {
        packed.extend_from_slice(out);
    }
    BufferSlice::copy_from(env, &packed)?
        .into_buffer(env)
        .map(Either::A)
}
