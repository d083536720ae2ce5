//! Dictionaries and dictionary training.

use std::collections::HashMap;
use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi::threadsafe_function::ThreadsafeFunctionCallMode;
use napi_derive::napi;
use squish_core::zstd::{self, DictType, Dictionary, TrainOptions};
use squish_core::{Error as CoreError, ErrorKind};

use super::params::params_from;
use crate::control::ControlHandle;
use crate::errors::to_napi;
use crate::output::buffer_copy;
use crate::owned::Inputs;
use crate::task::{spawn, views};

#[napi]
pub struct ZstdDictionary {
    pub(crate) inner: Arc<Dictionary>,
}

#[napi]
impl ZstdDictionary {
    /// `kind` is `'auto'`, `'raw'` or `'full'`.
    #[napi(constructor)]
    pub fn new(
        env: Env,
        #[napi(ts_arg_type = "ArrayBufferView")] bytes: BufferSlice,
        kind: String,
    ) -> Result<Self> {
        let kind = match kind.as_str() {
            "auto" => Ok(DictType::Auto),
            "raw" => Ok(DictType::Raw),
            "full" => Ok(DictType::Full),
            other => Err(CoreError::new(
                ErrorKind::InvalidArg,
                format!("dictionary type must be 'auto', 'raw' or 'full'; received {other:?}"),
            )),
        };
        kind.and_then(|kind| Dictionary::new(bytes.to_vec(), kind))
            .map(|inner| ZstdDictionary {
                inner: Arc::new(inner),
            })
            .map_err(|e| to_napi(&env, e))
    }

    #[napi(getter)]
    pub fn id(&self) -> u32 {
        self.inner.id()
    }

    #[napi(getter)]
    pub fn byte_length(&self) -> f64 {
        self.inner.bytes().len() as f64
    }

    #[napi(ts_return_type = "Buffer")]
    pub fn to_buffer<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        buffer_copy(env, self.inner.bytes())
    }

    /// Digests the dictionary for compression with `params` (a level and match-finder
    /// parameters) now, rather than on first use.
    #[napi]
    pub fn precompute(&self, env: Env, params: HashMap<String, f64>) -> Result<()> {
        params_from(&params)
            .and_then(|params| self.inner.precompute(&params))
            .map_err(|e| to_napi(&env, e))
    }

    /// Bytes held by the dictionary and its digested forms.
    #[napi(getter)]
    pub fn memory_size(&self) -> f64 {
        self.inner.memory_size() as f64
    }
}

/// `trainDictionary` options after the facade's checks; 0 means libzstd's default.
#[napi(object)]
pub struct TrainArgs {
    pub size: u32,
    pub k: u32,
    pub d: u32,
    pub f: u32,
    pub split_point: f64,
    pub accel: u32,
    pub steps: u32,
    pub threads: u32,
    pub level: i32,
    pub dict_id: u32,
}

impl TrainArgs {
    fn options(&self) -> TrainOptions {
        TrainOptions {
            size: self.size as usize,
            k: self.k,
            d: self.d,
            f: self.f,
            split_point: self.split_point,
            accel: self.accel,
            steps: self.steps,
            threads: self.threads as usize,
            level: self.level,
            dict_id: self.dict_id,
        }
    }
}

#[napi(ts_return_type = "Buffer")]
pub fn zstd_train_dictionary_sync<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView[]")] samples: Vec<BufferSlice>,
    options: TrainArgs,
) -> Result<Unknown<'env>> {
    let dict = zstd::train(&views(&samples), &options.options(), &|_, _| {})
        .map_err(|e| to_napi(env, e))?;
    buffer_copy(env, &dict)
}

/// Trains on the worker pool; `on_progress(done, total)` is called on the JavaScript thread after
/// each candidate parameter set.
#[napi(ts_return_type = "Promise<Buffer>")]
pub fn zstd_train_dictionary<'env>(
    env: &'env Env,
    #[napi(ts_arg_type = "ArrayBufferView[]")] samples: Vec<BufferSlice>,
    options: TrainArgs,
    #[napi(ts_arg_type = "((done: number, total: number) => void) | null")] on_progress: Option<
        Function<'env, FnArgs<(u32, u32)>, ()>,
    >,
    #[napi(ts_arg_type = "ControlHandle")] control: &ControlHandle,
) -> Result<Object<'env>> {
    let progress = on_progress
        .map(|f| {
            f.build_threadsafe_function::<FnArgs<(u32, u32)>>()
                .callee_handled::<false>()
                .build()
        })
        .transpose()?;
    let options = options.options();
    spawn(
        env,
        Some(control),
        Inputs::new(&samples),
        move |samples| {
            let report = |done: usize, total: usize| {
                if let Some(progress) = &progress {
                    progress.call(
                        FnArgs::from((done as u32, total as u32)),
                        ThreadsafeFunctionCallMode::NonBlocking,
                    );
                }
            };
            zstd::train(&samples.views(), &options, &report)
        },
        |env, _, dict| BufferSlice::copy_from(env, &dict)?.into_buffer(env),
    )
}
