//! Pacing per key: every call of every client of one secret key (and API URL) in the process
//! takes a slot here before sending, so bulk work stays under the API's rate budget, which the
//! API counts per key, instead of hammering into 429s.
//!
//! An even pace (GCRA without burst) at 95% of the budget: no one-second window, fixed or
//! sliding, ever holds more than the budget, with a margin for sends the scheduler delayed into
//! the next window. A burst would fill a server's fixed window exactly, and its
//! `X-Ratelimit-Remaining: 0` would then cost the rest of the window in a pause. The pace
//! tightens to what the server announces in `X-Ratelimit-Limit`, pauses when
//! `X-Ratelimit-Remaining` reaches 0 anyway (another process spending the same key), and after
//! a 429 pauses every call and lowers the rate for a while. The headers are advice: only what
//! [`RateLimitInfo::plausible`] keeps of them reaches [`Pacer::observe`].
//!
//! With a coordination [`Backend`] (the machine's lock files, Redis), the slots and pauses are
//! the backend's, shared by every process using it: this pacer still adapts the interval to
//! what its answers say, and hands it over with each reservation.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;

use tokio::time::Instant;

use crate::coordination::{Backend, Slot};
use crate::error::{Error, Result};
use crate::response::RateLimitInfo;

/// After a 429 the rate is multiplied by this...
const THROTTLE_FACTOR: f64 = 0.7;
/// ...never below this fraction of the budget...
const MIN_THROTTLE: f64 = 0.1;
/// ...and it climbs back by this fraction of the budget per second without a 429.
const THROTTLE_RECOVERY_PER_SECOND: f64 = 0.05;

/// `now + d`, saturating far in the future instead of overflowing (durations come from users
/// and servers: `total_timeout=1e19` or `X-Ratelimit-Reset: 1e30` must not panic).
pub(crate) fn later(now: Instant, d: Duration) -> Instant {
    const FAR: Duration = Duration::from_secs(100 * 365 * 24 * 3600);
    now.checked_add(d.min(FAR)).unwrap_or(now)
}

/// How long a call may be held by a rate-limit pause: no longer than a server's wait is
/// believed (`max_server_wait`, as for `Retry-After`), nor past the call's deadline.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Patience {
    pub max_server_wait: Duration,
    pub deadline: Option<Instant>,
}

impl Patience {
    /// No bound: the pause is waited out, however long.
    #[cfg(test)]
    pub const UNBOUNDED: Patience = Patience {
        max_server_wait: Duration::MAX,
        deadline: None,
    };

    fn allowed(&self, now: Instant) -> Duration {
        let left = self
            .deadline
            .map_or(Duration::MAX, |d| d.saturating_duration_since(now));
        self.max_server_wait.min(left)
    }
}

/// One client's view of the pacing state it shares with every client of the same key.
#[derive(Debug)]
pub(crate) struct Pacer {
    /// The budget this client was configured with (requests per second); 0 turns pacing off.
    configured: f64,
    shared: Arc<Mutex<State>>,
    /// The budget shared beyond this process, and its name there.
    beyond: Option<(Arc<dyn Backend>, String)>,
}

#[derive(Debug)]
struct State {
    /// Requests per second the server announced (`X-Ratelimit-Limit`), if it did.
    server_limit: Option<f64>,
    /// Fraction of the budget allowed after 429s (1 when none came lately)...
    throttle: f64,
    /// ...as of this instant; it recovers from there.
    throttled_at: Instant,
    /// The next free slot (GCRA's theoretical arrival time).
    tat: Instant,
    /// No request leaves before this instant (after a 429 or an exhausted window).
    paused_until: Instant,
    /// The last `X-Ratelimit-Remaining` seen, and when the first answer of its window came:
    /// that window started before then, so it ends at the latest one window later.
    window: Option<(u32, Instant)>,
    /// The end of the last pause handed to the backend.
    shared_pause: Instant,
}

impl State {
    fn new(now: Instant) -> State {
        State {
            server_limit: None,
            throttle: 1.0,
            throttled_at: now,
            tat: now,
            paused_until: now,
            window: None,
            shared_pause: now,
        }
    }

    fn throttle_at(&self, now: Instant) -> f64 {
        let recovered =
            now.duration_since(self.throttled_at).as_secs_f64() * THROTTLE_RECOVERY_PER_SECOND;
        (self.throttle + recovered).min(1.0)
    }

    fn budget(&self, configured: f64, now: Instant) -> f64 {
        let limit = self.server_limit.map_or(configured, |s| configured.min(s));
        limit * self.throttle_at(now)
    }
}

