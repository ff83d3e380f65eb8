//! Simulated service time.

use std::time::Duration;

use crate::config::Latency;
use crate::operation::Operation;

/// How long `op` takes: the base (or the creation time for creations) plus uniform jitter.
pub(crate) fn delay(latency: &Latency, op: Operation) -> Duration {
    let base = if op == Operation::CreateOrganization && latency.create_ms > 0 {
        latency.create_ms
    } else {
        latency.base_ms
    };
    let jitter = if latency.jitter_ms > 0 {
        fastrand::u64(0..=latency.jitter_ms)
    } else {
        0
    };
    Duration::from_millis(base + jitter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creation_is_slower_and_jitter_stays_in_range() {
        let l = Latency {
            base_ms: 10,
            jitter_ms: 5,
            create_ms: 100,
        };
        for _ in 0..100 {
            let get = delay(&l, Operation::GetOrganization).as_millis();
            assert!((10..=15).contains(&get));
            let create = delay(&l, Operation::CreateOrganization).as_millis();
            assert!((100..=105).contains(&create));
        }
        assert_eq!(
            delay(&Latency::default(), Operation::CreateOrganization),
            Duration::ZERO
        );
    }
}
