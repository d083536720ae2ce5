//! Node-API used directly where napi-rs's conveniences cost more than the work they wrap; the one
//! module of the binding with `unsafe` code.
//!
//! - The synchronous one-shot calls: a `#[napi]` function with arguments opens napi-rs's borrow
//!   scope on every call (a mutex, a vector and a thread-local), about 1,000 instructions, a fifth
//!   of decompressing a 100-byte LZ4 message. These calls borrow no class instance, so they read
//!   their arguments here and skip it.
//! - Promises settled from the worker pool: napi-rs makes a thread-safe function for each
//!   promise. Here a promise is a bare `napi_deferred`, and one [`Wakeup`] per environment wakes
//!   its JavaScript thread to settle every promise whose work is done.
#![allow(unsafe_code)]

use std::ffi::c_void;
use std::ptr;

use napi::bindgen_prelude::*;
use napi::{sys, JsError};

/// What a one-shot call returns: the output's length, when it was written in the facade's pool,
/// or a value of its own (a Buffer, or the promise of one).
pub(crate) type Output<'env> = Either<u32, Unknown<'env>>;

/// The promise of an async one-shot call as its output.
pub(crate) fn promised(promise: Object<'_>) -> Output<'_> {
    Either::B(promise.to_unknown())
}

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

    /// Argument `i` as a handle, or none when it is null or undefined.
    pub(crate) fn maybe_handle<T: 'static>(&self, i: usize) -> Result<Option<&'env External<T>>> {
        // SAFETY: an `Unknown` of the callback's arguments, used only within it.
        let value: Unknown = unsafe { self.get(i) }?;
        match value.get_type()? {
            ValueType::Null | ValueType::Undefined => Ok(None),
            _ => self.handle(i).map(Some),
        }
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
        check(unsafe {
            sys::napi_create_function(
                env.raw(),
                name.as_ptr().cast(),
                name.len() as isize,
                Some(callback),
                ptr::from_ref(call).cast_mut().cast::<c_void>(),
                &mut function,
            )
        })?;
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
    let wrapped = Env::from_raw(env);
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
    let result = check(status).and_then(|()| {
        // SAFETY: `register` made the callback with a `&'static Call` as its data.
        let (_, body) = unsafe { &*data.cast::<Call>() };
        body(
            &wrapped,
            Args {
                env: &wrapped,
                values,
            },
        )
    });
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

/// The resolver of a promise made by [`promise`], settled once on its environment's thread.
pub(crate) struct Deferred(sys::napi_deferred);

// SAFETY: a `napi_deferred` is an opaque handle that other threads only move; `settle`, its one
// use, takes the environment's `Env`, which does not leave its thread.
unsafe impl Send for Deferred {}

/// A new promise, and its resolver.
pub(crate) fn promise(env: &Env) -> Result<(Deferred, Object<'_>)> {
    let (mut deferred, mut promise) = (ptr::null_mut(), ptr::null_mut());
    // SAFETY: `env` is the running environment; both out-pointers are valid.
    check(unsafe { sys::napi_create_promise(env.raw(), &mut deferred, &mut promise) })?;
    // SAFETY: `promise` was just made in `env`.
    let promise = unsafe { Object::from_napi_value(env.raw(), promise) }?;
    Ok((Deferred(deferred), promise))
}

impl Deferred {
    /// Resolves the promise with `result`'s value, or rejects it with its error.
    pub(crate) fn settle<V: ToNapiValue>(self, env: &Env, result: Result<V>) {
        // SAFETY: `env` is the running environment, the promise's (each environment settles the
        // promises it made, on its own thread); `self` is consumed, so it is settled once.
        unsafe {
            match result.and_then(|value| V::to_napi_value(env.raw(), value)) {
                Ok(value) => sys::napi_resolve_deferred(env.raw(), self.0, value),
                Err(error) => {
                    let error = JsError::from(error).into_value(env.raw());
                    sys::napi_reject_deferred(env.raw(), self.0, error)
                }
            };
        }
    }
}

/// Wakes an environment's JavaScript thread from any thread to run a callback there; wake-ups
/// that come before it runs are one.
pub(crate) struct Wakeup(sys::napi_threadsafe_function);

// SAFETY: other threads only call `wake`, which Node-API allows from any thread while the
// function lives: until its environment is torn down, which the binding's cleanup hook holds back
// until no work that could wake it is left (see `task`).
unsafe impl Send for Wakeup {}
// SAFETY: as for `Send`.
unsafe impl Sync for Wakeup {}

impl Wakeup {
    /// A wake-up of `env`'s thread that runs `on_wake`, not holding its event loop open.
    pub(crate) fn new(env: &Env, on_wake: fn(&Env)) -> Result<Self> {
        let name = env.create_string("squish")?;
        let mut function = ptr::null_mut();
        // SAFETY: `env` is the running environment. A thread-safe function may go without a
        // JavaScript function when it has a `call_js_cb`; its context is `on_wake`, which
        // `woken` reads back as such.
        check(unsafe {
            sys::napi_create_threadsafe_function(
                env.raw(),
                ptr::null_mut(),
                ptr::null_mut(),
                name.raw(),
                0,
                1,
                ptr::null_mut(),
                None,
                on_wake as *mut c_void,
                Some(woken),
                &mut function,
            )
        })?;
        let wakeup = Wakeup(function);
        wakeup.hold(env, false)?;
        Ok(wakeup)
    }

    /// Asks for a run of the callback on the environment's thread.
    pub(crate) fn wake(&self) {
        // SAFETY: see `Send`. It fails only while the environment is torn down, whose pending
        // promises are then dropped.
        unsafe {
            sys::napi_call_threadsafe_function(
                self.0,
                ptr::null_mut(),
                sys::ThreadsafeFunctionCallMode::nonblocking,
            )
        };
    }

    /// Keeps the environment's event loop open while `held`, or lets it end.
    pub(crate) fn hold(&self, env: &Env, held: bool) -> Result<()> {
        // SAFETY: `env` is the running environment, the function's.
        check(unsafe {
            if held {
                sys::napi_ref_threadsafe_function(env.raw(), self.0)
            } else {
                sys::napi_unref_threadsafe_function(env.raw(), self.0)
            }
        })
    }
}

/// A [`Wakeup`]'s callback on its environment's thread.
unsafe extern "C" fn woken(
    env: sys::napi_env,
    _: sys::napi_value,
    context: *mut c_void,
    _: *mut c_void,
) {
    // Null while the environment is torn down.
    if env.is_null() {
        return;
    }
    // SAFETY: `Wakeup::new` made the context of a `fn(&Env)`.
    let on_wake = unsafe { std::mem::transmute::<*mut c_void, fn(&Env)>(context) };
    on_wake(&Env::from_raw(env));
}

/// A value made from `T` when a promise resolves with it, on its environment's thread: what a
/// settled call resolves to, without the napi reference that a JavaScript value made when the
/// work ended would need until then.
pub(crate) struct Late<T> {
    pub(crate) from: T,
    pub(crate) make: for<'env> fn(&'env Env, T) -> Result<Unknown<'env>>,
}

impl<T> ToNapiValue for Late<T> {
    unsafe fn to_napi_value(env: sys::napi_env, value: Self) -> Result<sys::napi_value> {
        Ok((value.make)(&Env::from_raw(env), value.from)?.raw())
    }
}

/// A pool of memory that small outputs are copied into one after another, each handed out as a
/// Buffer over its own bytes, as the facade's pool is for synchronous calls (see
/// `src/output.ts`), and for the same reason: a Buffer of its own costs V8 an ArrayBuffer, a
/// backing store and their collection, about 5,500 instructions, many times the copy of a
/// 100-byte output.
pub(crate) struct Pool {
    /// The pool's Buffer, or null before the first output.
    buffer: sys::napi_ref,
    used: usize,
    /// Its `subarray` method, looked up with the first Buffer.
    subarray: sys::napi_ref,
}

impl Pool {
    pub(crate) const fn new() -> Self {
        Self {
            buffer: ptr::null_mut(),
            used: 0,
            subarray: ptr::null_mut(),
        }
    }

    /// A Buffer holding `parts` one after another, in the pool, or in a `fresh` one (a Buffer
    /// that only this pool uses) when what is left of it is too small.
    pub(crate) fn copy<'env>(
        &mut self,
        env: &'env Env,
        parts: &[&[u8]],
        fresh: impl FnOnce() -> Result<Unknown<'env>>,
    ) -> Result<Unknown<'env>> {
        let length: usize = parts.iter().map(|p| p.len()).sum();
        let (buffer, start) = self.place(env, length, fresh, |room| {
            let mut at = 0;
            for part in parts {
                room[at..at + part.len()].copy_from_slice(part);
                at += part.len();
            }
        })?;
        let raw = env.raw();
        let mut subarray = ptr::null_mut();
        if self.subarray.is_null() {
            // SAFETY: `buffer` is a live Buffer of `raw`; the method is kept for the environment
            // (see `self.buffer`).
            check(unsafe {
                sys::napi_get_named_property(
                    raw,
                    buffer.raw(),
                    c"subarray".as_ptr(),
                    &mut subarray,
                );
                sys::napi_create_reference(raw, subarray, 1, &mut self.subarray)
            })?;
        } else {
            // SAFETY: as for `self.buffer`.
            check(unsafe { sys::napi_get_reference_value(raw, self.subarray, &mut subarray) })?;
        }
        let mut view = ptr::null_mut();
        let bounds = [
            env.create_double(start as f64)?.raw(),
            env.create_double((start + length) as f64)?.raw(),
        ];
        // SAFETY: `buffer` is a live Buffer of `raw`; `bounds` holds two values of `raw`.
        check(unsafe {
            sys::napi_call_function(raw, buffer.raw(), subarray, 2, bounds.as_ptr(), &mut view)
        })?;
        // SAFETY: `view` was just made in `raw`.
        unsafe { Unknown::from_napi_value(raw, view) }
    }

    /// Takes `length` bytes of the pool (of a `fresh` one when what is left is too small), has
    /// `fill` write them, and returns the pool's Buffer and where they start in it.
    pub(crate) fn place<'env>(
        &mut self,
        env: &'env Env,
        length: usize,
        fresh: impl FnOnce() -> Result<Unknown<'env>>,
        fill: impl FnOnce(&mut [u8]),
    ) -> Result<(Unknown<'env>, usize)> {
        let raw = env.raw();
        let (mut buffer, mut data, mut size) = (ptr::null_mut(), ptr::null_mut(), 0);
        if !self.buffer.is_null() {
            // SAFETY: `self.buffer` is a reference made below in this environment (a pool is
            // its thread's, and each environment has a thread of its own). The Buffer's memory
            // is read now, and written before any JavaScript runs: whatever was done to it
            // (its ArrayBuffer detached through an output handed out before) shows here.
            check(unsafe {
                sys::napi_get_reference_value(raw, self.buffer, &mut buffer);
                sys::napi_get_buffer_info(raw, buffer, &mut data, &mut size)
            })?;
        }
        if self.buffer.is_null() || data.is_null() || self.used + length > size {
            if !self.buffer.is_null() {
                // SAFETY: as above; the reference is not used again.
                check(unsafe { sys::napi_delete_reference(raw, self.buffer) })?;
                self.buffer = ptr::null_mut();
            }
            buffer = fresh()?.raw();
            // SAFETY: `buffer` is a value of `raw`; the out-pointers are valid.
            check(unsafe {
                sys::napi_get_buffer_info(raw, buffer, &mut data, &mut size);
                sys::napi_create_reference(raw, buffer, 1, &mut self.buffer)
            })?;
            self.used = 0;
        }
        let start = self.used;
        if data.is_null() || start + length > size {
            return Err(Error::from_reason("a pool is too small for its output"));
        }
        // SAFETY: `data` is the Buffer's memory as it is now, `size` bytes long, and `start +
        // length <= size`; no JavaScript runs before `fill` is done.
        fill(unsafe { std::slice::from_raw_parts_mut(data.cast::<u8>().add(start), length) });
        // The next output 8-byte aligned, as in Node's pool.
        self.used = (start + length + 7) & !7;
        // SAFETY: `buffer` is a live value of `raw`.
        Ok((unsafe { Unknown::from_napi_value(raw, buffer) }?, start))
    }
}

/// A Node-API status as a result.
fn check(status: sys::napi_status) -> Result<()> {
    match status {
        sys::Status::napi_ok => Ok(()),
        status => Err(Error::new(Status::from(status), "a Node-API call failed")),
    }
}
