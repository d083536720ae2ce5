//! Promises settled by squish's worker pool.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use napi::bindgen_prelude::*;
use squish_core::{memory, pool, Control, ErrorKind, Parts};

use crate::control::ControlHandle;
use crate::direct::{promise, Late, Wakeup};
use crate::errors::to_napi;
use crate::output::{allocate, settled_buffer};
use crate::owned::{Destination, Input};

/// The async work of one JavaScript environment: the main thread's, or a worker thread's.
///
/// Work reads and writes the environment's Buffers, whose memory is freed when the environment
/// shuts down (`worker.terminate()`, process exit), so the environment's cleanup waits for its
/// work to finish first, as Node.js does for its own thread-pool work. Finished work queues the
/// settling of its promise and wakes the JavaScript thread, which settles all that is queued:
/// one wake-up for whatever finished meanwhile.
struct Work {
    running: Mutex<usize>,
    idle: Condvar,
    done: Mutex<Vec<Settle>>,
    wakeup: Wakeup,
}

/// The settling of one promise, on the JavaScript thread.
type Settle = Box<dyn FnOnce(&Env) + Send>;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Nothing panics while these locks are held.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Work {
    fn start(self: &Arc<Self>) -> Running {
        *lock(&self.running) += 1;
        Running(Arc::clone(self))
    }

    /// The environment's cleanup: waits for its work, then drops the promises it did not settle
    /// (its JavaScript has ended), and with them what their work held.
    fn shut_down(&self) {
        let mut running = lock(&self.running);
        while *running > 0 {
            running = self.idle.wait(running).unwrap_or_else(|e| e.into_inner());
        }
        drop(running);
        drop(std::mem::take(&mut *lock(&self.done)));
    }
}

/// One piece of work in flight, until it has queued its promise's settling.
struct Running(Arc<Work>);

impl Running {
    /// Queues `settle`, waking the JavaScript thread unless a wake-up is already due.
    fn done(self, settle: Settle) {
        let first = {
            let mut done = lock(&self.0.done);
            done.push(settle);
            done.len() == 1
        };
        if first {
            self.0.wakeup.wake();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let mut running = lock(&self.0.running);
        *running -= 1;
        // Only `shut_down` waits, for none running: a notification per piece of work would cost
        // a system call each.
        if *running == 0 {
            drop(running);
            self.0.idle.notify_all();
        }
    }
}

/// The JavaScript thread's side of its environment's work.
struct Local {
    work: Arc<Work>,
    /// Promises made and not settled: while there are any, the wake-up holds the event loop open.
    pending: Cell<usize>,
}

thread_local! {
    // Each environment runs on a JavaScript thread of its own, and a thread runs one environment
    // at a time: an Electron page reload, say, makes a new one on the same thread once the old
    // one is torn down, whose cleanup forgets its work.
    static LOCAL: RefCell<Option<Rc<Local>>> = const { RefCell::new(None) };
}

/// Starts a piece of work in this thread's environment, setting the environment up on first use.
fn start_work(env: &Env) -> Result<Running> {
    let local = match LOCAL.with_borrow(Option::clone) {
        Some(local) => local,
        None => {
            let wakeup = Wakeup::new(env, settle_done)?;
            let work = Arc::new(Work {
                running: Mutex::new(0),
                idle: Condvar::new(),
                done: Mutex::default(),
                wakeup,
            });
            // Added after the wake-up's own cleanup, so it runs before: the wake-up outlives the
            // work that may use it.
            env.add_env_cleanup_hook(Arc::clone(&work), |work| {
                work.shut_down();
                LOCAL.set(None);
            })?;
            let local = Rc::new(Local {
                work,
                pending: Cell::new(0),
            });
            LOCAL.set(Some(Rc::clone(&local)));
            local
        }
    };
    if local.pending.get() == 0 {
        local.work.wakeup.hold(env, true)?;
    }
    local.pending.set(local.pending.get() + 1);
    Ok(local.work.start())
}

/// How long one wake-up settles promises before it lets the event loop turn: settling a large
/// output copies it into a Buffer, and 256 of 1 MiB at once would hold the loop for 300 ms.
const SETTLE_SLICE: Duration = Duration::from_millis(1);

/// Settles the promises of the work that is done, for one slice of time at most, then wakes the
/// thread again for the rest: the wake-up's callback.
fn settle_done(env: &Env) {
    let Some(local) = LOCAL.with_borrow(Option::clone) else {
        return;
    };
    let mut done = std::mem::take(&mut *lock(&local.work.done)).into_iter();
    let started = Instant::now();
    let mut count = 0;
    for settle in done.by_ref() {
        settle(env);
        count += 1;
        if started.elapsed() >= SETTLE_SLICE {
            break;
        }
    }
    if done.len() > 0 {
        // Ahead of what finished meanwhile, which found the queue not empty and did not wake.
        lock(&local.work.done).splice(0..0, done);
        local.work.wakeup.wake();
    }
    local.pending.set(local.pending.get() - count);
    if local.pending.get() == 0 {
        let _ = local.work.wakeup.hold(env, false);
    }
}

/// Runs `work` on the worker pool under `control`, then `settle` on the JavaScript thread with
/// what the work held and its value, or its error.
pub(crate) fn run<H, T>(
    env: &Env,
    control: Option<&ControlHandle>,
    held: H,
    work: impl FnOnce(&mut H) -> squish_core::Result<T> + Send + 'static,
    settle: impl FnOnce(&Env, squish_core::Result<(H, T)>) + Send + 'static,
) -> Result<()>
where
    H: Send + 'static,
    T: Send + 'static,
{
    let running = start_work(env)?;
    let control = control.and_then(|c| c.as_ref().clone());
    pool::spawn(
        move || {
            let mut held = held;
            let result = Control::run(control.as_ref(), || work(&mut held));
            (held, result)
        },
        move |outcome| {
            running.done(Box::new(move |env: &Env| {
                // What the work held is dropped here, on the JavaScript thread, whatever the
                // result.
                let outcome = match outcome {
                    Ok((held, result)) => result.map(|value| (held, value)),
                    Err(panic) => Err(squish_core::Error::new(
                        ErrorKind::Internal,
                        format!("a squish worker failed: {panic}"),
                    )),
                };
                settle(env, outcome);
            }))
        },
    );
    Ok(())
}

/// Runs `work` on the worker pool under `control` and returns a promise of `finish`'s value.
///
/// `held` (what the work owns: its inputs, its output) travels with the task and comes back to
/// `finish` on the JavaScript thread with the work's result, and is dropped there.
pub(crate) fn spawn<'env, H, T, V>(
    env: &'env Env,
    control: Option<&ControlHandle>,
    held: H,
    work: impl FnOnce(&mut H) -> squish_core::Result<T> + Send + 'static,
    finish: impl FnOnce(&Env, H, T) -> Result<V> + Send + 'static,
) -> Result<Object<'env>>
where
    H: Send + 'static,
    T: Send + 'static,
    V: ToNapiValue + 'static,
{
    let (deferred, promise) = promise(env)?;
    run(env, control, held, work, move |env, outcome| {
        let result = outcome
            .map_err(|error| to_napi(env, error))
            .and_then(|(held, value)| finish(env, held, value));
        deferred.settle(env, result);
    })?;
    Ok(promise)
}

