//! The binding's tokio runtime and the two ways Python waits on it: a future of the awaiting
//! task's loop, asyncio's or trio's (async client), or a blocking wait with the GIL released
//! (sync client). What a call hands to Python (its result, progress reports, hook events and
//! log records) runs where the caller waits, never on a runtime thread (see [`deliver`]); an
//! asynchronous call's result is made Python objects on the delivery thread, set by the loop.
//!
//! Every time a Rust thread enters Python it goes through [`with_python`], which counts it. At
//! interpreter exit an `atexit` hook ([`drain`]) closes that door, cancels the calls still
//! running and waits for the threads already inside Python to leave: no Rust thread touches a
//! finalizing interpreter. That is why this module bridges futures itself rather than with
//! pyo3-async-runtimes, whose bridge enters Python where nothing can count it (the exit-time
//! crash of its issue 40). A Python thread running Python code under our Rust frames (a
//! blocking call's jobs, an event loop's batch) is counted too ([`InPython`]): CPython before
//! 3.14 ends a thread that takes the GIL during finalization with `pthread_exit`, and that
//! unwinding through Rust frames aborts the process.

use std::future::Future;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, OnceLock, mpsc};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use futures::FutureExt;
use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyCFunction;
use scaleway_partner::{CallbackError, Progress, ProgressFn};
use tokio::runtime::Runtime;
use tokio_util::sync::CancellationToken;

use crate::deliver::{self, Job, Sink};

/// The runtime, built on first use. A pointer rather than a `OnceLock` so that a child process
/// after `fork` can start a new one: the parent's threads do not exist there.
static RUNTIME: AtomicPtr<Runtime> = AtomicPtr::new(std::ptr::null_mut());
/// Counts the runtimes this process has had (one more after each `fork`).
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// The runtime every call of the binding (and the embedded emulator) runs on.
pub fn runtime() -> &'static Runtime {
    let current = RUNTIME.load(Ordering::Acquire);
    if !current.is_null() {
        // SAFETY: set only from a leaked Box below, never freed.
        return unsafe { &*current };
    }
    let fresh = Box::into_raw(Box::new(
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("scaleway-partner")
            .on_thread_start(deliver::mark_runtime_thread)
            .build()
            .expect("cannot start the tokio runtime of scaleway_partner"),
    ));
    match RUNTIME.compare_exchange(
        std::ptr::null_mut(),
        fresh,
        Ordering::AcqRel,
        Ordering::Acquire,
    ) {
        // SAFETY: leaked on purpose: it lives as long as the process.
        Ok(_) => unsafe { &*fresh },
        Err(winner) => {
            // Another thread built one first: ours has run nothing yet.
            // SAFETY: `fresh` came from Box::into_raw above and was never shared.
            drop(unsafe { Box::from_raw(fresh) });
            // SAFETY: as above, a leaked Box never freed.
            unsafe { &*winner }
        }
    }
}

/// Which runtime is current: a client built in an older one was built before a `fork`.
pub fn generation() -> u64 {
    GENERATION.load(Ordering::Acquire)
}

/// `os.register_at_fork(after_in_child=...)`: the child has none of the parent's threads, so
/// the next call starts a new runtime (the parent's is forgotten, never dropped: dropping would
/// wait for threads that do not exist), and the parent's calls in flight are not counted.
#[pyfunction]
pub fn after_fork_in_child() {
    RUNTIME.store(std::ptr::null_mut(), Ordering::Release);
    GENERATION.fetch_add(1, Ordering::AcqRel);
    ENTERED.store(0, Ordering::SeqCst);
    IN_FLIGHT.store(0, Ordering::SeqCst);
    deliver::forget_after_fork();
}

/// False once the interpreter is exiting: no Rust thread may enter Python any more.
static OPEN: AtomicBool = AtomicBool::new(true);
/// Rust threads inside (or about to enter) Python right now.
static ENTERED: AtomicUsize = AtomicUsize::new(0);
/// Cancelled at exit: stops the asynchronous calls still running.
static SHUTDOWN: LazyLock<CancellationToken> = LazyLock::new(CancellationToken::new);

