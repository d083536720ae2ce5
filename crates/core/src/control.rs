//! Cancellation and progress for long work.
//!
//! A [`Control`] is made for one operation and installed on the thread that runs it with
//! [`Control::run`]; the codec loops find it there, count the bytes they consume and produce,
//! and stop at the next block (or libzstd job, or batch item) once it is cancelled. The pool hands it on to the workers
//! that help with the operation. Work run without one pays a thread-local read per step.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use crate::{Error, ErrorKind, Result};

/// Input at most this large is compressed or decoded in one step even under a control: work of
/// this size ends within a moment anyway. LZ4 input is also decoded in steps of this size.
pub(crate) const STEP: usize = 1 << 20;

#[derive(Debug, Default)]
pub struct Control {
    cancelled: AtomicBool,
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<Control>>> = const { RefCell::new(None) };
}

impl Control {
    pub fn new() -> Arc<Control> {
        Arc::default()
    }

    /// Asks the work to stop; it fails with [`ErrorKind::Aborted`] at its next step.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Bytes consumed and produced so far.
    pub fn progress(&self) -> (u64, u64) {
        (
            self.bytes_in.load(Ordering::Relaxed),
            self.bytes_out.load(Ordering::Relaxed),
        )
    }

    /// Runs `f` with `control` (if any) as this thread's control. Fails without running it if
    /// the control is already cancelled, and fails if it was cancelled by the time `f` ends, so
    /// work that has no steps of its own (training a dictionary, one block) is aborted too.
    pub fn run<R>(control: Option<&Arc<Control>>, f: impl FnOnce() -> Result<R>) -> Result<R> {
        match control {
            None => f(),
            Some(control) => {
                control.check()?;
                let value = with_current(Some(Arc::clone(control)), f)?;
                control.check()?;
                Ok(value)
            }
        }
    }

    fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            return Err(Error::new(ErrorKind::Aborted, "the operation was aborted"));
        }
        Ok(())
    }
}

/// This thread's control, for handing on to pool workers.
pub(crate) fn current() -> Option<Arc<Control>> {
    CURRENT.with(|c| c.borrow().clone())
}

/// Runs `f` with `control` as this thread's control.
pub(crate) fn with_current<R>(control: Option<Arc<Control>>, f: impl FnOnce() -> R) -> R {
    let previous = CURRENT.with(|c| c.replace(control));
    struct Restore(Option<Arc<Control>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|c| *c.borrow_mut() = self.0.take());
        }
    }
    let _restore = Restore(previous);
    f()
}

/// Whether work on this thread runs under a control.
pub(crate) fn active() -> bool {
    CURRENT.with(|c| c.borrow().is_some())
}

/// Whether work of `len` bytes on this thread should go in steps of [`STEP`], for a control.
pub(crate) fn stepped(len: usize) -> bool {
    len > STEP && active()
}

/// Counts `bytes_in` consumed and `bytes_out` produced by this thread's work, and fails if the
/// work was cancelled.
pub(crate) fn advance(bytes_in: usize, bytes_out: usize) -> Result<()> {
    CURRENT.with(|c| match c.borrow().as_ref() {
        None => Ok(()),
        Some(control) => {
            control
                .bytes_in
                .fetch_add(bytes_in as u64, Ordering::Relaxed);
            control
                .bytes_out
                .fetch_add(bytes_out as u64, Ordering::Relaxed);
            control.check()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_progress_and_stops_when_cancelled() {
        let control = Control::new();
        let result = Control::run(Some(&control), || {
            assert!(stepped(STEP + 1) && !stepped(STEP));
            advance(10, 3)?;
            advance(5, 2)?;
            control.cancel();
            advance(1, 1)
        });
        assert_eq!(result.unwrap_err().kind, ErrorKind::Aborted);
        assert_eq!(control.progress(), (16, 6));
        assert!(current().is_none() && !stepped(STEP + 1));
        let again = Control::run(Some(&control), || Ok(()));
        assert_eq!(again.unwrap_err().kind, ErrorKind::Aborted);
        assert_eq!(Control::run(None, || advance(1, 1)), Ok(()));
    }
}
