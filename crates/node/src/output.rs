//! Where outputs go: the Buffers that calls return.
//!
//! The facade keeps a pool of output memory, as Node's `Buffer.allocUnsafe` does, and passes it
//! with the offset of its free part; small outputs of synchronous calls are written there and the
//! facade hands out a Buffer over exactly those bytes. Those of async calls are copied into a pool
//! of the binding's when their promises settle. Anything else comes back as a Buffer of its own;
//! large ones made on several threads are copied into it on as many, and batches come back in
//! chunks.

use std::cell::RefCell;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::{parts, Parts};

use crate::direct::{Output, Pool};
use crate::errors::to_napi;
use crate::facade::facade;

/// Outputs up to this long go in the pool: under 4 KiB, as Node pools `Buffer.from()` results.
pub(crate) const POOLED_MAX: usize = 4095;

#[napi]
pub fn pooled_output_max() -> u32 {
    POOLED_MAX as u32
}

/// Where an output may go in the facade's pool: `out` from `offset` on, at most `POOLED_MAX`
/// bytes (empty past its end).
pub(crate) fn tail(out: &mut [u8], offset: u32) -> &mut [u8] {
    let start = (offset as usize).min(out.len());
    let end = out.len().min(start + POOLED_MAX);
    &mut out[start..end]
}

/// A JavaScript Buffer holding a copy of `bytes`: V8-owned and exactly as long as the data.
pub(crate) fn buffer_copy<'env>(env: &'env Env, bytes: &[u8]) -> Result<Unknown<'env>> {
    Ok(BufferSlice::copy_from(env, bytes)?.to_unknown())
}

/// `bytes` in the facade's pool `area` when they fit there (their length returned), otherwise in
/// a Buffer of their own, copied on up to `threads` threads (see [`buffer_of`]).
pub(crate) fn pooled<'env>(
    env: &'env Env,
    area: &mut [u8],
    bytes: &[u8],
    threads: usize,
) -> Result<Output<'env>> {
    match area.get_mut(..bytes.len()) {
        Some(dst) => {
            dst.copy_from_slice(bytes);
            Ok(Either::A(bytes.len() as u32))
        }
        None => Ok(Either::B(buffer_of(env, &[bytes], threads)?.to_unknown())),
    }
}

/// A JavaScript Buffer holding `parts` one after another, written once. One part on one thread
/// is a plain copy; otherwise the facade allocates the Buffer (V8's memory, exactly as long as the
/// output) and `parts::copy` fills it on up to `threads` threads (0: one per pool worker), for
/// the output of a multithreaded compression.
pub(crate) fn buffer_of<'env>(
    env: &'env Env,
    parts: &[&[u8]],
    threads: usize,
) -> Result<BufferSlice<'env>> {
    if let ([bytes], 1) = (parts, threads) {
        return BufferSlice::copy_from(env, bytes);
    }
    let mut buffer = allocate(env, parts.iter().map(|p| p.len()).sum())?;
    parts::copy(parts, &mut buffer, threads);
    Ok(buffer)
}

thread_local! {
    // Each environment runs on a JavaScript thread of its own, and forgets its pool when it is
    // torn down (see `task::LOCAL`).
    static POOL: RefCell<Option<Pool>> = const { RefCell::new(None) };
}

/// A Buffer holding `parts` one after another, for a promise to resolve to: a small output goes in
/// a pool that others share, as those of synchronous calls do; a larger one is written once, on up
/// to `threads` threads (see [`buffer_of`]).
pub(crate) fn settled_buffer<'env>(
    env: &'env Env,
    parts: &[&[u8]],
    threads: usize,
) -> Result<Unknown<'env>> {
    if parts.iter().map(|p| p.len()).sum::<usize>() <= POOLED_MAX {
        if POOL.with_borrow(Option::is_none) {
            env.add_env_cleanup_hook((), |()| POOL.set(None))?;
            POOL.set(Some(Pool::new()));
        }
        let fresh = || Ok(facade(env)?.pool.borrow_back(env)?.call(())?.to_unknown());
        // Borrowed already only if JavaScript that the pool ran (its `fresh` or `subarray`)
        // settled promises itself.
        let copy = |pool: &RefCell<Option<Pool>>| {
            Some(
                pool.try_borrow_mut()
                    .ok()?
                    .as_mut()?
                    .copy(env, parts, fresh),
            )
        };
        if let Some(view) = POOL.with(copy) {
            return view;
        }
    }
    Ok(buffer_of(env, parts, threads)?.to_unknown())
}

/// A Buffer of `size` bytes from the facade's allocator: V8's memory, not yet written.
pub(crate) fn allocate(env: &Env, size: usize) -> Result<BufferSlice<'_>> {
    let buffer = facade(env)?.alloc.borrow_back(env)?.call(size as f64)?;
    if buffer.len() != size {
        return Err(Error::from_reason(
            "the facade's allocator returned a Buffer of the wrong length",
        ));
    }
    Ok(buffer)
}

/// [`buffer_of`] an output made in parts on `threads` threads, or its error.
pub(crate) fn buffer_of_parts<'env>(
    env: &'env Env,
    parts: squish_core::Result<Parts>,
    threads: usize,
) -> Result<Unknown<'env>> {
    let parts = parts.map_err(|e| to_napi(env, e))?;
    Ok(buffer_of(env, &parts.slices(), threads)?.to_unknown())
}

/// Consecutive small items of a batch share chunks of up to this many bytes, as Node pools small
/// Buffers; an item larger than that has one of its own.
const BATCH_CHUNK: usize = 8 << 10;

/// A batch's outputs for the facade: a Buffer of each item's length (a little-endian f64), then
/// the chunks holding the items one after another. Each item goes in the chunk being filled if
/// it fits in `BATCH_CHUNK` with what is there, and starts the next chunk otherwise; the facade
/// cuts the chunks into one Buffer per item by the same rule, without copying. A few hundred
/// allocations per thousands of items, rather than one or two per item.
pub(crate) fn batch_output(env: &Env, outputs: Vec<Vec<u8>>) -> Result<Vec<Buffer>> {
    let mut lengths = Vec::with_capacity(outputs.len() * 8);
    for out in &outputs {
        lengths.extend_from_slice(&(out.len() as f64).to_le_bytes());
    }
    let buffer = |bytes: &[u8]| BufferSlice::copy_from(env, bytes)?.into_buffer(env);
    let mut buffers = vec![buffer(&lengths)?];
    let mut chunk = Vec::with_capacity(BATCH_CHUNK);
    for out in &outputs {
        if !chunk.is_empty() && chunk.len() + out.len() > BATCH_CHUNK {
            buffers.push(buffer(&chunk)?);
            chunk.clear();
        }
        if out.len() > BATCH_CHUNK {
            buffers.push(buffer(out)?);
        } else {
            chunk.extend_from_slice(out);
        }
    }
    if !chunk.is_empty() {
        buffers.push(buffer(&chunk)?);
    }
    Ok(buffers)
}