struct Entered;

impl Entered {
    fn try_enter() -> Option<Entered> {
        ENTERED.fetch_add(1, Ordering::SeqCst);
        if OPEN.load(Ordering::SeqCst) {
            Some(Entered)
        } else {
            ENTERED.fetch_sub(1, Ordering::SeqCst);
            None
        }
    }
}

impl Drop for Entered {
    fn drop(&mut self) {
        ENTERED.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The thread that ran the exit hook: the one finalizing the interpreter, which CPython never
/// ends (an `atexit` handler registered before the import may still make calls on it).
static EXITING_THREAD: OnceLock<ThreadId> = OnceLock::new();

/// Held by a Python thread while it runs Python code under our Rust frames: a blocking call's
/// jobs, progress reports and result, or an event loop's batch of jobs. CPython before 3.14 ends
/// a thread that takes the GIL while the interpreter finalizes (`pthread_exit`); its unwinding
/// through Rust frames aborts the process (glibc: "exception not rethrown"). So [`drain`] waits
/// for these threads to leave, and once it ran, any other Python thread reaching one (a daemon
/// thread) waits, detached, for the process to end, as CPython 3.14 makes such threads do.
pub struct InPython(Option<Entered>);

impl InPython {
    /// Marks this thread as inside, or parks it for good once the interpreter is exiting.
    pub fn enter(py: Python<'_>) -> InPython {
        if let Some(entered) = Entered::try_enter() {
            return InPython(Some(entered));
        }
        if EXITING_THREAD.get() == Some(&std::thread::current().id()) {
            return InPython(None);
        }
        py.detach(|| {
            loop {
                std::thread::park();
            }
        })
    }

    /// False once the interpreter is exiting, unless this is the thread exiting it: the exit
    /// hook waits for this thread, which should stop short.
    pub fn may_go_on(&self) -> bool {
        self.0.is_none() || is_open()
    }

    /// Lets go of the interpreter (the GIL released) for `f`, this thread not counted as inside
    /// meanwhile; marked again (or parked) once attached again.
    pub fn detach<T: Send>(&mut self, py: Python<'_>, f: impl Send + FnOnce() -> T) -> T {
        self.0 = None;
        let out = py.detach(f);
        *self = InPython::enter(py);
        out
    }
}

/// Runs `f` attached to the interpreter from a Rust thread, unless the interpreter is exiting.
pub fn with_python<R>(f: impl for<'py> FnOnce(Python<'py>) -> R) -> Option<R> {
    let _entered = Entered::try_enter()?;
    Some(Python::attach(f))
}

/// Runs `f` attached to the interpreter from inside a call's future (a tokio worker), letting the
/// runtime move its other tasks elsewhere while this one waits for the GIL. Fails once the
/// interpreter is exiting.
pub fn python_now<T>(f: impl for<'py> FnOnce(Python<'py>) -> PyResult<T>) -> PyResult<T> {
    tokio::task::block_in_place(|| {
        with_python(f)
            .unwrap_or_else(|| Err(PyRuntimeError::new_err("the interpreter is shutting down")))
    })
}

/// True while Rust threads may still enter Python.
pub fn is_open() -> bool {
    OPEN.load(Ordering::SeqCst)
}

