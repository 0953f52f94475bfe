//! Dates: the Tehran day of an instant, the Solar Hijri (Jalali) calendar,
//! and dates as a reader in either language expects them.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;
use icu_calendar::Date;
use icu_calendar::cal::Persian;
use icu_calendar::types::RataDie;
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::YMD;

use crate::i18n::Lang;

use super::{PerLang, fold_digits, icu_locale, strip_bidi_controls, to_persian_digits};

// Per thread, as the decimal formatters (see there).
thread_local! {
    static LONG_DATE_FORMATTERS: PerLang<FixedCalendarDateTimeFormatter<Persian, YMD>> =
        const { PerLang::new() };
}
/// The instant `t` as wall-clock time in Asia/Tehran. chrono-tz carries the
/// tz database, so the summer time Iran used until 2022 is right too.
pub fn tehran_offset_datetime(t: DateTime<Utc>) -> DateTime<Tz> {
    t.with_timezone(&chrono_tz::Asia::Tehran)
}

/// The calendar day of the instant `t` in Tehran.
pub fn tehran_date(t: DateTime<Utc>) -> NaiveDate {
    tehran_offset_datetime(t).date_naive()
}

/// A Solar Hijri (Jalali) date. Fields order chronologically, so the derived
/// `Ord` is the calendar order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JalaliDate {
    pub year: i32,
    /// 1 (Farvardin) to 12 (Esfand).
    pub month: u8,
    pub day: u8,
}

impl JalaliDate {
    /// The Gregorian date, or `None` if this is not a real Jalali date.
    pub fn to_gregorian(self) -> Option<NaiveDate> {
        from_jalali(self.year, self.month, self.day)
    }
}

/// `1404/01/01`, ASCII digits, zero-padded.
impl fmt::Display for JalaliDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}/{:02}/{:02}", self.year, self.month, self.day)
    }
}

fn persian_date(date: NaiveDate) -> Date<Persian> {
    // chrono's day count from 0001-01-01 = 1 is exactly ICU's Rata Die, and
    // ICU's RD range (±999999 years) covers all of chrono's, so this is total
    // (the ISO constructor would fail outside ±9999 years).
    let rd = RataDie::new(i64::from(date.num_days_from_ce()));
    Date::from_rata_die(rd, Persian)
}

/// The Jalali date of a Gregorian date (ICU4X's Persian calendar).
pub fn to_jalali(date: NaiveDate) -> JalaliDate {
    let persian = persian_date(date);
    JalaliDate { year: persian.year().extended_year(), month: persian.month().ordinal, day: persian.day_of_month().0 }
}

/// The Gregorian date of a Jalali date; `None` if there is no such date
/// (month 13, Esfand 30 in a common year, day 0, ...).
pub fn from_jalali(year: i32, month: u8, day: u8) -> Option<NaiveDate> {
    let persian = Date::try_new_persian(year, month, day).ok()?;
    let days = i32::try_from(persian.to_rata_die().to_i64_date()).ok()?;
    NaiveDate::from_num_days_from_ce_opt(days)
}

/// The same day of the Jalali month `months` later (the month's last day
/// when it is shorter): an installment's next due date.
pub fn add_jalali_months(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    let j = to_jalali(date);
    let index = i64::from(j.year) * 12 + i64::from(j.month) - 1 + i64::from(months);
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    let month = u8::try_from(index.rem_euclid(12) + 1).ok()?;
    (1..=j.day).rev().find_map(|day| from_jalali(year, month, day))
}

/// Parses a date typed as `1403/01/01`, `1403-01-01` (a year below 1700 is
/// Jalali) or `2024-03-20` (Gregorian), in any digit set. The year has four
/// digits, month and day one or two; the separator is `/` or `-`, the same
/// both times.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let folded = fold_digits(&strip_bidi_controls(s));
    let s = folded.trim();
    let sep = if s.contains('/') { '/' } else { '-' };
    let mut parts = s.split(sep);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let digits = |p: &str, lens: std::ops::RangeInclusive<usize>| {
        lens.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(y, 4..=4) || !digits(m, 1..=2) || !digits(d, 1..=2) {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    let month: u8 = m.parse().ok()?;
    let day: u8 = d.parse().ok()?;
    if year < 1700 { from_jalali(year, month, day) } else { NaiveDate::from_ymd_opt(year, month.into(), day.into()) }
}

/// Jalali `1404/01/01`, zero-padded, Persian digits for fa. Built from the
/// date's fields because ICU's short pattern is not zero-padded (۱۴۰۴/۱/۱).
pub fn format_day_short(date: NaiveDate, lang: Lang) -> String {
    let ascii = to_jalali(date).to_string();
    match lang {
        Lang::Fa => to_persian_digits(&ascii),
        Lang::En => ascii,
    }
}

/// Jalali long form by ICU4X: "۱ فروردین ۱۴۰۴" (fa), "Farvardin 1, 1404 AP"
/// (en).
pub fn format_day_long(date: NaiveDate, lang: Lang) -> String {
    let persian = persian_date(date);
    let formatted = LONG_DATE_FORMATTERS.with(|cache| {
        cache
            .get_or_init(lang, |lang| {
                FixedCalendarDateTimeFormatter::try_new(icu_locale(lang).into(), YMD::long())
                    .expect("compiled ICU data covers fa and en")
            })
            .format(&persian)
            .to_string()
    });
    // Plain text for receipts and exports, as in format_decimal.
    strip_bidi_controls(&formatted)
}

/// The invoice date of instant `t`: Jalali, in Tehran, `۱۴۰۴/۰۱/۰۱` (fa) or
/// `1404/01/01` (en).
pub fn format_date_short(t: DateTime<Utc>, lang: Lang) -> String {
    format_day_short(tehran_date(t), lang)
}

/// The long Jalali date of instant `t` in Tehran: "۱ فروردین ۱۴۰۴" (fa),
/// "Farvardin 1, 1404 AP" (en).
pub fn format_date_long(t: DateTime<Utc>, lang: Lang) -> String {
    format_day_long(tehran_date(t), lang)
}

/// `HH:MM`, 24-hour, Tehran time; Persian digits for fa.
pub fn format_time(t: DateTime<Utc>, lang: Lang) -> String {
    let ascii = tehran_offset_datetime(t).format("%H:%M").to_string();
    match lang {
        Lang::Fa => to_persian_digits(&ascii),
        Lang::En => ascii,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jalali_month_later_keeps_the_day_or_takes_the_months_last() {
        let d = from_jalali(1405, 6, 31).expect("Shahrivar 31");
        assert_eq!(add_jalali_months(d, 1).map(to_jalali).map(|j| j.to_string()).as_deref(), Some("1405/07/30"));
        let d = from_jalali(1405, 11, 10).expect("Bahman 10");
        assert_eq!(add_jalali_months(d, 3).map(to_jalali).map(|j| j.to_string()).as_deref(), Some("1406/02/10"));
    }
}
