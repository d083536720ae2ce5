//! `Compressor` and `Decompressor`: shared, reusable instances over the core's context pools.

use std::collections::HashMap;
use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::zstd::{self, Compressor, Decompressor, Format, Param, Params};
use squish_core::{Error as CoreError, ErrorKind};

use super::decompress_options;
use super::dictionary::ZstdDictionary;
use crate::errors::to_napi;
use crate::task::{batch_output, buffer_copy, spawn, spawn_to_buffer, views};

/// Builds a parameter set from `{ name: value }`, with the option names of `Param::name`.
pub(crate) fn params_from(values: &HashMap<String, i32>) -> squish_core::Result<Params> {
    let mut params = Params::default();
    for (name, &value) in values {
        let param = Param::from_name(name).ok_or_else(|| {
            CoreError::new(
                ErrorKind::InvalidArg,
                format!("unknown zstd parameter: {name}"),
            )
        })?;
        params.set(param, value)?;
    }
    Ok(params)
}

/// A compressor: fixed parameters and dictionary, safe to share between concurrent calls.
#[napi]
pub struct ZstdCompressor {
    inner: Arc<Compressor>,
}

#[napi]
impl ZstdCompressor {
    #[napi(constructor)]
    pub fn new(
        env: Env,
        params: HashMap<String, i32>,
        dictionary: Option<ClassInstance<ZstdDictionary>>,
    ) -> Result<Self> {
        let dictionary = dictionary.map(|d| d.inner.clone());
        params_from(&params)
            .and_then(|params| Compressor::new(params, dictionary))
            .map(|inner| ZstdCompressor {
                inner: Arc::new(inner),
            })
            .map_err(|e| to_napi(&env, e))
    }

    /// Compresses `input` into `scratch` and returns the frame's length, or returns the frame
    /// when it may not fit there.
    #[napi(ts_return_type = "number | Buffer")]
    pub fn compress_sync<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "ArrayBufferView")] input: BufferSlice,
        #[napi(ts_arg_type = "Buffer")] mut scratch: BufferSlice,
    ) -> Result<Either<u32, Unknown<'env>>> {
        let result = if zstd::compress_bound(input.len()) <= scratch.len() {
            self.inner
                .compress_into(&input, &mut scratch)
                .map(|n| Ok(Either::A(n as u32)))
        } else {
            self.inner
                .compress_with(&input, |frame| buffer_copy(env, frame).map(Either::B))
        };
        result.map_err(|e| to_napi(env, e))?
    }

    #[napi(ts_return_type = "Promise<Buffer>")]
    pub fn compress<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "ArrayBufferView")] input: Buffer,
    ) -> Result<Object<'env>> {
        let inner = self.inner.clone();
        spawn_to_buffer(env, input, move |input, out| inner.compress(input, out))
    }

    /// Compresses each input into its own frame on up to `threads` threads (0: all).
    #[napi(ts_return_type = "Buffer | Buffer[]")]
    pub fn compress_many_sync(
        &self,
        env: Env,
        #[napi(ts_arg_type = "ArrayBufferView[]")] inputs: Vec<BufferSlice>,
        threads: u32,
    ) -> Result<Either<Buffer, Vec<Buffer>>> {
        let outputs = self
            .inner
            .compress_many(&views(&inputs), threads as usize)
            .map_err(|e| to_napi(&env, e))?;
        batch_output(&env, outputs)
    }

    #[napi(ts_return_type = "Promise<Buffer | Buffer[]>")]
    pub fn compress_many<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "ArrayBufferView[]")] inputs: Vec<Buffer>,
        threads: u32,
    ) -> Result<Object<'env>> {
        let inner = self.inner.clone();
        spawn(
            env,
            inputs,
            move |inputs| inner.compress_many(&views(inputs), threads as usize),
            batch_output,
        )
    }

    /// Bytes held by idle contexts and the dictionary.
    #[napi(getter)]
    pub fn memory_size(&self) -> f64 {
        self.inner.memory_size() as f64
    }

    /// `[ingested, consumed, produced]` for the most recently completed frame.
    #[napi(getter)]
    pub fn frame_progression(&self) -> Vec<f64> {
        let (ingested, consumed, produced) = self.inner.frame_progression();
        vec![ingested as f64, consumed as f64, produced as f64]
    }
}

