//! Tag labels (اتیکت): the small label printed for each piece, with its
//! name, weight, purity, wage and a Code 128 barcode that a USB scanner types
//! back into the sale screen.
//!
//! The encoder is written here: Code 128 is one table and a checksum, and a
//! crate would add a dependency for a page of code. The label is one
//! self-contained SVG document measured in millimetres, so whatever renders it
//! (librsvg under CUPS, a browser) prints it at its physical size. Geometry is
//! exact `Decimal` millimetres: no floats.

use std::fmt::Write as _;
use std::ops::RangeInclusive;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::Arg;
use crate::i18n::{Lang, messages};
use crate::invoice::Formatter;
use crate::item::Item;
use crate::persian;

mod code128;
mod size;

pub use code128::{Code128, QUIET_ZONE_MODULES, code128};
pub use size::LabelSize;

/// Why a label cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelError {
    #[error("nothing to put in a barcode")]
    Empty,
    #[error("{code:?} cannot be put in a Code 128 barcode: {ch:?} is not printable ASCII")]
    Unencodable { code: String, ch: char },
    #[error("label size {0:?} is not WIDTHxHEIGHT in mm, 20..=110 by 10..=80")]
    BadSize(String),
    #[error("the barcode of {code:?} needs {needed_mm} mm, but the label has {width_mm} mm for it")]
    TooNarrow { code: String, needed_mm: Decimal, width_mm: Decimal },
}

impl LabelError {
    /// The stable code; its message is `error-<code with dashes>`.
    pub fn code(&self) -> &'static str {
        match self {
            LabelError::Empty => "label_empty",
            LabelError::Unencodable { .. } => "label_unencodable",
            LabelError::BadSize(_) => "label_bad_size",
            LabelError::TooNarrow { .. } => "label_too_narrow",
        }
    }

    pub fn args(&self) -> Vec<(&'static str, Arg)> {
        let number = |n: u32| Arg::Number(Decimal::from(n));
        match self {
            LabelError::Empty => Vec::new(),
            LabelError::Unencodable { code, ch } => vec![
                ("code", Arg::Text(code.clone())),
                ("char", Arg::Text(ch.to_string())),
                // The character may be invisible (a ZWNJ, a mark): its number is not.
                ("codepoint", Arg::Text(format!("U+{:04X}", u32::from(*ch)))),
            ],
            LabelError::BadSize(value) => vec![
                ("value", Arg::Text(value.clone())),
                ("width_min", number(*LabelSize::WIDTHS_MM.start())),
                ("width_max", number(*LabelSize::WIDTHS_MM.end())),
                ("height_min", number(*LabelSize::HEIGHTS_MM.start())),
                ("height_max", number(*LabelSize::HEIGHTS_MM.end())),
            ],
            LabelError::TooNarrow { code, needed_mm, width_mm } => vec![
                ("code", Arg::Text(code.clone())),
                ("needed", Arg::Number(*needed_mm)),
                ("width", Arg::Number(*width_mm)),
            ],
        }
    }
}

// ---------------------------------------------------------------------------
// The label as SVG

const FONT_FAMILY: &str = "Vazirmatn Variable, Vazirmatn, sans-serif";

/// Module widths are whole multiples of 1/400 inch: 3× is 0.19 mm, the
/// narrowest a label printer and a USB scanner handle well, 4× is 0.254 mm
/// (whole dots at both 203 and 300 dpi), 5× is 0.3175 mm.
const MODULE_BASE_MM: Decimal = Decimal::from_parts(635, 0, 0, false, 4);
const MODULE_MULTIPLES: RangeInclusive<u32> = 3..=5;

/// Estimated advance of a character as a share of the font size. The SVG
/// has no font metrics; this errs wide, so a line fits rather than clips.
const ADVANCE_PER_EM: Decimal = Decimal::from_parts(55, 0, 0, false, 2);

fn mm(value: i64, scale: u32) -> Decimal {
    Decimal::new(value, scale)
}

/// Where things go on the label, in mm from its top left corner.
#[derive(Debug)]
struct Layout {
    /// The barcode panel: the bars and their quiet zones stay inside it.
    code_x: Decimal,
    code_w: Decimal,
    bar_top: Decimal,
    bar_bottom: Decimal,
    code_font: Decimal,
    code_baseline: Decimal,
    /// The panel of the text lines, margins taken off.
    text_x: Decimal,
    text_w: Decimal,
    text_top: Decimal,
    text_bottom: Decimal,
}

