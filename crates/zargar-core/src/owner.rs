//! The owner's unlock at one till: a PIN opens the owner's screens for a
//! while, and wrong PINs slow a guesser down. The PIN itself is checked
//! against its argon2 hash by the store.

use chrono::{DateTime, Duration, Utc};

use crate::error::StoreError;

/// How long the owner's screens stay open with nothing done on them: a few
/// minutes, so an owner who walks away does not leave them to the counter.
pub const UNLOCK_FOR: Duration = Duration::minutes(3);
/// Wrong PINs allowed before each further try must wait.
pub const FREE_TRIES: u32 = 3;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnerGate {
    unlocked_until: Option<DateTime<Utc>>,
    failures: u32,
    blocked_until: Option<DateTime<Utc>>,
}

impl OwnerGate {
    /// Tries a PIN; `check` says whether it is the owner's.
    pub fn unlock(
        &mut self,
        now: DateTime<Utc>,
        check: impl FnOnce() -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        self.ready(now)?;
        let right = check()?;
        self.settle_attempt(now, right)
    }

    /// Refuses while wrong PINs have made the next try wait.
    pub fn ready(&self, now: DateTime<Utc>) -> Result<(), StoreError> {
        match self.blocked_until {
            Some(until) if now < until => {
                let seconds = u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1);
                Err(StoreError::OwnerPinThrottled { seconds })
            }
            _ => Ok(()),
        }
    }

    /// Counts a PIN that was checked: a right one opens, a wrong one may
    /// make the next try wait.
    pub fn settle_attempt(&mut self, now: DateTime<Utc>, right: bool) -> Result<(), StoreError> {
        if right {
            self.failures = 0;
            self.blocked_until = None;
            self.unlocked_until = Some(now + UNLOCK_FOR);
            return Ok(());
        }
        self.failures += 1;
        self.unlocked_until = None;
        if self.failures > FREE_TRIES {
            // 5 s, 10 s, 20 s … capped at 5 min 20 s.
            let exp = (self.failures - FREE_TRIES - 1).min(6);
            self.blocked_until = Some(now + Duration::seconds(5 * (1_i64 << exp)));
        }
        Err(StoreError::OwnerPinWrong)
    }

    /// The owner's screens are open now.
    pub fn is_unlocked(&self, now: DateTime<Utc>) -> bool {
        self.unlocked_until.is_some_and(|until| now < until)
    }

    /// Refuses unless unlocked; each owner action keeps the screens open.
    pub fn require(&mut self, now: DateTime<Utc>) -> Result<(), StoreError> {
        if !self.is_unlocked(now) {
            return Err(StoreError::OwnerLocked);
        }
        self.unlocked_until = Some(now + UNLOCK_FOR);
        Ok(())
    }

    pub fn lock(&mut self) {
        self.unlocked_until = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_pins_slow_down_and_a_right_one_opens_for_a_while() {
        let t0 = DateTime::parse_from_rfc3339("2026-11-21T10:00:00Z").expect("time").with_timezone(&Utc);
        let mut gate = OwnerGate::default();
        assert!(matches!(gate.require(t0), Err(StoreError::OwnerLocked)));
        for _ in 0..FREE_TRIES {
            assert!(matches!(gate.unlock(t0, || Ok(false)), Err(StoreError::OwnerPinWrong)));
        }
        assert!(matches!(gate.unlock(t0, || Ok(false)), Err(StoreError::OwnerPinWrong)));
        // The next try within 5 s is refused without checking the PIN.
        let early = gate.unlock(t0 + Duration::seconds(2), || panic!("must not check while throttled"));
        assert!(matches!(early, Err(StoreError::OwnerPinThrottled { seconds: 3 })));
        gate.unlock(t0 + Duration::seconds(6), || Ok(true)).expect("right PIN after the wait");
        assert!(gate.is_unlocked(t0 + Duration::minutes(2)));
        assert!(!gate.is_unlocked(t0 + Duration::seconds(6) + UNLOCK_FOR));
        gate.lock();
        assert!(!gate.is_unlocked(t0 + Duration::seconds(7)));
    }
}
