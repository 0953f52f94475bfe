//! Where a receipt printer is and how bytes reach it: a network printer on
//! raw TCP (port 9100, "JetDirect"), a USB printer's device file, or a CUPS
//! queue. Blocking calls with bounded waits; an async shell runs them on a
//! blocking thread.

use std::ffi::OsStr;
use std::fmt;
use std::fs::OpenOptions;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, Shutdown, TcpStream, ToSocketAddrs};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::str::FromStr;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::escpos::{self, Paper, Status};
use super::{Bitmap, PrintError};
use crate::persian;

/// The raw-printing port of network receipt printers.
pub const DEFAULT_PORT: u16 = 9100;

/// A printer on the shop's LAN answers a connection in milliseconds; three
/// seconds is "switched off", not "slow".
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// How long to wait for the answer to one status query. Printers that never
/// answer cost this once per job.
pub const STATUS_WAIT: Duration = Duration::from_millis(1500);

/// One write to a printer that stopped taking data (a jam, a full buffer
/// that never drains) fails after this long.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// A whole job through a USB device file or `lp`, neither of which can be
/// given a timeout of its own.
pub const JOB_TIMEOUT: Duration = Duration::from_secs(30);

/// After the job, how long to wait for the printer to close its side, so the
/// connection ends with FIN and not a reset (a reset can make a printer drop
/// what it has not printed yet).
const DRAIN_WAIT: Duration = Duration::from_secs(2);

/// A receipt printer, as the owner types it in Settings. `Display` gives the
/// canonical form, which is what the setting stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptPrinter {
    /// Raw TCP: `192.168.1.50`, `192.168.1.50:9100`, `tcp://host:port`.
    Network { host: String, port: u16 },
    /// A USB (or parallel, or serial) printer's device: `/dev/usb/lp0`,
    /// `usb:/dev/usb/lp0`.
    Usb { path: PathBuf },
    /// A CUPS queue: `cups:NAME`.
    Cups { name: String },
}

/// What a job that printed left behind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrintOutcome {
    /// What the printer said before the job (unknown over USB and CUPS).
    pub status: Status,
    /// Bytes handed to the printer or to CUPS.
    pub bytes: usize,
}

impl PrintOutcome {
    /// Printed, but the roll is nearly done: worth telling the cashier.
    pub fn paper_near_end(&self) -> bool {
        self.status.paper == Some(Paper::NearEnd)
    }
}

impl ReceiptPrinter {
    /// Reads what an owner typed. Persian digits are accepted in a network
    /// address (a Persian keyboard types them).
    pub fn parse(input: &str) -> Result<ReceiptPrinter, PrintError> {
        let s = input.trim();
        let parsed = if s.is_empty() || s.len() > 300 {
            None
        } else if let Some(name) = strip_prefix_ignore_case(s, "cups:") {
            cups_name(name).map(|name| ReceiptPrinter::Cups { name })
        } else if let Some(path) = strip_prefix_ignore_case(s, "usb:") {
            device_path(path).map(|path| ReceiptPrinter::Usb { path })
        } else if s.starts_with('/') {
            device_path(s).map(|path| ReceiptPrinter::Usb { path })
        } else {
            let folded = persian::fold_digits(s);
            let rest = strip_prefix_ignore_case(&folded, "tcp://").unwrap_or(&folded);
            network(rest).map(|(host, port)| ReceiptPrinter::Network { host, port })
        };
        parsed.ok_or_else(|| PrintError::BadAddress { address: s.to_owned() })
    }

    /// Prints `bitmap` as one receipt and cuts it. Over the network the
    /// printer is asked first whether it is online and has paper, and an
    /// offline or empty printer gets nothing.
    pub fn print_raster(&self, bitmap: &Bitmap) -> Result<PrintOutcome, PrintError> {
        match self {
            ReceiptPrinter::Network { .. } => {
                let job = escpos::receipt(bitmap, true);
                let mut stream = self.connect()?;
                let status = self.ask_status(&mut stream)?;
                if status.paper == Some(Paper::Out) {
                    return Err(PrintError::OutOfPaper { printer: self.to_string() });
                }
                if status.online == Some(false) {
                    return Err(PrintError::Offline { printer: self.to_string() });
                }
                stream.set_write_timeout(Some(WRITE_TIMEOUT)).map_err(|e| self.unreachable(&e))?;
                stream.write_all(&job).and_then(|()| stream.flush()).map_err(|e| self.unreachable(&e))?;
                close_gently(stream);
                Ok(PrintOutcome { status, bytes: job.len() })
            }
            ReceiptPrinter::Usb { path } => {
                let job = escpos::receipt(bitmap, true);
                let bytes = job.len();
                self.write_device(path, job)?;
                Ok(PrintOutcome { status: Status::default(), bytes })
            }
            ReceiptPrinter::Cups { name } => {
                let pbm = bitmap.to_pbm();
                let bytes = pbm.len();
                let lp = [OsStr::new("lp")];
                self.run_lp(&lp, name, pbm)?;
                Ok(PrintOutcome { status: Status::default(), bytes })
            }
        }
    }