impl Layout {
    fn new(size: LabelSize) -> Layout {
        let w = Decimal::from(size.width_mm);
        let h = Decimal::from(size.height_mm);
        if size.is_dumbbell() {
            // Each wing takes 3/8 of the length; the tail in between folds
            // round the piece and stays blank.
            let margin = mm(8, 1);
            let wing = w * mm(375, 3);
            let code_font = (h * mm(14, 2)).clamp(mm(14, 1), mm(24, 1));
            let code_baseline = h - margin - code_font * mm(2, 1);
            Layout {
                code_x: Decimal::ZERO,
                code_w: wing,
                bar_top: margin,
                bar_bottom: code_baseline - code_font * mm(75, 2) - mm(3, 1),
                code_font,
                code_baseline,
                text_x: w - wing + margin,
                text_w: wing - margin * Decimal::TWO,
                text_top: margin,
                text_bottom: h - margin,
            }
        } else {
            // Text on top, bars below it as wide as the label; bars ~40% of
            // the height (7 to 15 mm): taller scans no better.
            let margin = mm(15, 1);
            let code_font = (h * mm(8, 2)).clamp(mm(16, 1), mm(28, 1));
            let code_baseline = h - margin - code_font * mm(2, 1);
            let bar_bottom = code_baseline - code_font * mm(75, 2) - mm(4, 1);
            let bar_top = bar_bottom - (h * mm(4, 1)).clamp(Decimal::from(7), Decimal::from(15));
            Layout {
                code_x: Decimal::ZERO,
                code_w: w,
                bar_top,
                bar_bottom,
                code_font,
                code_baseline,
                text_x: margin,
                text_w: w - margin * Decimal::TWO,
                text_top: margin,
                text_bottom: bar_top - mm(5, 1),
            }
        }
    }
}

/// A number of mm as SVG writes it: "12.5", "0.1905".
fn num(d: Decimal) -> String {
    d.round_dp(4).normalize().to_string()
}

/// Text for XML content and attributes: markup characters escaped, and
/// characters XML 1.0 forbids (C0 controls) or a printer needs not (bidi
/// controls; the `direction` attribute sets the order) dropped.
fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || persian::is_bidi_control(c) || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}

/// The estimated width of `text` at `font` mm.
fn text_width(text: &str, font: Decimal) -> Decimal {
    Decimal::from(text.chars().count()) * ADVANCE_PER_EM * font
}

/// `text` and the font size that fits it into `width`: shrunk down to 70%,
/// then cut with an ellipsis.
fn fit(text: &str, width: Decimal, font: Decimal) -> (String, Decimal) {
    if text_width(text, font) <= width {
        return (text.to_owned(), font);
    }
    let chars = Decimal::from(text.chars().count());
    let smallest = font * mm(7, 1);
    let shrunk = width / (chars * ADVANCE_PER_EM);
    if shrunk >= smallest {
        return (text.to_owned(), shrunk.round_dp_with_strategy(3, RoundingStrategy::ToZero));
    }
    let room = (width / (ADVANCE_PER_EM * smallest)).floor().to_usize().unwrap_or(0);
    let keep = room.saturating_sub(1);
    let mut cut: String = text.chars().take(keep).collect();
    cut.push('…');
    (cut, smallest)
}

