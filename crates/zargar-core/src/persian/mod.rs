//! Persian (fa-IR) text, number and date handling.
//!
//! Input accepts Persian, Arabic-Indic and ASCII digits alike (a barcode
//! scanner types ASCII even with the Persian layout active); output uses
//! Persian digits for [`Lang::Fa`]. Dates are Solar Hijri (Jalali), computed
//! in Asia/Tehran from UTC instants. See `design/persian.md`.

use std::cell::OnceCell;

use icu_decimal::DecimalFormatter;
use icu_locale::{Locale, locale};
use rust_decimal::Decimal;

use crate::i18n::Lang;

mod calendar;

pub use calendar::*;

const PERSIAN_ZERO: u32 = 0x06F0;
const ARABIC_INDIC_ZERO: u32 = 0x0660;
const ARABIC_DECIMAL_SEPARATOR: char = '\u{066B}';
const ARABIC_THOUSANDS_SEPARATOR: char = '\u{066C}';
const MINUS_SIGN: char = '\u{2212}';
const ZWNJ: char = '\u{200C}';
const TATWEEL: char = '\u{0640}';

/// ASCII value of a Persian, Arabic-Indic or ASCII digit.
fn digit_value(c: char) -> Option<u32> {
    let cp = u32::from(c);
    match c {
        '0'..='9' => c.to_digit(10),
        '\u{06F0}'..='\u{06F9}' => Some(cp - PERSIAN_ZERO),
        '\u{0660}'..='\u{0669}' => Some(cp - ARABIC_INDIC_ZERO),
        _ => None,
    }
}

fn ascii_digit(value: u32) -> char {
    char::from_digit(value, 10).expect("digit_value only yields 0..=9")
}

/// Persian and Arabic-Indic digits to ASCII, `٫` to `.`, and `٬` removed.
/// Everything else is left as it is.
pub fn fold_digits(s: &str) -> String {
    s.chars()
        .filter(|&c| c != ARABIC_THOUSANDS_SEPARATOR)
        .map(|c| match c {
            ARABIC_DECIMAL_SEPARATOR => '.',
            _ => digit_value(c).map_or(c, ascii_digit),
        })
        .collect()
}

/// ASCII digits to Persian digits (U+06F0–U+06F9); nothing else changes.
pub fn to_persian_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(v) if c.is_ascii_digit() => char::from_u32(PERSIAN_ZERO + v).expect("U+06F0..=U+06F9 are chars"),
            _ => c,
        })
        .collect()
}

/// Arabic letter forms to the Persian ones: ي/ى → ی and ك → ک.
///
/// Arabic keyboards and old data use them; without this "علي" and "علی"
/// would be different names.
pub fn normalize_letters(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{064A}' | '\u{0649}' => '\u{06CC}',
            '\u{0643}' => '\u{06A9}',
            _ => c,
        })
        .collect()
}