    /// Asks the printer how it is, printing nothing. A network printer is
    /// asked `DLE EOT`; a USB device is opened for writing; a CUPS queue is
    /// looked up with `lpstat`. What cannot be known stays `None`.
    pub fn status(&self) -> Result<Status, PrintError> {
        match self {
            ReceiptPrinter::Network { .. } => {
                let mut stream = self.connect()?;
                let status = self.ask_status(&mut stream)?;
                close_gently(stream);
                Ok(status)
            }
            ReceiptPrinter::Usb { path } => {
                self.open_device(path)?;
                Ok(Status::default())
            }
            ReceiptPrinter::Cups { name } => {
                let mut lpstat = Command::new("lpstat");
                lpstat.arg("-p").arg(name);
                self.run_bounded(lpstat, Vec::new(), "lpstat")?;
                Ok(Status::default())
            }
        }
    }

    fn unreachable(&self, e: &dyn fmt::Display) -> PrintError {
        PrintError::Unreachable { printer: self.to_string(), detail: e.to_string() }
    }

    fn connect(&self) -> Result<TcpStream, PrintError> {
        let ReceiptPrinter::Network { host, port } = self else {
            return Err(self.unreachable(&"not a network printer"));
        };
        // A name is looked up by the system resolver, which has its own
        // (bounded) timeouts; shops mostly type an IP address.
        let addrs = (host.as_str(), *port).to_socket_addrs().map_err(|e| self.unreachable(&e))?;
        let mut last: Option<io::Error> = None;
        for addr in addrs.take(4) {
            match TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) {
                Ok(stream) => {
                    let _ = stream.set_nodelay(true);
                    return Ok(stream);
                }
                Err(e) => last = Some(e),
            }
        }
        Err(match last {
            Some(e) => self.unreachable(&e),
            None => self.unreachable(&"the name has no address"),
        })
    }

    /// `DLE EOT 1`, then `DLE EOT 4`. A printer that does not answer the
    /// first is not asked the second: it would not answer that either, and a
    /// late answer to the first would be read as the second's.
    fn ask_status(&self, stream: &mut TcpStream) -> Result<Status, PrintError> {
        let Some(printer) = self.ask(stream, &escpos::STATUS_PRINTER)? else {
            return Ok(Status::default());
        };
        let paper = self.ask(stream, &escpos::STATUS_PAPER)?;
        Ok(Status { online: escpos::parse_printer_status(printer), paper: paper.and_then(escpos::parse_paper_status) })
    }

    /// Sends one real-time query; its answer byte, or `None` when nothing
    /// came within [`STATUS_WAIT`].
    fn ask(&self, stream: &mut TcpStream, query: &[u8]) -> Result<Option<u8>, PrintError> {
        stream.set_write_timeout(Some(STATUS_WAIT)).map_err(|e| self.unreachable(&e))?;
        stream.set_read_timeout(Some(STATUS_WAIT)).map_err(|e| self.unreachable(&e))?;
        stream.write_all(query).and_then(|()| stream.flush()).map_err(|e| self.unreachable(&e))?;
        let deadline = Instant::now() + STATUS_WAIT;
        let mut buf = [0u8; 16];
        // Interrupted reads are retried, a few times and only until the deadline.
        for _ in 0..4 {
            match stream.read(&mut buf) {
                Ok(0) => return Err(self.unreachable(&"the printer closed the connection")),
                // Several bytes: an earlier late answer came with this one; the last is ours.
                Ok(n) => return Ok(buf.get(..n).and_then(|b| b.last()).copied()),
                Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                    return Ok(None);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted && Instant::now() < deadline => {}
                Err(e) => return Err(self.unreachable(&e)),
            }
        }
        Ok(None)
    }

    fn open_device(&self, path: &Path) -> Result<std::fs::File, PrintError> {
        // Never created: a typo must not become a file under /dev.
        OpenOptions::new().write(true).open(path).map_err(|e| match e.kind() {
            io::ErrorKind::PermissionDenied => {
                PrintError::Permission { printer: self.to_string(), detail: e.to_string() }
            }
            _ => self.unreachable(&e),
        })
    }

    /// Writes the job to a device file. A USB printer out of paper can block
    /// a write for ever, so the write runs on its own thread and is given up
    /// after [`JOB_TIMEOUT`] (the thread ends when the device does).
    fn write_device(&self, path: &Path, job: Vec<u8>) -> Result<(), PrintError> {
        let mut file = self.open_device(path)?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(file.write_all(&job).and_then(|()| file.flush()));
        });
        match rx.recv_timeout(JOB_TIMEOUT) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(self.unreachable(&e)),
            Err(_) => Err(self.unreachable(&"the device took no data")),
        }
    }

    /// `lp -d NAME -o scaling=100`, the PBM on its standard input (no
    /// temporary file to clean up). `command` is `lp` and any leading
    /// arguments (tests put a shell there).
    fn run_lp(&self, command: &[&OsStr], name: &str, pbm: Vec<u8>) -> Result<(), PrintError> {
        let Some((program, leading)) = command.split_first() else {
            return Err(self.cups(String::from("no lp command")));
        };
        let mut lp = Command::new(program);
        lp.args(leading).args(["-d", name, "-o", "scaling=100"]);
        self.run_bounded(lp, pbm, "lp")
    }

    /// Runs a CUPS client with `input` on its standard input, for at most
    /// [`JOB_TIMEOUT`]; its refusal is the first line of its stderr.
    fn run_bounded(&self, mut command: Command, input: Vec<u8>, what: &str) -> Result<(), PrintError> {
        command.stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped());
        let mut child = command.spawn().map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => self.cups(format!("{what}: not found (install cups-client)")),
            _ => self.cups(format!("{what}: {e}")),
        })?;
        // Fed from a thread, so a client that stops reading cannot block us.
        if let Some(mut stdin) = child.stdin.take() {
            std::thread::spawn(move || {
                let _ = stdin.write_all(&input);
            });
        }
        let deadline = Instant::now() + JOB_TIMEOUT;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
                Ok(None) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(self.cups(format!("{what} did not finish in {} s", JOB_TIMEOUT.as_secs())));
                }
                Err(e) => return Err(self.cups(format!("{what}: {e}"))),
            }
        };
        if status.success() {
            return Ok(());
        }
        let mut stderr = Vec::new();
        if let Some(err) = child.stderr.take() {
            let _ = err.take(64 * 1024).read_to_end(&mut stderr);
        }
        let text = String::from_utf8_lossy(&stderr);
        let first = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
        Err(self.cups(if first.is_empty() { format!("{what} failed ({status})") } else { first.to_owned() }))
    }

    fn cups(&self, detail: String) -> PrintError {
        PrintError::Cups { printer: self.to_string(), detail }
    }
}

