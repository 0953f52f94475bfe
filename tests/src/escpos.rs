//! A stand-in ESC/POS network printer for tests: it listens on 127.0.0.1
//! like a receipt printer on port 9100, answers the real-time status queries
//! (`DLE EOT n`) as the ESC/POS manual specifies, and decodes what it is sent
//! back into images, so a test checks what would have come out of the head.
//!
//! It understands the commands a receipt job uses: `ESC @`, `ESC d n`, LF,
//! `DLE EOT n`, `GS v 0` raster bands and `GS V` cuts. Any other byte is
//! recorded in [`StandInPrinter::errors`], so a test can assert that the job
//! held nothing a printer would misread.
//!
//! One job is the image from the first raster band to a cut, or to the end
//! of the connection. A job is recorded before its connection is closed, so
//! once a client saw the close, [`StandInPrinter::jobs`] has the job.
//!
//! Everything is bounded: connections, bytes per connection, band sizes,
//! idle time and lifetime.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often blocked loops look at the stop flag.
const TICK: Duration = Duration::from_millis(20);
/// A connection silent this long is closed (our client never pauses so long).
const IDLE_LIMIT: Duration = Duration::from_secs(5);
/// No connection lives longer than this.
const CONNECTION_LIMIT: Duration = Duration::from_secs(60);
/// No listener runs longer than this: a leaked stand-in ends by itself.
const LISTENER_LIMIT: Duration = Duration::from_secs(600);
/// Bytes one connection may send: far more than any receipt.
const MAX_CONNECTION_BYTES: usize = 16 * 1024 * 1024;
/// Connections one run of the listener accepts.
const MAX_CONNECTIONS: usize = 1000;
/// The largest raster band accepted (x bytes × y rows): GS v 0 allows
/// 65535 × 65535, which no test needs.
const MAX_BAND_BYTES: usize = 4 * 1024 * 1024;

/// One printed receipt, decoded.
#[derive(Clone, PartialEq, Eq)]
pub struct Job {
    /// Bytes per row, as the raster bands gave it (width in dots / 8).
    pub width_bytes: u32,
    /// Rows, all bands together.
    pub height: u32,
    /// Packed rows, MSB first, 1 = black: the bands joined.
    pub bits: Vec<u8>,
    /// How many `GS v 0` bands carried it.
    pub bands: u32,
    /// Lines fed after the image (`ESC d n`, LF).
    pub feed_lines: u32,
    /// Whether a `GS V` cut ended it.
    pub cut: bool,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("width", &self.width())
            .field("height", &self.height)
            .field("black_dots", &self.black_dots())
            .field("bands", &self.bands)
            .field("feed_lines", &self.feed_lines)
            .field("cut", &self.cut)
            .finish()
    }
}

impl Job {
    /// Width in dots.
    pub fn width(&self) -> u32 {
        self.width_bytes * 8
    }

    /// Whether the dot at (x, y) was black; outside is white.
    pub fn dot(&self, x: u32, y: u32) -> bool {
        if x >= self.width() || y >= self.height {
            return false;
        }
        let i = y as usize * self.width_bytes as usize + x as usize / 8;
        self.bits.get(i).is_some_and(|b| b & (0x80 >> (x % 8)) != 0)
    }

    pub fn black_dots(&self) -> u64 {
        self.bits.iter().map(|b| u64::from(b.count_ones())).sum()
    }

    /// The image as binary PBM (P4), for a failing test to save and a person
    /// to look at (`pnmtopng job.pbm > job.png`).
    pub fn to_pbm(&self) -> Vec<u8> {
        let mut out = format!("P4\n{} {}\n", self.width(), self.height).into_bytes();
        out.extend_from_slice(&self.bits);
        out
    }

    pub fn save_pbm(&self, path: &Path) -> io::Result<()> {
        std::fs::write(path, self.to_pbm())
    }

    /// The paper as it came out of the head, as a 1-bit PNG (white paper,
    /// black dots) a person looks at like a screenshot.
    pub fn save_png(&self, path: &Path) -> io::Result<()> {
        let file = io::BufWriter::new(std::fs::File::create(path)?);
        let mut encoder = png::Encoder::new(file, self.width(), self.height);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        let mut writer = encoder.write_header().map_err(io::Error::other)?;
        // PNG's 1-bit grey has 0 for black, the printer's raster 1.
        let paper: Vec<u8> = self.bits.iter().map(|b| !b).collect();
        writer.write_image_data(&paper).map_err(io::Error::other)?;
        writer.finish().map_err(io::Error::other)
    }

