//! Errors reach JavaScript as instances of the facade's `SquishError` class.

use napi::bindgen_prelude::*;
use napi_derive::napi;

type Args = FnArgs<(&'static str, String)>;
type ErrorClass = FunctionRef<Args, Unknown<'static>>;

/// Registers the `SquishError` constructor, called as `new SquishError(code, message)`.
/// The facade calls this once per JavaScript environment (main thread or worker).
#[napi(ts_args_type = "constructor: new (code: any, message: string) => Error")]
pub fn set_error_class(env: Env, constructor: Function<Args, Unknown<'static>>) -> Result<()> {
    let class: ErrorClass = constructor.create_ref()?;
    env.set_instance_data(class, (), |_| {})
}

/// Converts a core error into a thrown or rejected `SquishError`.
pub(crate) fn to_napi(env: &Env, error: squish_core::Error) -> Error {
    let code = error.code();
    let build = || -> Result<Unknown<'_>> {
        let class = env
            .get_instance_data::<ErrorClass>()?
            .ok_or_else(|| Error::from_reason("SquishError class is not registered"))?;
        let instance = class
            .borrow_back(env)?
            .new_instance(FnArgs::from((code, error.message.clone())))?;
        if let Some(index) = error.index {
            let mut object = instance.coerce_to_object()?;
            object.set_named_property("index", index as u32)?;
        }
        Ok(instance)
    };
    match build() {
        Ok(instance) => Error::from(instance),
        Err(_) => Error::new(Status::GenericFailure, error.to_string()),
    }
}