impl fmt::Display for ReceiptPrinter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceiptPrinter::Network { host, port } if host.contains(':') => write!(f, "[{host}]:{port}"),
            ReceiptPrinter::Network { host, port } => write!(f, "{host}:{port}"),
            ReceiptPrinter::Usb { path } => write!(f, "usb:{}", path.display()),
            ReceiptPrinter::Cups { name } => write!(f, "cups:{name}"),
        }
    }
}

impl FromStr for ReceiptPrinter {
    type Err = PrintError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ReceiptPrinter::parse(s)
    }
}

/// Ends a connection with FIN and waits (briefly, boundedly) for the printer
/// to close too, reading whatever it still sends.
fn close_gently(mut stream: TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(DRAIN_WAIT));
    let deadline = Instant::now() + DRAIN_WAIT;
    let mut buf = [0u8; 256];
    for _ in 0..16 {
        match stream.read(&mut buf) {
            Ok(n) if n > 0 && Instant::now() < deadline => {}
            _ => return,
        }
    }
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| s.get(prefix.len()..)).flatten()
}

/// A CUPS queue name: printable, no spaces, slashes or `#` (what CUPS itself
/// refuses), and not starting with `-` (it would read as an option).
fn cups_name(name: &str) -> Option<String> {
    let ok = !name.is_empty()
        && name.len() <= 127
        && !name.starts_with('-')
        && name.chars().all(|c| !c.is_control() && !c.is_whitespace() && !matches!(c, '/' | '\\' | '#'));
    ok.then(|| name.to_owned())
}

