//! squish's own worker pool.
//!
//! Asynchronous codec work runs here rather than on the host's I/O threads (libuv's four in
//! Node.js), so a burst of large compressions never delays file system, DNS or crypto work.
//! Threads start on first use, one per available core, and sleep while the queue is empty.

use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Condvar, Mutex, OnceLock};
use std::thread;

type Job = Box<dyn FnOnce() + Send + 'static>;

struct Pool {
    queue: Mutex<VecDeque<Job>>,
    ready: Condvar,
    threads: usize,
}

static POOL: OnceLock<Pool> = OnceLock::new();

fn pool() -> &'static Pool {
    POOL.get_or_init(|| {
        let threads = thread::available_parallelism().map_or(1, |n| n.get());
        for i in 0..threads {
            thread::Builder::new()
                .name(format!("squish-worker-{i}"))
                .spawn(work)
                .expect("cannot start a squish worker thread");
        }
        Pool {
            queue: Mutex::new(VecDeque::new()),
            ready: Condvar::new(),
            threads,
        }
    })
}

fn work() {
    let pool = pool();
    loop {
        let job = {
            let mut queue = pool.queue.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                match queue.pop_front() {
                    Some(job) => break job,
                    None => queue = pool.ready.wait(queue).unwrap_or_else(|e| e.into_inner()),
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
        let outcome = panic::catch_unwind(AssertUnwindSafe(task)).map_err(|payload| {
            payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string())
        });
        done(outcome);
    };
    let pool = pool();
    pool.queue
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push_back(Box::new(job));
    pool.ready.notify_one();
}

/// How many worker threads the pool runs.
pub fn threads() -> usize {
    pool().threads
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
    fn a_panicking_task_is_reported_and_the_pool_survives() {
        let (tx, rx) = mpsc::channel();
        let t = tx.clone();
        spawn(|| -> u8 { panic!("boom") }, move |r| t.send(r).unwrap());
        assert_eq!(rx.recv().unwrap(), Err("boom".to_string()));
        spawn(|| 7u8, move |r| tx.send(r).unwrap());
        assert_eq!(rx.recv().unwrap(), Ok(7));
    }
}