/// One piece's label as a standalone SVG document of `size`.
///
/// The barcode encodes `item.barcode`, or the tag when the piece has none.
/// The bars are as wide as fits with at least [`QUIET_ZONE_MODULES`] blank
/// modules each side; a label too narrow even for the narrowest module is
/// refused ([`LabelError::TooNarrow`]) rather than printed unscannable.
pub fn label_svg(item: &Item, size: LabelSize, f: Formatter) -> Result<String, LabelError> {
    let code = Code128::encode(item.barcode.as_deref().unwrap_or(&item.tag))?;
    let layout = Layout::new(size);
    let total_modules = Decimal::from(code.modules() + 2 * QUIET_ZONE_MODULES);
    let module = MODULE_MULTIPLES
        .rev()
        .map(|k| MODULE_BASE_MM * Decimal::from(k))
        .find(|module| *module * total_modules <= layout.code_w)
        .ok_or_else(|| LabelError::TooNarrow {
            code: code.text().to_owned(),
            needed_mm: (MODULE_BASE_MM * Decimal::from(*MODULE_MULTIPLES.start()) * total_modules)
                .round_dp_with_strategy(1, RoundingStrategy::AwayFromZero),
            width_mm: layout.code_w.round_dp(1).normalize(),
        })?;

    let (w, h) = (size.width_mm, size.height_mm);
    let lang = f.lang.code();
    let mut svg = String::new();
    let _ = writeln!(svg, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}" xml:lang="{lang}" lang="{lang}">"#
    );
    let _ = writeln!(svg, r##"<rect x="0" y="0" width="{w}" height="{h}" fill="#fff"/>"##);

    // The bars, centred in their panel: what is left over widens the quiet zones.
    let bars_width = module * Decimal::from(code.modules());
    let mut x = layout.code_x + (layout.code_w - bars_width) / Decimal::TWO;
    let (top, height) = (num(layout.bar_top), num(layout.bar_bottom - layout.bar_top));
    let _ = writeln!(svg, r##"<g fill="#000" shape-rendering="crispEdges">"##);
    for (i, width) in code.widths().into_iter().enumerate() {
        let width = module * Decimal::from(width);
        if i % 2 == 0 {
            let _ = writeln!(svg, r#"<rect x="{}" y="{top}" width="{}" height="{height}"/>"#, num(x), num(width));
        }
        x += width;
    }
    let _ = writeln!(svg, "</g>");
    // What the bars say, in ASCII, for a cashier to type when a scan fails.
    let _ = writeln!(
        svg,
        r##"<text x="{}" y="{}" font-family="{FONT_FAMILY}" font-size="{}" fill="#000" direction="ltr" text-anchor="middle">{}</text>"##,
        num(layout.code_x + layout.code_w / Decimal::TWO),
        num(layout.code_baseline),
        num(layout.code_font),
        xml_text(code.text())
    );

    write_text_lines(&mut svg, item, code.text(), &layout, f);
    let _ = writeln!(svg, "</svg>");
    Ok(svg)
}

/// The name (with the tag when the bars say something else), weight, purity
/// and wage, aligned to the reading start: right in Persian, left in English.
fn write_text_lines(svg: &mut String, item: &Item, code: &str, layout: &Layout, f: Formatter) {
    let m = messages(f.lang);
    let line = |id: &str, arg: &str, value: String| persian::strip_bidi_controls(&m.format(id, &[(arg, value)]));
    let lines = [
        line("label-weight", "weight", f.number(item.weight.decimal())),
        line("label-purity", "purity", f.purity(item.purity)),
        line("label-wage", "wage", f.wage_rate(item.wage)),
    ];
    let line_h = (layout.text_bottom - layout.text_top) / Decimal::from(lines.len() + 1);
    let font = (line_h * mm(72, 2)).min(Decimal::from(4));
    let baseline = |i: usize| num(layout.text_top + line_h * Decimal::from(i) + line_h * mm(74, 2));
    let rtl = f.lang == Lang::Fa;
    let (start_x, end_x) = if rtl {
        (layout.text_x + layout.text_w, layout.text_x)
    } else {
        (layout.text_x, layout.text_x + layout.text_w)
    };
    let (dir, other_anchor) = if rtl { ("rtl", "start") } else { ("ltr", "end") };
    let _ = writeln!(svg, r##"<g font-family="{FONT_FAMILY}" fill="#000" direction="{dir}" text-anchor="start">"##);

    // The tag goes at the far end of the name's line, in its own ltr run.
    let mut name_width = layout.text_w;
    if code != item.tag {
        let (tag, tag_font) = fit(&item.tag, layout.text_w / Decimal::TWO, font);
        name_width -= text_width(&tag, tag_font) + font;
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="{}" font-size="{}" direction="ltr" text-anchor="{other_anchor}">{}</text>"#,
            num(end_x),
            baseline(0),
            num(tag_font),
            xml_text(&tag)
        );
    }
    let (name, name_font) = fit(&persian::strip_bidi_controls(&item.name), name_width, font);
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="{}" font-size="{}" font-weight="bold">{}</text>"#,
        num(start_x),
        baseline(0),
        num(name_font),
        xml_text(&name)
    );
    for (i, text) in lines.iter().enumerate() {
        let (text, size) = fit(text, layout.text_w, font);
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="{}" font-size="{}">{}</text>"#,
            num(start_x),
            baseline(i + 1),
            num(size),
            xml_text(&text)
        );
    }
    let _ = writeln!(svg, "</g>");
}