/// A device under `/dev`, normalised (`//dev//usb/lp0` → `/dev/usb/lp0`).
/// Only devices: a printer setting must not be a way to write into a file.
fn device_path(s: &str) -> Option<PathBuf> {
    if s.chars().any(char::is_control) {
        return None;
    }
    let mut path = PathBuf::new();
    for c in Path::new(s).components() {
        match c {
            Component::RootDir | Component::Normal(_) => path.push(c),
            Component::CurDir => {}
            Component::ParentDir | Component::Prefix(_) => return None,
        }
    }
    (path.starts_with("/dev") && path.components().count() > 2).then_some(path)
}

/// `host`, `host:port`, `[v6]`, `[v6]:port`, or a bare IPv6 address.
fn network(s: &str) -> Option<(String, u16)> {
    let s = s.strip_suffix('/').unwrap_or(s);
    if let Some(rest) = s.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        let ip: Ipv6Addr = ip.parse().ok()?;
        let port = if after.is_empty() { DEFAULT_PORT } else { port(after.strip_prefix(':')?)? };
        return Some((ip.to_string(), port));
    }
    if let Ok(ip) = s.parse::<Ipv6Addr>() {
        return Some((ip.to_string(), DEFAULT_PORT));
    }
    let (host, port) = match s.rsplit_once(':') {
        Some((host, p)) => (host, port(p)?),
        None => (s, DEFAULT_PORT),
    };
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return Some((ip.to_string(), port));
    }
    is_hostname(host).then(|| (host.to_ascii_lowercase(), port))
}

fn port(s: &str) -> Option<u16> {
    if s.is_empty() || s.len() > 5 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<u16>().ok().filter(|&p| p != 0)
}