    /// The image in text, one character per `scale` × `scale` block of dots
    /// (`#` when any dot in it is black), for an assertion message.
    pub fn to_ascii(&self, scale: u32) -> String {
        let scale = scale.max(1);
        let mut s = String::new();
        for by in (0..self.height).step_by(scale as usize) {
            for bx in (0..self.width()).step_by(scale as usize) {
                let black = (by..(by + scale).min(self.height))
                    .any(|y| (bx..(bx + scale).min(self.width())).any(|x| self.dot(x, y)));
                s.push(if black { '#' } else { '.' });
            }
            s.push('\n');
        }
        s
    }
}

/// What the stand-in is set to report, and what it received.
#[derive(Debug, Default)]
struct Shared {
    jobs: Mutex<Vec<Job>>,
    errors: Mutex<Vec<String>>,
    paper_out: AtomicBool,
    paper_low: AtomicBool,
    offline: AtomicBool,
    silent: AtomicBool,
    connections: AtomicUsize,
    status_queries: AtomicUsize,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    fn error(&self, e: String) {
        lock(&self.errors).push(e);
    }

    /// The byte a real printer answers to `DLE EOT n`: bits 1 and 4 always
    /// set; n = 1 printer (bit 3 offline; a printer out of paper is offline
    /// too), 2 offline cause (bit 5 paper end), 3 errors, 4 roll paper
    /// sensor (0x0C near end, 0x60 end).
    fn status_byte(&self, n: u8) -> Option<u8> {
        let out = self.paper_out.load(Ordering::SeqCst);
        let low = self.paper_low.load(Ordering::SeqCst);
        let offline = self.offline.load(Ordering::SeqCst) || out;
        match n {
            1 => Some(0x16 | if offline { 0x08 } else { 0 }),
            2 => Some(0x12 | if out { 0x20 } else { 0 }),
            3 => Some(0x12),
            4 => Some(0x12 | if out { 0x60 } else { 0 } | if low { 0x0C } else { 0 }),
            _ => None,
        }
    }
}

/// The listener while it runs.
#[derive(Debug)]
struct Running {
    stop: Arc<AtomicBool>,
    accept: JoinHandle<()>,
}

/// A receipt printer on 127.0.0.1 that records what it would print.
#[derive(Debug)]
pub struct StandInPrinter {
    addr: SocketAddr,
    shared: Arc<Shared>,
    running: Option<Running>,
}

impl StandInPrinter {
    /// A printer on a free port of 127.0.0.1.
    pub fn start() -> StandInPrinter {
        StandInPrinter::bind(SocketAddr::from(([127, 0, 0, 1], 0))).expect("bind 127.0.0.1:0")
    }

