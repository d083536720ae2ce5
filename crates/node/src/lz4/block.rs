//! LZ4 blocks (python-lz4's `lz4.block`).

use napi::bindgen_prelude::*;
use squish_core::lz4::{BlockDecompressor, BlockMode, BlockOptions};

use crate::direct::Args;
use crate::direct::{promised, Output};
use crate::limits::decompressing;
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

/// `lz4CompressBlock(input, mode, param, storeSize, dict, control)`: the promise twin of
/// `lz4CompressBlockSync`.
pub(crate) fn compress<'env>(env: &'env Env, args: Args<'env>) -> Result<Output<'env>> {
    let (input, dict, control) = (args.bytes(0)?, args.maybe_bytes(4)?, args.handle(5)?);
    let options = block_options(
        args.u32(1)?,
        args.i32(2)?,
        args.bool(3)?,
        Input::maybe(dict),
    );
    compress::compress(env, Box::new(options), &input, control).map(promised)
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

/// `lz4DecompressBlock(input, uncompressedSize, dict, maxOutputSize, control)`: the promise twin
/// of `lz4DecompressBlockSync`.
pub(crate) fn decompress<'env>(env: &'env Env, args: Args<'env>) -> Result<Output<'env>> {
    let (input, dict, control) = (args.bytes(0)?, args.maybe_bytes(2)?, args.handle(4)?);
    let decompressor = block_decompressor(args.f64(1)?, Input::maybe(dict));
    let settings = decompressing(args.f64(3)?, 0);
    decompress::decompress(env, Box::new(decompressor), &input, settings, control).map(promised)
}