#[cfg(test)]
mod tests {
    use super::code128::{CODE_B, CODE_C, PATTERNS, START_B, START_C, STOP_PATTERN, checksum};
    use super::*;
    use crate::display_unit::DisplayUnit;
    use crate::item::ItemStatus;
    use chrono::DateTime;
    use uuid::Uuid;
    use zargar_rules::measure::Purity;
    use zargar_rules::measure::Weight;
    use zargar_rules::money::Percent;
    use zargar_rules::money::Rial;
    use zargar_rules::pricing::WageRate;

    fn symbols(s: &str) -> Vec<u8> {
        Code128::encode(s).expect("encodable").symbols().to_vec()
    }

    #[test]
    fn known_checksums() {
        // Wikipedia's PJJ123C (in code set B: 879 mod 103 = 55).
        assert_eq!(symbols("PJJ123C"), [104, 48, 42, 42, 17, 18, 19, 35, 55, 106]);
        // barmatrixcode.de's worked example: B, "Bar", C "01" "23", B "4Code".
        assert_eq!(symbols("Bar01234Code"), [104, 34, 65, 82, 99, 1, 23, 100, 20, 35, 79, 68, 69, 62, 106]);
        // barcoderesource.com: code set C "345678" checks to 73.
        assert_eq!(Code128::encode("345678").expect("digits").checksum(), 73);
    }

    #[test]
    fn known_pattern() {
        // Start B, "A" (33), check (104 + 33) % 103 = 34, stop.
        let mut expected = vec![2, 1, 1, 2, 1, 4, 1, 1, 1, 3, 2, 3, 1, 3, 1, 1, 2, 3];
        expected.extend(STOP_PATTERN);
        assert_eq!(code128("A").expect("A"), expected);
    }

    #[test]
    fn every_symbol_is_eleven_modules_with_even_bars() {
        for (value, p) in PATTERNS.iter().enumerate() {
            assert_eq!(p.iter().map(|&w| u32::from(w)).sum::<u32>(), 11, "symbol {value}");
            // Bars add up to an even count: Code 128's own parity check.
            assert_eq!((p[0] + p[2] + p[4]) % 2, 0, "symbol {value}");
        }
        assert_eq!(STOP_PATTERN.iter().map(|&w| u32::from(w)).sum::<u32>(), 13);
        let c = Code128::encode("R-1042").expect("tag");
        assert_eq!(c.modules(), 11 * (c.symbols().len() as u32 - 1) + 13);
        assert_eq!(c.widths().len() % 2, 1, "starts and ends with a bar");
    }

    #[test]
    fn digits_use_code_set_c() {
        assert_eq!(symbols("4006381333"), [105, 40, 6, 38, 13, 33, checksum(&[105, 40, 6, 38, 13, 33]), 106]);
        assert_eq!(symbols("12")[0], START_C);
        // Odd runs: one digit stays in B, where it costs no extra switch.
        assert_eq!(&symbols("12345")[..5], [105, 12, 34, 100, 21]);
        assert_eq!(&symbols("A12345")[..6], [104, 33, 17, 99, 23, 45]);
        assert_eq!(&symbols("12345A")[..6], [105, 12, 34, 100, 21, 33]);
        // Short runs are not worth a switch.
        assert_eq!(&symbols("R-102")[..6], [104, 50, 13, 17, 16, 18]);
        assert_eq!(&symbols("123")[..4], [104, 17, 18, 19]);
    }

