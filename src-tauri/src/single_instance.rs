//! One app per data folder: two windows writing one till would hand out
//! invoice numbers from two screens. The first instance holds an exclusive
//! lock on a file in the data folder and listens on a socket beside it; a
//! second start asks the first to come to the front, then exits.

use std::fs::File;
use std::io::{Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;

#[derive(Debug)]
pub enum Instance {
    /// This process owns the data folder; keep the guard alive.
    First(InstanceGuard),
    /// Another process does; it was asked to show itself.
    Second,
}

#[derive(Debug)]
pub struct InstanceGuard {
    _lock: File,
}

pub fn claim(dir: &Path, on_focus: impl Fn() + Send + 'static) -> std::io::Result<Instance> {
    std::fs::create_dir_all(dir)?;
    let lock = File::options().create(true).truncate(false).write(true).open(dir.join("zargar-pos.lock"))?;
    let socket = dir.join("zargar-pos.sock");
    if lock.try_lock().is_err() {
        if let Ok(mut stream) = UnixStream::connect(&socket) {
            let _ = stream.write_all(b"focus\n");
        }
        return Ok(Instance::Second);
    }
    // We hold the lock, so a socket file left here is a dead instance's.
    let _ = std::fs::remove_file(&socket);
    let listener = UnixListener::bind(&socket)?;
    std::thread::Builder::new().name("single-instance".into()).spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut buf = [0_u8; 16];
            // Bounded read: a request is one short word.
            let mut s = stream.take(16);
            if s.read(&mut buf).is_ok_and(|n| buf[..n].starts_with(b"focus")) {
                on_focus();
            }
        }
    })?;
    Ok(Instance::First(InstanceGuard { _lock: lock }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    #[test]
    fn a_second_claim_is_refused_and_focuses_the_first() {
        let dir = tempfile::tempdir().expect("dir");
        let focused = Arc::new(AtomicUsize::new(0));
        let f = Arc::clone(&focused);
        let first = claim(dir.path(), move || {
            f.fetch_add(1, Ordering::SeqCst);
        })
        .expect("first");
        assert!(matches!(first, Instance::First(_)));
        assert!(matches!(claim(dir.path(), || {}).expect("second"), Instance::Second));
        let deadline = Instant::now() + Duration::from_secs(5);
        while focused.load(Ordering::SeqCst) == 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(focused.load(Ordering::SeqCst), 1);
        drop(first);
        assert!(matches!(claim(dir.path(), || {}).expect("after the first quit"), Instance::First(_)));
    }
}
