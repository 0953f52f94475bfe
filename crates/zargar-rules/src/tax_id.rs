//! The Moadian tax id of an invoice: 22 characters, the memory id (6), the
//! issue day counted from 1970-01-01 in UTC (5 hexadecimal), the serial (10
//! hexadecimal) and a Verhoeff check digit over the decimal form (the memory
//! id with each letter as its ASCII code, the day count to 6 digits, the
//! serial to 12). The tax organisation refuses an invoice whose id is not
//! exactly this, so the server builds it here and `zargar-server tax-id`
//! prints it for IT to check one by hand.

use std::fmt;

use chrono::{DateTime, Utc};

/// The largest serial the 10 hexadecimal characters hold.
pub const MAX_SERIAL: u64 = 0xFF_FFFF_FFFF;
/// The largest day count the 5 hexadecimal characters hold (year 4840).
const MAX_DAY: i64 = 0xF_FFFF;

/// The six characters the tax organisation gave the shop's invoices
/// ("شناسه یکتای حافظه مالیاتی"): upper-case ASCII letters and digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MemoryId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaxIdError {
    #[error("a memory id is six ASCII letters or digits")]
    MemoryId,
    #[error("a serial is from 1 to {MAX_SERIAL}")]
    Serial,
    #[error("the issue day is before 1970 or past what five hexadecimal digits hold")]
    Day,
    #[error("a tax id is 22 characters: memory id, day, serial and a valid check digit")]
    Malformed,
}

