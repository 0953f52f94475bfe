//! The field checks the tax organisation runs on a pattern-3 (gold) invoice
//! (research notes §1, §2). Each failed check is one (code, Persian message)
//! error; the invoice succeeds only with none.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;
use zargar_rules::tax_id::TaxId;

use super::crypto::Fault;

/// Line fields pattern 3 requires, even when zero (the gold quartet too).
const REQUIRED: [&str; 13] =
    ["sstid", "am", "fee", "prdis", "dis", "adis", "vra", "vam", "tsstam", "consfee", "spro", "bros", "tcpbs"];
/// Line fields in whole Rials.
const RIALS: [&str; 12] =
    ["prdis", "dis", "adis", "vam", "tsstam", "consfee", "spro", "bros", "tcpbs", "odam", "olam", "cop"];
/// The units of a gold line: gram, piece, mesghal, carat.
const UNITS: [&str; 4] = ["1622", "1627", "16127", "1678"];
/// The VAT rate on workmanship, profit and commission (جدول ۴۴ ردیف ۴).
const WORK_VAT_PERCENT: i64 = 10;

/// The errors of `invoice` sent under `fiscal_id`; `referable(tax_id)` says
/// whether an ins 3/4 invoice may name it (a successful invoice of the same
/// memory, recorded earlier).
pub(super) fn judge(invoice: &Value, fiscal_id: &str, referable: impl Fn(&str) -> bool) -> Vec<Fault> {
    let mut j = Judge::default();
    let h = &invoice["header"];
    if !h.is_object() {
        j.err("0100001", "سرآیند صورتحساب (header) یافت نشد");
        return j.errors;
    }
    j.tax_id(h, fiscal_id);
    j.subject(h, referable);
    j.parties(h);
    let Some(lines) = invoice["body"].as_array().filter(|b| !b.is_empty()) else {
        j.err("0200001", "صورتحساب باید دست کم یک قلم (body) داشته باشد");
        return j.errors;
    };
    let mut sums = Sums::default();
    for (i, line) in lines.iter().enumerate() {
        j.line(i + 1, line, &mut sums);
    }
    j.totals(h, &sums);
    j.errors
}

#[derive(Default)]
struct Judge {
    errors: Vec<Fault>,
}

/// The header totals' sums over the lines; None once a line lacks the field
/// (its own error is enough).
struct Sums {
    prdis: Option<Decimal>,
    dis: Option<Decimal>,
    adis: Option<Decimal>,
    vam: Option<Decimal>,
    odam: Option<Decimal>,
    tsstam: Option<Decimal>,
}

impl Default for Sums {
    fn default() -> Sums {
        let zero = Some(Decimal::ZERO);
        Sums { prdis: zero, dis: zero, adis: zero, vam: zero, odam: zero, tsstam: zero }
    }
}

fn add(sum: &mut Option<Decimal>, v: Option<Decimal>) {
    *sum = match (*sum, v) {
        (Some(s), Some(v)) => s.checked_add(v),
        _ => None,
    };
}

/// A JSON number, exactly: from its text, never through a float.
fn decimal(v: &Value) -> Option<Decimal> {
    let Value::Number(n) = v else { return None };
    let text = n.to_string();
    Decimal::from_str(&text).or_else(|_| Decimal::from_scientific(&text)).ok()
}

fn int(v: &Value) -> Option<i64> {
    v.as_i64()
}

