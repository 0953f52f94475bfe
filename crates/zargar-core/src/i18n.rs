//! User-facing messages from the Fluent files under `locales/`.
//!
//! The `.ftl` files are embedded at compile time, so the binary needs no
//! files at run time; the tests below prove they parse and that fa and en
//! define the same messages.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::{LanguageIdentifier, langid};

zargar_wire::coded! {
    /// A user interface language; its code is the BCP 47 one, which is also
    /// the directory under `locales/`.
    #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
    #[derive(Default)]
    pub enum Lang {
        #[default]
        Fa = "fa",
        En = "en",
    }
}

impl Lang {
    pub fn langid(&self) -> LanguageIdentifier {
        match self {
            Lang::Fa => langid!("fa"),
            Lang::En => langid!("en"),
        }
    }

    /// Whether text in this language runs right to left.
    pub fn is_rtl(&self) -> bool {
        matches!(self, Lang::Fa)
    }

    /// The language whose messages stand in for ones this language lacks.
    pub fn fallback(&self) -> Option<Lang> {
        match self {
            Lang::Fa => Some(Lang::En),
            Lang::En => None,
        }
    }
}

impl FromStr for Lang {
    type Err = I18nError;

    /// `fa` or `en`, in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::from_code(&s.to_ascii_lowercase()).ok_or_else(|| I18nError::UnknownLang(s.to_owned()))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    #[error("unknown language {0:?} (expected \"fa\" or \"en\")")]
    UnknownLang(String),
    #[error("locales/{lang}/{file}: syntax errors: {errors}")]
    Syntax { lang: Lang, file: &'static str, errors: String },
    /// The file defines an id that an earlier file of the language already has.
    #[error("locales/{lang}/{file}: {errors}")]
    Conflict { lang: Lang, file: &'static str, errors: String },
}

/// One `.ftl` file, embedded in both languages.
struct LocaleFile {
    name: &'static str,
    fa: &'static str,
    en: &'static str,
}

impl LocaleFile {
    fn source(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fa => self.fa,
            Lang::En => self.en,
        }
    }
}

macro_rules! locale_file {
    ($name:literal) => {
        LocaleFile {
            name: concat!($name, ".ftl"),
            fa: include_str!(concat!("../../../locales/fa/", $name, ".ftl")),
            en: include_str!(concat!("../../../locales/en/", $name, ".ftl")),
        }
    };
}

/// Every embedded `.ftl` file: adding a file to `locales/fa` and
/// `locales/en` takes one line here (a test fails if one is forgotten).
const LOCALE_FILES: [LocaleFile; 12] = [
    locale_file!("common"),
    locale_file!("errors"),
    locale_file!("cli"),
    locale_file!("invoice"),
    locale_file!("sync"),
    locale_file!("ui"),
    locale_file!("ui-sale"),
    locale_file!("ui-owner"),
    locale_file!("report"),
    locale_file!("people"),
    locale_file!("shifts"),
    locale_file!("accounts"),
];

/// `(file name, source)` of each embedded file of `lang`.
fn embedded_sources(lang: Lang) -> impl Iterator<Item = (&'static str, &'static str)> {
    LOCALE_FILES.iter().map(move |f| (f.name, f.source(lang)))
}

type Bundle = FluentBundle<FluentResource>;

fn build_bundle(
    lang: Lang,
    sources: impl IntoIterator<Item = (&'static str, &'static str)>,
) -> Result<Bundle, I18nError> {
    let mut bundle = Bundle::new_concurrent(vec![lang.langid()]);
    // No FSI/PDI (U+2068/U+2069) around placeables: these strings go to
    // terminals, printed receipts and CSV, where the marks are stray bytes
    // that also break comparisons. The UI isolates values itself (<bdi>).
    bundle.set_use_isolating(false);
    for (file, source) in sources {
        let resource = FluentResource::try_new(source.to_owned()).map_err(|(_, errors)| I18nError::Syntax {
            lang,
            file,
            errors: join_errors(&errors),
        })?;
        bundle.add_resource(resource).map_err(|errors| I18nError::Conflict {
            lang,
            file,
            errors: join_errors(&errors),
        })?;
    }
    Ok(bundle)
}

fn join_errors<E: fmt::Display>(errors: &[E]) -> String {
    errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// The messages of one language, with fallback to [`Lang::fallback`].
/// `Send + Sync`, so one instance can serve every thread.
pub struct Messages {
    lang: Lang,
    /// The language's own bundle first, then its fallbacks in order.
    bundles: Vec<Bundle>,
}

impl fmt::Debug for Messages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Messages")
            .field("lang", &self.lang)
            .field("bundles", &self.bundles.len())
            .finish_non_exhaustive()
    }
}

