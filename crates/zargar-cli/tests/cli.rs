//! `zargar` as IT and scripts use it: flags, exit codes, output, refusals.

mod common;

use common::{Till, WORKED_EXAMPLE};

#[test]
fn quote_prints_the_worked_example_in_whole_rials() {
    let t = Till::empty();
    let r = t.ok(&[&["quote", "--gold-price", "80000000"][..], &WORKED_EXAMPLE, &["--json"]].concat());
    let j = r.json();
    for (k, v) in [
        ("gold", "418400000"),
        ("wage", "62760000"),
        ("profit", "33681200"),
        ("vat", "9644120"),
        ("stones", "0"),
        ("total", "524485320"),
    ] {
        assert_eq!(j[k], v, "{k}");
    }
    // Persian digits in, Persian digits out, no store needed.
    let r = t.ok(&[
        "quote",
        "--gold-price",
        "۸۰٬۰۰۰٬۰۰۰",
        "--weight",
        "۵٫۲۳",
        "--purity",
        "۷۵۰",
        "--wage-per-gram",
        "۱۰۰۰۰۰۰",
    ]);
    assert!(r.stdout.contains("۴۱۸٬۴۰۰٬۰۰۰ ریال"), "{}", r.stdout);
    assert!(!t.db().exists(), "quote must not create a store");
}

#[test]
fn quote_takes_discounts_off_the_wage_and_the_profit_never_the_gold() {
    let t = Till::empty();
    let discounts = ["--wage-discount", "20%", "--profit-discount", "۱٬۰۰۰٬۰۰۰", "--json"];
    let j = t.ok(&[&["quote", "--gold-price", "80000000"][..], &WORKED_EXAMPLE, &discounts].concat()).json();
    for (k, v) in [
        ("gold", "418400000"),
        ("wage", "50208000"),
        ("wage_discount", "12552000"),
        ("profit", "31802560"),
        ("profit_discount", "1000000"),
        ("vat", "8201056"),
        ("total", "508611616"),
    ] {
        assert_eq!(j[k], v, "{k}");
    }
    let text =
        t.ok(&[&["quote", "--gold-price", "80000000"][..], &WORKED_EXAMPLE, &["--wage-discount", "20%"]].concat());
    assert!(text.stdout.contains("تخفیف اجرت: ۱۲٬۵۵۲٬۰۰۰ ریال"), "the discount on its own line: {}", text.stdout);
    let past = t
        .run(&[&["quote", "--gold-price", "80000000"][..], &WORKED_EXAMPLE, &["--wage-discount", "62760001"]].concat());
    assert!(past.code != 0 && past.stderr.contains("تخفیف بیش از اجرت"), "{}", past.stderr);
}

#[test]
fn global_flags_go_before_or_after_the_subcommand() {
    let t = Till::ready();
    let a = t.ok(&["--json", "--lang", "en", "status"]).json();
    let b = t.ok(&["status", "--json", "--lang", "en"]).json();
    assert_eq!(a["pending"], b["pending"]);
    assert_eq!(a["pending"], 2, "the price and the item are pending");
    let en = t.ok(&["price", "show", "--lang", "en"]);
    assert!(en.stdout.contains("80,000,000"), "{}", en.stdout);
    let fa = t.ok(&["price", "show"]);
    assert!(fa.stdout.contains("۸۰٬۰۰۰٬۰۰۰"), "{}", fa.stdout);
}

#[test]
fn a_sale_prints_its_invoice_after_saving_it() {
    let t = Till::ready();
    let r = t.ok(&["sell", "--item", "R-102", "--pay", "card=500000000", "--pay", "cash=25000000"]);
    for part in ["۴۱۸٬۴۰۰٬۰۰۰", "۶۲٬۷۶۰٬۰۰۰", "۳۳٬۶۸۱٬۲۰۰", "۹٬۶۴۴٬۱۲۰", "۵۲۴٬۴۸۵٬۳۲۰", "۵۱۴٬۶۸۰", "۵٫۲۳۰", "۱۸ عیار"]
    {
        assert!(r.stdout.contains(part), "missing {part} in\n{}", r.stdout);
    }
    // A Jalali date: ۱۴xx/xx/xx.
    assert!(r.stdout.contains("۱۴") && r.stdout.matches('/').count() >= 2, "{}", r.stdout);
    let status = t.ok(&["status", "--json"]).json();
    assert_eq!(status["pending"], 3);
    assert_eq!(status["pending_sales"], 1);
    assert!(status["oldest_pending_sale_age_seconds"].as_i64().is_some());

    let again = t.ok(&["invoice", "۱"]);
    assert!(again.stdout.contains("۵۲۴٬۴۸۵٬۳۲۰"));
    let list = t.ok(&["sales", "list", "--json"]).json();
    assert_eq!(list[0]["invoice_no"], 1);
    assert_eq!(list[0]["sync"], "pending");
}

