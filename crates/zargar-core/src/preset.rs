//! The fleet preset: IT's `/etc/zargar/pos.toml`, read when a till starts.
//!
//! It presets what IT decides for every counter of a fleet: the shop's
//! server, the language, the display unit, where updates come from, and an
//! enrolment code, so that a till comes up enrolled. Language, unit and
//! server are applied once, at the till's first start; after that the
//! till's own settings win. The update endpoint is IT's alone and is read
//! at every start. A malformed preset is refused as a whole, naming its line:
//! the till then starts on its defaults.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::display_unit::DisplayUnit;
use crate::error::Arg;
use crate::i18n::Lang;

/// Where IT puts the preset; `ZARGAR_PRESET` names another file.
pub const SYSTEM_PATH: &str = "/etc/zargar/pos.toml";

/// The preset's path: `ZARGAR_PRESET` if set, else [`SYSTEM_PATH`].
pub fn path() -> PathBuf {
    std::env::var_os("ZARGAR_PRESET").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(SYSTEM_PATH))
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preset {
    /// The shop's sync server, e.g. `https://sync.example.ir`.
    pub server_url: Option<String>,
    pub language: Option<Lang>,
    pub display_unit: Option<DisplayUnit>,
    /// The in-app updater's manifest URL (`latest.json`).
    pub update_endpoint: Option<String>,
    /// A file holding a single-use enrolment code from `zargar-server device enroll`.
    pub enrolment_code_file: Option<PathBuf>,
    /// The till's name on invoices and on the server, e.g. "صندوق ۲".
    pub till_name: Option<String>,
}

/// What is wrong with a preset, and on which line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}, line {line}: {problem}")]
pub struct PresetError {
    pub path: PathBuf,
    /// 1-based; 0 when the file could not be read at all.
    pub line: usize,
    pub problem: String,
}

impl PresetError {
    pub fn code(&self) -> &'static str {
        "preset_invalid"
    }

    pub fn message_id(&self) -> String {
        "error-preset-invalid".to_owned()
    }

    pub fn args(&self) -> Vec<(&'static str, Arg)> {
        vec![
            ("path", Arg::Text(self.path.display().to_string())),
            ("line", Arg::Number(self.line.into())),
            ("problem", Arg::Text(self.problem.clone())),
        ]
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    server_url: Option<Spanned<String>>,
    language: Option<Spanned<String>>,
    display_unit: Option<Spanned<String>>,
    update_endpoint: Option<Spanned<String>>,
    enrolment_code_file: Option<Spanned<String>>,
    till_name: Option<Spanned<String>>,
}

/// Reads the preset at `path`: `Ok(None)` when there is none.
pub fn read(path: &Path) -> Result<Option<Preset>, PresetError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(PresetError { path: path.to_owned(), line: 0, problem: e.to_string() }),
    };
    parse(&text).map(Some).map_err(|(line, problem)| PresetError { path: path.to_owned(), line, problem })
}

/// Parses a preset's text; an error carries its 1-based line.
pub fn parse(text: &str) -> Result<Preset, (usize, String)> {
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(s.start)).unwrap_or(1);
        (line, e.message().trim().to_owned())
    })?;
    let bad = |v: &Spanned<String>, why: &str| (line_of(v.span().start), why.to_owned());

    // The same rule as the sync client's for a server's address.
    let url = |v: &Spanned<String>, key: &str| -> Result<String, (usize, String)> {
        crate::sync::check_url(v.get_ref())
            .map_err(|_| bad(v, &format!("{key}: not an http(s) address: {:?}", v.get_ref())))
    };

    let mut preset = Preset::default();
    if let Some(v) = &raw.server_url {
        preset.server_url = Some(url(v, "server_url")?);
    }
    if let Some(v) = &raw.update_endpoint {
        preset.update_endpoint = Some(url(v, "update_endpoint")?);
    }
    if let Some(v) = &raw.language {
        let lang = Lang::ALL.into_iter().find(|l| l.code() == v.get_ref().trim());
        preset.language = Some(lang.ok_or_else(|| bad(v, "language: expected \"fa\" or \"en\""))?);
    }
    if let Some(v) = &raw.display_unit {
        let unit = DisplayUnit::parse(v.get_ref().trim());
        preset.display_unit = Some(unit.ok_or_else(|| bad(v, "display_unit: expected \"rial\" or \"toman\""))?);
    }
    if let Some(v) = &raw.enrolment_code_file {
        let p = PathBuf::from(v.get_ref().trim());
        if !p.is_absolute() {
            return Err(bad(v, "enrolment_code_file: must be an absolute path"));
        }
        preset.enrolment_code_file = Some(p);
    }
    if let Some(v) = &raw.till_name {
        let name = v.get_ref().trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(bad(v, "till_name: 1 to 100 characters"));
        }
        preset.till_name = Some(name.to_owned());
    }
    if preset.enrolment_code_file.is_some() && preset.server_url.is_none() {
        let v = raw.enrolment_code_file.as_ref().map(|v| line_of(v.span().start)).unwrap_or(1);
        return Err((v, "enrolment_code_file needs server_url".to_owned()));
    }
    Ok(preset)
}

impl Preset {
    /// The enrolment code in `enrolment_code_file`, if it names a readable,
    /// non-empty file.
    pub fn enrolment_code(&self) -> Option<String> {
        let path = self.enrolment_code_file.as_ref()?;
        let code = std::fs::read_to_string(path).ok()?;
        let code = code.trim();
        (!code.is_empty()).then(|| code.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_preset_parses() {
        let p = parse(
            "# the fleet\nserver_url = \"https://sync.example.ir/\"\nlanguage = \"en\"\ndisplay_unit = \"toman\"\n\
             update_endpoint = \"https://updates.example.ir/latest.json\"\nenrolment_code_file = \"/etc/zargar/code\"\n\
             till_name = \"صندوق ۲\"\n",
        )
        .expect("valid");
        assert_eq!(p.server_url.as_deref(), Some("https://sync.example.ir"));
        assert_eq!(p.language, Some(Lang::En));
        assert_eq!(p.display_unit, Some(DisplayUnit::Toman));
        assert_eq!(p.enrolment_code_file, Some(PathBuf::from("/etc/zargar/code")));
        assert_eq!(p.till_name.as_deref(), Some("صندوق ۲"));
    }

    #[test]
    fn an_empty_preset_changes_nothing() {
        assert_eq!(parse("# nothing yet\n").expect("valid"), Preset::default());
    }

    #[test]
    fn errors_name_their_line() {
        let cases = [
            ("language = \"fa\"\nsever_url = \"http://x\"\n", 2, "sever_url"),
            ("language = \"fa\"\n\ndisplay_unit = \"dollar\"\n", 3, "display_unit"),
            ("server_url = \"ftp://x\"\n", 1, "server_url"),
            ("language = fa\n", 1, ""),
            ("server_url = \"http://x\"\nenrolment_code_file = \"code.txt\"\n", 2, "absolute"),
            ("enrolment_code_file = \"/etc/zargar/code\"\n", 1, "server_url"),
        ];
        for (text, line, word) in cases {
            let (l, why) = parse(text).expect_err(text);
            assert_eq!(l, line, "{text:?}: {why}");
            assert!(why.contains(word), "{text:?}: {why}");
        }
    }

    #[test]
    fn a_missing_file_is_no_preset() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(read(&dir.path().join("pos.toml")), Ok(None));
    }
}
