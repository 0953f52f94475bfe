//! The background task: when to run a round, how long to wait after a
//! failure, and the status it publishes for the app's status bar.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep_until};

use super::client::Client;
use super::live::{self, Heard};
use super::{Backoff, EngineState, Shared, SyncConfig, SyncError, SyncStatus, blocking, note, round};
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command {
    /// A sale or another op was recorded: push soon.
    Recorded,
    /// A person asked: run a round now, even after a stop.
    SyncNow,
}

/// Starts the engine.
#[derive(Debug)]
pub struct SyncEngine;

/// The running engine. Dropping it stops the engine at its next await; call
/// `shutdown` to also wait until any store write in flight has finished.
#[derive(Debug)]
pub struct SyncHandle {
    commands: mpsc::UnboundedSender<Command>,
    status: watch::Receiver<SyncStatus>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    store: Shared,
}

impl SyncEngine {
    /// Opens its own connection to the till's database at `db` (SQLite in
    /// WAL mode lets the cashier's connection keep writing meanwhile) and
    /// spawns the engine on the current tokio runtime.
    pub fn start(db: &Path, config: SyncConfig) -> Result<SyncHandle, SyncError> {
        let store: Shared = Arc::new(Mutex::new(Store::open(db)?));
        let (commands, inbox) = mpsc::unbounded_channel();
        let (status_tx, status) = watch::channel(SyncStatus::initial());
        let (stop, stop_rx) = watch::channel(false);
        let (heard_tx, heard) = mpsc::unbounded_channel();
        if config.live {
            tokio::spawn(live::listen(Arc::clone(&store), config.clone(), heard_tx, stop_rx.clone()));
        }
        let task = Task { store: Arc::clone(&store), config, inbox, heard, status: status_tx, stop: stop_rx };
        let task = tokio::spawn(task.run());
        Ok(SyncHandle { commands, status, stop, task: Some(task), store })
    }
}

impl SyncHandle {
    /// Call after recording a sale (or any op): pushed after a short pause,
    /// so a burst of sales goes in one request.
    pub fn recorded(&self) {
        let _ = self.commands.send(Command::Recorded);
    }

    /// Runs a round now, ignoring backoff; after a stop (re-enrolled,
    /// updated) it also restarts the engine.
    pub fn sync_now(&self) {
        let _ = self.commands.send(Command::SyncNow);
    }

    pub fn status(&self) -> SyncStatus {
        self.status.borrow().clone()
    }

    /// A stream of status changes, for the UI.
    pub fn subscribe(&self) -> watch::Receiver<SyncStatus> {
        self.status.clone()
    }

    /// Stops the engine: a round in flight is abandoned between steps (the
    /// ops it was sending stay pending and are sent again next time), and
    /// any store transaction already running completes first.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        // Wait for a blocking store call still holding the connection.
        let store = Arc::clone(&self.store);
        let _ = tokio::task::spawn_blocking(move || {
            if let Ok(s) = store.lock() {
                let _ = s.checkpoint();
            }
        })
        .await;
    }
}

impl Drop for SyncHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// The engine folds the write-ahead log into the database at most this often.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(5);

struct Task {
    store: Shared,
    config: SyncConfig,
    inbox: mpsc::UnboundedReceiver<Command>,
    heard: mpsc::UnboundedReceiver<Heard>,
    status: watch::Sender<SyncStatus>,
    stop: watch::Receiver<bool>,
}

