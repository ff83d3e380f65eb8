//! Request statistics, kept with atomics so counting never serializes requests.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use crate::operation::Operation;

/// What GET /_mock/stats answers (requests under /partner/v1 only), counted since the start
/// or the last reset. The JSON keys are the field names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Requests received, refused ones included. JSON `requests`.
    pub requests: u64,
    /// Requests being handled right now. JSON `in_flight`.
    pub in_flight: u64,
    /// The most requests handled at once. JSON `max_in_flight`.
    pub max_in_flight: u64,
    /// Requests answered 429, by the rate limit or a `rate_limit` fault. JSON `rate_limited`.
    pub rate_limited: u64,
    /// Requests that got an injected fault, scripted or drawn. JSON `faults_injected`.
    pub faults_injected: u64,
    /// Writes an `apply_late` fault applied after its answer (those the emulator accepted;
    /// a refused one changes nothing and is not counted). JSON `late_applied`.
    #[serde(default)]
    pub late_applied: u64,
    /// TCP connections accepted (any path, TLS handshakes included). JSON `connections`.
    #[serde(default)]
    pub connections: u64,
    /// Connections open right now. JSON `open_connections`.
    #[serde(default)]
    pub open_connections: u64,
    /// The most connections open at once. JSON `max_open_connections`.
    #[serde(default)]
    pub max_open_connections: u64,
    /// Connections closed before a request was read: headers not received within
    /// `header_read_timeout_ms`, or a failed TLS handshake. JSON `connections_refused`.
    #[serde(default)]
    pub connections_refused: u64,
    /// Requests per operation name (`"create_organization"`, ...), all seven always present.
    /// JSON `by_operation`.
    pub by_operation: BTreeMap<String, u64>,
    /// Answers per HTTP status (`"200"`, `"429"`, ...), only the statuses seen; requests
    /// whose connection a fault cut are not counted. JSON `by_status`.
    pub by_status: BTreeMap<String, u64>,
}

const STATUSES: usize = 600;

#[derive(Debug)]
pub(crate) struct Counters {
    requests: AtomicU64,
    in_flight: AtomicU64,
    max_in_flight: AtomicU64,
    rate_limited: AtomicU64,
    faults_injected: AtomicU64,
    late_applied: AtomicU64,
    connections: AtomicU64,
    open_connections: AtomicU64,
    max_open_connections: AtomicU64,
    connections_refused: AtomicU64,
    by_operation: [AtomicU64; 7],
    by_status: Box<[AtomicU64]>,
}

/// Decrements `in_flight` when the request ends, however it ends (answer, reset, cancel).
#[derive(Debug)]
pub(crate) struct InFlight<'a>(&'a Counters);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Decrements `open_connections` when the connection ends, however it ends.
#[derive(Debug)]
pub(crate) struct OpenConnection(std::sync::Arc<crate::emulator::Emulator>);

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0
            .stats
            .open_connections
            .fetch_sub(1, Ordering::Relaxed);
    }
}

impl Counters {
    pub(crate) fn new() -> Counters {
        Counters {
            requests: AtomicU64::new(0),
            in_flight: AtomicU64::new(0),
            max_in_flight: AtomicU64::new(0),
            rate_limited: AtomicU64::new(0),
            faults_injected: AtomicU64::new(0),
            late_applied: AtomicU64::new(0),
            connections: AtomicU64::new(0),
            open_connections: AtomicU64::new(0),
            max_open_connections: AtomicU64::new(0),
            connections_refused: AtomicU64::new(0),
            by_operation: Default::default(),
            by_status: (0..STATUSES).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    pub(crate) fn begin(&self, op: Operation) -> InFlight<'_> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.by_operation[op.index()].fetch_add(1, Ordering::Relaxed);
        let now = self.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
        self.max_in_flight.fetch_max(now, Ordering::Relaxed);
        InFlight(self)
    }

    /// Counts a connection accepted; the guard counts it closed.
    pub(crate) fn connection(
        emulator: &std::sync::Arc<crate::emulator::Emulator>,
    ) -> OpenConnection {
        let c = &emulator.stats;
        c.connections.fetch_add(1, Ordering::Relaxed);
        let now = c.open_connections.fetch_add(1, Ordering::Relaxed) + 1;
        c.max_open_connections.fetch_max(now, Ordering::Relaxed);
        OpenConnection(emulator.clone())
    }

    pub(crate) fn connection_refused(&self) {
        self.connections_refused.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn status(&self, status: u16) {
        if let Some(counter) = self.by_status.get(usize::from(status)) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn rate_limited(&self) {
        self.rate_limited.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn fault(&self) {
        self.faults_injected.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn late_applied(&self) {
        self.late_applied.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> Stats {
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        Stats {
            requests: load(&self.requests),
            in_flight: load(&self.in_flight),
            max_in_flight: load(&self.max_in_flight),
            rate_limited: load(&self.rate_limited),
            faults_injected: load(&self.faults_injected),
            late_applied: load(&self.late_applied),
            connections: load(&self.connections),
            open_connections: load(&self.open_connections),
            max_open_connections: load(&self.max_open_connections),
            connections_refused: load(&self.connections_refused),
            by_operation: Operation::ALL
                .iter()
                .map(|op| (op.as_str().to_owned(), load(&self.by_operation[op.index()])))
                .collect(),
            by_status: self
                .by_status
                .iter()
                .enumerate()
                .filter(|(_, c)| load(c) > 0)
                .map(|(status, c)| (status.to_string(), load(c)))
                .collect(),
        }
    }

    /// Zeroes the counters; requests still in flight stay counted as such.
    pub(crate) fn reset(&self) {
        let zero = |c: &AtomicU64| c.store(0, Ordering::Relaxed);
        zero(&self.requests);
        zero(&self.rate_limited);
        zero(&self.faults_injected);
        zero(&self.late_applied);
        zero(&self.connections);
        zero(&self.connections_refused);
        self.by_operation.iter().for_each(zero);
        self.by_status.iter().for_each(zero);
        self.max_in_flight
            .store(self.in_flight.load(Ordering::Relaxed), Ordering::Relaxed);
        self.max_open_connections.store(
            self.open_connections.load(Ordering::Relaxed),
            Ordering::Relaxed,
        );
    }
}