/// Runs `work` on the worker pool under `control` with `held` (the inputs it reads), and
/// resolves to a Buffer holding the parts it made, copied on up to `threads` threads (see
/// `buffer_of`).
pub(crate) fn spawn_to_parts<'env, H: Send + 'static>(
    env: &'env Env,
    control: Option<&ControlHandle>,
    held: H,
    threads: usize,
    work: impl FnOnce(&mut H) -> squish_core::Result<Parts> + Send + 'static,
) -> Result<Object<'env>> {
    spawn(env, control, held, work, move |_, _, parts| {
        Ok(Late {
            from: (parts, threads),
            make: |env, (parts, threads)| settled_buffer(env, &parts.slices(), threads),
        })
    })
}

/// [`spawn_to_parts`] for work that writes one output vector.
pub(crate) fn spawn_to_buffer<'env, H: Send + 'static>(
    env: &'env Env,
    control: Option<&ControlHandle>,
    held: H,
    work: impl FnOnce(&mut H, &mut Vec<u8>) -> squish_core::Result<()> + Send + 'static,
) -> Result<Object<'env>> {
    spawn_to_parts(env, control, held, 1, move |held| {
        Parts::written(|out| work(held, out))
    })
}

/// Runs `work` on the worker pool under `control` with `input`, writing an output of `size`
/// bytes straight into a fresh Buffer, which it resolves to. Until then, only the work can reach
/// that Buffer.
pub(crate) fn spawn_to_fresh<'env>(
    env: &'env Env,
    control: &ControlHandle,
    input: Input,
    size: usize,
    work: impl FnOnce(&[u8], &mut [u8]) -> squish_core::Result<()> + Send + 'static,
) -> Result<Object<'env>> {
    let output = allocate(env, size)?.into_buffer(env)?;
    spawn(
        env,
        Some(control),
        (input, output),
        move |(input, output)| work(input, output),
        |_, (_, output), ()| Ok(output),
    )
}

/// Runs `work` on the worker pool under `control` with `input`, writing into memory of its own
/// as large as `output` (or `size`, the output's known size, when smaller), and resolves to the
/// length it wrote, once that is copied into `output` (see [`Destination::deliver`]).
pub(crate) fn spawn_into<'env>(
    env: &'env Env,
    control: Option<&ControlHandle>,
    input: Input,
    output: Destination,
    size: Option<usize>,
    work: impl FnOnce(&[u8], &mut [u8]) -> squish_core::Result<usize> + Send + 'static,
) -> Result<Object<'env>> {
    let room = size.map_or(output.room(), |size| size.min(output.room()));
    spawn(
        env,
        control,
        (input, output),
        move |(input, _)| {
            let mut out = memory::room(room);
            let n = work(input, &mut out)?;
            out.truncate(n);
            Ok(out)
        },
        |env, (_, output), out| {
            output.deliver(env, &out)?;
            Ok(out.len() as f64)
        },
    )
}

/// The bytes of each of a batch's inputs.
pub(crate) fn views<B: AsRef<[u8]>>(inputs: &[B]) -> Vec<&[u8]> {
    inputs.iter().map(|b| b.as_ref()).collect()
}
