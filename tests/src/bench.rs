//! What the benchmarks share: their `--name VALUE` options, the filesystem
//! a run writes to, and figures as their reports print them.
//!
//! The one home of this for the benchmarks of three crates: the end-to-end
//! crate's (`zargar_e2e::bench`), and `zargar-server`'s and `zargar-core`'s,
//! which include this file by `#[path]`. It uses std only.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The options `names` among `args`, `--name VALUE` or `--name=VALUE`, in
/// the order given; every other argument (`--bench`, test flags) is ignored.
pub fn options(args: &[String], names: &[&str]) -> Result<Vec<(String, String)>, String> {
    let mut found = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n, Some(v.to_owned())),
            None => (arg.as_str(), None),
        };
        if !names.contains(&name) {
            continue;
        }
        let value = match inline {
            Some(v) => v,
            None => it.next().cloned().ok_or_else(|| format!("{name} needs a value"))?,
        };
        found.push((name.to_owned(), value));
    }
    Ok(found)
}

/// The type of the filesystem holding `path`: the longest mount point in
/// /proc/mounts that contains it. None where there is no /proc.
pub fn fs_type(path: &Path) -> Option<String> {
    let path = path.canonicalize().ok()?;
    let mounts = std::fs::read_to_string("/proc/mounts").ok()?;
    mounts
        .lines()
        .filter_map(|line| {
            let mut f = line.split_whitespace();
            let (_, point, kind) = (f.next()?, f.next()?, f.next()?);
            // /proc/mounts escapes spaces in paths as \040.
            let point = PathBuf::from(point.replace("\\040", " "));
            path.starts_with(&point).then(|| (point.as_os_str().len(), kind.to_owned()))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, kind)| kind)
}

/// A `kB` line of /proc/<proc>/status (`proc` is a pid or `self`).
pub fn status_kb(proc: &str, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{proc}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix(key)?.strip_prefix(':')?.trim().strip_suffix("kB")?.trim().parse().ok())
}

/// utime + stime of /proc/<proc>/stat (threads that ended included), in ms.
pub fn cpu_ms(proc: &str) -> u64 {
    /// The kernel's clock ticks in /proc/<pid>/stat: USER_HZ, 100 on Linux.
    const MS_PER_TICK: u64 = 10;
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{proc}/stat")) else { return 0 };
    // The name in parentheses may hold spaces; the fields after it start at field 3.
    let fields: Vec<u64> = stat
        .get(stat.rfind(')').map_or(0, |i| i + 1)..)
        .unwrap_or_default()
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    (fields.get(14 - 3).copied().unwrap_or(0) + fields.get(15 - 3).copied().unwrap_or(0)) * MS_PER_TICK
}

/// The smallest value with at least `pct`% of the samples at or below it.
pub fn nearest_rank(sorted: &[u64], pct: usize) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (pct * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

/// `value / scale` as a JSON number. Reporting only: every rate and every
/// comparison is made on integers.
#[allow(clippy::float_arithmetic)]
pub fn display(value: u64, scale: u64) -> f64 {
    value as f64 / scale as f64
}

/// Seconds with one decimal: "12.3 s".
pub fn secs(d: Duration) -> String {
    let tenths = (d.as_millis() + 50) / 100;
    format!("{}.{} s", tenths / 10, tenths % 10)
}

/// kB as MB with one decimal.
pub fn mb(kb: u64) -> String {
    let tenths = kb * 10 / 1024;
    format!("{}.{}", tenths / 10, tenths % 10)
}
