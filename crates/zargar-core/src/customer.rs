//! Customers: a walk-in buyer, or a registered one with a validated mobile
//! number and national id (کد ملی).

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Field, ValidationError};
use crate::persian;

/// An Iranian mobile number, `09xxxxxxxxx`. Accepts +98 / 0098 / 98 forms and
/// any digit set, and stores the national form.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Mobile(String);

impl Mobile {
    pub fn parse(s: &str) -> Result<Mobile, ValidationError> {
        let digits: String = persian::fold_digits(s).chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')')).collect();
        let national = if let Some(rest) = digits.strip_prefix("+98").or_else(|| digits.strip_prefix("0098")) {
            format!("0{rest}")
        } else if digits.len() == 12 && digits.starts_with("989") {
            format!("0{}", &digits[2..])
        } else {
            digits
        };
        let ok = national.len() == 11 && national.starts_with("09") && national.chars().all(|c| c.is_ascii_digit());
        if ok { Ok(Mobile(national)) } else { Err(ValidationError::new(Field::Mobile, s)) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Mobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A ten-digit national id whose last digit checks the other nine.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NationalId(String);

impl NationalId {
    pub fn parse(s: &str) -> Result<NationalId, ValidationError> {
        let digits: String = persian::fold_digits(s).chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if national_id_checks(&digits) {
            Ok(NationalId(digits))
        } else {
            Err(ValidationError::new(Field::NationalId, s))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NationalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The check: s = Σ dᵢ·(10−i) over the first nine digits, r = s mod 11; the
/// tenth digit is r when r < 2, else 11 − r. Ten equal digits pass the
/// arithmetic but are never issued.
fn national_id_checks(d: &str) -> bool {
    let digits: Vec<u32> = d.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 10 || d.len() != 10 || digits.iter().all(|x| *x == digits[0]) {
        return false;
    }
    let s: u32 = digits[..9].iter().enumerate().map(|(i, x)| x * (10 - i as u32)).sum();
    let r = s % 11;
    let check = digits[9];
    if r < 2 { check == r } else { check == 11 - r }
}

/// A registered customer.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: Uuid,
    pub name: String,
    pub mobile: Option<Mobile>,
    pub national_id: Option<NationalId>,
    pub created_at: DateTime<Utc>,
    /// A business buyer's economic code, and the postal code: the buyer's
    /// block of an official invoice, with the national id.
    #[serde(default)]
    pub economic_code: Option<String>,
    #[serde(default)]
    pub postal_code: Option<String>,
    /// How far the Rial balance of the account may go below zero; zero: no
    /// debt. Set by a manager or the owner.
    #[serde(default)]
    pub credit_limit: zargar_rules::money::Rial,
}

impl Customer {
    /// As a `customer.upsert` op carries it.
    pub fn to_wire(&self) -> zargar_wire::CustomerPayload {
        zargar_wire::CustomerPayload {
            customer_id: self.id,
            name: self.name.clone(),
            mobile: self.mobile.as_ref().map(|m| m.as_str().to_owned()),
            national_id: self.national_id.as_ref().map(|n| n.as_str().to_owned()),
            economic_code: self.economic_code.clone(),
            postal_code: self.postal_code.clone(),
            credit_limit: self.credit_limit.decimal(),
        }
    }
}

/// What a person enters to register a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomer {
    pub name: String,
    pub mobile: Option<Mobile>,
    pub national_id: Option<NationalId>,
    pub economic_code: Option<String>,
    pub postal_code: Option<String>,
}

/// `digits` in ASCII (Persian digits and separators typed are accepted),
/// when it has one of the lengths `lens`.
fn digits_of(field: Field, typed: &str, lens: std::ops::RangeInclusive<usize>) -> Result<String, ValidationError> {
    let d: String = persian::fold_digits(typed).chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if d.chars().all(|c| c.is_ascii_digit()) && lens.contains(&d.len()) {
        Ok(d)
    } else {
        Err(ValidationError::new(field, typed))
    }
}

impl NewCustomer {
    /// With the ids an official invoice's buyer block carries.
    pub fn with_tax_ids(
        mut self,
        economic_code: Option<&str>,
        postal_code: Option<&str>,
    ) -> Result<NewCustomer, ValidationError> {
        let given = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        self.economic_code = given(economic_code).map(|s| digits_of(Field::EconomicCode, &s, 11..=14)).transpose()?;
        self.postal_code = given(postal_code).map(|s| digits_of(Field::PostalCode, &s, 10..=10)).transpose()?;
        Ok(self)
    }

    pub fn parse(name: &str, mobile: Option<&str>, national_id: Option<&str>) -> Result<NewCustomer, ValidationError> {
        let name = persian::normalize_letters(name.trim());
        if name.is_empty() || name.chars().count() > 200 {
            return Err(ValidationError::new(Field::Name, name));
        }
        Ok(NewCustomer {
            name,
            mobile: mobile.filter(|m| !m.trim().is_empty()).map(Mobile::parse).transpose()?,
            national_id: national_id.filter(|n| !n.trim().is_empty()).map(NationalId::parse).transpose()?,
            economic_code: None,
            postal_code: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_forms() {
        for ok in ["09121234567", "۰۹۱۲۱۲۳۴۵۶۷", "+989121234567", "00989121234567", "989121234567", "0912 123 4567"]
        {
            assert_eq!(Mobile::parse(ok).map(|m| m.0), Ok("09121234567".to_string()), "{ok}");
        }
        for bad in ["", "0912123456", "091212345678", "08121234567", "0912abc4567"] {
            assert!(Mobile::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn national_id_check_digit() {
        // 0499370899: s = 0·10+4·9+9·8+9·7+3·6+7·5+0·4+8·3+9·2 = 266, r = 2, check 9.
        assert!(NationalId::parse("0499370899").is_ok());
        assert!(NationalId::parse("۰۴۹۹۳۷۰۸۹۹").is_ok());
        assert!(NationalId::parse("0499370898").is_err(), "wrong check digit");
        assert!(NationalId::parse("1111111111").is_err(), "all the same digit");
        assert!(NationalId::parse("049937089").is_err(), "nine digits");
        assert!(NationalId::parse("04993708990").is_err());
        // r < 2: 0000000010? s = 1·2 = 2 → r 2. Use 1000000001: s = 10, r = 10, check 1.
        assert!(NationalId::parse("1000000001").is_ok());
    }

    #[test]
    fn new_customer_normalizes_the_name() {
        let c = NewCustomer::parse(" علي كريمي ", Some("09121234567"), None).expect("valid");
        assert_eq!(c.name, "علی کریمی");
        assert!(NewCustomer::parse("  ", None, None).is_err());
        assert!(NewCustomer::parse("x", Some("123"), None).is_err());
        let with = c.clone().with_tax_ids(Some("۱۴۰۰۳۷۷۸۹۹۰"), Some("12345-67890")).expect("valid ids");
        assert_eq!(
            (with.economic_code.as_deref(), with.postal_code.as_deref()),
            (Some("14003778990"), Some("1234567890"))
        );
        assert!(c.clone().with_tax_ids(Some("123"), None).is_err());
        assert!(c.with_tax_ids(None, Some("12345")).is_err());
    }
}