/// Key for indexing and searching names and tags: letters normalized,
/// digits folded to ASCII, ZWNJ and tatweel removed, lowercased, and
/// whitespace collapsed to single spaces (trimmed).
///
/// Compare keys with keys: `search_key("انگشتر ٢") == search_key("انگشتر ۲")`.
pub fn search_key(s: &str) -> String {
    let folded = fold_digits(&normalize_letters(s));
    let stripped: String = folded.chars().filter(|&c| c != ZWNJ && c != TATWEEL).collect();
    stripped.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `c` is a bidi control: the marks (LRM, RLM, ALM), the embeddings
/// and overrides (U+202A–U+202E) and the isolates (U+2066–U+2069).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Removes bidi control characters (see [`is_bidi_control`]).
pub fn strip_bidi_controls(s: &str) -> String {
    s.chars().filter(|&c| !is_bidi_control(c)).collect()
}

/// Parses a number typed by a person or a scanner.
///
/// Accepts any digit set, `.` or `٫` as the decimal point, `,` or `٬` as
/// thousands separators, and an optional leading `-` (or `−`, which
/// [`format_decimal`] emits). Invisible bidi marks (pasted text often has
/// them) and surrounding whitespace are ignored. Separators must sit between
/// groups of three digits in the integer part: "1,5" is rejected rather than
/// read as 15, since it is more likely a mistyped 1.5. There must be digits
/// before the point, and after it if it is there. Anything else (exponents,
/// inner spaces, a second point, a `+`) gives `None`, as does a value
/// `Decimal` can't hold exactly.
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    let cleaned = strip_bidi_controls(s);
    let trimmed = cleaned.trim();
    let (negative, body) = match trimmed.strip_prefix(['-', MINUS_SIGN]) {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };

    let mut canon = String::with_capacity(body.len());
    for c in body.chars() {
        canon.push(match c {
            '.' | ARABIC_DECIMAL_SEPARATOR => '.',
            ',' | ARABIC_THOUSANDS_SEPARATOR => ',',
            _ => ascii_digit(digit_value(c)?),
        });
    }

    let (int_part, frac_part) = match canon.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (canon.as_str(), None),
    };
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());

    let mut groups = int_part.split(',');
    let first = groups.next().unwrap_or_default();
    let grouped = int_part.contains(',');
    if !all_digits(first) || (grouped && first.len() > 3) {
        return None;
    }
    if !groups.all(|g| g.len() == 3 && all_digits(g)) {
        return None;
    }

    let mut plain = String::with_capacity(canon.len() + 1);
    if negative {
        plain.push('-');
    }
    plain.extend(int_part.chars().filter(|&c| c != ','));
    if let Some(frac) = frac_part {
        if !all_digits(frac) {
            return None;
        }
        plain.push('.');
        plain.push_str(frac);
    }
    Decimal::from_str_exact(&plain).ok()
}

/// One lazily built value per language, for per-thread formatter caches.
pub(super) struct PerLang<T> {
    fa: OnceCell<T>,
    en: OnceCell<T>,
}

impl<T> PerLang<T> {
    pub(super) const fn new() -> Self {
        Self { fa: OnceCell::new(), en: OnceCell::new() }
    }

    pub(super) fn get_or_init(&self, lang: Lang, init: impl FnOnce(Lang) -> T) -> &T {
        let cell = match lang {
            Lang::Fa => &self.fa,
            Lang::En => &self.en,
        };
        cell.get_or_init(|| init(lang))
    }
}

// ICU4X formatters are neither Send nor Sync unless `icu_provider/sync` is
// enabled (their data may sit behind an `Rc`), so each thread keeps its own,
// built on first use. They are called once per invoice line; building one
// per call would be wasteful.
thread_local! {
    static DECIMAL_FORMATTERS: PerLang<DecimalFormatter> = const { PerLang::new() };
}

pub(super) fn icu_locale(lang: Lang) -> Locale {
    match lang {
        Lang::Fa => locale!("fa"),
        // The Persian calendar comes from the formatter's type; the keyword
        // documents the intent.
        Lang::En => locale!("en-u-ca-persian"),
    }
}

