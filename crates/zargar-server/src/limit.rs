//! Per-device rate limiting: a token bucket per device, in memory.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests a device may make per second, sustained.
    pub per_second: u32,
    /// Requests a device may make at once after a quiet spell.
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
    /// Enrolments for the whole server: a code is a secret worth guessing,
    /// so few tries a second; IT setting up a fleet may raise it.
    pub fn enrolment(per_second: u32) -> RateLimit {
        RateLimit { per_second, burst: per_second.saturating_mul(5) }
    }
}

#[derive(Debug)]
pub struct RateLimiter {
    limit: RateLimit,
    /// Tokens are kept in thousandths so that refills are integer.
    buckets: Mutex<HashMap<Uuid, (u64, Instant)>>,
}

impl RateLimiter {
    pub fn new(limit: RateLimit) -> RateLimiter {
        RateLimiter { limit, buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes one request from the device's bucket, or says how long to wait.
    pub fn check(&self, device: Uuid, now: Instant) -> Result<(), Duration> {
        let full = u64::from(self.limit.burst.max(1)) * 1000;
        let rate = u64::from(self.limit.per_second.max(1));
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > 100_000 {
            // Devices are enrolled by hand; this many is a leak, not a shop.
            buckets.retain(|_, (tokens, _)| *tokens < full);
        }
        let (tokens, last) = buckets.entry(device).or_insert((full, now));
        let elapsed_ms = u64::try_from(now.saturating_duration_since(*last).as_millis()).unwrap_or(u64::MAX);
        *tokens = tokens.saturating_add(elapsed_ms.saturating_mul(rate)).min(full);
        *last = now;
        if *tokens >= 1000 {
            *tokens -= 1000;
            Ok(())
        } else {
            let missing_ms = (1000 - *tokens).div_ceil(rate);
            Err(Duration::from_millis(missing_ms))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_sustained_rate() {
        let limiter = RateLimiter::new(RateLimit { per_second: 2, burst: 3 });
        let d = Uuid::now_v7();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check(d, t0).is_ok());
        }
        let wait = limiter.check(d, t0).expect_err("the bucket is empty");
        assert_eq!(wait, Duration::from_millis(500));
        assert!(limiter.check(d, t0 + Duration::from_millis(500)).is_ok());
        assert!(limiter.check(Uuid::now_v7(), t0).is_ok(), "another device has its own bucket");
    }
}
