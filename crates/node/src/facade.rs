//! What the TypeScript facade lends the addon, once per JavaScript environment (main thread or
//! worker): the `SquishError` class, the allocator of Buffers that native code fills, and the
//! maker of the pools that small outputs share.

use napi::bindgen_prelude::*;
use napi_derive::napi;

pub(crate) type ErrorArgs = FnArgs<(&'static str, String)>;

pub(crate) struct Facade {
    /// `SquishError`, called as `new SquishError(code, message)`.
    pub error_class: FunctionRef<ErrorArgs, Unknown<'static>>,
    /// `Buffer.allocUnsafeSlow`: V8-owned memory that only the caller writes.
    pub alloc: FunctionRef<f64, BufferSlice<'static>>,
    /// A fresh pool for small outputs (see `src/output-pool.ts`).
    pub pool: FunctionRef<(), BufferSlice<'static>>,
}

/// Registers the facade's `SquishError` constructor, Buffer allocator and pool maker.
#[napi(
    ts_args_type = "errorClass: new (code: any, message: string) => Error, alloc: (size: number) => Buffer, pool: () => Buffer"
)]
pub fn set_facade(
    env: Env,
    error_class: Function<ErrorArgs, Unknown<'static>>,
    alloc: Function<f64, BufferSlice<'static>>,
    pool: Function<(), BufferSlice<'static>>,
) -> Result<()> {
    let facade = Facade {
        error_class: error_class.create_ref()?,
        alloc: alloc.create_ref()?,
        pool: pool.create_ref()?,
    };
    env.set_instance_data(facade, (), |_| {})
}

/// The registered facade.
pub(crate) fn facade(env: &Env) -> Result<&Facade> {
    env.get_instance_data::<Facade>()?
        .map(|facade| &*facade)
        .ok_or_else(|| Error::from_reason("the squish facade is not registered"))
}
