//! Client-wide pacing: every call of one client (and of its clones) takes a slot here before
//! sending, so bulk work stays under the API's rate budget instead of hammering into 429s.
//!
//! A GCRA limiter sized so that no one-second window ever holds more than the budget: a small
//! burst plus a steady rate of `budget - burst`. It tightens to what the server announces in
//! `X-Ratelimit-Limit`, stops when `X-Ratelimit-Remaining` reaches 0, and pauses every call
//! after a 429.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::response::RateLimitInfo;

#[derive(Debug)]
pub(crate) struct Pacer {
    /// The budget the user configured (requests per second); 0 turns pacing off.
    configured: f64,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Requests per second currently allowed (configured, or lower if the server says so).
    budget: f64,
    /// GCRA's theoretical arrival time of the next request.
    tat: Instant,
    /// No request leaves before this instant (after a 429 or an exhausted window).
    paused_until: Instant,
}

impl State {
    fn burst(&self) -> f64 {
        (self.budget / 10.0).floor().max(1.0)
    }

    fn interval(&self) -> Duration {
        let steady = (self.budget - self.burst()).max(self.budget / 2.0).max(0.1);
        Duration::from_secs_f64(1.0 / steady)
    }
}

impl Pacer {
    pub fn new(requests_per_second: f64) -> Self {
        let now = Instant::now();
        Pacer {
            configured: requests_per_second.max(0.0),
            state: Mutex::new(State {
                budget: requests_per_second.max(0.0),
                tat: now,
                paused_until: now,
            }),
        }
    }

    /// Reserves the next slot and returns when it is due. A dropped future gives its slot up
    /// to nobody; that only makes pacing slightly more conservative.
    pub async fn acquire(&self) {
        let at = self.reserve(Instant::now());
        tokio::time::sleep_until(at).await;
    }

    fn reserve(&self, now: Instant) -> Instant {
        let mut s = self.state.lock().expect("pacer lock");
        let start = now.max(s.paused_until);
        if self.configured == 0.0 {
            return start;
        }
        let interval = s.interval();
        let tolerance = interval.mul_f64(s.burst() - 1.0);
        let tat = s.tat.max(start);
        let allowed = tat.checked_sub(tolerance).unwrap_or(start).max(start);
        s.tat = tat + interval;
        allowed
    }

    /// Adapts to what a response announced.
    pub fn observe(&self, info: &RateLimitInfo) {
        let mut s = self.state.lock().expect("pacer lock");
        if let Some((quota, window)) = info.limit {
            let server = f64::from(quota) / window.as_secs_f64();
            if self.configured > 0.0 {
                s.budget = self.configured.min(server);
            }
        }
        if info.remaining == Some(0) {
            let until = Instant::now() + info.reset.unwrap_or(Duration::from_secs(1));
            s.paused_until = s.paused_until.max(until);
        }
    }

    /// Holds every call of the client for `wait` (after a 429).
    pub fn pause(&self, wait: Duration) {
        let mut s = self.state.lock().expect("pacer lock");
        s.paused_until = s.paused_until.max(Instant::now() + wait);
    }

    /// The budget currently applied, in requests per second (0 when pacing is off).
    pub fn budget(&self) -> f64 {
        if self.configured == 0.0 {
            0.0
        } else {
            self.state.lock().expect("pacer lock").budget
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let slots: Vec<_> = (0..500).map(|_| p.reserve(now)).collect();
        assert!(max_per_second(&slots) <= 50, "{}", max_per_second(&slots));
        // ... and it does not crawl either: 500 requests take about 500/45 s.
        let span = slots.last().unwrap().duration_since(now).as_secs_f64();
        assert!((10.0..12.0).contains(&span), "{span}");
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
        let slots: Vec<_> = (0..50).map(|_| p.reserve(now)).collect();
        assert!(max_per_second(&slots) <= 10);
        p.pause(Duration::from_secs(30));
        assert!(p.reserve(Instant::now()) >= now + Duration::from_secs(30));
    }

    #[tokio::test(start_paused = true)]
    async fn off_means_no_wait_but_pauses_still_apply() {
        let p = Pacer::new(0.0);
        let now = Instant::now();
        assert!((0..1000).all(|_| p.reserve(now) == now));
        p.observe(&RateLimitInfo {
            limit: None,
            remaining: Some(0),
            reset: Some(Duration::from_secs(2)),
        });
        assert_eq!(p.reserve(now), now + Duration::from_secs(2));
    }
}