#[test]
fn refusals_exit_1_in_the_chosen_language_and_change_nothing() {
    let t = Till::ready();
    let before = std::fs::read(t.db()).expect("db");
    let cases: &[(&[&str], &str)] = &[
        (&["sell", "--item", "R-102", "--pay", "cash=1000"], "کم است"),
        (&["sell", "--item", "NOPE", "--pay", "cash=1000"], "پیدا نشد"),
        (&["sell", "--item", "R-102", "--pay", "bitcoin=1000"], "روش پرداخت"),
        (&["sell", "--item", "R-102", "--pay", "cash=-5"], "مبلغ"),
        (&["sell", "--item", "R-102", "--trade-in", "10,0,5"], "عیار"),
        // Old gold typed without its decimal point: refused, not paid out.
        (&["sell", "--item", "R-102", "--trade-in", "5230,750", "--pay", "cash=1"], "ممیز"),
        (&["sell", "--item", "R-102", "--pay", "card=999999999999"], "بیشتر است"),
        (
            &["item", "add", "--tag", "Z", "--name", "x", "--weight", "-1", "--purity", "750", "--wage-percent", "10"],
            "وزن",
        ),
        (
            &["item", "add", "--tag", "Z", "--name", "x", "--weight", "1", "--purity", "0", "--wage-percent", "10"],
            "عیار",
        ),
        (
            &["item", "add", "--tag", "Z", "--name", "x", "--weight", "1", "--purity", "1001", "--wage-percent", "10"],
            "عیار",
        ),
        (
            &[
                "item",
                "add",
                "--tag",
                "R-102",
                "--name",
                "x",
                "--weight",
                "1",
                "--purity",
                "750",
                "--wage-percent",
                "10",
            ],
            "برچسب",
        ),
        (&["customer", "add", "--name", "x", "--national-id", "0499370898"], "کد ملی"),
        (&["customer", "add", "--name", "x", "--mobile", "12345"], "موبایل"),
        (&["price", "set", "abc"], "قیمت"),
        (&["init", "--device-name", "again"], "قبلاً"),
        (&["sales", "list", "--from", "1404/13/01"], "تاریخ"),
        (&["item", "import", "/nonexistent/file.csv"], "فایل"),
        (&["enroll", "--server", "not-a-url", "--code", "ABCDE-FGHIJ"], "نشانی سرور نیست"),
        // Nothing listens on the discard port: the server cannot be reached.
        (&["enroll", "--server", "http://127.0.0.1:9", "--code", "ABCDE-FGHIJ"], "در دسترس نیست"),
        (&["sync"], "وصل نشده"),
        (&["conflicts", "resolve", "nope", "--resolution", "void", "--by", "مالک"], "تعارضی"),
    ];
    for (args, expect) in cases {
        let r = t.run(args);
        assert_eq!(r.code, 1, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(expect), "{args:?}: {}", r.stderr);
    }
    let after = std::fs::read(t.db()).expect("db");
    assert!(before == after, "a refused command changed the database file");

    let en = t.run(&["--lang", "en", "sell", "--item", "R-102", "--pay", "cash=1000"]);
    assert_eq!(en.code, 1);
    assert!(en.stderr.contains("do not cover"), "{}", en.stderr);
    let js = t.run(&["--json", "sell", "--item", "NOPE", "--pay", "cash=1"]);
    assert_eq!(js.code, 1);
    assert_eq!(js.json()["error"]["code"], "item_not_found");
}

#[test]
fn usage_errors_exit_2() {
    let t = Till::ready();
    for args in [
        &["sell"][..],
        &["frobnicate"],
        &["item", "add", "--tag", "x"],
        &["quote", "--gold-price", "1", "--weight", "1", "--purity", "750"],
        &[
            "quote",
            "--gold-price",
            "1",
            "--weight",
            "1",
            "--purity",
            "750",
            "--wage-percent",
            "1",
            "--wage-per-gram",
            "1",
        ],
        &["--lang", "de", "status"],
        &["export", "--format", "xml"],
    ] {
        assert_eq!(t.run(args).code, 2, "{args:?}");
    }
    assert_eq!(t.run(&["--help"]).code, 0);
}

