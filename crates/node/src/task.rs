//! Promises settled by squish's worker pool.

use std::cell::OnceCell;
use std::sync::{Arc, Condvar, Mutex};

use napi::bindgen_prelude::*;
use squish_core::{memory, pool, Control, ErrorKind, Parts};

use crate::control::ControlHandle;
use crate::errors::to_napi;
use crate::output::{allocate, buffer_of};
use crate::owned::{Destination, Input};

/// The pool work in flight for one JavaScript environment: the main thread's, or a worker
/// thread's. Work reads and writes the environment's Buffers, whose memory is freed when the
/// environment shuts down (`worker.terminate()`, process exit), so the environment's cleanup
/// waits for its work to finish first, as Node.js does for its own thread-pool work.
#[derive(Default)]
struct InFlight {
    count: Mutex<usize>,
    idle: Condvar,
}

impl InFlight {
    fn start(self: &Arc<Self>) -> Running {
        *self.count.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        Running(Arc::clone(self))
    }

    fn wait_idle(&self) {
        let mut count = self.count.lock().unwrap_or_else(|e| e.into_inner());
        while *count > 0 {
            count = self.idle.wait(count).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// One piece of work in flight; dropped when it no longer touches the environment's memory.
struct Running(Arc<InFlight>);

impl Drop for Running {
    fn drop(&mut self) {
        *self.0.count.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
        self.0.idle.notify_all();
    }
}

thread_local! {
    // Each environment runs on a JavaScript thread of its own.
    static IN_FLIGHT: OnceCell<Arc<InFlight>> = const { OnceCell::new() };
}

/// Counts a piece of work in this thread's environment, registering the environment's cleanup
/// wait on first use.
fn start_work(env: &Env) -> Result<Running> {
    IN_FLIGHT.with(|cell| {
        if let Some(in_flight) = cell.get() {
            return Ok(in_flight.start());
        }
        let in_flight = Arc::new(InFlight::default());
        env.add_env_cleanup_hook(Arc::clone(&in_flight), |in_flight| in_flight.wait_idle())?;
        Ok(cell.get_or_init(|| in_flight).start())
    })
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
    let running = start_work(env)?;
    let (deferred, promise) = env.create_deferred()?;
    let control = control.and_then(|c| c.as_ref().clone());
    pool::spawn(
        move || {
            let mut held = held;
            let result = Control::run(control.as_ref(), || work(&mut held));
            drop(running);
            (held, result)
        },
        move |outcome| {
            deferred.resolve(move |env: Env| match outcome {
                Ok((held, result)) => match result {
                    Ok(value) => finish(&env, held, value),
                    Err(error) => Err(to_napi(&env, error)),
                },
                Err(panic) => Err(to_napi(
                    &env,
                    squish_core::Error::new(
                        ErrorKind::Internal,
                        format!("a squish worker failed: {panic}"),
                    ),
                )),
            })
        },
    );
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
    spawn(env, control, held, work, move |env, _, parts| {
        buffer_of(env, &parts.slices(), threads)?.into_buffer(env)
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
