//! Counters for `/metrics`, in the Prometheus text format.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use zargar_wire::OpStatus;

#[derive(Debug, Default)]
pub struct Metrics {
    pub pushes: AtomicU64,
    pub push_micros_sum: AtomicU64,
    /// Push latency histogram; bucket bounds in `PUSH_BUCKETS_MS`.
    push_buckets: [AtomicU64; PUSH_BUCKETS_MS.len()],
    pub pulls: AtomicU64,
    pub ops_applied: AtomicU64,
    pub ops_duplicate: AtomicU64,
    pub ops_conflict: AtomicU64,
    pub ops_rejected: AtomicU64,
    pub responses_4xx: AtomicU64,
    pub responses_5xx: AtomicU64,
    pub rate_limited: AtomicU64,
    pub auth_failures: AtomicU64,
}

const PUSH_BUCKETS_MS: [u64; 8] = [1, 5, 10, 25, 50, 100, 250, 1000];

impl Metrics {
    pub fn op(&self, status: OpStatus) {
        let counter = match status {
            OpStatus::Applied => &self.ops_applied,
            OpStatus::Duplicate => &self.ops_duplicate,
            OpStatus::Conflict => &self.ops_conflict,
            OpStatus::Rejected => &self.ops_rejected,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn push_took(&self, micros: u64) {
        self.pushes.fetch_add(1, Ordering::Relaxed);
        self.push_micros_sum.fetch_add(micros, Ordering::Relaxed);
        for (bound, bucket) in PUSH_BUCKETS_MS.iter().zip(&self.push_buckets) {
            if micros <= bound * 1000 {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// The counters, with the live streams' gauge and notice count.
    pub fn render(&self, live: &crate::live::Notices) -> String {
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let mut out = String::new();
        let mut counter = |name: &str, help: &str, samples: &[(&str, u64)]| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
            for (labels, v) in samples {
                let _ = writeln!(out, "{name}{labels} {v}");
            }
        };
        counter("zargar_pulls_total", "Pull requests answered.", &[("", get(&self.pulls))]);
        counter(
            "zargar_ops_total",
            "Pushed ops by result.",
            &[
                ("{status=\"applied\"}", get(&self.ops_applied)),
                ("{status=\"duplicate\"}", get(&self.ops_duplicate)),
                ("{status=\"conflict\"}", get(&self.ops_conflict)),
                ("{status=\"rejected\"}", get(&self.ops_rejected)),
            ],
        );
        counter(
            "zargar_http_errors_total",
            "Error responses by class.",
            &[("{class=\"4xx\"}", get(&self.responses_4xx)), ("{class=\"5xx\"}", get(&self.responses_5xx))],
        );
        counter("zargar_rate_limited_total", "Requests answered 429.", &[("", get(&self.rate_limited))]);
        counter(
            "zargar_auth_failures_total",
            "Requests with a missing, unknown or revoked token.",
            &[("", get(&self.auth_failures))],
        );
        let _ = writeln!(
            out,
            "# HELP zargar_push_duration_seconds Push handling time.\n# TYPE zargar_push_duration_seconds histogram"
        );
        for (bound, bucket) in PUSH_BUCKETS_MS.iter().zip(&self.push_buckets) {
            let le = rust_decimal::Decimal::new(i64::try_from(*bound).unwrap_or(i64::MAX), 3);
            let _ = writeln!(out, "zargar_push_duration_seconds_bucket{{le=\"{le}\"}} {}", get(bucket));
        }
        let count = get(&self.pushes);
        let sum = rust_decimal::Decimal::new(i64::try_from(get(&self.push_micros_sum)).unwrap_or(i64::MAX), 6);
        let _ = writeln!(out, "zargar_push_duration_seconds_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(out, "zargar_push_duration_seconds_sum {sum}");
        let _ = writeln!(out, "zargar_push_duration_seconds_count {count}");
        let _ = writeln!(
            out,
            "# HELP zargar_live_streams Change-notice streams open now.\n# TYPE zargar_live_streams gauge\n\
             zargar_live_streams {}",
            live.streams()
        );
        let _ = writeln!(
            out,
            "# HELP zargar_live_notices_total Change notices fanned out to this process's streams.\n\
             # TYPE zargar_live_notices_total counter\nzargar_live_notices_total {}",
            live.published()
        );
        out
    }
}
