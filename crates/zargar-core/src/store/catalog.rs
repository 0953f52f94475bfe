//! Inventory, customers and gold prices on the till.

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params, params_from_iter};
use uuid::Uuid;
use zargar_wire::{Base, GoldPricePayload, ItemPayload, OpBody, PersonRef};

use super::{Store, outbox, parse_dec, parse_ts, parse_uuid, rial_sql, ts, u64_sql};
use crate::customer::{Customer, Mobile, NationalId, NewCustomer};
use crate::error::{Field, StoreError, ValidationError};
use crate::gold_price::{self, GoldPrice, NewPrice, PriceChange, PriceEntry, PriceOrigin, PriceScope};
use crate::item::{Item, ItemStatus, NewItem, NewItemInput};
use crate::persian;
use zargar_rules::measure::Purity;
use zargar_rules::measure::Weight;
use zargar_rules::money::Rial;
use zargar_rules::pricing::WageRate;
use zargar_rules::roles::Act;

pub(super) const ITEM_COLUMNS: &str = "id, tag, barcode, name, category, weight_mg, purity, wage_kind, wage_value, stones, status, version, updated_at, sold_by";

pub(super) fn item_from_row(r: &Row<'_>) -> rusqlite::Result<Result<Item, StoreError>> {
    let id: String = r.get(0)?;
    let tag: String = r.get(1)?;
    let barcode: Option<String> = r.get(2)?;
    let name: String = r.get(3)?;
    let category: Option<String> = r.get(4)?;
    let weight_mg: i64 = r.get(5)?;
    let purity: String = r.get(6)?;
    let wage_kind: String = r.get(7)?;
    let wage_value: String = r.get(8)?;
    let stones: i64 = r.get(9)?;
    let status: String = r.get(10)?;
    let version: i64 = r.get(11)?;
    let updated_at: String = r.get(12)?;
    let sold_by: Option<String> = r.get(13)?;
    Ok((|| {
        let corrupt = |what: &str| StoreError::Corrupt(format!("item {tag}: {what}"));
        Ok(Item {
            id: parse_uuid(&id)?,
            barcode,
            name,
            category,
            weight: Weight::from_milligrams(weight_mg).ok_or_else(|| corrupt("weight"))?,
            purity: Purity::per_mille(parse_dec(&purity)?).ok_or_else(|| corrupt("purity"))?,
            wage: WageRate::from_parts(&wage_kind, parse_dec(&wage_value)?).ok_or_else(|| corrupt("wage"))?,
            stones: Rial::from_i64(stones),
            status: ItemStatus::from_code(&status).ok_or_else(|| corrupt("status"))?,
            sold_by,
            version: u64_sql(version)?,
            updated_at: parse_ts(&updated_at)?,
            tag: tag.clone(),
        })
    })())
}

pub(super) fn item_search_key(item: &NewItem) -> String {
    let parts = [Some(item.tag.as_str()), item.barcode.as_deref(), Some(item.name.as_str()), item.category.as_deref()];
    persian::search_key(&parts.into_iter().flatten().collect::<Vec<_>>().join(" "))
}

/// LIKE treats `%` and `_` as wildcards; a search for "R_1" means the text.
fn like_pattern(key: &str) -> String {
    let escaped = key.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// Which items to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFilter {
    pub search: Option<String>,
    pub status: Option<ItemStatus>,
    pub limit: Option<u32>,
}

/// A scanner's code finds an item by tag or barcode, so neither may collide
/// with either of another item's (`except`: the item being edited).
fn check_codes_free(tx: &Transaction<'_>, new: &NewItem, except: Option<Uuid>) -> Result<(), StoreError> {
    let except = except.map(|id| id.to_string()).unwrap_or_default();
    let taken = |code: &str| -> Result<bool, StoreError> {
        Ok(tx
            .prepare_cached("SELECT 1 FROM items WHERE (tag = ?1 OR barcode = ?1) AND id <> ?2")?
            .query_row(params![code, except], |_| Ok(()))
            .optional()?
            .is_some())
    };
    if taken(&new.tag)? {
        return Err(StoreError::TagTaken(new.tag.clone()));
    }
    if let Some(b) = &new.barcode
        && (taken(b)? || *b == new.tag)
    {
        return Err(StoreError::BarcodeTaken(b.clone()));
    }
    Ok(())
}