/// The share of the budget the pace spends: the rest absorbs sends delayed by the scheduler
/// (a stalled process sends its overdue requests together).
const PACE: f64 = 0.95;

/// Time between two slots at `budget` requests per second.
fn interval(budget: f64) -> Duration {
    Duration::from_secs_f64(1.0 / (budget * PACE).max(0.1))
}

/// Pacing states by (secret key, API URL), so that every client of one key in this process
/// shares one budget. Entries die with their last client.
struct Registry {
    hasher: RandomState,
    states: HashMap<u64, Weak<Mutex<State>>>,
}

fn registry() -> &'static Mutex<Registry> {
    static REGISTRY: OnceLock<Mutex<Registry>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        Mutex::new(Registry {
            hasher: RandomState::new(),
            states: HashMap::new(),
        })
    })
}

impl Pacer {
    /// A pacer of its own, shared with nobody.
    #[cfg(test)]
    pub fn new(requests_per_second: f64) -> Self {
        Pacer {
            configured: requests_per_second.max(0.0),
            shared: Arc::new(Mutex::new(State::new(Instant::now()))),
            beyond: None,
        }
    }

    /// A pacer sharing its state with every other pacer of the same key and URL in the
    /// process, and its slots with every process of `backend`. Only hashes of the key are kept.
    pub fn shared(
        requests_per_second: f64,
        secret_key: &str,
        api_url: &str,
        backend: Option<Arc<dyn Backend>>,
    ) -> Self {
        let mut registry = registry().lock().expect("pacer registry lock");
        let id = registry.hasher.hash_one((secret_key, api_url));
        let map = &mut registry.states;
        map.retain(|_, state| state.strong_count() > 0);
        let shared = match map.get(&id).and_then(Weak::upgrade) {
            Some(state) => state,
            None => {
                let state = Arc::new(Mutex::new(State::new(Instant::now())));
                map.insert(id, Arc::downgrade(&state));
                state
            }
        };
        Pacer {
            configured: requests_per_second.max(0.0),
            shared,
            beyond: backend.map(|b| (b, crate::coordination::budget_name(secret_key, api_url))),
        }
    }

    /// Reserves the next slot and returns when it is due, without touching the timer when the
    /// slot is due already. A dropped future gives its slot up to nobody; that only makes
    /// pacing slightly more conservative.
    ///
    /// Fails at once with [`Error::RateLimitPause`], taking no slot, when the key is paused
    /// (here, or by another process of the backend) for longer than `patience` allows.
    pub async fn acquire(&self, patience: Patience) -> Result<()> {
        let now = Instant::now();
        let allowed = patience.allowed(now);
        let reserved = match self.reserve_beyond(now, allowed).await {
            Some(reserved) => reserved,
            None => self.reserve(now, allowed),
        };
        let at = reserved.map_err(|wait| {
            tracing::warn!(
                wait_ms = wait.as_millis() as u64,
                allowed_ms = allowed.as_millis() as u64,
                "the rate-limit pause outlasts what this call may wait: failing at once"
            );
            Error::RateLimitPause {
                wait,
                allowed,
                attempts: 0,
                elapsed: Duration::ZERO,
            }
        })?;
        if at > now {
            tokio::time::sleep_until(at).await;
        }
        Ok(())
    }

    /// The slot the backend gives, at this pacer's interval (a local pause still holds it), or
    /// the pause (local or shared) when it lasts longer than `max_pause`; `None` without a
    /// backend, with pacing off, or when the backend failed: then the pace is this process's (a
    /// budget is not worth failing a call for).
    async fn reserve_beyond(
        &self,
        now: Instant,
        max_pause: Duration,
    ) -> Option<std::result::Result<Instant, Duration>> {
        let (backend, name) = self.beyond.as_ref().filter(|_| self.configured > 0.0)?;
        let (interval, paused_until) = {
            let s = self.shared.lock().expect("pacer lock");
            (interval(s.budget(self.configured, now)), s.paused_until)
        };
        let local = paused_until.saturating_duration_since(now);
        if local > max_pause {
            return Some(Err(local));
        }
        match backend.reserve(name, interval, max_pause).await {
            Ok(Slot::In(wait)) => Some(Ok(later(now, wait).max(paused_until))),
            Ok(Slot::Paused(pause)) => Some(Err(pause)),
            Err(e) => {
                tracing::warn!(error = %e, "the shared rate budget cannot be used; pacing this process alone");
                None
            }
        }
    }

