//! Where Python code runs for a call. A runtime thread never runs user code (a traffic hook, a
//! progress callback, a `logging` handler) nor waits for the GIL inside a call's future: each
//! hook event and log record becomes a [`Job`] handed to the call's [`Sink`], the caller's
//! thread for a blocking call, the event loop for an asynchronous one. User code may
//! then call the client again, blocking or not (issue 24): the runtime is never stuck under
//! it, its records and events go where its own call waits, and no lock of ours is held.
//!
//! Jobs reach event loops through one delivery thread, in batches (one `call_soon_threadsafe`
//! per loop and batch): results cost no thread per call, whatever the number of calls. An
//! asynchronous call's outcome is no job: the delivery thread (GIL held, counted by
//! `with_python`) makes it Python objects and schedules `_aio.settle`, plain Python, after the
//! call's jobs, so the result crosses from Rust to Python once and no Rust frame runs under it.

use std::cell::Cell;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use pyo3::exceptions::{PyException, PyKeyboardInterrupt};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::runtime;

/// Work that needs the interpreter, run where the call's user code runs.
pub type Job = Box<dyn for<'py> FnOnce(Python<'py>) + Send>;

/// What a call's future resolves to, made on the delivery thread (GIL held).
pub type Outcome = Box<dyn for<'py> FnOnce(Python<'py>) -> PyResult<Py<PyAny>> + Send>;

/// What the delivery thread hands a loop, in order: a job to run there, or the outcome of a
/// call with its future.
enum Delivery {
    Job(Job),
    Settle(Py<PyAny>, Outcome),
}

/// Where the jobs of one call go, in order.
#[derive(Clone)]
pub struct Sink(Arc<dyn Fn(Job) + Send + Sync>);

tokio::task_local! {
    /// The sink of the call whose future is running.
    static SINK: Sink;
}

thread_local! {
    static RUNTIME_THREAD: Cell<bool> = const { Cell::new(false) };
}

impl Sink {
    /// Jobs given to `send` (the channel of a blocking call's waiting thread).
    pub fn new(send: impl Fn(Job) + Send + Sync + 'static) -> Sink {
        Sink(Arc::new(send))
    }

    /// Jobs run on the thread of `event_loop` (asyncio's, or `_aio`'s trio adapter), in order.
    pub fn event_loop(event_loop: Arc<Py<PyAny>>) -> Sink {
        Sink::new(move |job| LOOPS.push((Arc::clone(&event_loop), Delivery::Job(job))))
    }

    pub fn send(&self, job: Job) {
        (self.0)(job);
    }

    /// Runs `fut` with this sink as the one of its call.
    pub fn scope<F: Future>(self, fut: F) -> impl Future<Output = F::Output> {
        SINK.scope(self, fut)
    }
}

/// Sets `outcome` on `future`, a future of `event_loop`, after the jobs already sent to that loop
/// (those of `Sink::event_loop`): the delivery thread makes it Python objects and the loop runs
/// `_aio.settle`, no Rust code.
pub fn settle(event_loop: Arc<Py<PyAny>>, future: Py<PyAny>, outcome: Outcome) {
    LOOPS.push((event_loop, Delivery::Settle(future, outcome)));
}

/// `on_thread_start` of the runtime: its threads never run Python code inline.
pub fn mark_runtime_thread() {
    RUNTIME_THREAD.with(|t| t.set(true));
}

/// Runs `job` with the interpreter: in the current call's sink; from a runtime thread outside
/// any call (the embedded emulator's records), on a background thread; on a thread of the
/// program (which may hold the GIL already), right here.
pub fn run(job: Job) {
    if let Ok(sink) = SINK.try_with(Sink::clone) {
        sink.send(job);
    } else if RUNTIME_THREAD.with(Cell::get) {
        BACKGROUND.push(job);
    } else {
        runtime::with_python(|py| {
            if let Some(interrupt) = run_job(py, job) {
                rearm(py, interrupt);
            }
        });
    }
}