/// What a piece is, as the items table stores it: the columns `tag` …
/// `stones` in table order, bound as `?2` … `?10` by both writers below.
fn piece_values(item: &Item) -> Result<[Value; 9], StoreError> {
    let opt = |v: &Option<String>| v.clone().map_or(Value::Null, Value::Text);
    Ok([
        Value::Text(item.tag.clone()),
        opt(&item.barcode),
        Value::Text(item.name.clone()),
        opt(&item.category),
        Value::Integer(item.weight.milligrams()),
        Value::Text(item.purity.to_string()),
        Value::Text(item.wage.kind().to_owned()),
        Value::Text(item.wage.value().to_string()),
        Value::Integer(rial_sql(item.stones)?),
    ])
}

/// `?1` the piece's id, `?2` … `?10` what it is, then `rest`.
fn item_params(item: &Item, rest: impl IntoIterator<Item = Value>) -> Result<Vec<Value>, StoreError> {
    let mut all = vec![Value::Text(item.id.to_string())];
    all.extend(piece_values(item)?);
    all.extend(rest);
    Ok(all)
}

/// The one writer of the items table: a piece typed in here, or pulled from
/// the server (then with the server's version of it, which a pull compares).
pub(super) fn write_item_row(
    tx: &Transaction<'_>,
    item: &Item,
    search_key: &str,
    server_version: Option<u64>,
) -> Result<(), StoreError> {
    let rest = [
        Value::Text(item.status.code().to_owned()),
        Value::Integer(item.version as i64),
        Value::Text(search_key.to_owned()),
        Value::Text(ts(item.updated_at)),
        server_version.map_or(Value::Null, |v| Value::Integer(v as i64)),
        item.sold_by.clone().map_or(Value::Null, Value::Text),
    ];
    tx.prepare_cached(
        "INSERT INTO items (id, tag, barcode, name, category, weight_mg, purity, wage_kind, wage_value,
                            stones, status, version, search_key, updated_at, server_version, sold_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, COALESCE(?15, 0), ?16)
         ON CONFLICT (id) DO UPDATE SET
            tag = excluded.tag, barcode = excluded.barcode, name = excluded.name, category = excluded.category,
            weight_mg = excluded.weight_mg, purity = excluded.purity, wage_kind = excluded.wage_kind,
            wage_value = excluded.wage_value, stones = excluded.stones, status = excluded.status,
            version = excluded.version, search_key = excluded.search_key, updated_at = excluded.updated_at,
            server_version = COALESCE(?15, items.server_version), sold_by = excluded.sold_by",
    )?
    .execute(params_from_iter(item_params(item, rest)?))?;
    Ok(())
}

/// The common pull: the server's newer version of a piece this till has
/// as it is, but for its status (sold elsewhere, back on the shelf). Only
/// the state columns are written, so no index of the piece's codes or its
/// search key is touched. False when the row differs in more, is unknown,
/// or already has this version or a newer one: the caller then writes it
/// whole (`write_item_row`) or leaves it.
pub(super) fn write_item_state(tx: &Transaction<'_>, item: &Item, server_version: u64) -> Result<bool, StoreError> {
    let rest = [
        Value::Text(item.status.code().to_owned()),
        item.sold_by.clone().map_or(Value::Null, Value::Text),
        Value::Integer(server_version as i64),
        Value::Text(ts(item.updated_at)),
    ];
    let n = tx
        .prepare_cached(
            "UPDATE items SET status = ?11, sold_by = ?12, server_version = ?13, version = version + 1,
                updated_at = ?14
             WHERE id = ?1 AND server_version < ?13 AND tag = ?2 AND barcode IS ?3 AND name = ?4
               AND category IS ?5 AND weight_mg = ?6 AND purity = ?7 AND wage_kind = ?8 AND wage_value = ?9
               AND stones = ?10",
        )?
        .execute(params_from_iter(item_params(item, rest)?))?;
    Ok(n == 1)
}