/// The `atexit` hook: closes the door, cancels the running asynchronous calls and waits (GIL
/// released) for the threads inside Python to leave, Rust threads and Python threads running
/// Python code under our frames ([`InPython`]), each stopping short. Returns how many were
/// still inside when `timeout` ran out (0 normally).
#[pyfunction]
#[pyo3(signature = (timeout = 5.0))]
pub fn drain(py: Python<'_>, timeout: f64) -> usize {
    let _ = EXITING_THREAD.set(std::thread::current().id());
    OPEN.store(false, Ordering::SeqCst);
    SHUTDOWN.cancel();
    let deadline = Instant::now() + Duration::from_secs_f64(timeout.clamp(0.0, 60.0));
    py.detach(|| {
        loop {
            let left = ENTERED.load(Ordering::SeqCst);
            if left == 0 || Instant::now() >= deadline {
                return left;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    })
}

/// How many asynchronous calls are running (for tests: a cancelled call must leave promptly).
#[pyfunction]
pub fn in_flight() -> usize {
    IN_FLIGHT.load(Ordering::SeqCst)
}

static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

struct InFlight;

impl InFlight {
    fn enter() -> InFlight {
        IN_FLIGHT.fetch_add(1, Ordering::SeqCst);
        InFlight
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Converts the output of a Rust future into the Python value (or exception) of the call.
pub type Convert<T> = Box<dyn for<'py> FnOnce(Python<'py>, T) -> PyResult<Py<PyAny>> + Send>;

/// Starts `fut` on the runtime and returns a future of `event_loop` that resolves to
/// `convert(output)`, converted on the delivery thread and set by the loop after the call's jobs
/// (`sink` is the loop's). Cancelling the future (or the task awaiting it) drops `fut`.
fn spawn_async<'py, T, F>(
    py: Python<'py>,
    target: Arc<Py<PyAny>>,
    sink: Sink,
    fut: F,
    convert: Convert<T>,
) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let event_loop = target.bind(py).clone();
    if !is_open() {
        return Err(PyRuntimeError::new_err("the interpreter is shutting down"));
    }
    let py_future = event_loop.call_method0(pyo3::intern!(py, "create_future"))?;
    let cancel = SHUTDOWN.child_token();
    static CANCEL_ON_DONE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let on_done = aio(py, &CANCEL_ON_DONE, "CancelOnDone")?.call1((CancelCall {
        token: cancel.clone(),
    },))?;
    py_future.call_method1(pyo3::intern!(py, "add_done_callback"), (on_done,))?;
    let future = py_future.clone().unbind();
    let in_flight = InFlight::enter();
    runtime().spawn(sink.scope(async move {
        // A panic in the core must reach the awaiting task as an exception: without this the
        // task would die with it and the asyncio future would never resolve.
        let output = tokio::select! {
            biased;
            _ = cancel.cancelled() => None,
            out = std::panic::AssertUnwindSafe(fut).catch_unwind() => Some(out),
        };
        if let Some(output) = output {
            // After the call's progress reports, hook events and records.
            let outcome: deliver::Outcome = Box::new(move |py| match output {
                Ok(output) => convert(py, output),
                Err(panic) => Err(panic_error(&*panic)),
            });
            deliver::settle(target, future, outcome);
        }
        drop(in_flight);
    }));
    Ok(py_future)
}

/// The exception for a panic of the core: a bug, reported with its message (the core's panic
/// messages are fixed texts, never values such as keys or passwords).
pub fn panic_error(panic: &(dyn std::any::Any + Send)) -> PyErr {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into());
    PyRuntimeError::new_err(format!(
        "internal error in scaleway_partner (a bug: please report it): {message}"
    ))
}

/// `testing.internal_error()`: a future that panics, run through the path of every call,
/// blocking or asynchronous. A panic of the core becomes a `RuntimeError`, never a crash or a
/// hang; this lets an application (and the package's tests) check how it reports one.
#[pyfunction]
pub fn internal_error(py: Python<'_>, asynchronous: bool) -> PyResult<Py<PyAny>> {
    let flavor = if asynchronous {
        Flavor::Async
    } else {
        Flavor::Blocking
    };
    call(
        py,
        flavor,
        |_| async { deliberate_panic() },
        None,
        Box::new(|py, ()| Ok(py.None())),
    )
}

fn deliberate_panic() {
    panic!("deliberate panic of testing.internal_error()");
}

/// What `_aio.CancelOnDone`, the done callback of a call's future, calls once that future was
/// cancelled: it cancels the Rust call. (A future that completes does not call in here.)
#[pyclass(frozen)]
struct CancelCall {
    token: CancellationToken,
}

#[pymethods]
impl CancelCall {
    fn cancel(&self) {
        self.token.cancel();
    }
}

