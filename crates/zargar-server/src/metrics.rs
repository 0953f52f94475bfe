//! `/metrics`: the server's counters, gauges and the push histogram, kept
//! and written out (OpenMetrics text) by `prometheus-client`.

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use zargar_wire::OpStatus;

/// One label, by name and value: `status="applied"`, `class="4xx"`.
type Label = [(&'static str, &'static str); 1];

/// Upper bounds of the push histogram, in seconds.
const PUSH_BUCKETS: [f64; 8] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0];

#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    pulls: Counter,
    ops: Family<Label, Counter>,
    http_errors: Family<Label, Counter>,
    rate_limited: Counter,
    auth_failures: Counter,
    push_duration: Histogram,
    /// Change-notice streams open now; kept by `live::Notices`.
    pub live_streams: Gauge,
    /// Change notices fanned out to this process's streams.
    pub live_notices: Counter,
    pruned: Family<Label, Counter>,
    prune_failures: Counter,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let mut m = Metrics {
            registry: Registry::default(),
            pulls: Counter::default(),
            ops: Family::default(),
            http_errors: Family::default(),
            rate_limited: Counter::default(),
            auth_failures: Counter::default(),
            push_duration: Histogram::new(PUSH_BUCKETS),
            live_streams: Gauge::default(),
            live_notices: Counter::default(),
            pruned: Family::default(),
            prune_failures: Counter::default(),
        };
        // Every series from the start, at zero: a rate over a series that
        // appears only with its first event misses that event.
        for status in ["applied", "duplicate", "conflict", "rejected"] {
            drop(m.ops.get_or_create(&[("status", status)]));
        }
        for class in ["4xx", "5xx"] {
            drop(m.http_errors.get_or_create(&[("class", class)]));
        }
        for table in ["op_results", "changes"] {
            drop(m.pruned.get_or_create(&[("table", table)]));
        }
        let r = &mut m.registry;
        r.register("zargar_pulls", "Pull requests answered", m.pulls.clone());
        r.register("zargar_ops", "Pushed ops by result", m.ops.clone());
        r.register("zargar_http_errors", "Error responses by class", m.http_errors.clone());
        r.register("zargar_rate_limited", "Requests answered 429", m.rate_limited.clone());
        r.register(
            "zargar_auth_failures",
            "Requests with a missing, unknown or revoked token",
            m.auth_failures.clone(),
        );
        r.register("zargar_push_duration_seconds", "Push handling time", m.push_duration.clone());
        r.register("zargar_live_streams", "Change-notice streams open now", m.live_streams.clone());
        r.register(
            "zargar_live_notices",
            "Change notices fanned out to this process's streams",
            m.live_notices.clone(),
        );
        r.register("zargar_pruned_rows", "Rows retention removed, by table", m.pruned.clone());
        r.register("zargar_prune_failures", "Retention runs that failed", m.prune_failures.clone());
        m
    }
}

impl Metrics {
    pub fn op(&self, status: OpStatus) {
        let status = match status {
            OpStatus::Applied => "applied",
            OpStatus::Duplicate => "duplicate",
            OpStatus::Conflict => "conflict",
            OpStatus::Rejected => "rejected",
        };
        self.ops.get_or_create(&[("status", status)]).inc();
    }

    pub fn push_took(&self, took: std::time::Duration) {
        self.push_duration.observe(took.as_secs_f64());
    }

    pub fn pulled(&self) {
        self.pulls.inc();
    }

    /// An error answer, by its class (`4xx`, `5xx`).
    pub fn error(&self, class: &'static str) {
        self.http_errors.get_or_create(&[("class", class)]).inc();
    }

    pub fn rate_limited(&self) {
        self.rate_limited.inc();
    }

    pub fn auth_failed(&self) {
        self.auth_failures.inc();
    }

    pub fn pruned(&self, p: &crate::storage::Pruned) {
        self.pruned.get_or_create(&[("table", "op_results")]).inc_by(p.op_results);
        self.pruned.get_or_create(&[("table", "changes")]).inc_by(p.changes);
    }

    pub fn prune_failed(&self) {
        self.prune_failures.inc();
    }

    /// The exposition text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}