fn insert_item(
    tx: &Transaction<'_>,
    by: Option<&PersonRef>,
    new: &NewItem,
    now: DateTime<Utc>,
) -> Result<Item, StoreError> {
    check_codes_free(tx, new, None)?;
    let item = new.to_item(Uuid::now_v7(), ItemStatus::InStock, 1, now);
    write_item_row(tx, &item, &item_search_key(new), None)?;
    let body = OpBody::ItemUpsert(item_payload(&item));
    outbox::enqueue(tx, Uuid::now_v7(), now, item.id, &Base::default(), by, &body)?;
    Ok(item)
}

/// Sends a piece's new version, made over the version `base` this till had.
fn enqueue_item(
    tx: &Transaction<'_>,
    item: &Item,
    base: u64,
    by: Option<&PersonRef>,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let base = Base { items: vec![zargar_wire::ItemVersion { item_id: item.id, version: base }], ..Base::default() };
    outbox::enqueue(tx, Uuid::now_v7(), now, item.id, &base, by, &OpBody::ItemUpsert(item_payload(item)))
}

fn item_payload(item: &Item) -> ItemPayload {
    ItemPayload {
        item_id: item.id,
        tag: item.tag.clone(),
        barcode: item.barcode.clone(),
        name: item.name.clone(),
        category: item.category.clone(),
        weight: item.weight.decimal(),
        purity: item.purity.decimal(),
        wage_rate: item.wage.to_wire(),
        stones: item.stones.decimal(),
        status: item.status,
        sold_by: None,
    }
}

/// The states a person may put a piece in by hand; selling it and the
/// server's acknowledgement go through sales and sync only.
const SHELF_STATES: [ItemStatus; 4] =
    [ItemStatus::InStock, ItemStatus::Reserved, ItemStatus::Repair, ItemStatus::Returned];

impl Store {
    /// Puts a piece on the shelf, on hold for a customer, or in repair.
    pub fn set_item_status(&mut self, code: &str, status: ItemStatus, now: DateTime<Utc>) -> Result<Item, StoreError> {
        self.device()?;
        if !SHELF_STATES.contains(&status) {
            return Err(ValidationError::new(Field::ItemStatus, status.code()).into());
        }
        self.require(Act::EditInventory)?;
        let by = self.acting();
        let tx = self.write_tx()?;
        let mut item = find_item_in(&tx, code)?.ok_or_else(|| StoreError::ItemNotFound(code.trim().to_owned()))?;
        if !SHELF_STATES.contains(&item.status) {
            return Err(StoreError::ItemNotInStock {
                tag: item.tag,
                status: item.status.code(),
                sold_by: item.sold_by,
            });
        }
        tx.execute(
            "UPDATE items SET status = ?2, version = version + 1, updated_at = ?3 WHERE id = ?1",
            params![item.id.to_string(), status.code(), ts(now)],
        )?;
        item.status = status;
        item.version += 1;
        item.updated_at = now;
        enqueue_item(&tx, &item, item.version - 1, by.as_ref(), now)?;
        tx.commit()?;
        Ok(item)
    }

    /// Corrects or re-tags a piece on the shelf (not one sold): its codes,
    /// name, category, weight, purity, wage and stones. The change syncs as
    /// the piece's new version. Whether it changes the piece's value (and so
    /// needs the owner) is the caller's to ask first: `Item::value_changes`.
    pub fn edit_item(&mut self, code: &str, new: &NewItem, now: DateTime<Utc>) -> Result<Item, StoreError> {
        self.device()?;
        self.require(Act::EditInventory)?;
        let by = self.acting();
        let tx = self.write_tx()?;
        let old = find_item_in(&tx, code)?.ok_or_else(|| StoreError::ItemNotFound(code.trim().to_owned()))?;
        if !SHELF_STATES.contains(&old.status) {
            return Err(StoreError::ItemNotInStock { tag: old.tag, status: old.status.code(), sold_by: old.sold_by });
        }
        check_codes_free(&tx, new, Some(old.id))?;
        let item = old.edited(new, now);
        write_item_row(&tx, &item, &item_search_key(new), None)?;
        enqueue_item(&tx, &item, old.version, by.as_ref(), now)?;
        tx.commit()?;
        Ok(item)
    }