/// How a native client or lister answers: blocking the caller, or with an asyncio future.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// Wait on the caller's thread (GIL released) and return the value.
    Blocking,
    /// Return an asyncio future of the running loop.
    Async,
}

/// Runs a call in the given flavor. `make` builds the Rust future from the core's progress
/// callback (present when `on_progress` is given); `convert` turns its output into the Python
/// value or exception, with the GIL held.
///
/// An asynchronous call starts at once and returns a future of the running loop: the methods
/// of `AsyncClient` are `async def` functions (`_signatures`), so the work still starts when
/// the caller first awaits, and a coroutine never awaited sends nothing.
pub fn call<T, F, M>(
    py: Python<'_>,
    flavor: Flavor,
    make: M,
    on_progress: Option<Py<PyAny>>,
    convert: Convert<T>,
) -> PyResult<Py<PyAny>>
where
    M: FnOnce(Option<ProgressFn>) -> F + Send + 'static,
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    match flavor {
        Flavor::Blocking => {
            // Held while the result becomes Python objects, as while the call ran its jobs.
            let (output, _, _inside) = block_on_until(py, make, on_progress, None)?;
            convert(py, output)
        }
        Flavor::Async => {
            let event_loop = Arc::new(running_loop(py)?.unbind());
            let sink = Sink::event_loop(Arc::clone(&event_loop));
            let progress = on_progress.map(|callback| async_progress(sink.clone(), callback));
            Ok(spawn_async(py, event_loop, sink, make(progress), convert)?.unbind())
        }
    }
}

/// [`call`], for a call that Ctrl-C stops by cancelling `cancel` (the token of the call's
/// client) rather than by dropping it: the call then ends on its own, promptly, with what it
/// did, and `KeyboardInterrupt` is raised with that result as its `__cause__` (the error of
/// the interrupted call, with its results). A second Ctrl-C drops the call at once.
pub fn call_cancellable<T, F, M>(
    py: Python<'_>,
    flavor: Flavor,
    cancel: CancellationToken,
    make: M,
    on_progress: Option<Py<PyAny>>,
    convert: Convert<T>,
) -> PyResult<Py<PyAny>>
where
    M: FnOnce(Option<ProgressFn>) -> F + Send + 'static,
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    if flavor == Flavor::Async {
        return call(py, flavor, make, on_progress, convert);
    }
    let (output, interrupt, _inside) = block_on_until(py, make, on_progress, Some(cancel))?;
    let converted = convert(py, output);
    match interrupt {
        None => converted,
        Some(interrupt) => {
            if let Err(e) = converted {
                interrupt.set_cause(py, Some(e));
            }
            Err(interrupt)
        }
    }
}

/// A function of `scaleway_partner._aio`, looked up once.
pub fn aio<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    name: &str,
) -> PyResult<&'py Bound<'py, PyAny>> {
    cell.get_or_try_init(py, || {
        Ok::<_, PyErr>(py.import("scaleway_partner._aio")?.getattr(name)?.unbind())
    })
    .map(|f| f.bind(py))
}

/// The loop of the awaiting task: asyncio's, or trio's through `_aio`'s adapter (both give
/// `create_future` and `call_soon_threadsafe`).
fn running_loop(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    static RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    aio(py, &RUNNING_LOOP, "running_loop")?.call0()
}

/// Runs `on_progress` of an asynchronous call on the event loop, while the core waits for its
/// answer: sent once the coroutine of an `async def` callback has ended. What it raises goes to
/// the core, which stops the call with it. No lock is held while it runs: it may call the client.
fn report(callback: &Py<PyAny>, py: Python<'_>, p: Progress, answer: Answer) {
    let raised = match callback.call1(py, (p.done, p.total)) {
        Err(e) => Some(e),
        Ok(returned) => {
            let later = answer.clone();
            let ends = move |_py: Python<'_>, raised| drop(later.try_send(answer_to(raised)));
            match run_if_awaitable("on_progress", returned.bind(py), ends) {
                Ok(true) => return, // answered when it ends
                Ok(false) => None,
                Err(e) => Some(e),
            }
        }
    };
    let _ = answer.try_send(answer_to(raised));
}

