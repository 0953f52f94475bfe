//! Where a page (the A5 invoice, a sheet of tag labels, a receipt on a
//! CUPS receipt printer) is printed without a dialog: a system (CUPS)
//! printer by its queue name, or a folder that keeps each printout as a PDF
//! (for a shop that emails its invoices, or has no office printer).

use std::fmt;
use std::path::PathBuf;

use super::PrintError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageTarget {
    /// A CUPS queue, as `lpstat -p` names it.
    Printer(String),
    /// An absolute folder; each printout is `<job>.pdf` in it.
    PdfFolder(PathBuf),
}

impl PageTarget {
    /// What an owner types in Settings: `pdf:/home/shop/invoices` for a
    /// folder, else a queue name (optionally `cups:NAME`).
    pub fn parse(input: &str) -> Result<PageTarget, PrintError> {
        let s = input.trim();
        let bad = || PrintError::BadAddress { address: input.to_owned() };
        if let Some(dir) = s.strip_prefix("pdf:") {
            let dir = PathBuf::from(dir.trim());
            return if dir.is_absolute() { Ok(PageTarget::PdfFolder(dir)) } else { Err(bad()) };
        }
        let name = s.strip_prefix("cups:").unwrap_or(s);
        // CUPS queue names: printable, no spaces, slashes or '#'.
        let ok = !name.is_empty()
            && name.chars().count() <= 127
            && name.chars().all(|c| !c.is_whitespace() && !c.is_control() && c != '/' && c != '#');
        if ok { Ok(PageTarget::Printer(name.to_owned())) } else { Err(bad()) }
    }
}

impl fmt::Display for PageTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageTarget::Printer(name) => write!(f, "{name}"),
            PageTarget::PdfFolder(dir) => write!(f, "pdf:{}", dir.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queues_and_folders_parse_and_print_back() {
        for typed in ["Office_A5", "cups:Office_A5", "pdf:/var/lib/zargar/invoices"] {
            let target = PageTarget::parse(typed).expect(typed);
            assert_eq!(PageTarget::parse(&target.to_string()).expect("again"), target);
        }
        assert_eq!(PageTarget::parse(" cups:HP ").expect("hp"), PageTarget::Printer("HP".into()));
        for bad in ["", "two words", "a/b", "pdf:relative/dir"] {
            assert!(PageTarget::parse(bad).is_err(), "{bad:?}");
        }
    }
}
