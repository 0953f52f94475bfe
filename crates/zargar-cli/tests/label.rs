//! `zargar label`, checked as a scanner would check it: each SVG is drawn
//! at 300 dpi by `rsvg-convert` (librsvg, what CUPS prints SVG with) and
//! read back by `zbarimg` (ZBar); the text must be the piece's barcode, or
//! its tag when it has none. Both tools come from scripts/setup
//! (Debian: librsvg2-bin, zbar-tools).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Till;
use zargar_core::label::LabelSize;

/// A till with two pieces: one with a digits-only barcode, one known only by
/// a tag with letters, whose Persian name needs escaping in XML.
fn till() -> Till {
    let t = Till::empty();
    t.ok(&["init", "--device-name", "صندوق ۱"]);
    t.ok(&[
        "item",
        "add",
        "--tag",
        "N-7",
        "--barcode",
        "4006381333",
        "--name",
        "گوشواره",
        "--weight",
        "3.1",
        "--purity",
        "750",
        "--wage-percent",
        "12",
    ]);
    t.ok(&[
        "item",
        "add",
        "--tag",
        "R-1042",
        "--name",
        "انگشتر <زنانه> & نگین",
        "--weight",
        "5.230",
        "--purity",
        "750",
        "--wage-per-gram",
        "2000000",
    ]);
    t
}

fn tool(name: &str) -> Command {
    let found = Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(found, "{name} is missing: run scripts/setup (Debian: apt-get install zbar-tools librsvg2-bin)");
    Command::new(name)
}

/// What a scanner reads from the label at `svg`.
fn scan(svg: &Path) -> String {
    let png = svg.with_extension("png");
    let out = tool("rsvg-convert")
        .args(["--dpi-x", "300", "--dpi-y", "300", "-b", "white", "-o"])
        .arg(&png)
        .arg(svg)
        .output()
        .expect("run rsvg-convert");
    assert!(out.status.success(), "rsvg-convert {}: {}", svg.display(), String::from_utf8_lossy(&out.stderr));
    let out = tool("zbarimg").args(["--raw", "-q"]).arg(&png).output().expect("run zbarimg");
    assert!(out.status.success(), "no barcode found in {}", png.display());
    String::from_utf8(out.stdout).expect("utf8").trim_end_matches('\n').to_owned()
}

#[test]
fn labels_scan_back_to_their_pieces() {
    let t = till();
    let out = t.data_dir().join("labels");
    let run = t.ok(&["label", "N-7", "R-1042", "--out", out.to_str().expect("utf8 path")]);
    let listed: Vec<PathBuf> = run.stdout.lines().map(PathBuf::from).collect();
    assert_eq!(listed, [out.join("N-7.svg"), out.join("R-1042.svg")]);

    assert_eq!(scan(&out.join("N-7.svg")), "4006381333");
    assert_eq!(scan(&out.join("R-1042.svg")), "R-1042");

    let svg = std::fs::read_to_string(out.join("R-1042.svg")).expect("label");
    assert!(svg.contains(r#"width="50mm" height="30mm""#), "{svg}");
    assert!(svg.contains("انگشتر &lt;زنانه&gt; &amp; نگین"), "{svg}");
    assert!(svg.contains("وزن: ۵٫۲۳۰ گرم"), "{svg}");
}

#[test]
fn the_smallest_preset_scans_too() {
    let t = till();
    let smallest =
        LabelSize::PRESETS.into_iter().min_by_key(|s| s.width_mm() * s.height_mm()).expect("presets").to_string();
    let file = t.data_dir().join("small.svg");
    let run = t.ok(&["--json", "label", "R-1042", "--size", &smallest, "--out", file.to_str().expect("utf8")]);
    assert_eq!(run.json()[0]["code"], "R-1042");
    assert_eq!(scan(&file), "R-1042");
}

#[test]
fn refusals_name_the_problem_and_write_nothing() {
    let t = till();
    let out = t.data_dir().join("none");
    let out_arg = out.to_str().expect("utf8");

    let r = t.run(&["--json", "label", "R-1042", "NOPE", "--out", out_arg]);
    assert_eq!((r.code, r.json()["error"]["code"].as_str()), (1, Some("item_not_found")), "{}", r.stdout);
    let r = t.run(&["--lang", "en", "label", "NOPE", "--out", out_arg]);
    assert!(r.stderr.contains(r#"No item with tag or barcode "NOPE""#), "{}", r.stderr);

    let r = t.run(&["--json", "label", "R-1042", "--size", "50x5", "--out", out_arg]);
    assert_eq!(r.json()["error"]["code"], "label_bad_size", "{}", r.stdout);

    // A tag only in Persian letters cannot be a Code 128 barcode.
    t.ok(&[
        "item",
        "add",
        "--tag",
        "ک-۱",
        "--name",
        "النگو",
        "--weight",
        "10",
        "--purity",
        "750",
        "--wage-percent",
        "9",
    ]);
    let r = t.run(&["label", "ک-1", "--out", out_arg]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("«ک-1»") && r.stderr.contains("U+06A9"), "{}", r.stderr);

    let r = t.run(&["--json", "label", "R-1042", "--size", "20x30", "--out", out_arg]);
    assert_eq!(r.json()["error"]["code"], "label_too_narrow", "{}", r.stdout);
    assert!(!out.exists());
}
