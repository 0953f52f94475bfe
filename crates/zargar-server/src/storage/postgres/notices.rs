//! Change notices across server processes on one database: each process
//! keeps one connection that `LISTEN`s on `CHANNEL`; a push's notice goes
//! out with `NOTIFY` on that same connection, and every process (this one
//! too) fans what it hears out to its own tills' streams.
//!
//! The connection must be a session of its own: through pgbouncer in
//! transaction mode a `LISTEN` is lost with the transaction, so `serve`
//! takes a direct URL for it (`--notices-database-url`).

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};
use tokio_postgres::{AsyncMessage, NoTls};
use uuid::Uuid;

use crate::live::{Notice, Notices};

/// The channel every server process of the database listens on.
pub const CHANNEL: &str = "zargar_changes";

/// The longest wait before the listening connection is tried again.
const RECONNECT_MAX: Duration = Duration::from_secs(30);

/// Starts listening on `url` and sends this process's notices through it.
pub fn start(url: String, notices: Arc<Notices>) {
    let (relay, outbox) = mpsc::unbounded_channel();
    notices.relay_through(relay);
    tokio::spawn(run(url, notices, outbox));
}

/// `tenant:origin` (origin empty when no till made the change).
pub fn encode(tenant: Uuid, notice: Notice) -> String {
    format!("{tenant}:{}", notice.origin.map(|o| o.to_string()).unwrap_or_default())
}

fn decode(payload: &str) -> Option<(Uuid, Notice)> {
    let (tenant, origin) = payload.split_once(':')?;
    let origin = if origin.is_empty() { None } else { Some(origin.parse().ok()?) };
    Some((tenant.parse().ok()?, Notice { origin }))
}

async fn run(url: String, notices: Arc<Notices>, mut outbox: mpsc::UnboundedReceiver<(Uuid, Notice)>) {
    let mut wait = Duration::from_secs(1);
    loop {
        let started = Instant::now();
        match session(&url, &notices, &mut outbox).await {
            Ok(()) => return,
            Err(e) => tracing::warn!(error = %e, "change notices: the listening connection is down"),
        }
        if started.elapsed() > RECONNECT_MAX {
            wait = Duration::from_secs(1);
        }
        // Meanwhile this process's own tills are still told at once; other
        // processes' tills learn at their next round.
        let until = Instant::now() + wait;
        loop {
            tokio::select! {
                m = outbox.recv() => match m {
                    Some((tenant, notice)) => notices.publish(tenant, notice),
                    None => return,
                },
                () = sleep_until(until) => break,
            }
        }
        wait = (wait * 2).min(RECONNECT_MAX);
    }
}

/// One connection's life: `Ok` when the server is stopping, `Err` when
/// the connection failed.
async fn session(
    url: &str,
    notices: &Notices,
    outbox: &mut mpsc::UnboundedReceiver<(Uuid, Notice)>,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = tokio_postgres::connect(url, NoTls).await?;
    let (heard_tx, mut heard) = mpsc::unbounded_channel();
    // The connection is driven here; what it hears is passed on.
    let driver = tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(m) = messages.next().await {
            match m {
                Ok(AsyncMessage::Notification(n)) => {
                    let _ = heard_tx.send(n.payload().to_owned());
                }
                Ok(_) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    });
    let _stop_driver = AbortOnDrop(driver.abort_handle());
    client.batch_execute(&format!("LISTEN {CHANNEL}")).await?;
    tracing::info!("change notices: listening");
    loop {
        tokio::select! {
            m = outbox.recv() => match m {
                None => return Ok(()),
                Some((tenant, notice)) => {
                    let sent = client.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &encode(tenant, notice)]).await;
                    if let Err(e) = sent {
                        notices.publish(tenant, notice);
                        return Err(e);
                    }
                }
            },
            p = heard.recv() => match p {
                Some(p) => match decode(&p) {
                    Some((tenant, notice)) => notices.publish(tenant, notice),
                    None => tracing::warn!(payload = %p, "change notices: an unreadable notice"),
                },
                // The connection ended; its error, if it had one.
                None => return match driver.await {
                    Ok(Err(e)) => Err(e),
                    _ => client.batch_execute("SELECT 1").await,
                },
            },
        }
    }
}

struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_reads_back_as_written() {
        let tenant = Uuid::now_v7();
        let till = Uuid::now_v7();
        for origin in [Some(till), None] {
            assert_eq!(decode(&encode(tenant, Notice { origin })), Some((tenant, Notice { origin })));
        }
        assert_eq!(decode("not a notice"), None);
    }
}
