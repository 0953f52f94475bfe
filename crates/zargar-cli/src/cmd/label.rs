//! `zargar label`: tag labels (اتیکت) as SVG files, one per piece, at the
//! size of the shop's label roll. The barcode scans back to the piece; print
//! with `rsvg-convert`, CUPS (`lp`) or a browser at 100%.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;
use zargar_core::error::Arg;
use zargar_core::invoice::Formatter;
use zargar_core::label::{self, LabelSize};
use zargar_core::{Store, StoreError};

use crate::{Ctx, Failure, Outcome};

#[derive(Debug, Args)]
pub(crate) struct LabelArgs {
    /// Tags or barcodes of the pieces.
    #[arg(required = true)]
    tags: Vec<String>,
    /// Label size in mm, WIDTHxHEIGHT: 50x30, 40x25, 60x40, or 72x12 for
    /// dumbbell tags (barcode on one wing, text on the other).
    #[arg(long, default_value = "50x30")]
    size: String,
    /// For one tag, the SVG file to write (or a folder to put TAG.svg in);
    /// for several, a folder (created if missing) with one TAG.svg each.
    #[arg(long)]
    out: PathBuf,
}

/// One label written.
#[derive(Debug, Serialize)]
pub(crate) struct Written {
    tag: String,
    /// What the barcode reads as: the piece's barcode, else its tag.
    code: String,
    file: PathBuf,
}

pub(crate) fn label(ctx: &Ctx, args: &LabelArgs) -> Outcome {
    let store = ctx.store()?;
    let written = run(&store, args, ctx.formatter(&store)?)?;
    if ctx.json {
        ctx.print_json(&written);
    } else {
        // The paths alone, one a line, so a script can pipe them to a printer.
        for w in &written {
            println!("{}", w.file.display());
        }
    }
    Ok(())
}

/// Finds the pieces, draws their labels and writes them under `args.out`.
/// Every label is drawn before the first is written: an unknown tag or a
/// code that does not fit writes nothing.
pub(crate) fn run(store: &Store, args: &LabelArgs, f: Formatter) -> Result<Vec<Written>, Failure> {
    let size = LabelSize::parse(&args.size).map_err(StoreError::from)?;
    let mut seen = HashSet::new();
    let mut labels = Vec::new();
    for code in &args.tags {
        let item = store.find_item(code)?.ok_or_else(|| StoreError::ItemNotFound(code.trim().to_owned()))?;
        // A piece named twice (by tag and by barcode) gets one label.
        if seen.insert(item.id) {
            let svg = label::label_svg(&item, size, f).map_err(StoreError::from)?;
            labels.push((item, svg));
        }
    }
    let folder = (args.tags.len() > 1 || args.out.is_dir()).then_some(args.out.as_path());
    if let Some(folder) = folder {
        std::fs::create_dir_all(folder).map_err(|_| unwritable(folder))?;
    }
    let mut written = Vec::with_capacity(labels.len());
    for (item, svg) in labels {
        let file = folder.map_or_else(|| args.out.clone(), |d| d.join(file_name(&item.tag)));
        std::fs::write(&file, svg).map_err(|_| unwritable(&file))?;
        let code = item.barcode.clone().unwrap_or_else(|| item.tag.clone());
        written.push(Written { tag: item.tag, code, file });
    }
    Ok(written)
}

fn unwritable(path: &Path) -> Failure {
    Failure::Message("cli-file-unwritable", vec![("file", Arg::Text(path.display().to_string()))])
}

/// `TAG.svg`, with path separators and control characters (which a tag may
/// hold) replaced, so the file lands in the folder and nowhere else.
fn file_name(tag: &str) -> String {
    let safe: String = tag.chars().map(|c| if matches!(c, '/' | '\\') || c.is_control() { '_' } else { c }).collect();
    format!("{safe}.svg")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use zargar_core::display_unit::DisplayUnit;
    use zargar_core::i18n::Lang;
    use zargar_core::item::NewItemInput;
    use zargar_core::label::LabelError;

    const F: Formatter = Formatter { lang: Lang::Fa, unit: DisplayUnit::Rial };

    fn store(dir: &Path) -> Store {
        let mut store = Store::open(&dir.join("till.db")).expect("open");
        store.init_device("صندوق ۱", Utc::now()).expect("init");
        for (tag, barcode) in [("R-1042", None), ("N-7", Some("4006381333"))] {
            let input = NewItemInput {
                tag: tag.into(),
                name: "انگشتر".into(),
                weight: "5.230".into(),
                purity: "750".into(),
                wage_percent: Some("15".into()),
                barcode: barcode.map(Into::into),
                ..NewItemInput::default()
            };
            store.add_item(&input.parse().expect("valid"), Utc::now()).expect("add");
        }
        store
    }

    fn args(tags: &[&str], size: &str, out: PathBuf) -> LabelArgs {
        LabelArgs { tags: tags.iter().map(|t| t.to_string()).collect(), size: size.into(), out }
    }

    fn written(r: Result<Vec<Written>, Failure>) -> Vec<Written> {
        match r {
            Ok(w) => w,
            Err(Failure::Store(e)) => panic!("{e}"),
            Err(_) => panic!("failed"),
        }
    }

    fn store_error(r: Result<Vec<Written>, Failure>) -> StoreError {
        match r {
            Err(Failure::Store(e)) => e,
            _ => panic!("expected a store error"),
        }
    }

    #[test]
    fn one_file_or_a_folder_of_tag_named_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = store(dir.path());
        let one = dir.path().join("one.svg");
        let w = written(run(&store, &args(&["R-1042"], "50x30", one.clone()), F));
        assert_eq!((w.len(), w[0].code.as_str(), &w[0].file), (1, "R-1042", &one));
        assert!(std::fs::read_to_string(&one).expect("written").contains("<svg"));

        // By tag and by barcode, the same piece: one label. Scanned digits
        // may arrive as Persian digits and are found all the same.
        let folder = dir.path().join("labels");
        let w = written(run(&store, &args(&["R-1042", "N-7", "۴۰۰۶۳۸۱۳۳۳"], "40x25", folder.clone()), F));
        let files: Vec<_> = w.iter().map(|w| w.file.clone()).collect();
        assert_eq!(files, [folder.join("R-1042.svg"), folder.join("N-7.svg")]);
        assert_eq!(w[1].code, "4006381333");
        assert!(files.iter().all(|f| f.is_file()));

        // One tag into an existing folder: TAG.svg in it.
        let w = written(run(&store, &args(&["N-7"], "72x12", folder.clone()), F));
        assert_eq!(w[0].file, folder.join("N-7.svg"));
    }

    #[test]
    fn nothing_is_written_when_a_tag_is_unknown_or_the_size_wrong() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = store(dir.path());
        let folder = dir.path().join("labels");
        let e = store_error(run(&store, &args(&["R-1042", "NOPE"], "50x30", folder.clone()), F));
        assert!(matches!(&e, StoreError::ItemNotFound(t) if t == "NOPE"), "{e}");
        assert!(!folder.exists());
        let e = store_error(run(&store, &args(&["R-1042"], "50x300", folder.clone()), F));
        assert!(matches!(e, StoreError::Label(LabelError::BadSize(_))), "{e}");
        assert_eq!(e.code(), "label_bad_size");
    }

    #[test]
    fn tags_stay_inside_the_folder() {
        assert_eq!(file_name("R-1042"), "R-1042.svg");
        assert_eq!(file_name("../a/b\\c"), ".._a_b_c.svg");
        assert_eq!(file_name("انگ-۱"), "انگ-۱.svg");
    }
}
