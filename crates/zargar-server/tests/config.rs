//! `--config FILE`: the built binary reads its database and address from a
//! TOML file; flags and their variables win over it; bad files are refused
//! with the line and the key.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_zargar-server");

/// The binary run in `dir`, with none of its variables inherited from the test's environment.
fn server(dir: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.current_dir(dir)
        .env_remove("ZARGAR_SERVER_DB")
        .env_remove("ZARGAR_DATABASE_URL")
        .env_remove("ZARGAR_SERVER_CONFIG")
        .env_remove("ZARGAR_LISTEN")
        .env("RUST_BACKTRACE", "0")
        .env("RUST_LIB_BACKTRACE", "0");
    c
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8").trim().to_owned()
}

fn write_config(dir: &Path, text: &str) -> std::path::PathBuf {
    let path = dir.join("server.toml");
    std::fs::write(&path, text).expect("write config");
    path
}

#[test]
fn the_database_comes_from_the_file_unless_a_flag_or_variable_says() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let configured = dir.join("state").join("server.db");
    std::fs::create_dir(dir.join("state")).expect("mkdir");
    let config = write_config(dir, "# the shop's server\nlisten = \"127.0.0.1:0\"\ndatabase = \"state/server.db\"\n");

    let id = ok(server(dir).arg("--config").arg(&config).args(["tenant", "create", "طلافروشی"]).output().expect("run"));
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "a shop id: {id}");
    assert!(configured.is_file(), "the relative path is taken from the file's folder");
    assert!(!dir.join("zargar-server.db").exists(), "the built-in default is not used");

    // The same file through the variable: the shop is there.
    ok(server(dir)
        .env("ZARGAR_SERVER_CONFIG", &config)
        .args(["device", "enroll", "--tenant", &id])
        .output()
        .expect("run"));

    // --db wins over the file, and so does ZARGAR_SERVER_DB.
    let flag = dir.join("flag.db");
    ok(server(dir)
        .arg("--config")
        .arg(&config)
        .arg("--db")
        .arg(&flag)
        .args(["tenant", "create", "a"])
        .output()
        .expect("run"));
    let var = dir.join("var.db");
    ok(server(dir)
        .env("ZARGAR_SERVER_DB", &var)
        .arg("--config")
        .arg(&config)
        .args(["tenant", "create", "b"])
        .output()
        .expect("run"));
    assert!(flag.is_file() && var.is_file());

    // Without a config file, nothing changes: the default file in the working folder.
    ok(server(dir).args(["tenant", "create", "c"]).output().expect("run"));
    assert!(dir.join("zargar-server.db").is_file());
}

#[test]
fn a_bad_file_is_refused_with_its_name_line_and_key() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let config = write_config(dir, "listen = \"127.0.0.1:0\"\n# a comment\nrate_bust = 5\n");
    let out = server(dir).arg("--config").arg(&config).args(["tenant", "create", "x"]).output().expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains(&format!("{}: line 3: key `rate_bust`", config.display())), "{err}");
    assert!(!dir.join("zargar-server.db").exists(), "nothing was done");

    write_config(dir, "request_timeout_seconds = \"soon\"\n");
    let out = server(dir).arg("--config").arg(&config).arg("serve").output().expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("line 1: key `request_timeout_seconds`"), "{err}");

    let missing = dir.join("missing.toml");
    let out = server(dir).arg("--config").arg(&missing).args(["tenant", "create", "x"]).output().expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(&missing.display().to_string()));
}

#[test]
fn serve_listens_where_the_file_says_unless_told_otherwise() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    // The file says port 1; the flag or the variable says 0 (any free port).
    let config = write_config(dir, "listen = \"127.0.0.1:1\"\ndatabase = \"server.db\"\nrequest_timeout_seconds = 5\n");
    for how in ["flag", "variable"] {
        let mut cmd = server(dir);
        cmd.arg("--config").arg(&config).arg("serve");
        match how {
            "flag" => cmd.args(["--listen", "127.0.0.1:0"]),
            _ => cmd.env("ZARGAR_LISTEN", "127.0.0.1:0"),
        };
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("spawn");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("read");
        let addr = line.trim().strip_prefix("listening on http://").unwrap_or_else(|| panic!("{how}: {line:?}"));
        assert!(!addr.ends_with(":1"), "{how} wins over the file: {addr}");
        let mut conn = TcpStream::connect(addr).expect("connect");
        write!(conn, "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").expect("request");
        let mut answer = String::new();
        conn.read_to_string(&mut answer).expect("answer");
        assert!(answer.starts_with("HTTP/1.1 200"), "{how}: {answer}");
        child.kill().expect("kill");
        child.wait().expect("wait");
    }
    assert!(dir.join("server.db").is_file(), "the database the file names");
}

#[test]
fn help_states_the_real_defaults() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let help = ok(server(tmp.path()).args(["serve", "--help"]).output().expect("run"));
    let d = zargar_server::limit::RateLimit::default();
    assert!(help.contains(&format!("else {}]", d.per_second)), "{help}");
    assert!(help.contains(&format!("else {}]", d.burst)), "{help}");
    assert!(help.contains("ZARGAR_LISTEN") && help.contains("ZARGAR_SERVER_CONFIG"), "{help}");
}
