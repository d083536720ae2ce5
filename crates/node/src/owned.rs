//! Memory that asynchronous work owns while it runs.
//!
//! While an asynchronous call runs, JavaScript may detach, transfer, resize or drop any buffer it
//! passed, which frees or unmaps that memory under the worker. So work never keeps a pointer into
//! memory JavaScript can take away:
//! - inputs are copied on the calling thread, as they are when the call is made;
//! - a fresh output is a Buffer that no JavaScript code can reach before the promise settles;
//! - output for a caller's buffer is made in memory of the work's own and copied into that
//!   buffer, as it is then, on the JavaScript thread when the work is done.

use napi::bindgen_prelude::*;
use squish_core::memory::{copy_of, Owned};
use squish_core::{error::bytes, Error as CoreError, ErrorKind};

use crate::errors::to_napi;

/// An input's bytes as they were when the call was made.
pub(crate) struct Input(Owned);

impl Input {
    pub(crate) fn new(view: &[u8]) -> Self {
        Self(copy_of(view))
    }

    /// An optional input (an LZ4 block dictionary, say).
    pub(crate) fn maybe(view: Option<BufferSlice>) -> Option<Self> {
        view.map(|v| Self::new(&v))
    }
}

impl std::ops::Deref for Input {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

/// A batch's inputs as they were when the call was made, one after another in one allocation.
pub(crate) struct Inputs {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Inputs {
    pub(crate) fn new(views: &[BufferSlice]) -> Self {
        let mut bytes = Vec::with_capacity(views.iter().map(|v| v.len()).sum());
        let ends = views
            .iter()
            .map(|v| {
                bytes.extend_from_slice(v);
                bytes.len()
            })
            .collect();
        Self { bytes, ends }
    }

    /// Each input's bytes.
    pub(crate) fn views(&self) -> Vec<&[u8]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| &self.bytes[start..end])
            .collect()
    }
}

/// A caller's buffer that the output of asynchronous work goes to once it is done.
pub(crate) struct Destination {
    target: Buffer,
}

impl Destination {
    pub(crate) fn new(target: Buffer) -> Self {
        Self { target }
    }

    /// The buffer's length when the call was made: the room the work may fill.
    pub(crate) fn room(&self) -> usize {
        self.target.len()
    }

    /// Copies `output` to the start of the buffer as it is now. A buffer that was detached or
    /// shrunk below it meanwhile is `ERR_SQUISH_OUTPUT_LIMIT`, and keeps what it holds.
    pub(crate) fn deliver(self, env: &Env, output: &[u8]) -> Result<()> {
        let mut view = BufferSlice::from_unknown(self.target.into_unknown(env)?)?;
        let now = view.len();
        let room = view.get_mut(..output.len()).ok_or_else(|| {
            let message = format!(
                "the output buffer holds {} now, too few for the {} decoded: it was detached or \
                 resized while the call ran",
                bytes(now as u64),
                bytes(output.len() as u64)
            );
            to_napi(env, CoreError::new(ErrorKind::OutputLimit, message))
        })?;
        room.copy_from_slice(output);
        Ok(())
    }
}