    /// Tags a new piece on this till.
    pub fn add_item(&mut self, new: &NewItem, now: DateTime<Utc>) -> Result<Item, StoreError> {
        self.device()?;
        self.require(Act::EditInventory)?;
        let by = self.acting();
        let tx = self.write_tx()?;
        let item = insert_item(&tx, by.as_ref(), new, now)?;
        tx.commit()?;
        Ok(item)
    }

    /// Imports a CSV with a header naming the columns of `NewItemInput`
    /// (tag, name, weight, purity, wage_percent, wage_per_gram, barcode,
    /// category, stones). All rows or none: the first bad row is named by
    /// its line and nothing is written.
    pub fn import_items(&mut self, csv_text: impl std::io::Read, now: DateTime<Utc>) -> Result<Vec<Item>, StoreError> {
        self.device()?;
        let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(csv_text);
        let row_error = |line: u64, e: StoreError| StoreError::ImportRow { line, source: Box::new(e) };
        let headers = reader.headers().map_err(|e| row_error(1, e.into()))?.clone();
        self.require(Act::EditInventory)?;
        let by = self.acting();
        let tx = self.write_tx()?;
        let mut items = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(row_error(e.position().map_or(0, |p| p.line()), e.into())),
            }
            let line = record.position().map_or(0, |p| p.line());
            let input: NewItemInput = record.deserialize(Some(&headers)).map_err(|e| row_error(line, e.into()))?;
            let item = input
                .parse()
                .map_err(StoreError::from)
                .and_then(|new| insert_item(&tx, by.as_ref(), &new, now))
                .map_err(|e| row_error(line, e))?;
            items.push(item);
        }
        tx.commit()?;
        Ok(items)
    }

    /// The item a scanner or a cashier named, by tag or barcode, in any
    /// digit set.
    pub fn find_item(&self, code: &str) -> Result<Option<Item>, StoreError> {
        find_item_in(&self.conn, code)
    }

    pub fn list_items(&self, filter: &ItemFilter) -> Result<Vec<Item>, StoreError> {
        let key = filter.search.as_deref().map(persian::search_key).unwrap_or_default();
        let sql = format!(
            "SELECT {ITEM_COLUMNS} FROM items
             WHERE (?1 = '' OR search_key LIKE ?2 ESCAPE '\\') AND (?3 IS NULL OR status = ?3)
             ORDER BY tag LIMIT ?4"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![key, like_pattern(&key), filter.status.map(ItemStatus::code), filter.limit.unwrap_or(u32::MAX)],
            item_from_row,
        )?;
        rows.map(|r| r?).collect()
    }

    pub fn add_customer(&mut self, new: &NewCustomer, now: DateTime<Utc>) -> Result<Customer, StoreError> {
        self.device()?;
        self.require(Act::AddCustomer)?;
        let by = self.acting();
        let tx = self.write_tx()?;
        let exists = |col: &str, v: &str| -> Result<bool, StoreError> {
            Ok(tx
                .prepare_cached(&format!("SELECT 1 FROM customers WHERE {col} = ?1"))?
                .query_row([v], |_| Ok(()))
                .optional()?
                .is_some())
        };
        if let Some(m) = &new.mobile
            && exists("mobile", m.as_str())?
        {
            return Err(StoreError::CustomerExists { field: "mobile" });
        }
        if let Some(n) = &new.national_id
            && exists("national_id", n.as_str())?
        {
            return Err(StoreError::CustomerExists { field: "national_id" });
        }
        let c = Customer {
            id: Uuid::now_v7(),
            name: new.name.clone(),
            mobile: new.mobile.clone(),
            national_id: new.national_id.clone(),
            created_at: now,
            economic_code: new.economic_code.clone(),
            postal_code: new.postal_code.clone(),
            credit_limit: Rial::ZERO,
        };
        let key = persian::search_key(&format!(
            "{} {} {}",
            c.name,
            c.mobile.as_ref().map_or("", Mobile::as_str),
            c.national_id.as_ref().map_or("", NationalId::as_str)
        ));
        tx.execute(
            "INSERT INTO customers (id, name, mobile, national_id, search_key, created_at, economic_code, postal_code)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                c.id.to_string(),
                c.name,
                c.mobile.as_ref().map(Mobile::as_str),
                c.national_id.as_ref().map(NationalId::as_str),
                key,
                ts(now),
                c.economic_code,
                c.postal_code
            ],
        )?;
        let body = OpBody::CustomerUpsert(c.to_wire());
        outbox::enqueue(&tx, Uuid::now_v7(), now, c.id, &Base::default(), by.as_ref(), &body)?;
        tx.commit()?;
        Ok(c)
    }

    /// A customer by id, mobile or national id.
    pub fn find_customer(&self, key: &str) -> Result<Option<Customer>, StoreError> {
        find_customer_in(&self.conn, key)
    }

    pub fn search_customers(&self, query: &str, limit: u32) -> Result<Vec<Customer>, StoreError> {
        let key = persian::search_key(query);
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, mobile, national_id, created_at, credit_limit, economic_code, postal_code FROM customers
             WHERE search_key LIKE ?1 ESCAPE '\\' ORDER BY name LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![like_pattern(&key), limit], customer_from_row)?;
        rows.map(|r| r?).collect()
    }

    /// Records a till's own gold price, as a script does; see [`Store::set_price`].
    pub fn set_gold_price(&mut self, entry: PriceEntry, now: DateTime<Utc>) -> Result<GoldPrice, StoreError> {
        self.set_price(&NewPrice::till(entry), now)
    }

    /// Checks a price against the shop's guards without saving it: what the
    /// owner sees before confirming (per gram and per mesghal, old and new).
    pub fn preview_gold_price(&self, entry: PriceEntry) -> Result<PriceChange, StoreError> {
        gold_price::check(entry, self.current_gold_price()?, &self.settings()?)
    }

    /// Records the day's gold price; the newest one prices every sale after
    /// it. Refused outside the shop's bounds, and past the shop's step
    /// unless confirmed. The shop's price is pushed to the server as such.
    pub fn set_price(&mut self, new: &NewPrice, now: DateTime<Utc>) -> Result<GoldPrice, StoreError> {
        self.device()?;
        let change = self.preview_gold_price(new.entry)?;
        if change.needs_confirmation && !new.confirmed {
            return Err(StoreError::PriceStepUnconfirmed {
                previous: change.previous.as_ref().map_or(Rial::ZERO, |p| p.per_gram_18k),
                price: change.per_gram_18k,
                change: change.change_percent.unwrap_or_default(),
            });
        }
        let (per_gram_18k, mazaneh) = new.entry.resolve();
        let set_by = new.set_by.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let price = GoldPrice {
            id: Uuid::now_v7(),
            per_gram_18k,
            mazaneh,
            set_at: now,
            origin: PriceOrigin::Till,
            scope: new.scope,
            set_by: set_by.clone(),
        };
        self.require(Act::SetPrice)?;
        let by = self.acting();
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO gold_prices (id, per_gram_18k, mazaneh, set_at, origin, scope, set_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                price.id.to_string(),
                rial_sql(per_gram_18k)?,
                mazaneh.map(rial_sql).transpose()?,
                ts(now),
                price.origin.code(),
                price.scope.code(),
                set_by,
            ],
        )?;
        let body = OpBody::GoldPriceSet(GoldPricePayload {
            price_id: price.id,
            per_gram_18k: per_gram_18k.decimal(),
            mazaneh: mazaneh.map(Rial::decimal),
            set_at: now,
            scope: price.scope,
            set_by: price.set_by.clone(),
            set_at_till: None,
        });
        outbox::enqueue(&tx, Uuid::now_v7(), now, price.id, &Base::default(), by.as_ref(), &body)?;
        tx.commit()?;
        Ok(price)
    }

    pub fn current_gold_price(&self) -> Result<Option<GoldPrice>, StoreError> {
        Ok(self.gold_price_history(1)?.into_iter().next())
    }

    /// Newest first.
    pub fn gold_price_history(&self, limit: u32) -> Result<Vec<GoldPrice>, StoreError> {
        gold_price_history_in(&self.conn, limit)
    }
}

