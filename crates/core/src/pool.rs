//! squish's own worker pool.
//!
//! Asynchronous codec work runs here rather than on the host's I/O threads (libuv's four in
//! Node.js), so a burst of large compressions never delays file system, DNS or crypto work.
//! Threads start on first use, one per available core unless [`set_threads`] says otherwise,
//! and sleep while the queue is empty.

use std::cell::Cell;
use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use crate::control;

type Job = Box<dyn FnOnce() + Send + 'static>;

struct State {
    jobs: VecDeque<Job>,
    /// Worker threads running.
    workers: usize,
    /// Worker threads waiting for a job: a job submitted while none is wakes none.
    waiting: usize,
    /// Worker threads wanted; 0 until set, meaning one per available core.
    target: usize,
}

impl State {
    fn target(&self) -> usize {
        match self.target {
            0 => *CORES.get_or_init(|| thread::available_parallelism().map_or(1, |n| n.get())),
            n => n,
        }
    }

    /// Starts workers until there are as many as wanted.
    fn grow(&mut self) {
        while self.workers < self.target() {
            let spawned = thread::Builder::new()
                .name(format!("squish-worker-{}", self.workers))
                .spawn(work);
            if spawned.is_err() {
                // Work still runs on the workers there are; with none, on the submitting thread.
                break;
            }
            self.workers += 1;
        }
    }
}

static STATE: Mutex<State> = Mutex::new(State {
    jobs: VecDeque::new(),
    workers: 0,
    waiting: 0,
    target: 0,
});
static READY: Condvar = Condvar::new();
static CORES: OnceLock<usize> = OnceLock::new();

fn state() -> MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(|e| e.into_inner())
}

/// How long a worker that runs out of jobs looks for the next one before it sleeps: a thread
/// that sleeps takes a system call and a wake-up (tens of microseconds) to start the next job,
/// and callers that wait for each result to make the next request send it within that time.
const SPIN: Duration = Duration::from_micros(50);

/// Jobs in the queue, read without the lock by workers looking for the next one.
static QUEUED: AtomicUsize = AtomicUsize::new(0);

/// Returns once a job is queued, or after [`SPIN`]. It yields its core meanwhile: where the
/// workers outnumber the free cores, the thread that queues the next job, or waits for this
/// one's result, gets to run.
fn await_job() {
    let start = Instant::now();
    while QUEUED.load(Ordering::Relaxed) == 0 && start.elapsed() < SPIN {
        std::thread::yield_now();
    }
}

fn work() {
    loop {
        let mut spin = true;
        let job = {
            let mut state = state();
            loop {
                if state.workers > state.target() {
                    state.workers -= 1;
                    return;
                }
                match state.jobs.pop_front() {
                    Some(job) => {
                        QUEUED.fetch_sub(1, Ordering::Relaxed);
                        break job;
                    }
                    None if spin => {
                        drop(state);
                        spin = false;
                        await_job();
                        state = self::state();
                    }
                    None => {
                        state.waiting += 1;
                        state = READY.wait(state).unwrap_or_else(|e| e.into_inner());
                        state.waiting -= 1;
                    }
                }
            }
        };
        // A job reports its own panics (see `spawn`); this only keeps the thread alive.
        let _ = panic::catch_unwind(AssertUnwindSafe(job));
    }
}

/// Runs `task` on the pool, then hands its outcome to `done` on the same worker thread.
///
/// `done` receives `Err` with the panic message if `task` panicked, so a caller waiting on
/// the result is always answered.
pub fn spawn<T, F, D>(task: F, done: D)
where
    F: FnOnce() -> T + Send + 'static,
    D: FnOnce(Result<T, String>) + Send + 'static,
{
    let job = move || {
        let _in_job = InJob::enter();
        let outcome = panic::catch_unwind(AssertUnwindSafe(task)).map_err(|payload| {
            payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string())
        });
        done(outcome);
    };
    submit(Box::new(job));
}

thread_local! {
    static IN_JOB: Cell<bool> = const { Cell::new(false) };
}

/// Marks the thread as running a job until dropped, however the job ends.
struct InJob(bool);

impl InJob {
    fn enter() -> Self {
        InJob(IN_JOB.replace(true))
    }
}

impl Drop for InJob {
    fn drop(&mut self) {
        IN_JOB.set(self.0);
    }
}

/// Whether the calling thread is running a task given to [`spawn`] (on a worker, or on the
/// spawning thread itself when no worker could be started).
pub fn in_job() -> bool {
    IN_JOB.get()
}

