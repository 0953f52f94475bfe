//! The status bar: where the sync engine stands.

use super::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProgressView {
    pub phase: SyncPhase,
    #[ts(type = "number")]
    pub pushed: u64,
    #[ts(type = "number")]
    pub to_push: u64,
    #[ts(type = "number")]
    pub pulled: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SyncView {
    pub state: EngineState,
    pub online: bool,
    /// Other tills' sales stream in as they happen.
    pub live: bool,
    pub shop: Option<String>,
    #[ts(type = "number")]
    pub pending: u64,
    #[ts(type = "number")]
    pub pending_sales: u64,
    pub oldest_pending_sale_at: Option<String>,
    #[ts(type = "number")]
    pub open_conflicts: u64,
    #[ts(type = "number")]
    pub rejected: u64,
    pub last_success: Option<String>,
    pub last_error: Option<Localized>,
    pub next_attempt: Option<String>,
    pub progress: Option<ProgressView>,
    pub alerts: Vec<Localized>,
}

impl SyncView {
    pub fn new(s: &SyncStatus, alerts: &[TillAlert]) -> SyncView {
        SyncView {
            state: s.state,
            online: s.online.unwrap_or(false),
            live: s.live,
            shop: s.shop.clone(),
            pending: s.pending,
            pending_sales: s.pending_sales,
            oldest_pending_sale_at: s.oldest_pending_sale_at.map(at),
            open_conflicts: s.open_conflicts,
            rejected: s.rejected,
            last_success: s.last_success.map(at),
            last_error: s
                .last_error
                .as_ref()
                .map(|f| Localized::new(&f.code, format!("error-{}", f.code.replace('_', "-")), Vec::new())),
            next_attempt: s.next_attempt.map(at),
            progress: s.progress.map(|p| ProgressView {
                phase: p.phase,
                pushed: p.pushed,
                to_push: p.to_push,
                pulled: p.pulled,
            }),
            alerts: alerts.iter().map(Localized::from).collect(),
        }
    }
}