/// The core's answer for a callback that returned, or raised (the call stops with that
/// exception, unchanged).
fn answer_to(raised: Option<PyErr>) -> ControlFlow<Option<CallbackError>> {
    match raised {
        Some(e) => ControlFlow::Break(Some(CallbackError::new(e))),
        None => ControlFlow::Continue(()),
    }
}

/// If `value`, what a hook or a progress callback returned, is awaitable (the coroutine of an
/// `async def` callback), runs it as a task of this thread's event loop and calls `ends` with its
/// exception (None if it succeeded) when it ends; false if `value` is not awaitable. Fails when
/// no loop runs here (a blocking call): nothing would await it.
pub fn run_if_awaitable(
    what: &str,
    value: &Bound<'_, PyAny>,
    ends: impl Fn(Python<'_>, Option<PyErr>) + Send + Sync + 'static,
) -> PyResult<bool> {
    let py = value.py();
    if !is_awaitable(value)? {
        return Ok(false);
    }
    let ends = PyCFunction::new_closure(py, None, None, move |args, _kwargs| {
        let error = args.get_item(0)?;
        ends(
            args.py(),
            (!error.is_none()).then(|| PyErr::from_value(error)),
        );
        // A Ctrl-C `ends` left pending goes on up (see `deliver::run_job`).
        PyErr::take(args.py()).map_or(Ok(()), Err)
    })?;
    static RUN_SOON: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    aio(py, &RUN_SOON, "run_soon")?.call1((what, value, ends))?;
    Ok(true)
}

/// Whether a callback returned an awaitable (what an `async def` function returns).
fn is_awaitable(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(!value.is_none() && value.hasattr(pyo3::intern!(value.py(), "__await__"))?)
}

/// A blocking call's `on_progress` returned an awaitable: nothing can await it (the thread is
/// the call's), so it is closed and the call stops with a `TypeError` that says why.
fn refuse_awaitable(value: &Bound<'_, PyAny>) -> PyResult<()> {
    let py = value.py();
    if !is_awaitable(value)? {
        return Ok(());
    }
    if value.hasattr(pyo3::intern!(py, "close"))? {
        value.call_method0(pyo3::intern!(py, "close"))?;
    }
    Err(PyTypeError::new_err(
        "on_progress returned an awaitable (an async callback): the blocking Client does not \
         await callbacks; use AsyncClient, or a plain function",
    ))
}

/// Where the answer to one progress report goes (the callback runs on the caller's thread or
/// event loop; the core awaits the answer, no runtime thread waits for it).
type Answer = tokio::sync::mpsc::Sender<ControlFlow<Option<CallbackError>>>;

/// The answer to one progress report, asked with `ask`; stop when nobody can answer any more.
async fn answer_of(ask: impl FnOnce(Answer) -> bool) -> ControlFlow<Option<CallbackError>> {
    let (answer, mut answered) = tokio::sync::mpsc::channel(1);
    if !ask(answer) {
        return ControlFlow::Break(None);
    }
    answered.recv().await.unwrap_or(ControlFlow::Break(None))
}

enum Message<T> {
    /// A hook event or log record of the call (its user code runs on the caller's thread).
    Job(Job),
    Progress(Progress, Answer),
    Done(T),
}

/// Runs `fut` on the runtime and waits for it with the GIL released, on the caller's thread.
pub fn block_on<T, F>(py: Python<'_>, fut: F) -> PyResult<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    block_on_until(py, |_| fut, None, None).map(|(output, _, _)| output)
}

/// [`block_on`], with progress reports passed to `on_progress(done, total)` on this thread,
/// the core waiting for each to return. What it raises goes to the core, which stops the call
/// with it (see [`answer_to`]). The output comes with
/// this thread still marked [`InPython`], for its conversion.
///
/// Works from any thread, including one running an asyncio loop (a Jupyter cell). While
/// waiting it runs Python's signal handlers, so Ctrl-C stops the call (the Rust future is
/// dropped).
///
/// With `graceful`, the first Ctrl-C (in a signal handler or in `on_progress`) cancels that
/// token instead of dropping the call, and is returned with the call's output once the call
/// has ended.
fn block_on_until<T, F, M>(
    py: Python<'_>,
    make: M,
    on_progress: Option<Py<PyAny>>,
    graceful: Option<CancellationToken>,
) -> PyResult<(T, Option<PyErr>, InPython)>
where
    M: FnOnce(Option<ProgressFn>) -> F,
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let (tx, rx) = mpsc::channel::<Message<T>>();
    let progress = on_progress.as_ref().map(|_| {
        let tx = tx.clone();
        ProgressFn::awaited(move |p| {
            let tx = tx.clone();
            answer_of(move |answer| tx.send(Message::Progress(p, answer)).is_ok())
        })
    });
    let jobs = tx.clone();
    // A caller gone (Ctrl-C) drops the job.
    let sink = Sink::new(move |job| drop(jobs.send(Message::Job(job))));
    let fut = make(progress);
    let handle = runtime().spawn(sink.scope(async move {
        let _ = tx.send(Message::Done(fut.await));
    }));
    let mut rx = rx;
    let mut inside = InPython::enter(py);
    let mut interrupted: Option<PyErr> = None;
    // The first Ctrl-C of a graceful call cancels it (kept, to raise at the end); any other
    // is raised now.
    let mut stop_gracefully = |py: Python<'_>, e: PyErr| -> Option<PyErr> {
        match &graceful {
            Some(token) if interrupted.is_none() && e.is_instance_of::<PyKeyboardInterrupt>(py) => {
                token.cancel();
                interrupted = Some(e);
                None
            }
            _ => Some(e),
        }
    };
    loop {
        // Short waits so that signal handlers run while the call is in progress. (The
        // receiver moves in and out: it may be used from one thread at a time only.)
        let (received, back) =
            inside.detach(py, move || (rx.recv_timeout(Duration::from_millis(50)), rx));
        rx = back;
        match received {
            Ok(Message::Done(output)) => return Ok((output, interrupted, inside)),
            Ok(Message::Job(job)) => {
                if let Some(interrupt) = deliver::run_job(py, job) {
                    handle.abort();
                    return Err(interrupt);
                }
            }
            Ok(Message::Progress(p, answer)) => {
                let raised = on_progress.as_ref().and_then(|callback| {
                    callback
                        .call1(py, (p.done, p.total))
                        .and_then(|returned| refuse_awaitable(returned.bind(py)))
                        .err()
                        .and_then(|e| stop_gracefully(py, e))
                });
                let _ = answer.try_send(answer_to(raised));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let Some(e) = py
                    .check_signals()
                    .err()
                    .and_then(|e| stop_gracefully(py, e))
                {
                    handle.abort();
                    return Err(e);
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(PyRuntimeError::new_err(
                    "internal error: the call stopped without a result",
                ));
            }
        }
    }
}

/// The core's progress callback for an asynchronous call: each report runs on the event loop's
/// thread (in order, before the call's own result), and the core awaits its answer.
fn async_progress(sink: Sink, callback: Py<PyAny>) -> ProgressFn {
    let callback = Arc::new(callback);
    ProgressFn::awaited(move |p| {
        let (sink, callback) = (sink.clone(), Arc::clone(&callback));
        answer_of(move |answer| {
            // A loop already closed drops the job, and with it `answer`: the call stops.
            sink.send(Box::new(move |py| report(&callback, py, p, answer)));
            true
        })
    })
}

/// Refuses a callback that cannot be called, before any work starts.
pub fn callable_arg(name: &str, value: Option<Bound<'_, PyAny>>) -> PyResult<Option<Py<PyAny>>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) if v.is_callable() => Ok(Some(v.unbind())),
        Some(v) => Err(PyTypeError::new_err(format!(
            "{name} must be callable, got {}",
            v.get_type().name()?
        ))),
    }
}