impl Messages {
    /// Builds the messages of `lang` from the embedded files. Usually
    /// [`messages`] is what you want: it builds each language once.
    pub fn new(lang: Lang) -> Result<Self, I18nError> {
        let mut bundles = vec![build_bundle(lang, embedded_sources(lang))?];
        let mut next = lang.fallback();
        while let Some(fallback) = next {
            bundles.push(build_bundle(fallback, embedded_sources(fallback))?);
            next = fallback.fallback();
        }
        Ok(Self { lang, bundles })
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The message `id` (or attribute, `id.attr`) without arguments.
    pub fn text(&self, id: &str) -> String {
        self.format(id, &[])
    }

    /// The message `id` (or attribute, `id.attr`) with `args`.
    ///
    /// Arguments are text the caller has already formatted with
    /// [`crate::persian`] (`format_decimal`, `format_date_short`, ...).
    /// Fluent's own number formatting gives ASCII digits and works on
    /// floats, so it is kept out: the caller's string, with its Persian
    /// digits and exact scale, is what gets printed. Select expressions
    /// therefore see strings and match variant keys literally.
    ///
    /// A message missing in this language comes from the fallback language;
    /// missing everywhere, the result is `id` itself. A missing argument
    /// shows as `{$name}`. Never panics.
    pub fn format(&self, id: &str, args: &[(&str, String)]) -> String {
        let (message_id, attribute) = match id.split_once('.') {
            Some((message, attribute)) => (message, Some(attribute)),
            None => (id, None),
        };
        let fluent_args = (!args.is_empty()).then(|| {
            let mut fluent_args = FluentArgs::with_capacity(args.len());
            for (name, value) in args {
                fluent_args.set(*name, FluentValue::String(Cow::Borrowed(value.as_str())));
            }
            fluent_args
        });
        for bundle in &self.bundles {
            let Some(message) = bundle.get_message(message_id) else {
                continue;
            };
            let pattern = match attribute {
                Some(attribute) => message.get_attribute(attribute).map(|a| a.value()),
                None => message.value(),
            };
            let Some(pattern) = pattern else {
                continue;
            };
            // Resolver errors (a missing argument, a missing reference) still
            // yield usable text; the tests keep the shipped files free of them.
            let mut errors = Vec::new();
            return bundle.format_pattern(pattern, fluent_args.as_ref(), &mut errors).into_owned();
        }
        id.to_owned()
    }
}

/// The messages of `lang`, built on first use and shared afterwards.
pub fn messages(lang: Lang) -> &'static Messages {
    static FA: OnceLock<Messages> = OnceLock::new();
    static EN: OnceLock<Messages> = OnceLock::new();
    let cell = match lang {
        Lang::Fa => &FA,
        Lang::En => &EN,
    };
    cell.get_or_init(|| Messages::new(lang).expect("embedded locale files are valid (checked by i18n tests)"))
}

