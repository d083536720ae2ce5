//! The synchronous one-shot calls, registered with Node-API directly.
//!
//! A `#[napi]` function with arguments opens napi-rs's borrow scope on every call (a mutex, a
//! vector and a thread-local), about 1,000 instructions: a fifth of decompressing a 100-byte LZ4
//! message. These calls borrow no class instance, so they read their arguments here and skip it.
//! This is the one module of the binding with `unsafe` code.
#![allow(unsafe_code)]

use std::ffi::c_void;
use std::ptr;

use napi::bindgen_prelude::*;
use napi::{sys, JsError};

use crate::output::Output;

/// The most arguments a direct call reads; any it is not given are `undefined`.
const MAX_ARGS: usize = 8;

/// The arguments of one call, read while its callback runs.
pub(crate) struct Args<'env> {
    env: &'env Env,
    values: [sys::napi_value; MAX_ARGS],
}

impl<'env> Args<'env> {
    /// Argument `i` as a value of type `T`.
    ///
    /// # Safety
    /// `T` borrows nothing past `'env`.
    unsafe fn get<T: FromNapiValue>(&self, i: usize) -> Result<T> {
        // SAFETY: `values` are the running callback's arguments, which live until it returns,
        // and `Args` does not outlive it (its `'env` is the callback's borrow of `env`).
        unsafe { T::from_napi_value(self.env.raw(), self.values[i]) }
    }

    pub(crate) fn bytes(&self, i: usize) -> Result<BufferSlice<'env>> {
        // SAFETY: the slice's lifetime is `'env`.
        unsafe { self.get(i) }
    }

    pub(crate) fn maybe_bytes(&self, i: usize) -> Result<Option<BufferSlice<'env>>> {
        // SAFETY: the slice's lifetime is `'env`.
        unsafe { self.get(i) }
    }

    pub(crate) fn handle<T: 'static>(&self, i: usize) -> Result<&'env External<T>> {
        // SAFETY: as in `get`; the reference's lifetime is `'env`, and the external, an argument,
        // lives at least as long.
        unsafe { External::<T>::from_napi_ref(self.env.raw(), self.values[i]) }
    }

    pub(crate) fn u32(&self, i: usize) -> Result<u32> {
        // SAFETY: a number borrows nothing.
        unsafe { self.get(i) }
    }

    pub(crate) fn i32(&self, i: usize) -> Result<i32> {
        // SAFETY: a number borrows nothing.
        unsafe { self.get(i) }
    }

    pub(crate) fn f64(&self, i: usize) -> Result<f64> {
        // SAFETY: a number borrows nothing.
        unsafe { self.get(i) }
    }

    pub(crate) fn bool(&self, i: usize) -> Result<bool> {
        // SAFETY: a boolean borrows nothing.
        unsafe { self.get(i) }
    }
}

/// A call's body: its output, or the error to throw.
pub(crate) type Body = for<'env> fn(&'env Env, Args<'env>) -> Result<Output<'env>>;

/// A direct call: its JavaScript name and body.
pub(crate) type Call = (&'static str, Body);

/// Adds `calls` to `exports`.
pub(crate) fn register(env: &Env, exports: &mut Object, calls: &'static [Call]) -> Result<()> {
    for call in calls {
        let (name, _) = call;
        let mut function = ptr::null_mut();
        // SAFETY: `name` is valid for its length; the callback data is a `&'static Call`, which
        // `callback` reads back.
        let status = unsafe {
            sys::napi_create_function(
                env.raw(),
                name.as_ptr().cast(),
                name.len() as isize,
                Some(callback),
                ptr::from_ref(call).cast_mut().cast::<c_void>(),
                &mut function,
            )
        };
        if status != sys::Status::napi_ok {
            return Err(Error::new(
                Status::from(status),
                format!("could not create {name}"),
            ));
        }
        // SAFETY: `function` was just created in `env`.
        let function = unsafe { Unknown::from_napi_value(env.raw(), function) }?;
        exports.set_named_property(name, function)?;
    }
    Ok(())
}

/// Every direct call's Node-API callback: reads the arguments and runs the body its data names,
/// returning its output or throwing its error.
unsafe extern "C" fn callback(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    let mut argc = MAX_ARGS;
    let mut values = [ptr::null_mut(); MAX_ARGS];
    let mut data = ptr::null_mut();
    // SAFETY: `env` and `info` are those of the running callback; `values` has room for `argc`
    // values.
    let status = unsafe {
        sys::napi_get_cb_info(
            env,
            info,
            &mut argc,
            values.as_mut_ptr(),
            ptr::null_mut(),
            &mut data,
        )
    };
    let wrapped = Env::from_raw(env);
    let result = if status == sys::Status::napi_ok {
        // SAFETY: `register` made the callback with a `&'static Call` as its data.
        let (_, body) = unsafe { &*data.cast::<Call>() };
        body(
            &wrapped,
            Args {
                env: &wrapped,
                values,
            },
        )
    } else {
        Err(Error::new(
            Status::from(status),
            "could not read the arguments",
        ))
    };
    let result = result.and_then(|output| match output {
        // SAFETY: `env` is the running callback's.
        Either::A(length) => unsafe { u32::to_napi_value(env, length) },
        Either::B(buffer) => Ok(buffer.raw()),
    });
    result.unwrap_or_else(|error| {
        // SAFETY: `env` is the running callback's.
        unsafe { JsError::from(error).throw_into(env) };
        ptr::null_mut()
    })
}
