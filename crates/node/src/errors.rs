//! Errors reach JavaScript as instances of the facade's `SquishError` class.

use napi::bindgen_prelude::*;
use squish_core::{ErrorKind, Limit};

use crate::facade::facade;
use crate::zstd::params;

/// The message of `error`, naming the JavaScript option it is about.
fn message(error: &squish_core::Error) -> String {
    if let Some((param, value)) = error.param {
        return params::out_of_range(param, value.into());
    }
    let text = &error.message;
    match (error.limit, error.kind) {
        (None, _) => text.clone(),
        (Some(Limit::Output), _) => format!("{text}; maxOutputSize sets the limit"),
        (Some(Limit::Window), ErrorKind::InvalidArg) => format!("maxWindowSize: {text}"),
        (Some(Limit::Window), _) => format!(
            "{text}; a zstd.Decompressor with a larger maxWindowSize (up to 2 GiB) decodes it"
        ),
    }
}

/// Converts a core error into a thrown or rejected `SquishError`.
pub(crate) fn to_napi(env: &Env, error: squish_core::Error) -> Error {
    let code = error.code();
    let build = || -> Result<Unknown<'_>> {
        let instance = facade(env)?
            .error_class
            .borrow_back(env)?
            .new_instance(FnArgs::from((code, message(&error))))?;
        if let Some(index) = error.index {
            let mut object = instance.coerce_to_object()?;
            object.set_named_property("index", index as u32)?;
        }
        Ok(instance)
    };
    match build() {
        Ok(instance) => Error::from(instance),
        Err(_) => Error::new(
            Status::GenericFailure,
            format!("{} ({code})", message(&error)),
        ),
    }
}