/// Formats `d` with the locale's digits and separators, keeping its scale:
/// 5.230 gives "۵٫۲۳۰" (fa) or "5.230" (en); 418400000 gives "۴۱۸٬۴۰۰٬۰۰۰"
/// or "418,400,000". Negative numbers start with `−` (U+2212) in fa and `-`
/// in en, as ICU's data says.
pub fn format_decimal(d: Decimal, lang: Lang) -> String {
    // Through the string form, so trailing zeros (the scale) survive.
    let plain = d.to_string();
    let Ok(fixed) = plain.parse::<icu_decimal::input::Decimal>() else {
        // rust_decimal prints plain digits, so this is not expected; still,
        // a receipt line is better than a panic.
        return match lang {
            Lang::Fa => to_persian_digits(&plain),
            Lang::En => plain,
        };
    };
    let formatted = DECIMAL_FORMATTERS.with(|cache| {
        cache
            .get_or_init(lang, |lang| {
                DecimalFormatter::try_new(icu_locale(lang).into(), Default::default())
                    .expect("compiled ICU data covers fa and en")
            })
            .format(&fixed)
            .to_string()
    });
    // ICU puts an LRM before the sign of a negative fa number so it shows on
    // the left inside RTL text. Receipts, CSV and comparisons need plain text;
    // the UI isolates numbers itself (<bdi>).
    strip_bidi_controls(&formatted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono::{DateTime, NaiveDate, Utc};
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).expect("test literal is a decimal")
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test literal is a date")
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().expect("test literal is an instant")
    }

    fn jalali(year: i32, month: u8, day: u8) -> JalaliDate {
        JalaliDate { year, month, day }
    }

    #[test]
    fn folds_all_three_digit_sets() {
        assert_eq!(fold_digits("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
        assert_eq!(fold_digits("٠١٢٣٤٥٦٧٨٩"), "0123456789");
        assert_eq!(fold_digits("0123456789"), "0123456789");
        assert_eq!(fold_digits("۱٬۲۳۴٫۵"), "1234.5");
        assert_eq!(fold_digits("کد A-۱۲ ٣"), "کد A-12 3");
    }

    #[test]
    fn persian_digits_only_touch_ascii_digits() {
        assert_eq!(to_persian_digits("1404/01/01"), "۱۴۰۴/۰۱/۰۱");
        assert_eq!(to_persian_digits("A-12.5 ٣"), "A-۱۲.۵ ٣");
    }

    #[test]
    fn normalizes_arabic_letters() {
        assert_eq!(normalize_letters("علي كريمى"), "علی کریمی");
    }

    #[test]
    fn search_keys_match_across_spellings() {
        let key = search_key("انگشتر 2");
        assert_eq!(search_key("انگشتر ٢"), key);
        assert_eq!(search_key("انگشتر ۲"), key);
        assert_eq!(search_key("  انگشتر \t ۲ "), key);
        assert_eq!(search_key("ي"), search_key("ی"));
        assert_eq!(search_key("كيف"), search_key("کیف"));
        assert_eq!(search_key("گوشواره\u{200C}ها"), search_key("گوشوارهها"));
        assert_eq!(search_key("طـــلا"), search_key("طلا"));
        assert_eq!(search_key("Ring GOLD"), "ring gold");
    }

    #[test]
    fn parse_decimal_accepts_every_digit_set_and_separator() {
        assert_eq!(parse_decimal("۵٫۲۳۰"), Some(dec("5.230")));
        assert_eq!(parse_decimal("5.230"), Some(dec("5.230")));
        assert_eq!(parse_decimal("٥٫٢٣٠"), Some(dec("5.230")));
        assert_eq!(parse_decimal("1,234,567"), Some(dec("1234567")));
        assert_eq!(parse_decimal("۱٬۲۳۴"), Some(dec("1234")));
        assert_eq!(parse_decimal(" -12.5 "), Some(dec("-12.5")));
        assert_eq!(parse_decimal("0"), Some(Decimal::ZERO));
        // Scale is kept: a weight typed with three decimals stays so.
        assert_eq!(parse_decimal("۵٫۲۳۰").map(|d| d.scale()), Some(3));
    }

    #[test]
    fn parse_decimal_rejects_malformed_input() {
        for bad in [
            "",
            " ",
            "-",
            "1e5",
            "5.2.3",
            "abc",
            "1 000",
            "+5",
            "1,5",
            "12,34",
            "1234,567",
            ",123",
            "1,",
            "5.",
            ".5",
            "5.1,2",
            "--5",
            "5-",
            "1,234.5,6",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad:?} should be rejected");
        }
        // Too many digits for Decimal: rejected, not rounded.
        assert_eq!(parse_decimal("1.00000000000000000000000000001"), None);
    }

    #[test]
    fn format_decimal_uses_locale_digits_and_keeps_scale() {
        assert_eq!(format_decimal(dec("418400000"), Lang::Fa), "۴۱۸٬۴۰۰٬۰۰۰");
        assert_eq!(format_decimal(dec("418400000"), Lang::En), "418,400,000");
        assert_eq!(format_decimal(dec("5.230"), Lang::Fa), "۵٫۲۳۰");
        assert_eq!(format_decimal(dec("5.230"), Lang::En), "5.230");
        assert_eq!(format_decimal(Decimal::ZERO, Lang::Fa), "۰");
    }

    #[test]
    fn format_decimal_negative_has_no_bidi_marks() {
        // ICU emits U+200E before U+2212 here; the mark is stripped.
        assert_eq!(format_decimal(dec("-1234.50"), Lang::Fa), "\u{2212}۱٬۲۳۴٫۵۰");
        assert_eq!(format_decimal(dec("-1234.50"), Lang::En), "-1,234.50");
        assert_eq!(format_decimal(dec("-0.001"), Lang::Fa), "\u{2212}۰٫۰۰۱");
    }

    #[test]
    fn format_then_parse_round_trips() {
        for s in ["0", "5.230", "-1234.50", "418400000", "-0.001", "79228162514264337593543950335"] {
            for lang in [Lang::Fa, Lang::En] {
                let d = dec(s);
                let shown = format_decimal(d, lang);
                let back = parse_decimal(&shown);
                assert_eq!(back, Some(d), "{s} via {shown:?}");
                assert_eq!(back.map(|b| b.scale()), Some(d.scale()), "{s} via {shown:?}");
            }
        }
    }

    #[test]
    fn formatters_work_from_other_threads() {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                std::thread::spawn(|| {
                    (format_decimal(dec("5.230"), Lang::Fa), format_date_long(utc(2025, 3, 21, 12, 0), Lang::Fa))
                })
            })
            .collect();
        for h in handles {
            let (n, d) = h.join().expect("formatting thread panicked");
            assert_eq!(n, "۵٫۲۳۰");
            assert_eq!(d, "۱ فروردین ۱۴۰۴");
        }
    }

    #[test]
    fn jalali_known_dates() {
        assert_eq!(to_jalali(ymd(2025, 3, 21)), jalali(1404, 1, 1));
        assert_eq!(to_jalali(ymd(2024, 3, 20)), jalali(1403, 1, 1));
        assert_eq!(to_jalali(ymd(2024, 3, 19)), jalali(1402, 12, 29));
        // 1403 is a leap year: Esfand has 30 days.
        assert_eq!(to_jalali(ymd(2025, 3, 20)), jalali(1403, 12, 30));
        assert_eq!(to_jalali(ymd(1979, 2, 11)), jalali(1357, 11, 22));
        assert_eq!(from_jalali(1404, 1, 1), Some(ymd(2025, 3, 21)));
        assert_eq!(from_jalali(1403, 12, 30), Some(ymd(2025, 3, 20)));
        assert_eq!(jalali(1404, 1, 1).to_string(), "1404/01/01");
    }

    #[test]
    fn from_jalali_rejects_impossible_dates() {
        assert_eq!(from_jalali(1403, 13, 1), None);
        assert_eq!(from_jalali(1403, 0, 1), None);
        assert_eq!(from_jalali(1403, 1, 0), None);
        assert_eq!(from_jalali(1403, 1, 32), None);
        assert_eq!(from_jalali(1403, 7, 31), None); // Mehr has 30 days
        assert_eq!(from_jalali(1403, 12, 31), None);
        assert_eq!(from_jalali(1404, 12, 30), None); // 1404 is not leap
        assert_eq!(from_jalali(1404, 12, 29), Some(ymd(2026, 3, 20)));
        assert_eq!(from_jalali(i32::MAX, 1, 1), None);
    }

    #[test]
    fn jalali_round_trips_every_day_2020_to_2030() {
        let mut day = ymd(2020, 1, 1);
        let end = ymd(2030, 12, 31);
        let mut previous = to_jalali(day.pred_opt().expect("2019-12-31 exists"));
        while day <= end {
            let j = to_jalali(day);
            assert_eq!(j.to_gregorian(), Some(day), "{day} -> {j}");
            assert!(j > previous, "{day}: {j} after {previous}");
            previous = j;
            day = day.succ_opt().expect("2030 is far from chrono's limit");
        }
    }

    #[test]
    fn to_jalali_is_total_over_chrono_range() {
        for d in [NaiveDate::MIN, NaiveDate::MAX] {
            let j = to_jalali(d);
            assert!((1..=12).contains(&j.month) && (1..=31).contains(&j.day), "{d}: {j:?}");
        }
    }

    #[test]
    fn parse_date_accepts_jalali_and_gregorian_in_any_digits() {
        let nowruz = Some(ymd(2024, 3, 20));
        assert_eq!(parse_date("1403/01/01"), nowruz);
        assert_eq!(parse_date("1403-01-01"), nowruz);
        assert_eq!(parse_date("۱۴۰۳/۰۱/۰۱"), nowruz);
        assert_eq!(parse_date("١٤٠٣/١/١"), nowruz);
        assert_eq!(parse_date(" 2024-03-20 "), nowruz);
        assert_eq!(parse_date("۲۰۲۴-۰۳-۲۰"), nowruz);
        // ICU's unpadded short form and pasted text with bidi marks.
        assert_eq!(parse_date("\u{200F}۱۴۰۳/۱/۱"), nowruz);
    }

    #[test]
    fn parse_date_rejects_malformed_input() {
        for bad in [
            "",
            "1403/13/01",
            "1403/01",
            "1403/01/01/01",
            "1403/01-01",
            "03/01/01",
            "14030/1/1",
            "1403/001/1",
            "2023-02-29",
            "1403 01 01",
            "abc",
            "1403/1/1x",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?} should be rejected");
        }
    }

    #[test]
    fn tehran_time_is_utc_plus_0330_now_and_had_dst_before() {
        let t = utc(2025, 3, 20, 21, 0);
        let local = tehran_offset_datetime(t);
        assert_eq!(local.format("%Y-%m-%d %H:%M %:z").to_string(), "2025-03-21 00:30 +03:30");
        // Iran kept summer time until 2022.
        let summer = tehran_offset_datetime(utc(2020, 6, 1, 12, 0));
        assert_eq!(summer.format("%H:%M %:z").to_string(), "16:30 +04:30");
    }

    #[test]
    fn nowruz_starts_at_tehran_midnight() {
        let t = utc(2025, 3, 20, 21, 0);
        assert_eq!(to_jalali(tehran_date(t)), jalali(1404, 1, 1));
        assert_eq!(format_date_short(t, Lang::Fa), "۱۴۰۴/۰۱/۰۱");
        assert_eq!(format_date_short(t, Lang::En), "1404/01/01");
        // Half an hour earlier it is still the last day of 1403 in Tehran.
        let before = utc(2025, 3, 20, 20, 29);
        assert_eq!(format_date_short(before, Lang::En), "1403/12/30");
    }

    #[test]
    fn long_dates_match_icu_exactly() {
        let t = utc(2025, 3, 21, 8, 0);
        assert_eq!(format_date_long(t, Lang::Fa), "۱ فروردین ۱۴۰۴");
        assert_eq!(format_date_long(t, Lang::En), "Farvardin 1, 1404 AP");
        let autumn = utc(2024, 10, 22, 8, 0);
        assert_eq!(format_date_long(autumn, Lang::Fa), "۱ آبان ۱۴۰۳");
        assert_eq!(format_date_long(autumn, Lang::En), "Aban 1, 1403 AP");
        assert_eq!(format_day_long(ymd(2025, 3, 20), Lang::Fa), "۳۰ اسفند ۱۴۰۳");
    }

    #[test]
    fn times_are_tehran_24h() {
        let t = utc(2025, 3, 20, 21, 5);
        assert_eq!(format_time(t, Lang::Fa), "۰۰:۳۵");
        assert_eq!(format_time(t, Lang::En), "00:35");
        assert_eq!(format_time(utc(2025, 7, 1, 10, 0), Lang::En), "13:30");
    }

    #[test]
    fn long_date_and_decimal_have_no_bidi_controls() {
        let outputs = [
            format_date_long(utc(2025, 3, 21, 8, 0), Lang::Fa),
            format_decimal(dec("-5.230"), Lang::Fa),
            format_time(utc(2025, 3, 21, 8, 0), Lang::Fa),
        ];
        for s in outputs {
            assert!(!s.chars().any(is_bidi_control), "{s:?}");
        }
    }
}