impl MemoryId {
    /// Upper-cased, as the tax organisation prints it.
    pub fn parse(s: &str) -> Result<MemoryId, TaxIdError> {
        let s = s.trim().to_ascii_uppercase();
        if s.len() == 6 && s.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(MemoryId(s))
        } else {
            Err(TaxIdError::MemoryId)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MemoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A whole tax id, check digit included.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TaxId(String);

impl TaxId {
    /// The id of invoice `serial` of `memory` issued at `issued_at`; the day
    /// is the UTC day (a Tehran sale after midnight and before 03:30 counts
    /// on the day before).
    pub fn new(memory: &MemoryId, issued_at: DateTime<Utc>, serial: u64) -> Result<TaxId, TaxIdError> {
        let day = issued_at.timestamp().div_euclid(86_400);
        TaxId::from_day(memory, day, serial)
    }

    pub fn from_day(memory: &MemoryId, day: i64, serial: u64) -> Result<TaxId, TaxIdError> {
        if !(1..=MAX_SERIAL).contains(&serial) {
            return Err(TaxIdError::Serial);
        }
        if !(0..=MAX_DAY).contains(&day) {
            return Err(TaxIdError::Day);
        }
        let check = verhoeff_check(&decimal_form(memory, day, serial));
        Ok(TaxId(format!("{memory}{day:05X}{serial:010X}{check}")))
    }

    /// Reads a tax id back, checking its digit; upper or lower case.
    pub fn parse(s: &str) -> Result<TaxId, TaxIdError> {
        let s = s.trim();
        if s.len() != 22 || !s.is_ascii() {
            return Err(TaxIdError::Malformed);
        }
        let memory = MemoryId::parse(&s[..6]).map_err(|_| TaxIdError::Malformed)?;
        let day = i64::from_str_radix(&s[6..11], 16).map_err(|_| TaxIdError::Malformed)?;
        let serial = u64::from_str_radix(&s[11..21], 16).map_err(|_| TaxIdError::Malformed)?;
        let id = TaxId::from_day(&memory, day, serial).map_err(|_| TaxIdError::Malformed)?;
        if id.0.eq_ignore_ascii_case(s) { Ok(id) } else { Err(TaxIdError::Malformed) }
    }

    pub fn memory_id(&self) -> &str {
        &self.0[..6]
    }

    /// Days since 1970-01-01 (UTC).
    pub fn day(&self) -> i64 {
        i64::from_str_radix(&self.0[6..11], 16).unwrap_or_default()
    }

    pub fn serial(&self) -> u64 {
        u64::from_str_radix(&self.0[11..21], 16).unwrap_or_default()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TaxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The serial as the invoice's `inno` carries it: 10 hexadecimal characters.
pub fn serial_hex(serial: u64) -> String {
    format!("{serial:010X}")
}

/// What the check digit is computed over.
fn decimal_form(memory: &MemoryId, day: i64, serial: u64) -> String {
    let mut out = String::with_capacity(40);
    for c in memory.as_str().chars() {
        if c.is_ascii_digit() {
            out.push(c);
        } else {
            out.push_str(&u32::from(c).to_string());
        }
    }
    out.push_str(&format!("{day:06}{serial:012}"));
    out
}

// The Verhoeff scheme's three tables: the dihedral group D5's
// multiplication, the position permutation, and the inverse.
const D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV: [u8; 10] = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/// The Verhoeff check digit of a string of decimal digits.
pub fn verhoeff_check(digits: &str) -> u8 {
    // As if a check digit followed: every position moves up by one.
    INV[usize::from(verhoeff_fold(digits, 1))]
}

/// Whether a string of decimal digits ends in its own Verhoeff check digit.
pub fn verhoeff_valid(digits: &str) -> bool {
    verhoeff_fold(digits, 0) == 0
}

/// The scheme's running product over the digits, last first, each at its
/// position plus `shift`.
fn verhoeff_fold(digits: &str, shift: usize) -> u8 {
    digits
        .bytes()
        .rev()
        .map(|b| b - b'0')
        .enumerate()
        .fold(0u8, |c, (i, d)| D[usize::from(c)][usize::from(P[(i + shift) % 8][usize::from(d)])])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_textbook_verhoeff_examples() {
        // Verhoeff's own worked example, and a well-known one.
        assert_eq!(verhoeff_check("236"), 3);
        assert!(verhoeff_valid("2363"));
        assert_eq!(verhoeff_check("12345"), 1);
        assert!(!verhoeff_valid("2364"));
    }

    /// The worked examples of the public SDKs' test suites and of the tax
    /// organisation's own specification (RC_TICS), and one the sandbox took.
    #[test]
    fn the_published_examples() {
        let day = |y, m, d| {
            chrono::NaiveDate::from_ymd_opt(y, m, d)
                .expect("day")
                .signed_duration_since(chrono::NaiveDate::default())
                .num_days()
        };
        let id = |m: &str, day: i64, serial: u64| {
            TaxId::from_day(&MemoryId::parse(m).expect("memory id"), day, serial).expect("id").to_string()
        };
        assert_eq!(id("DEF5GH", day(2020, 7, 20), 12), "DEF5GH0481F000000000C2");
        assert_eq!(id("DEF5GH", day(2020, 7, 20), 8173), "DEF5GH0481F0000001FED8");
        assert_eq!(id("DEF5GH", day(2020, 7, 20), 2_572_613_409), "DEF5GH0481F009956F7211");
        assert_eq!(id("A11216", day(2023, 5, 13), 49_321_217), "A1121604C220002F095011");
        assert_eq!(id("A111DW", 20_099, 4_409_600), "A111DW04E8300004349008");
        assert_eq!(id("A111H1", 20_134, 487_273_132), "A111H104EA6001D0B32AC6");
        // RC_TICS's own invoice: indatim 1683997837988 is 2023-05-13T17:10:37Z.
        let at = DateTime::from_timestamp_millis(1_683_997_837_988).expect("time");
        assert_eq!(
            TaxId::new(&MemoryId::parse("A11216").expect("m"), at, 49_321_217).expect("id").as_str(),
            "A1121604C220002F095011"
        );
        for accepted in ["A2HP31050B0006A607FE39", "A41XRD050B1006A5E4C549", "A2HP31050B5006AF9168F4"] {
            assert_eq!(TaxId::parse(accepted).expect(accepted).as_str(), accepted);
        }
    }

    #[test]
    fn a_tehran_sale_after_midnight_counts_on_the_utc_day_before() {
        let m = MemoryId::parse("a11216").expect("memory id");
        // 2024-03-20 00:30 in Tehran is 2024-03-19 21:00 UTC.
        let at = DateTime::parse_from_rfc3339("2024-03-20T00:30:00+03:30").expect("time").to_utc();
        let id = TaxId::new(&m, at, 1).expect("id");
        let before = DateTime::parse_from_rfc3339("2024-03-19T12:00:00Z").expect("time").to_utc();
        assert_eq!(id.day(), TaxId::new(&m, before, 1).expect("id").day());
        assert_eq!(id.as_str().len(), 22);
        assert!(id.as_str().starts_with("A11216"));
    }

    #[test]
    fn bad_parts_are_refused() {
        assert_eq!(MemoryId::parse("A1121"), Err(TaxIdError::MemoryId));
        assert_eq!(MemoryId::parse("A1121Ö"), Err(TaxIdError::MemoryId));
        let m = MemoryId::parse("A11216").expect("memory id");
        assert_eq!(TaxId::from_day(&m, 19_000, 0), Err(TaxIdError::Serial));
        assert_eq!(TaxId::from_day(&m, 19_000, MAX_SERIAL + 1), Err(TaxIdError::Serial));
        assert_eq!(TaxId::from_day(&m, -1, 1), Err(TaxIdError::Day));
        assert!(TaxId::parse("A1121604A2E000000000").is_err());
    }

    fn memory_ids() -> impl Strategy<Value = MemoryId> {
        "[A-Z0-9]{6}".prop_map(|s| MemoryId::parse(&s).expect("generated"))
    }

    proptest! {
        /// Every id validates as Verhoeff over its decimal form, reads back
        /// to its parts, and a single changed character is caught.
        #[test]
        fn every_id_checks_and_reads_back(m in memory_ids(), day in 0i64..=MAX_DAY, serial in 1u64..=MAX_SERIAL) {
            let id = TaxId::from_day(&m, day, serial).expect("id");
            let digit = id.as_str().as_bytes()[21] - b'0';
            let mut form = decimal_form(&m, day, serial);
            form.push(char::from(b'0' + digit));
            prop_assert!(verhoeff_valid(&form));
            let back = TaxId::parse(id.as_str()).expect("parses");
            prop_assert_eq!((back.memory_id(), back.day(), back.serial()), (m.as_str(), day, serial));
            // A changed check digit never validates.
            let mut wrong = id.as_str().to_owned();
            let other = char::from(b'0' + (digit + 1) % 10);
            wrong.replace_range(21..22, &other.to_string());
            prop_assert!(TaxId::parse(&wrong).is_err());
        }

        /// Consecutive serials give consecutive ids on one day.
        #[test]
        fn serials_follow_one_another(m in memory_ids(), day in 0i64..=MAX_DAY, serial in 1u64..MAX_SERIAL) {
            let a = TaxId::from_day(&m, day, serial).expect("a");
            let b = TaxId::from_day(&m, day, serial + 1).expect("b");
            prop_assert_eq!(b.serial(), a.serial() + 1);
            prop_assert_eq!(&a.as_str()[..11], &b.as_str()[..11]);
        }
    }
}