/// Runs a job; returns the `KeyboardInterrupt` (or other `BaseException` that is not an
/// `Exception`, such as `SystemExit`) user code raised in it, which is the caller's: a Ctrl-C
/// landing in a hook or a log handler on the calling thread stops the call, as it did when
/// they ran elsewhere. Any other exception left pending is reported as unraisable.
pub fn run_job(py: Python<'_>, job: Job) -> Option<PyErr> {
    // An exception already pending on this thread (Rust code logging while one is set) is not
    // the job's: it is put back as it was.
    let before = PyErr::take(py);
    // A bug in one job must not leave the others (other calls' results) undone.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(py)));
    let interrupt = PyErr::take(py).and_then(|pending| {
        if pending.is_instance_of::<PyException>(py) {
            pending.write_unraisable(py, None);
            return None;
        }
        Some(pending)
    });
    if let Some(before) = before {
        before.restore(py);
    }
    interrupt
}

/// An exception of user code in a job: an interruption (Ctrl-C, `SystemExit`) is left pending
/// for the job's runner ([`run_job`]), which hands it on; any other is given back, to report.
pub fn unless_interrupt(py: Python<'_>, err: PyErr) -> Option<PyErr> {
    if err.is_instance_of::<PyException>(py) {
        return Some(err);
    }
    err.restore(py);
    None
}

/// An interruption met where it cannot be raised (Rust code logging from a Python thread): a
/// Ctrl-C is signalled again, to be raised at the thread's next check, like any Ctrl-C.
fn rearm(py: Python<'_>, interrupt: PyErr) {
    if interrupt.is_instance_of::<PyKeyboardInterrupt>(py) {
        // SAFETY: callable from any thread; it only flags SIGINT as pending.
        unsafe { pyo3::ffi::PyErr_SetInterrupt() };
    } else {
        interrupt.write_unraisable(py, None);
    }
}

/// A queue served by one thread of ours, started on first use (again in a child after `fork`:
/// the parent's thread does not exist there).
struct Worker<T> {
    name: &'static str,
    queue: Mutex<Queue<T>>,
    ready: Condvar,
    /// Serves what the queue holds, taken with the given function once the GIL is held: what
    /// arrives while the thread waits for it joins the same batch.
    serve: fn(&dyn Fn() -> Vec<T>),
}

struct Queue<T> {
    items: Vec<T>,
    /// The runtime generation whose thread serves the queue.
    served_in: Option<u64>,
}

impl<T: Send + 'static> Worker<T> {
    const fn new(name: &'static str, serve: fn(&dyn Fn() -> Vec<T>)) -> Self {
        Worker {
            name,
            queue: Mutex::new(Queue {
                items: Vec::new(),
                served_in: None,
            }),
            ready: Condvar::new(),
            serve,
        }
    }

    fn push(&'static self, item: T) {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        queue.items.push(item);
        let generation = runtime::generation();
        if queue.served_in == Some(generation) {
            self.ready.notify_one();
            return;
        }
        let started = std::thread::Builder::new()
            .name(self.name.into())
            .spawn(move || self.serve_forever());
        // No thread to be had: the next push tries again.
        queue.served_in = started.is_ok().then_some(generation);
    }

    fn serve_forever(&'static self) {
        loop {
            {
                let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
                while queue.items.is_empty() {
                    queue = self
                        .ready
                        .wait(queue)
                        .unwrap_or_else(PoisonError::into_inner);
                }
            }
            (self.serve)(&|| self.take());
        }
    }

    fn take(&self) -> Vec<T> {
        std::mem::take(
            &mut self
                .queue
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .items,
        )
    }

    /// In a child after `fork` (GIL held): the parent's pending jobs are not the child's.
    fn forget(&self) {
        if let Ok(mut queue) = self.queue.try_lock() {
            queue.items.clear();
            queue.served_in = None;
        }
    }
}

static LOOPS: Worker<(Arc<Py<PyAny>>, Delivery)> =
    Worker::new("scaleway-partner-deliver", to_loops);
static BACKGROUND: Worker<Job> = Worker::new("scaleway-partner-python", in_background);