    /// Hands a pause begun here (a 429, an exhausted window) to the backend, so that every
    /// process sharing it holds too.
    pub async fn share_pause(&self) {
        let Some((backend, name)) = &self.beyond else {
            return;
        };
        let now = Instant::now();
        let pause = {
            let mut s = self.shared.lock().expect("pacer lock");
            if s.paused_until <= s.shared_pause.max(now) {
                return;
            }
            s.shared_pause = s.paused_until;
            s.paused_until - now
        };
        if let Err(e) = backend.pause(name, pause).await {
            tracing::warn!(error = %e, "the pause cannot be shared with the other processes");
        }
    }

    /// The next slot of this process, or the pause when it lasts longer than `max_pause` (then
    /// no slot is taken).
    fn reserve(&self, now: Instant, max_pause: Duration) -> std::result::Result<Instant, Duration> {
        let mut s = self.shared.lock().expect("pacer lock");
        let pause = s.paused_until.saturating_duration_since(now);
        if pause > max_pause {
            return Err(pause);
        }
        let start = now.max(s.paused_until);
        if self.configured == 0.0 {
            return Ok(start);
        }
        let at = s.tat.max(start);
        s.tat = at + interval(s.budget(self.configured, now));
        Ok(at)
    }

    /// Adapts to what a response announced. An exhausted window pauses until it ends: at the
    /// latest `X-Ratelimit-Reset` from now (whole seconds, rounded up: often a whole second),
    /// or one window after its first answer, whichever comes first.
    pub fn observe(&self, info: &RateLimitInfo) {
        let mut s = self.shared.lock().expect("pacer lock");
        let now = Instant::now();
        if let Some((quota, window)) = info.limit {
            s.server_limit = Some(f64::from(quota) / window.as_secs_f64());
        }
        let Some(remaining) = info.remaining else {
            return;
        };
        // More left than the last answer said: a new window began (answers overtaking each
        // other only make this later, which is the safe side).
        let first_seen = match s.window {
            Some((last, first_seen)) if remaining <= last => first_seen,
            _ => now,
        };
        s.window = Some((remaining, first_seen));
        if remaining == 0 {
            let mut until = later(now, info.reset.unwrap_or(Duration::from_secs(1)));
            if let Some((_, window)) = info.limit {
                until = until.min(later(first_seen, window));
            }
            s.paused_until = s.paused_until.max(until);
        }
    }

    /// After a 429: holds every call on this key for `wait`, and lowers the rate for a while.
    pub fn throttle(&self, wait: Duration) {
        let mut s = self.shared.lock().expect("pacer lock");
        let now = Instant::now();
        s.paused_until = s.paused_until.max(later(now, wait));
        s.throttle = (s.throttle_at(now) * THROTTLE_FACTOR).max(MIN_THROTTLE);
        s.throttled_at = now;
    }