/// All message ids (not terms, not attributes) defined in `lang`'s files.
pub fn message_ids(lang: Lang) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for (_, source) in embedded_sources(lang) {
        // Ids of the entries that did parse; syntax errors are the tests' job.
        let resource = fluent_syntax::parser::parse_runtime(source).unwrap_or_else(|(r, _)| r);
        for entry in resource.body {
            if let fluent_syntax::ast::Entry::Message(message) = entry {
                ids.insert(message.id.name.to_owned());
            }
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_syntax::ast;
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    const FSI: char = '\u{2068}';
    const PDI: char = '\u{2069}';

    fn line_of(source: &str, byte: usize) -> usize {
        source.get(..byte).map_or(0, |before| before.matches('\n').count()) + 1
    }

    #[test]
    fn every_embedded_file_parses() {
        let mut problems = Vec::new();
        for lang in Lang::ALL {
            for (file, source) in embedded_sources(lang) {
                if let Err((_, errors)) = fluent_syntax::parser::parse(source) {
                    for e in errors {
                        let line = line_of(source, e.pos.start);
                        problems.push(format!("locales/{lang}/{file}:{line}: {e}"));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "FTL syntax errors:\n{}", problems.join("\n"));
    }

    #[test]
    fn every_language_builds_without_conflicts() {
        for lang in Lang::ALL {
            if let Err(e) = Messages::new(lang) {
                panic!("{e}");
            }
            assert_eq!(messages(lang).lang(), lang);
        }
    }

    #[test]
    fn fa_and_en_define_the_same_messages() {
        let fa = message_ids(Lang::Fa);
        let en = message_ids(Lang::En);
        let only_fa: Vec<_> = fa.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&fa).collect();
        assert!(only_fa.is_empty() && only_en.is_empty(), "missing in en: {only_fa:?}\nmissing in fa: {only_en:?}");
    }

    /// What a message needs from the code: attribute names and `$variables`,
    /// plus any functions it calls.
    #[derive(Debug, Default, PartialEq)]
    struct Shape {
        attributes: BTreeSet<String>,
        variables: BTreeSet<String>,
        functions: BTreeSet<String>,
    }

    fn walk_pattern(pattern: &ast::Pattern<&str>, shape: &mut Shape) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                walk_expression(expression, shape);
            }
        }
    }

    fn walk_expression(expression: &ast::Expression<&str>, shape: &mut Shape) {
        match expression {
            ast::Expression::Select { selector, variants } => {
                walk_inline(selector, shape);
                for variant in variants {
                    walk_pattern(&variant.value, shape);
                }
            }
            ast::Expression::Inline(inline) => walk_inline(inline, shape),
        }
    }

    fn walk_inline(inline: &ast::InlineExpression<&str>, shape: &mut Shape) {
        let arguments = match inline {
            ast::InlineExpression::VariableReference { id } => {
                shape.variables.insert(id.name.to_owned());
                None
            }
            ast::InlineExpression::FunctionReference { id, arguments } => {
                shape.functions.insert(id.name.to_owned());
                Some(arguments)
            }
            ast::InlineExpression::TermReference { arguments, .. } => arguments.as_ref(),
            ast::InlineExpression::Placeable { expression } => {
                walk_expression(expression, shape);
                None
            }
            _ => None,
        };
        for argument in
            arguments.into_iter().flat_map(|a| a.positional.iter().chain(a.named.iter().map(|named| &named.value)))
        {
            walk_inline(argument, shape);
        }
    }

    fn shapes(lang: Lang) -> BTreeMap<String, Shape> {
        let mut shapes = BTreeMap::new();
        for (_, source) in embedded_sources(lang) {
            let resource = fluent_syntax::parser::parse(source).unwrap_or_else(|(r, _)| r);
            for entry in &resource.body {
                if let ast::Entry::Message(message) = entry {
                    let mut shape = Shape::default();
                    if let Some(value) = &message.value {
                        walk_pattern(value, &mut shape);
                    }
                    for attribute in &message.attributes {
                        shape.attributes.insert(attribute.id.name.to_owned());
                        walk_pattern(&attribute.value, &mut shape);
                    }
                    shapes.insert(message.id.name.to_owned(), shape);
                }
            }
        }
        shapes
    }

    #[test]
    fn translations_take_the_same_arguments_and_attributes() {
        let fa = shapes(Lang::Fa);
        let en = shapes(Lang::En);
        let mut problems = Vec::new();
        for (id, fa_shape) in &fa {
            if let Some(en_shape) = en.get(id) {
                if fa_shape.attributes != en_shape.attributes {
                    problems
                        .push(format!("{id}: attributes fa {:?} en {:?}", fa_shape.attributes, en_shape.attributes));
                }
                if fa_shape.variables != en_shape.variables {
                    problems.push(format!("{id}: variables fa {:?} en {:?}", fa_shape.variables, en_shape.variables));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn no_fluent_functions_are_used() {
        // No functions are registered (NUMBER() would give ASCII digits from a
        // float); numbers and dates arrive formatted by crate::persian.
        let mut problems = Vec::new();
        for lang in Lang::ALL {
            for (id, shape) in shapes(lang) {
                if !shape.functions.is_empty() {
                    problems.push(format!("{lang}/{id}: {:?}", shape.functions));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// `locales/` on disk. In zargar-core it is `$CARGO_MANIFEST_DIR/../..`.
    /// The scratch crate that includes this file by absolute `#[path]` has
    /// another manifest dir, but there `file!()` is absolute, so it is found
    /// from this source file instead (in zargar-core `file!()` is relative to
    /// the workspace root, which is why it is not the first choice).
    fn locales_dir() -> PathBuf {
        let from_manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales");
        let source = Path::new(file!());
        let from_source =
            source.is_absolute().then(|| source.parent().map(|src| src.join("../../../locales"))).flatten();
        [Some(from_manifest), from_source]
            .into_iter()
            .flatten()
            .find(|dir| dir.join("fa").is_dir() && dir.join("en").is_dir())
            .expect("locales/ with fa/ and en/ next to the workspace")
    }

    #[test]
    fn every_ftl_file_on_disk_is_embedded() {
        let dir = locales_dir();
        let embedded: BTreeSet<&str> = LOCALE_FILES.iter().map(|f| f.name).collect();
        let mut missing = Vec::new();
        for lang in Lang::ALL {
            let lang_dir = dir.join(lang.code());
            let entries =
                std::fs::read_dir(&lang_dir).unwrap_or_else(|e| panic!("reading {}: {e}", lang_dir.display()));
            for entry in entries {
                let path = entry.expect("directory entry").path();
                let is_ftl = path.extension().is_some_and(|ext| ext == "ftl");
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                if is_ftl && !embedded.contains(name) {
                    missing.push(format!("locales/{lang}/{name}"));
                }
            }
            // And the embedded copies are the files on disk.
            for (name, source) in embedded_sources(lang) {
                let on_disk = std::fs::read_to_string(lang_dir.join(name))
                    .unwrap_or_else(|e| panic!("reading locales/{lang}/{name}: {e}"));
                assert_eq!(on_disk, source, "locales/{lang}/{name}");
            }
        }
        assert!(missing.is_empty(), "add these to LOCALE_FILES in i18n.rs: {missing:?}");
    }

    #[test]
    fn placeables_are_not_isolated() {
        let out = messages(Lang::Fa).format("amount-rial", &[("amount", "۴۱۸٬۴۰۰٬۰۰۰".into())]);
        assert!(!out.contains([FSI, PDI]), "{out:?}");
        assert_eq!(out, "۴۱۸٬۴۰۰٬۰۰۰ ریال");
        let out = messages(Lang::En).format("weight-gram", &[("weight", "5.230".into())]);
        assert_eq!(out, "5.230 g");
    }

    #[test]
    fn common_messages() {
        let fa = messages(Lang::Fa);
        assert_eq!(fa.text("karat-18"), "۱۸ عیار");
        assert_eq!(fa.text("unit-toman"), "تومان");
        assert_eq!(fa.text("walk-in-customer"), "مشتری گذری");
        assert_eq!(fa.text("item-status-sold"), "فروخته\u{200C}شده");
        assert_eq!(messages(Lang::En).text("payment-trade_in"), "Trade-in gold");
        assert_eq!(messages(Lang::En).text("yes"), "Yes");
    }

    fn test_messages(fa: &'static str, en: &'static str) -> Messages {
        let bundle = |lang, source| build_bundle(lang, [("test.ftl", source)]).expect("test FTL is valid");
        Messages { lang: Lang::Fa, bundles: vec![bundle(Lang::Fa, fa), bundle(Lang::En, en)] }
    }

    #[test]
    fn missing_messages_fall_back_to_en_then_to_the_id() {
        let m = test_messages(
            "both = هر دو\nlabel = برچسب\n    .title = عنوان\n",
            "both = Both\nonly-en = English only\nlabel = Label\n    .title = Title\n    .hint = Hint\n",
        );
        assert_eq!(m.text("both"), "هر دو");
        assert_eq!(m.text("only-en"), "English only");
        assert_eq!(m.text("nowhere"), "nowhere");
        assert_eq!(m.text("label.title"), "عنوان");
        assert_eq!(m.text("label.hint"), "Hint");
        assert_eq!(m.text("label.nope"), "label.nope");
        assert_eq!(m.text(""), "");
        assert_eq!(m.text("."), ".");
    }

    #[test]
    fn arguments_are_inserted_verbatim() {
        let m = test_messages(
            "total = جمع: { $sum } ({ $unit })\npick = { $kind ->\n    [gold] طلا\n   *[other] سایر\n}\n",
            "total = Total: { $sum } ({ $unit })\npick = x\n",
        );
        let args = [("sum", "۱٬۲۳۴".to_owned()), ("unit", "ریال".to_owned())];
        assert_eq!(m.format("total", &args), "جمع: ۱٬۲۳۴ (ریال)");
        // A missing argument shows its name instead of panicking.
        assert_eq!(m.format("total", &args[..1]), "جمع: ۱٬۲۳۴ ({$unit})");
        assert_eq!(m.format("pick", &[("kind", "gold".into())]), "طلا");
        assert_eq!(m.format("pick", &[("kind", "silver".into())]), "سایر");
    }

    #[test]
    fn bad_sources_are_errors_not_panics() {
        let err =
            build_bundle(Lang::Fa, [("bad.ftl", "ok = fine\nbroken = { \n")]).err().expect("syntax error is reported");
        assert!(matches!(err, I18nError::Syntax { file: "bad.ftl", .. }), "{err}");
        assert!(err.to_string().starts_with("locales/fa/bad.ftl: syntax errors:"), "{err}");

        let err = build_bundle(Lang::En, [("a.ftl", "dup = 1\n"), ("b.ftl", "dup = 2\n")])
            .err()
            .expect("duplicate id is reported");
        assert!(matches!(err, I18nError::Conflict { file: "b.ftl", .. }), "{err}");
    }

    #[test]
    fn messages_are_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Messages>();
        let from_thread = std::thread::spawn(|| messages(Lang::Fa).text("yes")).join().expect("thread panicked");
        assert_eq!(from_thread, "بله");
    }

    #[test]
    fn lang_parses_and_displays() {
        assert_eq!("fa".parse::<Lang>().ok(), Some(Lang::Fa));
        assert_eq!("EN".parse::<Lang>().ok(), Some(Lang::En));
        assert_eq!("Fa".parse::<Lang>().ok(), Some(Lang::Fa));
        assert!("de".parse::<Lang>().is_err());
        assert!("".parse::<Lang>().is_err());
        assert!(" fa".parse::<Lang>().is_err());
        assert_eq!(Lang::Fa.to_string(), "fa");
        assert_eq!(Lang::En.code(), "en");
        assert_eq!(Lang::default(), Lang::Fa);
        assert_eq!(Lang::Fa.langid().to_string(), "fa");
    }
}
