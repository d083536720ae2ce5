//! LZ4 blocks (python-lz4's `lz4.block`).

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::lz4::{self, BlockMode, BlockOptions};
use squish_core::thread_cache::with_scratch;

use crate::compress;
use crate::control::ControlHandle;
use crate::errors::to_napi;
use crate::output::{allocate, pooled, tail, POOLED_MAX};
use crate::owned::Input;
use crate::task::spawn_to_buffer;

/// The mode as the facade passes it: 0 default, 1 fast (`param` is the acceleration), 2 high
/// compression (`param` is the level).
fn block_mode(mode: u32, param: i32) -> BlockMode {
    match mode {
        1 => BlockMode::Fast {
            acceleration: param,
        },
        2 => BlockMode::HighCompression { level: param },
        _ => BlockMode::Default,
    }
}

/// One block's settings as the facade passes them.
fn block_options<D>(mode: u32, param: i32, store_size: bool, dict: Option<D>) -> BlockOptions<D> {
    BlockOptions {
        mode: block_mode(mode, param),
        store_size,
        dict,
    }
}

/// Compresses `input` into one block: its length, when the output was written in `out` at
/// `offset`, or the output (see `compress::compress_sync`).
#[napi(ts_return_type = "number | Buffer")]
pub fn lz4_compress_block_sync<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    #[napi(ts_arg_type = "Buffer")] mut out: BufferSlice,
    offset: u32,
    mode: u32,
    param: i32,
    store_size: bool,
    #[napi(ts_arg_type = "ArrayBufferView | null")] dict: Option<BufferSlice>,
) -> Result<Either<u32, Unknown<'env>>> {
    let options = block_options(mode, param, store_size, dict.as_deref());
    compress::compress_sync(env, &options, &input, &mut out, offset)
}

#[napi(ts_return_type = "Promise<Buffer>")]
pub fn lz4_compress_block<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    mode: u32,
    param: i32,
    store_size: bool,
    #[napi(ts_arg_type = "ArrayBufferView | null")] dict: Option<BufferSlice>,
    #[napi(ts_arg_type = "ControlHandle")] control: &ControlHandle,
) -> Result<Object<'env>> {
    let options = block_options(mode, param, store_size, Input::maybe(dict));
    compress::compress(env, Box::new(options), &input, control)
}

/// `uncompressedSize` as the facade passes it: negative to read the stored size prefix.
fn size_option(uncompressed_size: f64) -> Option<usize> {
    (uncompressed_size >= 0.0).then_some(uncompressed_size as usize)
}

/// Decompresses a block: its length, when the output was written in `out` at `offset`, or the
/// output as a Buffer of exactly its length.
#[napi(ts_return_type = "number | Buffer")]
pub fn lz4_decompress_block_sync<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    #[napi(ts_arg_type = "Buffer")] mut out: BufferSlice,
    offset: u32,
    uncompressed_size: f64,
    #[napi(ts_arg_type = "ArrayBufferView | null")] dict: Option<BufferSlice>,
    max_output_size: f64,
) -> Result<Either<u32, Unknown<'env>>> {
    let core = |e| to_napi(env, e);
    let exact = uncompressed_size < 0.0;
    let dict = dict.as_deref();
    let max = max_output_size as usize;
    let (start, size) =
        lz4::block_output_size(&input, size_option(uncompressed_size), max).map_err(core)?;
    let area = tail(&mut out, offset);
    if size <= area.len() {
        let n = lz4::decompress_block(&input, start, dict, &mut area[..size], exact);
        return Ok(Either::A(n.map_err(core)? as u32));
    }
    if exact && size > POOLED_MAX {
        // The block fills its room.
        let mut buffer = allocate(env, size)?;
        lz4::decompress_block(&input, start, dict, &mut buffer, exact).map_err(core)?;
        return Ok(Either::B(buffer.to_unknown()));
    }
    // The output may be shorter than its room: decoded in scratch and copied at its length.
    with_scratch(|scratch| {
        scratch.resize(size, 0);
        let n = lz4::decompress_block(&input, start, dict, scratch, exact).map_err(core)?;
        pooled(env, area, &scratch[..n], 1)
    })
}

#[napi(ts_return_type = "Promise<Buffer>")]
pub fn lz4_decompress_block<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    uncompressed_size: f64,
    #[napi(ts_arg_type = "ArrayBufferView | null")] dict: Option<BufferSlice>,
    max_output_size: f64,
    #[napi(ts_arg_type = "ControlHandle")] control: &ControlHandle,
) -> Result<Object<'env>> {
    let exact = uncompressed_size < 0.0;
    let (start, size) = lz4::block_output_size(
        &input,
        size_option(uncompressed_size),
        max_output_size as usize,
    )
    .map_err(|e| to_napi(env, e))?;
    spawn_to_buffer(
        env,
        Some(control),
        (Input::new(&input), Input::maybe(dict)),
        move |(input, dict), out| {
            out.resize(size, 0);
            let n = lz4::decompress_block(input, start, dict.as_deref(), out, exact)?;
            out.truncate(n);
            Ok(())
        },
    )
}