fn digits(v: &Value, lengths: std::ops::RangeInclusive<usize>) -> bool {
    v.as_str().is_some_and(|s| lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
}

fn present(v: &Value) -> bool {
    !v.is_null() && v.as_str() != Some("")
}

impl Judge {
    fn err(&mut self, code: &str, message: impl Into<String>) {
        self.errors.push((code.to_owned(), message.into()));
    }

    /// taxid: valid, of this memory, its serial is `inno`, its day `indatim`'s.
    fn tax_id(&mut self, h: &Value, fiscal_id: &str) {
        let Some(id) = h["taxid"].as_str().and_then(|s| TaxId::parse(s).ok()) else {
            self.err("0100201", "شماره منحصر به فرد مالیاتی (taxid) نادرست است");
            return;
        };
        if id.memory_id() != fiscal_id {
            self.err("0100202", "شناسه حافظه در شماره منحصر به فرد مالیاتی (taxid) با fiscalId یکی نیست");
        }
        let inno = format!("{:010X}", id.serial());
        if !h["inno"].as_str().is_some_and(|s| s.eq_ignore_ascii_case(&inno)) {
            self.err("0100504", "سریال صورتحساب (inno) با شماره منحصر به فرد مالیاتی همخوانی ندارد");
        }
        if int(&h["indatim"]).map(|ms| ms.div_euclid(86_400_000)) != Some(id.day()) {
            self.err("0100301", "تاریخ صدور (indatim) با روز شماره منحصر به فرد مالیاتی همخوانی ندارد");
        }
    }

    /// inp 3 (gold); ins 1, or 3/4 naming an accepted invoice.
    fn subject(&mut self, h: &Value, referable: impl Fn(&str) -> bool) {
        if int(&h["inp"]) != Some(3) {
            self.err("0101001", "الگوی صورتحساب (inp) باید ۳ (طلا، جواهر و پلاتین) باشد");
        }
        match int(&h["ins"]) {
            Some(1) if present(&h["irtaxid"]) => {
                self.err("0101202", "صورتحساب اصلی نباید شماره مرجع (irtaxid) داشته باشد");
            }
            Some(1) => {}
            Some(3 | 4) => {
                if !h["irtaxid"].as_str().is_some_and(&referable) {
                    self.err("0101201", "مرجع صورتحساب یافت نشد");
                }
            }
            _ => self.err("0101101", "موضوع صورتحساب (ins) جز مقادیر مجاز نیست"),
        }
    }

    /// inty, the buyer (type 1), the settlement (type 1), the seller.
    fn parties(&mut self, h: &Value) {
        match int(&h["inty"]) {
            Some(1) => {
                if !matches!(int(&h["tob"]), Some(1..=4)) {
                    self.err("0101401", "نوع شخص خریدار (tob) جز مقادیر مجاز نیست");
                }
                if !present(&h["bid"]) && !present(&h["tinb"]) {
                    self.err("0101501", "شناسه ملی (bid) یا شماره اقتصادی خریدار (tinb) الزامی است");
                }
                match int(&h["setm"]) {
                    Some(1 | 2) => {}
                    Some(3) => {
                        if int(&h["cap"]).is_none() || int(&h["insp"]).is_none() {
                            self.err("0102901", "در تسویه نقدی/نسیه مبلغ نقدی (cap) و نسیه (insp) الزامی است");
                        }
                    }
                    _ => self.err("012802", "مقدار وارد شده در فیلد «روش تسویه» جز مقادیر مجاز نیست"),
                }
            }
            Some(2) => {}
            _ => self.err("0100401", "نوع صورتحساب (inty) جز مقادیر مجاز نیست"),
        }
        if !digits(&h["tins"], 11..=14) {
            self.err("0101301", "شماره اقتصادی فروشنده (tins) باید ۱۱ تا ۱۴ رقم باشد");
        }
    }

    /// Field `name` of line `n` as a number (whole Rials when `rials`);
    /// `required`: its absence is an error too.
    fn number(&mut self, n: usize, line: &Value, name: &str, required: bool) -> Option<Decimal> {
        let v = &line[name];
        if v.is_null() {
            if required {
                self.err("0200101", format!("قلم {n}: فیلد {name} الزامی است"));
            }
            return None;
        }
        let Some(d) = decimal(v) else {
            self.err("0200102", format!("قلم {n}: فیلد {name} باید عدد باشد"));
            return None;
        };
        if RIALS.contains(&name) && int(v).is_none() {
            self.err("0200103", format!("قلم {n}: فیلد {name} باید ریال بدون اعشار باشد"));
            return None;
        }
        Some(d)
    }

    /// One line: its fields, then the gold arithmetic (truncated, never rounded).
    fn line(&mut self, n: usize, line: &Value, sums: &mut Sums) {
        if line["sstid"].is_null() {
            self.err("0200101", format!("قلم {n}: فیلد sstid الزامی است"));
        } else if !digits(&line["sstid"], 13..=13) {
            self.err("0200201", format!("قلم {n}: شناسه کالا/خدمت (sstid) باید ۱۳ رقم باشد"));
        }
        let mut f = |name: &str| self.number(n, line, name, REQUIRED.contains(&name));
        let [am, fee, prdis, dis, adis, vra, vam, tsstam, consfee, spro, bros, tcpbs, odam, olam, cui] = [
            "am", "fee", "prdis", "dis", "adis", "vra", "vam", "tsstam", "consfee", "spro", "bros", "tcpbs", "odam",
            "olam", "cui",
        ]
        .map(&mut f);
        if !line["nw"].is_null() {
            self.err("0200301", format!("قلم {n}: وزن خالص (nw) در الگوی طلا و جواهر مجاز نیست"));
        }
        if !line["cui"].is_null() && !cui.is_some_and(|c| c > Decimal::ZERO && c <= Decimal::from(1000)) {
            self.err("0206301", format!("قلم {n}: عیار (cui) باید بیشتر از صفر و حداکثر ۱۰۰۰ باشد"));
        }
        if !line["mu"].is_null() && !line["mu"].as_str().is_some_and(|mu| UNITS.contains(&mu)) {
            self.err("0103502", format!("قلم {n}: واحد اندازه‌گیری (mu) جز مقادیر مجاز نیست"));
        }
        let extra = odam.unwrap_or_default() + olam.unwrap_or_default();
        let mut check = |value: Option<Decimal>, expected: Option<Decimal>, code: &str, what: &str| {
            if let (Some(v), Some(e)) = (value, expected)
                && v != e
            {
                self.err(code, format!("قلم {n}: {what} نادرست است"));
            }
        };
        let product = am.zip(fee).and_then(|(a, p)| a.checked_mul(p)).map(|p| p.floor());
        check(prdis, product, "0204101", "مبلغ قبل از تخفیف (prdis)");
        let work = consfee.zip(spro).zip(bros).map(|((c, s), b)| c + s + b);
        check(tcpbs, work, "0204901", "جمع اجرت، حق‌العمل و سود (tcpbs)");
        check(adis, prdis.zip(tcpbs).zip(dis).map(|((p, t), d)| p + t - d), "0204301", "مبلغ بعد از تخفیف (adis)");
        let tax = tcpbs
            .zip(prdis)
            .zip(vra)
            .map(|((t, p), r)| ((t * Decimal::from(WORK_VAT_PERCENT) + p * r) / Decimal::ONE_HUNDRED).floor());
        check(vam, tax, "0204501", "مقدار مالیات بر ارزش افزوده (vam)");
        check(tsstam, adis.zip(vam).map(|(a, v)| a + v + extra), "0205101", "مبلغ کل کالا/خدمت (tsstam)");
        add(&mut sums.prdis, prdis);
        add(&mut sums.dis, dis);
        add(&mut sums.adis, adis);
        add(&mut sums.vam, vam);
        add(&mut sums.odam, Some(extra));
        add(&mut sums.tsstam, tsstam);
    }

    /// The header totals are the lines' sums (tdis only checked when sent).
    fn totals(&mut self, h: &Value, sums: &Sums) {
        let totals = [
            ("tprdis", sums.prdis, true, "جمع مبلغ قبل از تخفیف (tprdis)"),
            ("tdis", sums.dis, false, "جمع تخفیفات (tdis)"),
            ("tadis", sums.adis, true, "جمع مبلغ پس از کسر تخفیف (tadis)"),
            ("tvam", sums.vam, true, "جمع مالیات بر ارزش افزوده (tvam)"),
            ("todam", sums.odam, true, "جمع سایر مالیات، عوارض و وجوه قانونی (todam)"),
            ("tbill", sums.tsstam, true, "مجموع صورتحساب (tbill)"),
        ];
        for (code, (name, sum, required, what)) in (1..).zip(totals) {
            let code = format!("03001{code:02}");
            let v = &h[name];
            if v.is_null() {
                if required {
                    self.err(&code, format!("{what} الزامی است"));
                }
            } else if int(v).is_none() {
                self.err(&code, format!("{what} باید ریال بدون اعشار باشد"));
            } else if let Some(s) = sum
                && decimal(v) != Some(s)
            {
                self.err(&code, format!("{what} با جمع اقلام برابر نیست"));
            }
        }
    }
}
