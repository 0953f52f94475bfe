//! Retention: what a shop's tills no longer need (stored answers to old ops,
//! changes a later change of the same thing replaces) is pruned once its
//! retention has passed. The serving process prunes a shop at most once a
//! day, after one of its pushes: a shop that pushes nothing grows nothing to
//! prune. `zargar-server prune` does it now, for IT.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::metrics::Metrics;
use crate::storage::{Pruned, Storage, StorageError};

/// How often a serving process prunes one shop.
const EVERY: Duration = Duration::from_secs(24 * 3600);

/// Prunes `tenant` by its own retention (`retention_days` in its settings).
pub async fn prune_shop(storage: &dyn Storage, tenant: Uuid, now: DateTime<Utc>) -> Result<Pruned, StorageError> {
    let days = storage.settings(tenant).await?.retention_days;
    storage.prune(tenant, now - chrono::Duration::days(i64::from(days)), now).await
}

/// When this process last pruned each shop.
#[derive(Debug, Default)]
pub struct Retention {
    last: Mutex<HashMap<Uuid, Instant>>,
}

impl Retention {
    /// After a push of `tenant`: prunes it in the background if its day has come.
    pub fn after_push(&self, storage: &Arc<dyn Storage>, metrics: &Arc<Metrics>, tenant: Uuid) {
        let now = Instant::now();
        {
            let Ok(mut last) = self.last.lock() else { return };
            if last.get(&tenant).is_some_and(|at| now.duration_since(*at) < EVERY) {
                return;
            }
            last.insert(tenant, now);
        }
        let (storage, metrics) = (storage.clone(), metrics.clone());
        tokio::spawn(async move {
            match prune_shop(&*storage, tenant, Utc::now()).await {
                Ok(p) => {
                    metrics.pruned(&p);
                    if p.changes + p.op_results > 0 {
                        tracing::info!(%tenant, changes = p.changes, op_results = p.op_results, floor = p.floor, "pruned");
                    }
                }
                Err(e) => {
                    metrics.prune_failed();
                    tracing::warn!(%tenant, error = %e, "pruning failed; the next push tries again tomorrow");
                }
            }
        });
    }
}
