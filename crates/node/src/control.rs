//! Cancellation and progress of async operations: the facade makes a control for an operation
//! with a `signal` or `onProgress`, cancels it when the signal aborts and polls its progress.

use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use squish_core::Control;

/// An operation's control, or none: operations without one run undivided.
pub type ControlHandle = External<Option<Arc<Control>>>;

#[napi(ts_return_type = "ControlHandle")]
pub fn control_new(active: bool) -> ControlHandle {
    External::new(active.then(Control::new))
}

/// Stops the operation at its next block or job; it rejects with `ERR_SQUISH_ABORTED`.
#[napi]
pub fn control_cancel(#[napi(ts_arg_type = "ControlHandle")] control: &ControlHandle) {
    if let Some(control) = control.as_ref() {
        control.cancel();
    }
}

/// `[bytesIn, bytesOut]` so far.
#[napi]
pub fn control_progress(
    #[napi(ts_arg_type = "ControlHandle")] control: &ControlHandle,
) -> Vec<f64> {
    let (bytes_in, bytes_out) = control.as_ref().as_ref().map_or((0, 0), |c| c.progress());
    vec![bytes_in as f64, bytes_out as f64]
}