/// A decompressor: dictionary, window limit and format, safe to share between concurrent calls.
/// One-shot decompression with it goes through `zstdDecompress*`.
#[napi]
pub struct ZstdDecompressor {
    pub(crate) inner: Arc<Decompressor>,
}

#[napi]
impl ZstdDecompressor {
    #[napi(constructor)]
    pub fn new(
        env: Env,
        dictionary: Option<ClassInstance<ZstdDictionary>>,
        max_window_size: f64,
        magicless: bool,
    ) -> Result<Self> {
        let format = if magicless {
            Format::Magicless
        } else {
            Format::Standard
        };
        let dictionary = dictionary.map(|d| d.inner.clone());
        Decompressor::new(dictionary, max_window_size as u64, format)
            .map(|inner| ZstdDecompressor {
                inner: Arc::new(inner),
            })
            .map_err(|e| to_napi(&env, e))
    }

    #[napi(ts_return_type = "Buffer | Buffer[]")]
    pub fn decompress_many_sync(
        &self,
        env: Env,
        #[napi(ts_arg_type = "ArrayBufferView[]")] inputs: Vec<BufferSlice>,
        max_output_size: f64,
        read_across_frames: bool,
        allow_extra_data: bool,
        threads: u32,
    ) -> Result<Either<Buffer, Vec<Buffer>>> {
        let options = decompress_options(max_output_size, read_across_frames, allow_extra_data);
        let outputs = self
            .inner
            .decompress_many(&views(&inputs), &options, threads as usize)
            .map_err(|e| to_napi(&env, e))?;
        batch_output(&env, outputs)
    }

    #[napi(ts_return_type = "Promise<Buffer | Buffer[]>")]
    pub fn decompress_many<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "ArrayBufferView[]")] inputs: Vec<Buffer>,
        max_output_size: f64,
        read_across_frames: bool,
        allow_extra_data: bool,
        threads: u32,
    ) -> Result<Object<'env>> {
        let options = decompress_options(max_output_size, read_across_frames, allow_extra_data);
        let inner = self.inner.clone();
        spawn(
            env,
            inputs,
            move |inputs| inner.decompress_many(&views(inputs), &options, threads as usize),
            batch_output,
        )
    }

    #[napi(ts_return_type = "Buffer")]
    pub fn decompress_content_dict_chain_sync<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "ArrayBufferView[]")] frames: Vec<BufferSlice>,
        max_output_size: f64,
    ) -> Result<Unknown<'env>> {
        let options = decompress_options(max_output_size, true, false);
        let out = self
            .inner
            .decompress_content_dict_chain(&views(&frames), &options)
            .map_err(|e| to_napi(env, e))?;
        buffer_copy(env, &out)
    }

    #[napi(ts_return_type = "Promise<Buffer>")]
    pub fn decompress_content_dict_chain<'env>(
        &self,
        env: &'env Env,
        #[napi(ts_arg_type = "ArrayBufferView[]")] frames: Vec<Buffer>,
        max_output_size: f64,
    ) -> Result<Object<'env>> {
        let options = decompress_options(max_output_size, true, false);
        let inner = self.inner.clone();
        spawn(
            env,
            frames,
            move |frames| inner.decompress_content_dict_chain(&views(frames), &options),
            |env, out| BufferSlice::copy_from(env, &out)?.into_buffer(env),
        )
    }

    /// Bytes held by idle contexts and the dictionary.
    #[napi(getter)]
    pub fn memory_size(&self) -> f64 {
        self.inner.memory_size() as f64
    }
}
