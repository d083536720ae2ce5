//! Errors reach JavaScript as instances of the facade's `SquishError` class.

use napi::bindgen_prelude::*;

use crate::facade::facade;

/// Converts a core error into a thrown or rejected `SquishError`.
pub(crate) fn to_napi(env: &Env, error: squish_core::Error) -> Error {
    let code = error.code();
    let build = || -> Result<Unknown<'_>> {
        let instance = facade(env)?
            .error_class
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