pub(super) fn gold_price_history_in(conn: &Connection, limit: u32) -> Result<Vec<GoldPrice>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, per_gram_18k, mazaneh, set_at, origin, scope, set_by FROM gold_prices
         ORDER BY set_at DESC, id DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| {
        Ok((
            (r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, Option<i64>>(2)?),
            (r.get::<_, String>(3)?, r.get::<_, String>(4)?, r.get::<_, String>(5)?, r.get::<_, Option<String>>(6)?),
        ))
    })?;
    rows.map(|row| {
        let ((id, p, m), (at, origin, scope, set_by)) = row?;
        Ok(GoldPrice {
            id: parse_uuid(&id)?,
            per_gram_18k: Rial::from_i64(p),
            mazaneh: m.map(Rial::from_i64),
            set_at: parse_ts(&at)?,
            origin: PriceOrigin::from_code(&origin)
                .ok_or_else(|| StoreError::Corrupt(format!("price origin {origin}")))?,
            scope: PriceScope::from_code(&scope).ok_or_else(|| StoreError::Corrupt(format!("price scope {scope}")))?,
            set_by,
        })
    })
    .collect()
}

/// What `customer_from_row` reads, in its order.
const CUSTOMER_COLUMNS: &str = "id, name, mobile, national_id, created_at, credit_limit, economic_code, postal_code";