/// A DNS name. Its last label is not all digits, so a mistyped IP address
/// (`192.168.1.500`, `192.168.1`) is refused rather than looked up.
fn is_hostname(host: &str) -> bool {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    host.len() <= 253
        && host.split('.').all(label_ok)
        && host.rsplit('.').next().is_some_and(|last| !last.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> ReceiptPrinter {
        ReceiptPrinter::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    fn net(host: &str, port: u16) -> ReceiptPrinter {
        ReceiptPrinter::Network { host: host.to_owned(), port }
    }

    #[test]
    fn what_an_owner_types_is_read() {
        assert_eq!(parse("192.168.1.50"), net("192.168.1.50", 9100));
        assert_eq!(parse(" 192.168.1.50:9100 "), net("192.168.1.50", 9100));
        assert_eq!(parse("192.168.1.50:9101"), net("192.168.1.50", 9101));
        assert_eq!(parse("tcp://192.168.1.50:9100"), net("192.168.1.50", 9100));
        assert_eq!(parse("TCP://Printer.Shop.lan"), net("printer.shop.lan", 9100));
        assert_eq!(parse("tcp://printer-1:9100/"), net("printer-1", 9100));
        assert_eq!(parse("۱۹۲.۱۶۸.۱.۵۰"), net("192.168.1.50", 9100));
        assert_eq!(parse("[fe80::1]:9100"), net("fe80::1", 9100));
        assert_eq!(parse("[::1]"), net("::1", 9100));
        assert_eq!(parse("::1"), net("::1", 9100));
        assert_eq!(parse("/dev/usb/lp0"), ReceiptPrinter::Usb { path: "/dev/usb/lp0".into() });
        assert_eq!(parse("usb:/dev/usb/lp0"), ReceiptPrinter::Usb { path: "/dev/usb/lp0".into() });
        assert_eq!(parse("USB://dev//usb/./lp0"), ReceiptPrinter::Usb { path: "/dev/usb/lp0".into() });
        assert_eq!(parse("cups:TM-T20"), ReceiptPrinter::Cups { name: "TM-T20".into() });
        assert_eq!(parse("CUPS:چاپگر_رسید"), ReceiptPrinter::Cups { name: "چاپگر_رسید".into() });
    }

    #[test]
    fn nonsense_is_a_bad_address() {
        for s in [
            "",
            "   ",
            "192.168.1.500",
            "192.168.1",
            "192.168.1.50:0",
            "192.168.1.50:65536",
            "192.168.1.50:port",
            "192.168.1.50:",
            "host name",
            "-host",
            "http://192.168.1.50",
            "[fe80::1",
            "[fe80::1]9100",
            "usb:",
            "usb:lp0",
            "/dev",
            "/dev/",
            "/home/owner/receipt.bin",
            "/dev/../etc/passwd",
            "cups:",
            "cups:two words",
            "cups:a/b",
            "cups:-o",
            "cups:tab\there",
        ] {
            let e = ReceiptPrinter::parse(s).err().unwrap_or_else(|| panic!("{s:?} was accepted"));
            assert_eq!(e.code(), "printer_bad_address", "{s:?}");
            assert!(!e.is_retryable());
        }
    }

    #[test]
    fn the_canonical_form_reads_back_the_same() {
        for (typed, canonical) in [
            ("192.168.1.50", "192.168.1.50:9100"),
            ("tcp://192.168.1.50:9101", "192.168.1.50:9101"),
            ("Printer.lan", "printer.lan:9100"),
            ("fe80::1", "[fe80::1]:9100"),
            ("/dev/usb/lp0", "usb:/dev/usb/lp0"),
            ("usb:/dev/usb/lp1", "usb:/dev/usb/lp1"),
            ("cups:TM-T20", "cups:TM-T20"),
        ] {
            let p = parse(typed);
            assert_eq!(p.to_string(), canonical);
            assert_eq!(parse(canonical), p, "{canonical}");
            assert_eq!(canonical.parse::<ReceiptPrinter>().ok(), Some(p));
        }
    }

    #[test]
    fn a_missing_usb_device_is_unreachable() {
        let p = parse("/dev/usb/zargar-no-such-printer");
        let bitmap = Bitmap::white(8, 1).expect("valid");
        let e = p.print_raster(&bitmap).expect_err("no such device");
        assert_eq!(e.code(), "printer_unreachable");
        assert!(e.is_retryable());
        assert_eq!(p.status().err().map(|e| e.code()), Some("printer_unreachable"));
    }

    #[test]
    fn a_usb_job_is_written_to_the_device() {
        // /dev/null takes anything: the job's bytes are counted as written.
        let p = parse("/dev/null");
        let bitmap = Bitmap::white(576, 10).expect("valid");
        let out = p.print_raster(&bitmap).expect("printed");
        assert_eq!(out.bytes, escpos::receipt(&bitmap, true).len());
        assert_eq!(out.status, Status::default());
    }

    #[test]
    #[cfg(unix)]
    fn cups_gets_a_pbm_on_stdin_and_its_refusal_is_reported() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path().display();
        let p = parse("cups:receipt");
        let mut b = Bitmap::white(16, 2).expect("valid");
        b.fill_rect(0, 0, 8, 1);

        let script = format!("printf '%s\\n' \"$@\" > '{d}/args'; cat > '{d}/data'");
        let lp = [OsStr::new("/bin/sh"), OsStr::new("-c"), OsStr::new(&script), OsStr::new("lp")];
        p.run_lp(&lp, "receipt", b.to_pbm()).expect("lp ran");
        let args = std::fs::read_to_string(dir.path().join("args")).expect("args");
        assert_eq!(args, "-d\nreceipt\n-o\nscaling=100\n");
        assert_eq!(std::fs::read(dir.path().join("data")).expect("data"), b"P4\n16 2\n\xFF\x00\x00\x00");

        let refuse = "cat > /dev/null; echo 'lp: The printer or class does not exist.' >&2; echo more >&2; exit 1";
        let lp = [OsStr::new("/bin/sh"), OsStr::new("-c"), OsStr::new(refuse), OsStr::new("lp")];
        let e = p.run_lp(&lp, "receipt", b.to_pbm()).expect_err("refused");
        assert_eq!(e.code(), "printer_cups");
        assert!(matches!(&e, PrintError::Cups { detail, .. } if detail == "lp: The printer or class does not exist."));

        let missing = [OsStr::new("/nonexistent/zargar-lp")];
        let e = p.run_lp(&missing, "receipt", b.to_pbm()).expect_err("no lp");
        assert!(matches!(&e, PrintError::Cups { detail, .. } if detail.contains("not found")), "{e}");
    }
}