#[test]
fn a_missing_till_is_refused_not_created() {
    let t = Till::empty();
    let r = t.run(&["status"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("zargar init"), "{}", r.stderr);
    assert!(!t.db().exists());
}

#[test]
fn import_list_and_search_fold_letters_and_digits() {
    let t = Till::ready();
    let csv = t.data_dir().join("items.csv");
    std::fs::write(
        &csv,
        "tag,name,weight,purity,wage_percent,wage_per_gram,barcode,category,stones\n\
         G-1,گوشواره حلقه‌ای,2.5,750,12,,6260000000011,earring,\n\
         B-2,النگو ٢,12.75,750,,3500000,,bangle,5000000\n",
    )
    .expect("csv");
    let r = t.ok(&["item", "import", csv.to_str().expect("path"), "--json"]);
    assert_eq!(r.json()["imported"], 2);
    for q in ["النگو ۲", "النگو 2", "النگو ٢"] {
        let found = t.ok(&["item", "list", "--search", q, "--json"]).json();
        assert_eq!(found.as_array().map(Vec::len), Some(1), "{q}");
        assert_eq!(found[0]["tag"], "B-2");
    }
    let by_barcode = t.ok(&["item", "show", "۶۲۶۰۰۰۰۰۰۰۰۱۱", "--json"]).json();
    assert_eq!(by_barcode["tag"], "G-1");
    // A bad file changes nothing and names its line.
    std::fs::write(&csv, "tag,name,weight,purity,wage_percent\nH-1,x,1,750,10\nH-2,y,1,0,10\n").expect("csv");
    let bad = t.run(&["item", "import", csv.to_str().expect("path")]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains('۳'), "{}", bad.stderr);
    assert_eq!(t.ok(&["item", "list", "--json"]).json().as_array().map(Vec::len), Some(3));
}

#[test]
fn trade_in_customer_and_return() {
    let t = Till::ready();
    let c = t.ok(&[
        "customer",
        "add",
        "--name",
        "مریم احمدی",
        "--mobile",
        "09121234567",
        "--national-id",
        "0499370899",
        "--json",
    ]);
    assert_eq!(c.json()["mobile"], "09121234567");
    let r = t.ok(&["sell", "--item", "R-102", "--customer", "09121234567", "--trade-in", "10,750,5", "--json"]);
    let sale = &r.json()["sale"];
    assert_eq!(sale["totals"]["trade_in"], "760000000");
    assert_eq!(sale["totals"]["due"], "-235514680");
    assert_eq!(sale["totals"]["change"], "235514680");
    assert_eq!(sale["customer"]["name"], "مریم احمدی");
    let ret = t.ok(&["return", "--invoice", "1", "--json"]).json();
    assert_eq!(ret["return"]["refund"], "524485320");
    let item = t.ok(&["item", "show", "R-102", "--json"]).json();
    assert_eq!(item["status"], "returned");
}

#[test]
fn export_backup_and_journal_verification() {
    let t = Till::ready();
    t.ok(&["sell", "--item", "R-102", "--pay", "cash=524485320"]);
    let fa = t.ok(&["export", "--format", "csv"]).stdout;
    assert!(fa.starts_with("\u{feff}نوع,شناسهٔ فروش,شمارهٔ فاکتور"), "a BOM and Persian headers: {fa}");
    assert!(fa.contains(",فروش,") || fa.lines().nth(1).is_some_and(|l| l.starts_with("فروش,")), "{fa}");
    let csv = t.ok(&["export", "--format", "csv", "--lang", "en"]).stdout;
    let mut lines = csv.lines();
    assert!(lines.next().expect("header").starts_with("\u{feff}kind,sale_id,invoice_no,return_no,till,at"));
    let row = lines.next().expect("row");
    assert!(row.contains(",R-102,") && row.contains(",418400000,62760000,33681200,9644120,0,524485320,"), "{row}");
    let json = t.ok(&["export", "--format", "json"]).json();
    assert_eq!(json[0]["total"], "524485320");

    let backup = t.data_dir().join("backup.db");
    t.ok(&["backup", backup.to_str().expect("path")]);
    assert_eq!(t.run(&["backup", backup.to_str().expect("path")]).code, 1, "never overwrites");
    let copy = rusqlite_count(&backup);
    assert_eq!(copy, 1);

    let ok = t.ok(&["verify-journal", "--json"]).json();
    assert_eq!(ok["entries"], 1);
    // Tamper with the sale's journal entry behind the till's back.
    let conn = rusqlite::Connection::open(t.db()).expect("raw");
    conn.execute_batch("DROP TRIGGER journal_no_update; UPDATE journal SET content = content || ' ' WHERE idx = 1;")
        .expect("tamper");
    let broken = t.run(&["verify-journal"]);
    assert_eq!(broken.code, 1);
    assert!(broken.stderr.contains('۱') && broken.stderr.contains("دفتر فروش"), "{}", broken.stderr);
    let js = t.run(&["verify-journal", "--json"]);
    assert_eq!(js.json()["broken_at"], 1);
}

fn rusqlite_count(db: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open copy");
    conn.query_row("SELECT count(*) FROM sales", [], |r| r.get(0)).expect("count")
}

#[test]
fn a_reserved_piece_cannot_be_sold_until_it_is_back_in_stock() {
    let t = Till::ready();
    let r = t.ok(&["item", "status", "R-102", "reserved"]);
    assert!(r.stdout.contains("رزرو"), "{}", r.stdout);
    let refused = t.run(&["sell", "--item", "R-102", "--pay", "cash=600000000"]);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("رزرو"), "the status is named in Persian: {}", refused.stderr);
    assert_eq!(t.run(&["item", "status", "R-102", "sold"]).code, 1, "sold is not a hand-set state");
    t.ok(&["item", "status", "R-102", "in_stock"]);
    t.ok(&["sell", "--item", "R-102", "--pay", "cash=600000000"]);
    let after = t.run(&["--lang", "en", "item", "status", "R-102", "in_stock"]);
    assert_eq!(after.code, 1, "a sold piece is not put back by hand");
    assert!(after.stderr.contains("not in stock"), "{}", after.stderr);
    // Each hand change is an item.upsert op for the server.
    assert_eq!(t.ok(&["status", "--json"]).json()["pending"], 5);
}