    /// The budget currently applied, in requests per second (0 when pacing is off).
    pub fn budget(&self) -> f64 {
        if self.configured == 0.0 {
            0.0
        } else {
            let s = self.shared.lock().expect("pacer lock");
            s.budget(self.configured, Instant::now())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The next slot, whatever the pause.
    fn slot(pacer: &Pacer, now: Instant) -> Instant {
        pacer.reserve(now, Duration::MAX).expect("no bound")
    }

    /// The largest number of reservations that fall in any window of one second.
    fn max_per_second(slots: &[Instant]) -> usize {
        let mut max = 0;
        for (i, a) in slots.iter().enumerate() {
            let n = slots[i..]
                .iter()
                .take_while(|b| b.duration_since(*a) < Duration::from_secs(1))
                .count();
            max = max.max(n);
        }
        max
    }

    #[tokio::test(start_paused = true)]
    async fn no_second_holds_more_than_the_budget() {
        let p = Pacer::new(50.0);
        let now = Instant::now();
        let slots: Vec<_> = (0..500).map(|_| slot(&p, now)).collect();
        assert!(max_per_second(&slots) <= 50, "{}", max_per_second(&slots));
        // ... and it does not crawl either: 500 requests take about 500/47.5 s.
        let span = slots.last().unwrap().duration_since(now).as_secs_f64();
        assert!((10.0..12.0).contains(&span), "{span}");
    }

    /// A server's rate limit: the verdict on a request arriving at `now`, and the headers of its
    /// answer.
    trait Server {
        fn arrive(&mut self, now: Instant) -> (bool, RateLimitInfo);
    }

    /// The gateway's (and the emulator's) limit: `limit` requests per window of one second,
    /// a window starting with the first request after the last one ended.
    struct FixedWindow {
        limit: u32,
        start: Option<Instant>,
        count: u32,
    }

    impl Server for FixedWindow {
        fn arrive(&mut self, now: Instant) -> (bool, RateLimitInfo) {
            let start = match self.start {
                Some(start) if now.duration_since(start) < Duration::from_secs(1) => start,
                _ => {
                    self.count = 0;
                    *self.start.insert(now)
                }
            };
            let allowed = self.count < self.limit;
            self.count += u32::from(allowed);
            let left = Duration::from_secs(1).saturating_sub(now.duration_since(start));
            let info = RateLimitInfo {
                limit: Some((self.limit, Duration::from_secs(1))),
                remaining: Some(self.limit - self.count),
                reset: Some(Duration::from_secs_f64(left.as_secs_f64().ceil().max(1.0))),
            };
            (allowed, info)
        }
    }

    /// A token bucket of `limit` tokens refilled at `limit` per second.
    struct TokenBucket {
        limit: u32,
        tokens: f64,
        at: Instant,
    }

    impl Server for TokenBucket {
        fn arrive(&mut self, now: Instant) -> (bool, RateLimitInfo) {
            let limit = f64::from(self.limit);
            self.tokens =
                (self.tokens + now.duration_since(self.at).as_secs_f64() * limit).min(limit);
            self.at = now;
            let allowed = self.tokens >= 1.0;
            if allowed {
                self.tokens -= 1.0;
            }
            let info = RateLimitInfo {
                limit: Some((self.limit, Duration::from_secs(1))),
                remaining: Some(self.tokens.floor() as u32),
                reset: Some(
                    Duration::from_secs_f64((limit - self.tokens) / limit)
                        .max(Duration::from_secs(1)),
                ),
            };
            (allowed, info)
        }
    }

    /// Sends `requests` requests, `concurrency` at a time, through `pacer` to `server`: each
    /// arrives 0 to 5 ms after its slot (network, scheduler), is answered 80 ms later, and
    /// its headers reach the pacer when `headers`; a 429 pauses for a second and is retried,
    /// as the client does. Returns the time it all took and the number of 429s.
    async fn drive(
        pacer: &Pacer,
        server: &mut dyn Server,
        requests: usize,
        headers: bool,
    ) -> (Duration, usize) {
        let server = std::cell::RefCell::new(server);
        let next = std::cell::Cell::new(0);
        let refused = std::cell::Cell::new(0);
        let rng = std::cell::RefCell::new(fastrand::Rng::with_seed(13));
        let start = Instant::now();
        let worker = || async {
            while next.get() < requests {
                next.set(next.get() + 1);
                loop {
                    pacer.acquire(Patience::UNBOUNDED).await.unwrap();
                    let delay = rng.borrow_mut().u64(0..=5);
                    tokio::time::sleep(Duration::from_millis(delay)).await;
                    let (allowed, info) = server.borrow_mut().arrive(Instant::now());
                    tokio::time::sleep(Duration::from_millis(80)).await;
                    if headers {
                        pacer.observe(&info);
                    }
                    if allowed {
                        break;
                    }
                    refused.set(refused.get() + 1);
                    pacer.throttle(Duration::from_secs(1));
                }
            }
        };
        futures::future::join_all((0..8).map(|_| worker())).await;
        (start.elapsed(), refused.get())
    }

    /// 250 requests at 50 per second: within 1.1x of the 5 s the budget allows, not one 429.
    async fn spends_the_budget(server: &mut dyn Server, headers: bool) {
        let (took, refused) = drive(&Pacer::new(50.0), server, 250, headers).await;
        assert_eq!(refused, 0, "429s");
        assert!(took <= Duration::from_millis(5500), "{took:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn spends_a_fixed_window_budget_without_a_429() {
        let mut server = FixedWindow {
            limit: 50,
            start: None,
            count: 0,
        };
        spends_the_budget(&mut server, true).await;
        let mut server = FixedWindow {
            limit: 50,
            start: None,
            count: 0,
        };
        spends_the_budget(&mut server, false).await;
    }

    #[tokio::test(start_paused = true)]
    async fn spends_a_token_bucket_budget_without_a_429() {
        for headers in [true, false] {
            let mut server = TokenBucket {
                limit: 50,
                tokens: 50.0,
                at: Instant::now(),
            };
            spends_the_budget(&mut server, headers).await;
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_server_limit_below_the_budget_is_followed_without_a_429() {
        // The budget says 50, the server 20 (and says so from its first answer).
        let pacer = Pacer::new(50.0);
        pacer.observe(
            &FixedWindow {
                limit: 20,
                start: None,
                count: 0,
            }
            .arrive(Instant::now())
            .1,
        );
        let mut server = FixedWindow {
            limit: 20,
            start: None,
            count: 0,
        };
        let (took, refused) = drive(&pacer, &mut server, 100, true).await;
        assert_eq!(refused, 0, "429s");
        assert!(took <= Duration::from_millis(5500), "{took:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn an_exhausted_window_pauses_until_it_ends_not_a_whole_reset_later() {
        let p = Pacer::new(50.0);
        let answer = |remaining| RateLimitInfo {
            limit: Some((50, Duration::from_secs(1))),
            remaining: Some(remaining),
            // Whole seconds, rounded up, as the gateway sends it.
            reset: Some(Duration::from_secs(1)),
        };
        let first = Instant::now();
        p.observe(&answer(49));
        tokio::time::advance(Duration::from_millis(600)).await;
        p.observe(&answer(0));
        assert_eq!(slot(&p, Instant::now()), first + Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn server_limit_tightens_and_pause_holds_everyone() {
        let p = Pacer::new(50.0);
        p.observe(&RateLimitInfo {
            limit: Some((10, Duration::from_secs(1))),
            remaining: Some(5),
            reset: Some(Duration::from_secs(1)),
        });
        assert_eq!(p.budget(), 10.0);
        let now = Instant::now();
        let slots: Vec<_> = (0..50).map(|_| slot(&p, now)).collect();
        assert!(max_per_second(&slots) <= 10);
        p.throttle(Duration::from_secs(30));
        assert!(slot(&p, Instant::now()) >= now + Duration::from_secs(30));
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_longer_than_a_call_may_wait_fails_it_taking_no_slot() {
        let p = Pacer::new(50.0);
        p.throttle(Duration::from_secs(30));
        let patience = Patience {
            max_server_wait: Duration::from_secs(60),
            deadline: Some(Instant::now() + Duration::from_secs(3)),
        };
        for _ in 0..100 {
            let err = p.acquire(patience).await.unwrap_err();
            assert!(
                matches!(err, Error::RateLimitPause { attempts: 0, .. }),
                "{err}"
            );
        }
        // The failed calls took no slot: the next one is the first after the pause.
        let now = Instant::now();
        assert_eq!(slot(&p, now), now + Duration::from_secs(30));
    }

    #[tokio::test(start_paused = true)]
    async fn absurd_waits_saturate_instead_of_panicking() {
        let p = Pacer::new(50.0);
        p.throttle(Duration::MAX);
        p.observe(&RateLimitInfo {
            limit: None,
            remaining: Some(0),
            reset: Some(Duration::MAX),
        });
        assert!(slot(&p, Instant::now()) > Instant::now() + Duration::from_secs(3600));
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_lowers_the_rate_which_then_recovers() {
        let p = Pacer::new(50.0);
        p.throttle(Duration::ZERO);
        assert!((p.budget() - 35.0).abs() < 1e-9, "{}", p.budget());
        p.throttle(Duration::ZERO);
        assert!(p.budget() < 35.0);
        tokio::time::advance(Duration::from_secs(20)).await;
        assert_eq!(p.budget(), 50.0);
    }

    #[tokio::test(start_paused = true)]
    async fn clients_of_one_key_share_one_budget() {
        let key = "61111111-1111-4111-8111-111111111111";
        let a = Pacer::shared(50.0, key, "https://api.example.test", None);
        let b = Pacer::shared(50.0, key, "https://api.example.test", None);
        let other = Pacer::shared(50.0, key, "https://other.example.test", None);
        let now = Instant::now();
        let slots: Vec<_> = (0..300)
            .map(|i| {
                if i % 2 == 0 {
                    slot(&a, now)
                } else {
                    slot(&b, now)
                }
            })
            .collect();
        let mut sorted = slots.clone();
        sorted.sort();
        assert!(max_per_second(&sorted) <= 50, "{}", max_per_second(&sorted));
        // Another URL (another API, another emulator) has its own budget.
        assert_eq!(slot(&other, now), now);
        // A 429 seen by one pauses the other.
        a.throttle(Duration::from_secs(5));
        assert!(slot(&b, Instant::now()) >= now + Duration::from_secs(5));
        assert!(b.budget() < 50.0);
    }

    #[tokio::test(start_paused = true)]
    async fn off_means_no_wait_but_pauses_still_apply() {
        let p = Pacer::new(0.0);
        let now = Instant::now();
        assert!((0..1000).all(|_| slot(&p, now) == now));
        p.observe(&RateLimitInfo {
            limit: None,
            remaining: Some(0),
            reset: Some(Duration::from_secs(2)),
        });
        assert_eq!(slot(&p, now), now + Duration::from_secs(2));
    }
}