impl Task {
    async fn run(mut self) {
        let mut backoff = Backoff::new(self.config.backoff_min, self.config.backoff_max);
        let mut wake = Instant::now();
        let mut stopped = false;
        let mut offline = false;
        let mut checkpointed: Option<Instant> = None;
        let mut live = false;
        let mut listening = self.config.live;
        let mut probe = tokio::time::interval(self.config.probe_interval);
        probe.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let initial = self.refresh().await;
        if let Some(s) = initial.and_then(|s| s.last_error.filter(|_| s.state == EngineState::Stopped)) {
            tracing::info!(code = %s.code, "sync stays stopped until someone acts");
            stopped = true;
        }
        loop {
            tokio::select! {
                biased;
                _ = self.stop.changed() => break,
                cmd = self.inbox.recv() => match cmd {
                    None => break,
                    Some(Command::SyncNow) => {
                        stopped = false;
                        backoff.reset();
                        wake = Instant::now();
                    }
                    Some(Command::Recorded) => {
                        // While healthy, push soon; while failing, the backoff
                        // decides (a sale must not make a sick server sicker).
                        if !stopped && backoff.failures() == 0 {
                            wake = wake.min(Instant::now() + self.config.debounce);
                        }
                        self.refresh().await;
                    }
                },
                heard = self.heard.recv(), if listening => match heard {
                    None => listening = false,
                    Some(Heard::Open) => {
                        live = true;
                        if offline {
                            offline = false;
                            backoff.reset();
                        }
                        self.set(|st| st.live = true);
                    }
                    Some(Heard::Closed) => {
                        live = false;
                        wake = wake.min(Instant::now() + self.config.interval);
                        self.set(|st| st.live = false);
                    }
                    Some(Heard::Changes) => {
                        // The server is there and has news: pull soon, unless
                        // a round is already due sooner.
                        if !stopped {
                            wake = wake.min(Instant::now() + self.config.notice_debounce);
                        }
                    }
                },
                _ = sleep_until(wake), if !stopped => {
                    let outcome = self.one_round().await;
                    let Some(result) = outcome else { break };
                    match result {
                        Ok(()) => {
                            backoff.reset();
                            offline = false;
                            let every = if live { self.config.live_interval } else { self.config.interval };
                            wake = Instant::now() + every;
                            // Idle now: fold the log into the database, off the
                            // cashier's path; not after every round of a busy
                            // shop's notices, which would copy the same pages again.
                            if checkpointed.is_none_or(|at| at.elapsed() >= CHECKPOINT_EVERY) {
                                let _ = blocking(&self.store, |s| s.checkpoint()).await;
                                checkpointed = Some(Instant::now());
                            }
                            match blocking(&self.store, |s| s.cleanup_if_due(Utc::now())).await {
                                Ok(Some(c)) if c.removed + c.compacted > 0 => {
                                    tracing::info!(removed = c.removed, compacted = c.compacted, "old sent ops cleaned up");
                                }
                                Ok(_) => {}
                                Err(e) => tracing::warn!(error = %e, "cleanup of sent ops failed"),
                            }
                            self.set(|st| {
                                st.state = EngineState::Idle;
                                st.online = Some(true);
                                st.next_attempt = None;
                                st.last_error = None;
                                st.last_success = Some(Utc::now());
                            });
                        }
                        Err(e) if e.stops() => {
                            stopped = true;
                            tracing::warn!(code = e.code(), error = %e, "sync stopped");
                            let online = !matches!(e, SyncError::NotEnrolled);
                            self.set(|st| {
                                st.state = if matches!(e, SyncError::NotEnrolled) {
                                    EngineState::NotEnrolled
                                } else {
                                    EngineState::Stopped
                                };
                                st.online = online.then_some(true);
                                st.next_attempt = None;
                                st.last_error = Some(e.fault(Utc::now()));
                            });
                        }
                        Err(e) => {
                            let mut wait = backoff.next();
                            if let Some(floor) = e.retry_after() {
                                wait = wait.max(floor);
                            }
                            offline = matches!(e, SyncError::Offline(_));
                            tracing::info!(code = e.code(), error = %e, wait_ms = wait.as_millis() as u64, "sync round failed");
                            wake = Instant::now() + wait;
                            let next = Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default();
                            self.set(|st| {
                                st.state = EngineState::Retrying;
                                st.online = Some(!offline);
                                st.next_attempt = Some(next);
                                st.last_error = Some(e.fault(Utc::now()));
                            });
                        }
                    }
                    self.refresh().await;
                },
                // Between rounds, a light health check: the status bar says
                // "offline" within seconds of the server going away, not at
                // the next round, and a round starts as soon as it is back.
                // While the live stream is open, its heartbeat is the probe.
                _ = probe.tick(), if !stopped && !live => match self.reachable().await {
                    Some(true) if offline => {
                        tracing::info!("server reachable again");
                        offline = false;
                        backoff.reset();
                        wake = Instant::now();
                    }
                    Some(false) if !offline && self.status.borrow().state == EngineState::Idle => {
                        tracing::info!("server out of reach");
                        offline = true;
                        self.set(|st| st.online = Some(false));
                    }
                    _ => {}
                },
            }
        }
    }

    /// Runs a round unless asked to stop meanwhile (then `None`).
    async fn one_round(&mut self) -> Option<Result<(), SyncError>> {
        self.set(|st| {
            st.state = EngineState::Syncing;
            st.next_attempt = None;
        });
        let status = self.status.clone();
        let progress = move |p: super::RoundProgress| {
            status.send_modify(|st| {
                st.pending = p.pending;
                st.progress = Some(p);
            })
        };
        let store = Arc::clone(&self.store);
        let config = self.config.clone();
        let result = tokio::select! {
            biased;
            _ = self.stop.changed() => return None,
            r = round(&store, &config, &progress) => r,
        };
        note(&self.store, &result).await;
        self.set(|st| st.progress = None);
        Some(result.map(|_| ()))
    }

    /// Whether the server answers its health check; `None` when this till
    /// is not enrolled (nothing to reach).
    async fn reachable(&self) -> Option<bool> {
        let link = blocking(&self.store, |s| s.sync_link()).await.ok().flatten()?;
        match Client::new(&link.server_url, &link.device_token, &self.config) {
            Ok(c) => Some(c.reachable().await),
            Err(_) => Some(false),
        }
    }

    fn set(&self, f: impl FnOnce(&mut SyncStatus)) {
        self.status.send_modify(f);
    }

    /// Re-reads the counts and the stored outcome; publishes and returns them.
    async fn refresh(&self) -> Option<SyncStatus> {
        let mut st = self.status.borrow().clone();
        let read = blocking(&self.store, move |s| {
            let stopped = s.sync_link()?.is_some_and(|l| l.stopped.is_some());
            st.read_counts(s, Utc::now())?;
            if stopped && st.state != EngineState::Syncing {
                st.state = EngineState::Stopped;
            } else if st.state == EngineState::NotEnrolled && s.sync_link()?.is_some() {
                st.state = EngineState::Idle;
            }
            Ok(st)
        })
        .await;
        match read {
            Ok(st) => {
                self.status.send_replace(st.clone());
                Some(st)
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not read the sync status");
                None
            }
        }
    }
}