/// Hands each loop what it has, in order: each run of jobs as one batch, each outcome as a call of
/// `_aio.settle` (the loop runs them in the order they were scheduled).
fn to_loops(take: &dyn Fn() -> Vec<(Arc<Py<PyAny>>, Delivery)>) {
    let delivered = runtime::with_python(|py| {
        let mut loops: Vec<(Arc<Py<PyAny>>, Vec<Delivery>)> = Vec::new();
        let mut index: HashMap<usize, usize> = HashMap::new();
        for (event_loop, delivery) in take() {
            let i = *index
                .entry(event_loop.as_ptr() as usize)
                .or_insert_with(|| {
                    loops.push((Arc::clone(&event_loop), Vec::new()));
                    loops.len() - 1
                });
            loops[i].1.push(delivery);
        }
        for (event_loop, deliveries) in loops {
            let event_loop = event_loop.bind(py);
            let mut jobs = Vec::new();
            for delivery in deliveries {
                match delivery {
                    Delivery::Job(job) => jobs.push(job),
                    // The exit hook waits for this thread: nobody waits for results any more.
                    Delivery::Settle(..) if !runtime::is_open() => {}
                    Delivery::Settle(future, outcome) => {
                        flush(event_loop, &mut jobs);
                        settle_soon(event_loop, future, outcome);
                    }
                }
            }
            flush(event_loop, &mut jobs);
        }
    });
    // The interpreter is exiting: nobody waits for them.
    if delivered.is_none() {
        drop(take());
    }
}

/// Schedules the jobs gathered so far, as one batch.
fn flush(event_loop: &Bound<'_, PyAny>, jobs: &mut Vec<Job>) {
    if !jobs.is_empty() {
        let batch = Batch(Mutex::new(std::mem::take(jobs)));
        schedule(event_loop, (batch,));
    }
}

/// Schedules `_aio.settle(future, value, exception)`, the outcome made Python objects here; a
/// panic of the conversion (a bug) becomes the call's exception rather than ending this thread.
fn settle_soon(event_loop: &Bound<'_, PyAny>, future: Py<PyAny>, outcome: Outcome) {
    let py = event_loop.py();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| outcome(py)))
        .unwrap_or_else(|panic| Err(runtime::panic_error(&*panic)));
    let (value, error) = match outcome {
        Ok(value) => (value, py.None()),
        Err(e) => (py.None(), e.into_value(py).into_any()),
    };
    static SETTLE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    match runtime::aio(py, &SETTLE, "settle") {
        Ok(settle) => schedule(event_loop, (settle, future, value, error)),
        Err(e) => e.write_unraisable(py, None),
    }
}

/// `event_loop.call_soon_threadsafe(*args)`.
fn schedule<'py>(event_loop: &Bound<'py, PyAny>, args: impl pyo3::call::PyCallArgs<'py>) {
    let py = event_loop.py();
    // Fails when the loop is closed: nobody waits for these results any more.
    let _ = event_loop.call_method1(pyo3::intern!(py, "call_soon_threadsafe"), args);
}

fn in_background(take: &dyn Fn() -> Vec<Job>) {
    let served = runtime::with_python(|py| {
        for job in take() {
            // The exit hook waits for this batch: it stops short once the interpreter is
            // exiting (nobody waits for these records any more).
            if !runtime::is_open() {
                break;
            }
            // No signal reaches this thread: nothing to hand on.
            if let Some(e) = run_job(py, job) {
                e.write_unraisable(py, None);
            }
        }
    });
    if served.is_none() {
        drop(take());
    }
}

/// A loop's jobs of one delivery, run by the loop (`call_soon_threadsafe`).
#[pyclass(frozen)]
struct Batch(Mutex<Vec<Job>>);

#[pymethods]
impl Batch {
    /// Every job runs; then the first interruption (Ctrl-C in a hook) is raised, stopping the
    /// loop as it would anywhere else.
    fn __call__(&self, py: Python<'_>) -> PyResult<()> {
        // A loop may run on a daemon thread: its jobs run Python code under this frame.
        let inside = runtime::InPython::enter(py);
        let jobs = std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner));
        let mut interrupt = None;
        for job in jobs {
            if !inside.may_go_on() {
                break;
            }
            if let Some(e) = run_job(py, job) {
                interrupt.get_or_insert(e);
            }
        }
        interrupt.map_or(Ok(()), Err)
    }
}

/// `after_fork_in_child`: no job of the parent runs in the child.
pub fn forget_after_fork() {
    LOOPS.forget();
    BACKGROUND.forget();
}