    /// A printer on `addr` (9100, say, when it is free).
    pub fn bind(addr: SocketAddr) -> io::Result<StandInPrinter> {
        let mut p = StandInPrinter { addr, shared: Arc::default(), running: None };
        p.listen()?;
        Ok(p)
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The address as an owner types it in Settings.
    pub fn address(&self) -> String {
        self.addr.to_string()
    }

    /// Every job received so far, across restarts.
    pub fn jobs(&self) -> Vec<Job> {
        lock(&self.shared.jobs).clone()
    }

    /// Waits (bounded) until `n` jobs were received; the jobs.
    pub fn wait_for_jobs(&self, n: usize, limit: Duration) -> Vec<Job> {
        let start = Instant::now();
        loop {
            let jobs = self.jobs();
            if jobs.len() >= n || start.elapsed() >= limit {
                return jobs;
            }
            std::thread::sleep(TICK);
        }
    }

    /// What it received that no receipt printer would understand.
    pub fn errors(&self) -> Vec<String> {
        lock(&self.shared.errors).clone()
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// `DLE EOT` queries answered (or, when silent, ignored) so far.
    pub fn status_queries(&self) -> usize {
        self.shared.status_queries.load(Ordering::SeqCst)
    }

    /// The roll runs out: the paper sensor reports paper end, and the
    /// printer reports itself offline.
    pub fn set_paper_out(&self, out: bool) {
        self.shared.paper_out.store(out, Ordering::SeqCst);
    }

    /// The near-end sensor sees the roll's core.
    pub fn set_paper_low(&self, low: bool) {
        self.shared.paper_low.store(low, Ordering::SeqCst);
    }

    /// Offline with paper (the cover is open).
    pub fn set_offline(&self, offline: bool) {
        self.shared.offline.store(offline, Ordering::SeqCst);
    }

    /// Never answer status queries, like many cheap printers.
    pub fn set_silent(&self, silent: bool) {
        self.shared.silent.store(silent, Ordering::SeqCst);
    }

    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Switches the printer off: the listener closes, so connecting is
    /// refused, and open connections end.
    pub fn stop(&mut self) {
        if let Some(r) = self.running.take() {
            r.stop.store(true, Ordering::SeqCst);
            let _ = r.accept.join();
        }
    }

    /// Switches it on again, on the same port.
    pub fn restart(&mut self) -> io::Result<()> {
        self.stop();
        self.listen()
    }

    fn listen(&mut self) -> io::Result<()> {
        // std sets SO_REUSEADDR on Unix, so the same port binds again at once.
        let listener = TcpListener::bind(self.addr)?;
        listener.set_nonblocking(true)?;
        self.addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let accept = {
            let (stop, shared) = (stop.clone(), self.shared.clone());
            std::thread::Builder::new()
                .name(format!("stand-in printer {}", self.addr))
                .spawn(move || accept_loop(&listener, &shared, &stop))?
        };
        self.running = Some(Running { stop, accept });
        Ok(())
    }
}

impl Drop for StandInPrinter {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Accepts until stopped; each connection on its own thread. The listener
/// is dropped (closed) when this returns, after its connections ended.
fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>, stop: &Arc<AtomicBool>) {
    let start = Instant::now();
    let mut handlers = Vec::new();
    while !stop.load(Ordering::SeqCst) && start.elapsed() < LISTENER_LIMIT && handlers.len() < MAX_CONNECTIONS {
        match listener.accept() {
            Ok((stream, _)) => {
                shared.connections.fetch_add(1, Ordering::SeqCst);
                let (shared, stop) = (shared.clone(), stop.clone());
                handlers.push(std::thread::spawn(move || serve(stream, &shared, &stop)));
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::thread::sleep(TICK),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                shared.error(format!("accept: {e}"));
                std::thread::sleep(TICK);
            }
        }
    }
    for h in handlers {
        let _ = h.join();
    }
}

/// One connection: reads, answers status queries as they come, records jobs.
fn serve(mut stream: TcpStream, shared: &Shared, stop: &AtomicBool) {
    if stream.set_nonblocking(false).and_then(|()| stream.set_read_timeout(Some(TICK))).is_err() {
        return;
    }
    let mut conn = Connection::default();
    let start = Instant::now();
    let mut last_data = Instant::now();
    let mut buf = vec![0u8; 64 * 1024];
    while !stop.load(Ordering::SeqCst) && start.elapsed() < CONNECTION_LIMIT && last_data.elapsed() < IDLE_LIMIT {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                last_data = Instant::now();
                conn.received += n;
                if conn.received > MAX_CONNECTION_BYTES {
                    shared.error(format!("more than {MAX_CONNECTION_BYTES} bytes on one connection"));
                    break;
                }
                conn.pending.extend_from_slice(buf.get(..n).unwrap_or_default());
                if !conn.parse(shared, &mut stream) {
                    break;
                }
            }
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    conn.finish(shared);
    // The job is recorded; only now does the client see the close.
    drop(stream);
}

/// The image being received on a connection.
#[derive(Debug, Default)]
struct Connection {
    /// Bytes received but not yet a whole command.
    pending: Vec<u8>,
    /// Offset in the connection's stream of `pending[0]`, for error messages.
    offset: usize,
    received: usize,
    job: Option<Job>,
}

/// One command at the start of the pending bytes.
enum Step {
    /// Not enough bytes yet.
    Incomplete,
    /// A whole command of this many bytes.
    Command(usize, Command),
    /// Not a command a receipt job uses: skip this many bytes.
    Unknown(usize),
    /// Cannot go on (an impossible band): close the connection.
    Fatal(String),
}

enum Command {
    Initialize,
    Feed(u8),
    Status(u8),
    Raster { mode: u8, width_bytes: u16, rows: u16, data_at: usize },
    Cut,
}

fn next(b: &[u8]) -> Step {
    const ESC: u8 = 0x1B;
    const GS: u8 = 0x1D;
    const DLE: u8 = 0x10;
    const EOT: u8 = 0x04;
    match b {
        [] => Step::Incomplete,
        [0x0A, ..] => Step::Command(1, Command::Feed(1)),
        [ESC] | [GS] | [DLE] | [ESC, b'd'] | [DLE, EOT] | [GS, b'v'] | [GS, b'V'] => Step::Incomplete,
        [ESC, b'@', ..] => Step::Command(2, Command::Initialize),
        [ESC, b'd', n, ..] => Step::Command(3, Command::Feed(*n)),
        [DLE, EOT, n, ..] => Step::Command(3, Command::Status(*n)),
        [GS, b'v', b'0', rest @ ..] => {
            let Some(&[mode, xl, xh, yl, yh]) = rest.get(..5) else {
                return Step::Incomplete;
            };
            let width_bytes = u16::from_le_bytes([xl, xh]);
            let rows = u16::from_le_bytes([yl, yh]);
            let size = usize::from(width_bytes) * usize::from(rows);
            if size > MAX_BAND_BYTES {
                return Step::Fatal(format!("a raster band of {width_bytes} × {rows} bytes"));
            }
            if b.len() < 8 + size {
                return Step::Incomplete;
            }
            Step::Command(8 + size, Command::Raster { mode, width_bytes, rows, data_at: 8 })
        }
        // GS V m: 0/1/48/49 cut at once; 65/66 feed n dots first (n follows).
        [GS, b'V', 0 | 1 | 48 | 49, ..] => Step::Command(3, Command::Cut),
        [GS, b'V', 65 | 66] => Step::Incomplete,
        [GS, b'V', 65 | 66, _, ..] => Step::Command(4, Command::Cut),
        [_, ..] => Step::Unknown(1),
    }
}

impl Connection {
    /// Handles every whole command pending; false when the connection must end.
    fn parse(&mut self, shared: &Shared, stream: &mut TcpStream) -> bool {
        // Taken out while commands are handled, which changes `self.job`.
        let mut pending = std::mem::take(&mut self.pending);
        let mut at = 0;
        let mut keep_going = true;
        // Each round consumes at least one byte, so this ends.
        for _ in 0..=pending.len() {
            let rest = pending.get(at..).unwrap_or_default();
            match next(rest) {
                Step::Incomplete => break,
                Step::Unknown(n) => {
                    let b = rest.first().copied().unwrap_or_default();
                    shared.error(format!("unknown byte 0x{b:02X} at offset {}", self.offset + at));
                    at += n;
                }
                Step::Fatal(e) => {
                    shared.error(format!("{e} at offset {}", self.offset + at));
                    keep_going = false;
                    at = pending.len();
                    break;
                }
                Step::Command(n, cmd) => {
                    self.handle(cmd, rest.get(..n).unwrap_or_default(), shared, stream);
                    at += n;
                }
            }
        }
        pending.drain(..at.min(pending.len()));
        self.pending = pending;
        self.offset += at;
        keep_going
    }

    fn handle(&mut self, cmd: Command, bytes: &[u8], shared: &Shared, stream: &mut TcpStream) {
        match cmd {
            // A real printer would drop a half-received image; ours are whole.
            Command::Initialize => {}
            Command::Feed(n) => {
                if let Some(job) = &mut self.job {
                    job.feed_lines += u32::from(n);
                }
            }
            Command::Status(n) => {
                shared.status_queries.fetch_add(1, Ordering::SeqCst);
                match shared.status_byte(n) {
                    Some(_) if shared.silent.load(Ordering::SeqCst) => {}
                    Some(answer) => {
                        let _ = stream.write_all(&[answer]).and_then(|()| stream.flush());
                    }
                    None => shared.error(format!("DLE EOT {n} is not a status query")),
                }
            }
            Command::Raster { mode, width_bytes, rows, data_at } => {
                if mode != 0 && mode != 48 {
                    shared.error(format!("raster mode {mode} (only normal density is sent)"));
                }
                let job = self.job.get_or_insert_with(|| Job {
                    width_bytes: u32::from(width_bytes),
                    height: 0,
                    bits: Vec::new(),
                    bands: 0,
                    feed_lines: 0,
                    cut: false,
                });
                if job.width_bytes != u32::from(width_bytes) {
                    shared.error(format!("a band {width_bytes} bytes wide in an image {} wide", job.width_bytes));
                    return;
                }
                job.bits.extend_from_slice(bytes.get(data_at..).unwrap_or_default());
                job.height += u32::from(rows);
                job.bands += 1;
            }
            Command::Cut => {
                let mut job = self.job.take().unwrap_or(Job {
                    width_bytes: 0,
                    height: 0,
                    bits: Vec::new(),
                    bands: 0,
                    feed_lines: 0,
                    cut: false,
                });
                job.cut = true;
                lock(&shared.jobs).push(job);
            }
        }
    }

    /// The connection ended: an image not cut is a job too.
    fn finish(&mut self, shared: &Shared) {
        if !self.pending.is_empty() {
            shared.error(format!(
                "the connection ended inside a command: {} bytes at offset {}",
                self.pending.len(),
                self.offset
            ));
        }
        if let Some(job) = self.job.take() {
            lock(&shared.jobs).push(job);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Raw bytes to the stand-in, as a printer-side test of the stand-in itself.
    fn send(p: &StandInPrinter, bytes: &[u8], replies: usize) -> Vec<u8> {
        let mut s = TcpStream::connect(p.addr()).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
        s.write_all(bytes).expect("write");
        let mut got = vec![0u8; replies];
        s.read_exact(&mut got).expect("replies");
        s.shutdown(std::net::Shutdown::Write).expect("shutdown");
        let mut rest = Vec::new();
        let _ = s.read_to_end(&mut rest);
        got
    }

    #[test]
    fn decodes_bands_and_answers_status() {
        let p = StandInPrinter::start();
        p.set_paper_low(true);
        let mut job = vec![0x1B, 0x40, 0x10, 0x04, 0x01, 0x10, 0x04, 0x04];
        job.extend_from_slice(&[0x1D, 0x76, 0x30, 0x00, 0x01, 0x00, 0x02, 0x00, 0xFF, 0x81]);
        job.extend_from_slice(&[0x1D, 0x76, 0x30, 0x00, 0x01, 0x00, 0x01, 0x00, 0x18]);
        job.extend_from_slice(&[0x1B, 0x64, 0x03, 0x0A, 0x1D, 0x56, 0x42, 0x00]);
        assert_eq!(send(&p, &job, 2), [0x16, 0x1E]);
        let jobs = p.jobs();
        assert_eq!(jobs.len(), 1, "{:?}", p.errors());
        let j = &jobs[0];
        assert_eq!((j.width(), j.height, j.bands, j.feed_lines, j.cut), (8, 3, 2, 4, true));
        assert_eq!(j.bits, [0xFF, 0x81, 0x18]);
        assert_eq!(j.to_ascii(1), "########\n#......#\n...##...\n");
        assert_eq!(j.to_pbm(), b"P4\n8 3\n\xFF\x81\x18");
        assert!(p.errors().is_empty(), "{:?}", p.errors());
    }

    #[test]
    fn unknown_bytes_are_recorded() {
        let p = StandInPrinter::start();
        p.set_paper_out(true);
        assert_eq!(send(&p, &[0x10, 0x04, 0x04, 0x1B, 0x21, 0x00, 0x10, 0x04, 0x01], 2), [0x72, 0x1E]);
        assert_eq!(p.errors().len(), 3, "{:?}", p.errors());
        assert!(p.jobs().is_empty());
    }

    #[test]
    fn stopped_refuses_and_restarts_on_the_same_port() {
        let mut p = StandInPrinter::start();
        let addr = p.addr();
        p.stop();
        assert!(TcpStream::connect(addr).is_err());
        p.restart().expect("restart");
        assert_eq!(p.addr(), addr);
        assert_eq!(send(&p, &[0x10, 0x04, 0x01], 1), [0x16]);
    }
}
