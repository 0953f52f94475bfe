//! Runs the real `zargar` binary against a till in a temporary folder.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Till {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

/// The worked example's piece: 5.230 g of 18k gold with a 15% wage.
pub const WORKED_EXAMPLE: [&str; 6] = ["--weight", "5.230", "--purity", "750", "--wage-percent", "15"];

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_zargar")
}

impl Till {
    /// An empty data folder, not yet initialized.
    pub fn empty() -> Till {
        Till { dir: tempfile::tempdir().expect("tempdir") }
    }

    /// A till with a price of 80,000,000 Rial/g and the worked example's ring.
    pub fn ready() -> Till {
        let t = Till::empty();
        t.ok(&["init", "--device-name", "صندوق ۱"]);
        t.ok(&["price", "set", "80000000"]);
        t.ok(&[&["item", "add", "--tag", "R-102", "--name", "انگشتر زنانه"][..], &WORKED_EXAMPLE].concat());
        t
    }

    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("till.db")
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(bin());
        c.arg("--data-dir").arg(self.dir.path()).args(args).env_remove("ZARGAR_DATA_DIR");
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let out: Output = self.command(args).output().expect("run zargar");
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).expect("utf8 stdout"),
            stderr: String::from_utf8(out.stderr).expect("utf8 stderr"),
        };
        // Whatever the input, never a panic or a backtrace.
        assert!(!run.stderr.contains("panicked") && !run.stderr.contains("backtrace"), "{args:?}: {}", run.stderr);
        run
    }

    /// Runs and requires exit 0.
    pub fn ok(&self, args: &[&str]) -> Run {
        let r = self.run(args);
        assert_eq!(r.code, 0, "{args:?} failed: {}{}", r.stdout, r.stderr);
        r
    }
}
