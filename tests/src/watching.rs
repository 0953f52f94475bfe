//! A till's engine running in the background (`zargar sync --watch
//! --json`), and what it last reported.

use std::io::{BufRead, BufReader};
use std::process::Child;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::Till;

/// Killed when dropped.
#[derive(Debug)]
pub struct Watching {
    child: Child,
    last: Arc<Mutex<Value>>,
}

impl Watching {
    /// Starts the engine with a round every `interval_secs`.
    pub fn start(till: &Till, interval_secs: u64) -> Watching {
        let mut child = till.watch(interval_secs);
        let out = child.stdout.take().expect("watch stdout");
        let last = Arc::new(Mutex::new(Value::Null));
        let seen = Arc::clone(&last);
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str::<Value>(&line) {
                    *seen.lock().expect("status") = v;
                }
            }
        });
        Watching { child, last }
    }

    /// The engine's last status line.
    pub fn status(&self) -> Value {
        self.last.lock().expect("status").clone()
    }

    /// Whether the server's change notices are streaming in.
    pub fn live(&self) -> bool {
        self.status()["live"] == true
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