    /// Reads widths back as a scanner does: symbols from the table, the
    /// checksum verified, code sets B and C followed.
    fn decode(widths: &[u8]) -> Option<String> {
        let (data, stop) = widths.split_at(widths.len().checked_sub(7)?);
        if stop != STOP_PATTERN || data.len() % 6 != 0 {
            return None;
        }
        let symbols: Vec<u8> = data
            .chunks(6)
            .map(|c| PATTERNS.iter().position(|p| p == c).and_then(|v| u8::try_from(v).ok()))
            .collect::<Option<_>>()?;
        let (check, body) = symbols.split_last()?;
        if checksum(body) != *check {
            return None;
        }
        let mut in_c = match *body.first()? {
            START_B => false,
            START_C => true,
            _ => return None,
        };
        let mut text = String::new();
        for &s in body.get(1..)? {
            match s {
                CODE_B if in_c => in_c = false,
                CODE_C if !in_c => in_c = true,
                0..=99 if in_c => text.push_str(&format!("{s:02}")),
                0..=94 => text.push(char::from(s + b' ')),
                _ => return None,
            }
        }
        Some(text)
    }

    proptest::proptest! {
        #[test]
        fn every_printable_text_reads_back(text in "[ -~]{1,24}|[0-9A-]{1,24}") {
            let c = Code128::encode(&text).expect("printable ASCII");
            proptest::prop_assert_eq!(decode(&c.widths()), Some(text.clone()));
            proptest::prop_assert_eq!(c.modules(), 11 * (c.symbols().len() as u32 - 1) + 13);
            // Code set C never makes a barcode longer than code set B alone.
            proptest::prop_assert!(c.symbols().len() <= text.len() + 3);
        }
    }

    #[test]
    fn refuses_what_code_128_cannot_hold() {
        assert_eq!(code128(""), Err(LabelError::Empty));
        let e = Code128::encode("R-۱۰۲").expect_err("Persian digit");
        assert_eq!(e, LabelError::Unencodable { code: "R-۱۰۲".into(), ch: '۱' });
        assert!(code128("a\tb").is_err());
        assert!(code128("é").is_err());
        assert!(code128("~ !").is_ok());
    }

    #[test]
    fn sizes() {
        assert_eq!(LabelSize::parse("50x30"), Ok(LabelSize::DEFAULT));
        assert_eq!(LabelSize::parse(" ۴۰×۲۵ "), LabelSize::new(40, 25).ok_or(LabelError::Empty));
        assert_eq!(LabelSize::parse("60 X 40 mm").map(|s| s.to_string()), Ok("60x40".into()));
        for bad in ["50", "x30", "50x", "5x30", "50x300", "50.5x30", "-50x30", "50x30x2", ""] {
            assert_eq!(LabelSize::parse(bad), Err(LabelError::BadSize(bad.into())), "{bad}");
        }
        for p in LabelSize::PRESETS {
            assert_eq!(LabelSize::parse(&p.to_string()), Ok(p));
        }
        assert_eq!(LabelSize::default(), LabelSize::DEFAULT);
    }

    fn item(tag: &str, barcode: Option<&str>, name: &str) -> Item {
        Item {
            id: Uuid::nil(),
            tag: tag.into(),
            barcode: barcode.map(Into::into),
            name: name.into(),
            category: None,
            weight: Weight::from_milligrams(5230).expect("weight"),
            purity: Purity::K18,
            wage: WageRate::Percent(Percent::from_u32(15).expect("percent")),
            stones: Rial::ZERO,
            status: ItemStatus::InStock,
            sold_by: None,
            version: 1,
            updated_at: DateTime::UNIX_EPOCH,
        }
    }

    const FA: Formatter = Formatter { lang: Lang::Fa, unit: DisplayUnit::Rial };
    const EN: Formatter = Formatter { lang: Lang::En, unit: DisplayUnit::Rial };

