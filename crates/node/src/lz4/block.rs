//! LZ4 blocks (python-lz4's `lz4.block`).

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::lz4::{BlockDecompressor, BlockMode, BlockOptions};

use crate::control::ControlHandle;
use crate::direct::Args;
use crate::limits::decompressing;
use crate::output::Output;
use crate::owned::Input;
use crate::{compress, decompress};

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

/// `lz4CompressBlockSync(input, out, offset, mode, param, storeSize, dict)` (see
/// `compress::compress_sync`).
pub(crate) fn compress_sync<'env>(env: &'env Env, args: Args<'env>) -> Result<Output<'env>> {
    let (input, mut out, dict) = (args.bytes(0)?, args.bytes(1)?, args.maybe_bytes(6)?);
    let options = block_options(args.u32(3)?, args.i32(4)?, args.bool(5)?, dict.as_deref());
    compress::compress_sync(env, &options, &input, &mut out, args.u32(2)?)
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

/// A block's decoding as the facade passes it: `uncompressed_size` is negative to read the stored
/// size prefix.
fn block_decompressor<D>(uncompressed_size: f64, dict: Option<D>) -> BlockDecompressor<D> {
    BlockDecompressor {
        uncompressed_size: (uncompressed_size >= 0.0).then_some(uncompressed_size as usize),
        dict,
    }
}

/// `lz4DecompressBlockSync(input, out, offset, uncompressedSize, dict, maxOutputSize)` (see
/// `decompress::decompress_sync`).
pub(crate) fn decompress_sync<'env>(env: &'env Env, args: Args<'env>) -> Result<Output<'env>> {
    let (input, mut out, dict) = (args.bytes(0)?, args.bytes(1)?, args.maybe_bytes(4)?);
    let decompressor = block_decompressor(args.f64(3)?, dict.as_deref());
    let settings = decompressing(args.f64(5)?, 0);
    decompress::decompress_sync(env, &decompressor, &input, &mut out, args.u32(2)?, settings)
}

/// The promise twin of `lz4DecompressBlockSync`.
#[napi(ts_return_type = "Promise<Buffer>")]
pub fn lz4_decompress_block<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
    uncompressed_size: f64,
    #[napi(ts_arg_type = "ArrayBufferView | null")] dict: Option<BufferSlice>,
    max_output_size: f64,
    #[napi(ts_arg_type = "ControlHandle")] control: &ControlHandle,
) -> Result<Object<'env>> {
    let decompressor = block_decompressor(uncompressed_size, Input::maybe(dict));
    let settings = decompressing(max_output_size, 0);
    decompress::decompress(env, Box::new(decompressor), &input, settings, control)
}
