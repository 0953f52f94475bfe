//! Rate limits, as keyed GCRA limiters (`governor`): per device, from its
//! token, for every authenticated call; per client address for enrolment,
//! the one call without a token.

use std::hash::Hash;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests a key may make per second, sustained.
    pub per_second: u32,
    /// Requests a key may make at once after a quiet spell.
    pub burst: u32,
}

impl Default for RateLimit {
    /// A till syncs every few seconds and drains a backlog in 500-op pushes:
    /// 10 a second is far above honest use and far below a loop gone wrong.
    fn default() -> Self {
        RateLimit { per_second: 10, burst: 40 }
    }
}

impl RateLimit {
    /// Enrolments from one address: a code is a secret worth guessing, so
    /// few tries a second; IT setting up a fleet may raise it.
    pub fn enrolment(per_second: u32) -> RateLimit {
        RateLimit { per_second, burst: per_second.saturating_mul(5) }
    }
}

/// Above this many keys, the ones back at a full bucket are forgotten.
const KEYS_KEPT: usize = 100_000;

#[derive(Debug)]
pub struct RateLimiter<K: Hash + Eq + Clone> {
    limiter: DefaultKeyedRateLimiter<K>,
}

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    pub fn new(limit: RateLimit) -> RateLimiter<K> {
        let one = NonZeroU32::MIN;
        let quota = Quota::per_second(NonZeroU32::new(limit.per_second).unwrap_or(one))
            .allow_burst(NonZeroU32::new(limit.burst).unwrap_or(one));
        RateLimiter { limiter: DefaultKeyedRateLimiter::keyed(quota) }
    }

    /// Takes one request of `key`'s, or says how long to wait.
    pub fn check(&self, key: &K) -> Result<(), Duration> {
        if self.limiter.len() > KEYS_KEPT {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(key).map_err(|not_until| {
            use governor::clock::Clock as _;
            not_until.wait_time_from(self.limiter.clock().now())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn a_burst_then_the_sustained_rate_for_each_key_alone() {
        let limiter = RateLimiter::new(RateLimit { per_second: 2, burst: 3 });
        let d = Uuid::now_v7();
        for _ in 0..3 {
            assert!(limiter.check(&d).is_ok());
        }
        let wait = limiter.check(&d).expect_err("the burst is spent");
        assert!(wait > Duration::ZERO && wait <= Duration::from_millis(500), "one request every 500 ms: {wait:?}");
        assert!(limiter.check(&Uuid::now_v7()).is_ok(), "another device has its own allowance");
        std::thread::sleep(wait);
        assert!(limiter.check(&d).is_ok(), "after the wait it says, the next request passes");
    }
}