fn submit(job: Job) {
    let mut state = state();
    state.grow();
    if state.workers == 0 {
        drop(state);
        job();
        return;
    }
    state.jobs.push_back(job);
    QUEUED.fetch_add(1, Ordering::Relaxed);
    if state.waiting > 0 {
        READY.notify_one();
    }
}

/// Computes `f(0)` to `f(count - 1)` on the calling thread and up to `threads - 1` pool
/// workers (0: one per worker), and returns the results in order.
///
/// The calling thread takes items too, so this completes even when every worker is busy (or is
/// the caller itself). Workers that start after the last item has been taken do nothing.
pub fn scatter<R, F>(count: usize, threads: usize, f: F) -> Vec<R>
where
    R: Send,
    F: Fn(usize) -> R + Sync,
{
    let slots: Vec<Mutex<Option<R>>> = (0..count).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let take_items = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= count {
            break;
        }
        let result = f(i);
        *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
    };
    let helpers = resolve(threads).min(count).saturating_sub(1);
    if helpers > 0 {
        let batch = Batch::open(&take_items);
        // Closed on every way out of this block, a panic included, before `take_items` dies.
        let _closing = Closing(&batch);
        let control = control::current();
        for _ in 0..helpers {
            let batch = batch.clone();
            let control = control.clone();
            submit(Box::new(move || {
                control::with_current(control, || batch.help())
            }));
        }
        take_items();
    } else {
        take_items();
    }
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("a batch item panicked")
        })
        .collect()
}

/// The work of one `scatter` call, as seen by the pool workers helping with it.
struct Batch {
    state: Mutex<BatchState>,
    idle: Condvar,
}

struct BatchState {
    /// The caller's item loop while the batch is open; `None` once the caller has closed it.
    task: Option<TaskRef>,
    /// Workers currently inside `task`.
    running: usize,
}

/// A reference to the caller's item loop with its lifetime erased.
struct TaskRef(*const (dyn Fn() + Sync));

// SAFETY: the referenced closure is `Sync`, and it is only called while the batch is open (see
// `Batch::open`).
unsafe impl Send for TaskRef {}