#[test]
fn the_shops_price_its_guards_and_the_owner_as_it_preset() {
    let t = Till::ready();
    // IT presets the owner before the app's first start.
    let none = t.ok(&["--json", "owner", "show"]).json();
    assert!(none["owner"].is_null());
    t.ok(&["owner", "set", "--name", "مریم", "--pin", "۱۳۷۹"]);
    assert_eq!(t.ok(&["--json", "owner", "show"]).json()["owner"], "مریم");
    let taken = t.run(&["owner", "set", "--name", "someone", "--pin", "0000"]);
    assert_eq!(taken.code, 1, "changing the PIN needs the current one");

    // The shop's bounds refuse a zero too few or too many, with no prompt.
    t.ok(&["settings", "set", "price_floor", "20000000"]);
    t.ok(&["settings", "set", "price_ceiling", "۲۰۰٬۰۰۰٬۰۰۰"]);
    let low = t.run(&["price", "set", "8000000"]);
    assert_eq!(low.code, 1);
    assert!(low.stderr.contains("۲۰٬۰۰۰٬۰۰۰"), "the floor is named: {}", low.stderr);
    let high = t.run(&["--json", "price", "set", "800000000"]);
    assert_eq!(high.json()["error"]["code"], "price_above_ceiling");

    // A script's price is the till's own; `--shop` makes it the shop's, with who set it.
    let own = t.ok(&["--json", "price", "set", "81000000"]).json();
    assert_eq!((own["scope"].as_str(), own["set_by"].as_str()), (Some("till"), None));
    let shop = t.ok(&["--json", "price", "set", "83000000", "--shop"]).json();
    assert_eq!((shop["scope"].as_str(), shop["set_by"].as_str()), (Some("shop"), Some("مریم")));
    let by = t.ok(&["--json", "price", "set", "83500000", "--shop", "--by", "IT desk"]).json();
    assert_eq!(by["set_by"], "IT desk");

    // The old gold's spread: bought at the day's price less 2%.
    t.ok(&["settings", "set", "old_gold_spread_percent", "2"]);
    let sale = t.ok(&["--json", "sell", "--item", "R-102", "--trade-in", "1,750,0", "--pay", "cash=1000000000"]).json();
    assert_eq!(sale["sale"]["trade_ins"][0]["buy_price_18k"], "81830000", "83,500,000 less 2%");
}