    #[test]
    fn persian_label() {
        let svg = label_svg(&item("R-1042", None, "انگشتر زنانه"), LabelSize::DEFAULT, FA).expect("label");
        assert!(svg.contains(r#"width="50mm" height="30mm" viewBox="0 0 50 30""#), "{svg}");
        assert!(svg.contains(r#"xml:lang="fa""#) && svg.contains(r#"direction="rtl""#), "{svg}");
        assert!(svg.contains(">انگشتر زنانه</text>"), "{svg}");
        assert!(svg.contains(">وزن: ۵٫۲۳۰ گرم</text>"), "{svg}");
        assert!(svg.contains(">عیار: ۷۵۰ (۱۸ عیار)</text>"), "{svg}");
        assert!(svg.contains(">اجرت: ۱۵٪</text>"), "{svg}");
        assert!(svg.contains(r#"direction="ltr" text-anchor="middle">R-1042</text>"#), "{svg}");
        assert!(!svg.contains(['\u{2068}', '\u{2069}']));
        let bars = svg.matches("<rect ").count() - 1;
        let code = Code128::encode("R-1042").expect("tag");
        assert_eq!(bars, code.widths().len().div_ceil(2));
    }

    #[test]
    fn english_label_and_the_tag_beside_a_barcode() {
        let svg = label_svg(&item("N-7", Some("4006381333"), "Ring"), LabelSize::DEFAULT, EN).expect("label");
        assert!(svg.contains(r#"xml:lang="en""#) && !svg.contains("rtl"), "{svg}");
        assert!(svg.contains(">Weight: 5.230 g</text>") && svg.contains(">Wage: 15%</text>"), "{svg}");
        assert!(svg.contains(">4006381333</text>") && svg.contains(">N-7</text>"), "{svg}");
    }

    #[test]
    fn module_width_is_the_widest_that_fits() {
        let module = |size: LabelSize, code: &str| {
            let svg = label_svg(&item(code, None, "x"), size, FA).expect("label");
            // The first bar of a start code is 2 modules wide.
            let first = svg.split("<rect ").nth(2).expect("a bar");
            let width = first.split("width=\"").nth(1).and_then(|w| w.split('"').next()).expect("width");
            width.parse::<Decimal>().expect("mm") / Decimal::TWO
        };
        // 10 digits: 90 modules and 20 of quiet zone; at 0.3175 mm, 34.9 mm.
        assert_eq!(module(LabelSize::DEFAULT, "4006381333"), mm(3175, 4));
        // R-1042: 101 + 20 modules; 24 mm of wing only holds 0.1905 mm.
        assert_eq!(module(LabelSize::new(64, 12).expect("size"), "R-1042"), mm(1905, 4));
    }

    #[test]
    fn a_label_too_narrow_is_refused() {
        let long = item("ABCDEFGHIJKLMNOPQRST", None, "x");
        let e = label_svg(&long, LabelSize::new(40, 25).expect("size"), FA).expect_err("too narrow");
        let LabelError::TooNarrow { code, needed_mm, width_mm } = e else { panic!("{e:?}") };
        assert_eq!(code, "ABCDEFGHIJKLMNOPQRST");
        assert_eq!(width_mm, Decimal::from(40));
        assert!(needed_mm > width_mm, "{needed_mm}");
        assert!(label_svg(&long, LabelSize::new(110, 30).expect("size"), FA).is_ok());
    }

    #[test]
    fn names_are_escaped() {
        let svg = label_svg(&item("R-1", None, "<b>طلا & \"نقره\"</b>\u{1}"), LabelSize::DEFAULT, FA).expect("label");
        assert!(svg.contains(">&lt;b&gt;طلا &amp; &quot;نقره&quot;&lt;/b&gt;</text>"), "{svg}");
        assert!(!svg.contains("<b>") && !svg.contains('\u{1}'));
    }

    #[test]
    fn long_lines_shrink_then_are_cut() {
        let (text, font) = fit("abcdefghij", Decimal::from(100), Decimal::TWO);
        assert_eq!((text.as_str(), font), ("abcdefghij", Decimal::TWO));
        let (text, font) = fit("abcdefghij", Decimal::from(10), Decimal::TWO);
        assert_eq!(text, "abcdefghij");
        assert!(font < Decimal::TWO && text_width(&text, font) <= Decimal::from(10));
        let long = "ب".repeat(200);
        let (text, font) = fit(&long, Decimal::from(10), Decimal::TWO);
        assert!(text.ends_with('…') && text_width(&text, font) <= Decimal::from(10), "{text}");
    }

    #[test]
    fn errors_have_codes_and_arguments() {
        let e = LabelError::TooNarrow { code: "X".into(), needed_mm: mm(231, 1), width_mm: Decimal::from(20) };
        assert_eq!(e.code(), "label_too_narrow");
        assert_eq!(e.args().len(), 3);
        let e = LabelError::Unencodable { code: "ا".into(), ch: 'ا' };
        assert!(e.args().contains(&("codepoint", Arg::Text("U+0627".into()))));
    }
}