fn customer_from_row(r: &Row<'_>) -> rusqlite::Result<Result<Customer, StoreError>> {
    let id: String = r.get(0)?;
    let name: String = r.get(1)?;
    let mobile: Option<String> = r.get(2)?;
    let national_id: Option<String> = r.get(3)?;
    let created_at: String = r.get(4)?;
    let credit_limit: i64 = r.get(5)?;
    let (economic_code, postal_code): (Option<String>, Option<String>) = (r.get(6)?, r.get(7)?);
    Ok((|| {
        Ok(Customer {
            id: parse_uuid(&id)?,
            name,
            mobile: mobile.map(|m| Mobile::parse(&m)).transpose().map_err(|e| StoreError::Corrupt(e.to_string()))?,
            national_id: national_id
                .map(|n| NationalId::parse(&n))
                .transpose()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            created_at: parse_ts(&created_at)?,
            economic_code,
            postal_code,
            credit_limit: Rial::from_i64(credit_limit),
        })
    })())
}

pub(super) fn find_item_in(conn: &Connection, code: &str) -> Result<Option<Item>, StoreError> {
    let code = persian::fold_digits(code.trim());
    let sql = format!("SELECT {ITEM_COLUMNS} FROM items WHERE tag = ?1 OR barcode = ?1 ORDER BY tag = ?1 DESC LIMIT 1");
    conn.prepare_cached(&sql)?.query_row([code], item_from_row).optional()?.transpose()
}

pub(super) fn find_customer_in(conn: &Connection, key: &str) -> Result<Option<Customer>, StoreError> {
    let folded = persian::fold_digits(key.trim());
    let by = if let Ok(id) = Uuid::parse_str(&folded) {
        ("id", id.to_string())
    } else if let Ok(m) = Mobile::parse(&folded) {
        ("mobile", m.as_str().to_owned())
    } else if let Ok(n) = NationalId::parse(&folded) {
        ("national_id", n.as_str().to_owned())
    } else {
        return Ok(None);
    };
    let sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE {} = ?1", by.0);
    conn.prepare_cached(&sql)?.query_row([by.1], customer_from_row).optional()?.transpose()
}