impl Batch {
    fn open<'a>(task: &'a (dyn Fn() + Sync + 'a)) -> Arc<Batch> {
        let ptr: *const (dyn Fn() + Sync + 'a) = task;
        // SAFETY: only the lifetime is erased. Workers call the closure only while `task` is
        // `Some`, and `Closing::drop` (which runs before `scatter` returns or unwinds, while the
        // closure is still alive) sets it to `None` and then waits until no worker is inside it.
        let ptr: *const (dyn Fn() + Sync + 'static) = unsafe { std::mem::transmute(ptr) };
        Arc::new(Batch {
            state: Mutex::new(BatchState {
                task: Some(TaskRef(ptr)),
                running: 0,
            }),
            idle: Condvar::new(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BatchState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn help(&self) {
        let task = {
            let mut state = self.lock();
            let Some(task) = state.task.as_ref().map(|t| t.0) else {
                return;
            };
            state.running += 1;
            task
        };
        struct Leaving<'b>(&'b Batch);
        impl Drop for Leaving<'_> {
            fn drop(&mut self) {
                self.0.lock().running -= 1;
                self.0.idle.notify_all();
            }
        }
        let _leaving = Leaving(self);
        // SAFETY: the batch was open when `running` was incremented, so the closure stays alive
        // until `_leaving` decrements it (see `Batch::open`).
        unsafe { (*task)() };
    }
}

/// Closes a batch when the caller is done with it, waiting for workers still inside it.
struct Closing<'b>(&'b Arc<Batch>);

impl Drop for Closing<'_> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.task = None;
        while state.running > 0 {
            state = self.0.idle.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// How many worker threads the pool runs (or will run, once started).
pub fn threads() -> usize {
    state().target()
}

/// Sets how many worker threads the pool runs (0: one per available core). Extra workers stop
/// once they finish their current job; missing ones start with the next job.
pub fn set_threads(count: usize) {
    let mut state = state();
    state.target = count;
    if state.workers > 0 {
        state.grow();
    }
    READY.notify_all();
}

/// A thread count as callers give it: 0 means one per pool worker.
pub fn resolve(count: usize) -> usize {
    if count == 0 {
        threads()
    } else {
        count
    }
}

/// Runs `f(i, slice)` on consecutive slices of `dst` of the lengths in `lens`, on the calling
/// thread and up to `threads - 1` pool workers (0: one per worker), and returns the first error
/// in slice order. `lens` must add up to at most `dst.len()`.
pub fn scatter_slices<T, E, F>(dst: &mut [T], lens: &[usize], threads: usize, f: F) -> Result<(), E>
where
    T: Send,
    E: Send,
    F: Fn(usize, &mut [T]) -> Result<(), E> + Sync,
{
    let mut rest = dst;
    let slots: Vec<Mutex<&mut [T]>> = lens
        .iter()
        .map(|&len| {
            let (head, tail) = std::mem::take(&mut rest).split_at_mut(len);
            rest = tail;
            Mutex::new(head)
        })
        .collect();
    scatter(slots.len(), threads, |i| {
        let mut slot = slots[i].lock().unwrap_or_else(|e| e.into_inner());
        f(i, &mut slot)
    })
    .into_iter()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn runs_jobs_off_the_calling_thread() {
        let caller = thread::current().id();
        let (tx, rx) = mpsc::channel();
        for i in 0..64 {
            let tx = tx.clone();
            spawn(
                move || (i, thread::current().id()),
                move |r| tx.send(r).unwrap(),
            );
        }
        let mut seen: Vec<_> = (0..64).map(|_| rx.recv().unwrap().unwrap()).collect();
        assert!(seen.iter().all(|(_, id)| *id != caller));
        seen.sort_by_key(|(i, _)| *i);
        assert_eq!(
            seen.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
            (0..64).collect::<Vec<_>>()
        );
        assert!(threads() >= 1);
    }

    #[test]
    fn scatter_returns_every_result_in_order() {
        let caller = thread::current().id();
        for threads in [1, 2, 8] {
            let out = scatter(1000, threads, |i| (i * 3, thread::current().id()));
            assert_eq!(
                out.iter().map(|(v, _)| *v).collect::<Vec<_>>(),
                (0..1000).map(|i| i * 3).collect::<Vec<_>>()
            );
            if threads == 1 {
                assert!(out.iter().all(|(_, id)| *id == caller));
            }
        }
        assert!(scatter(0, 4, |i| i).is_empty());
        // Nested inside a pool job, with every worker busy, it still completes.
        let (tx, rx) = mpsc::channel();
        for _ in 0..threads() * 2 {
            let tx = tx.clone();
            spawn(
                || scatter(200, 4, |i| i).iter().sum::<usize>(),
                move |r| tx.send(r).unwrap(),
            );
        }
        for _ in 0..threads() * 2 {
            assert_eq!(rx.recv().unwrap(), Ok(199 * 100));
        }
    }

    #[test]
    fn scatter_slices_fills_each_slice_and_reports_the_first_failure_in_order() {
        let lens = [3, 0, 5, 1, 4];
        let mut dst = vec![0u8; 15];
        scatter_slices(&mut dst, &lens, 3, |i, out| {
            out.fill(i as u8 + 1);
            Ok::<(), usize>(())
        })
        .unwrap();
        assert_eq!(dst, [1, 1, 1, 3, 3, 3, 3, 3, 4, 5, 5, 5, 5, 0, 0]);
        let failed = scatter_slices(
            &mut dst,
            &lens,
            3,
            |i, _| if i >= 2 { Err(i) } else { Ok(()) },
        );
        assert_eq!(failed, Err(2));
    }

    #[test]
    fn the_pool_resizes() {
        let before = threads();
        set_threads(3);
        assert_eq!(threads(), 3);
        let (tx, rx) = mpsc::channel();
        for i in 0..32 {
            let tx = tx.clone();
            spawn(move || i, move |r| tx.send(r).unwrap());
        }
        assert_eq!(
            (0..32).map(|_| rx.recv().unwrap().unwrap()).sum::<i32>(),
            496
        );
        assert!(state().workers >= 3);
        set_threads(1);
        let (tx, rx) = mpsc::channel();
        spawn(|| 7, move |r| tx.send(r).unwrap());
        assert_eq!(rx.recv().unwrap(), Ok(7));
        set_threads(0);
        assert_eq!(threads(), *CORES.get().unwrap());
        set_threads(before);
    }

    #[test]
    fn a_panicking_task_is_reported_and_the_pool_survives() {
        let (tx, rx) = mpsc::channel();
        let t = tx.clone();
        spawn(|| -> u8 { panic!("boom") }, move |r| t.send(r).unwrap());
        assert_eq!(rx.recv().unwrap(), Err("boom".to_string()));
        spawn(|| 7u8, move |r| tx.send(r).unwrap());
        assert_eq!(rx.recv().unwrap(), Ok(7));
    }
}
