//! The rows a push only appends, kept in memory and written at commit as
//! one statement per table.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;
use zargar_wire::SalePayload;

use super::{Batched, ClaimRaced, PendingSale, PgTx};
use crate::storage::StorageError;
use crate::storage::postgres::rows::i64_of;
use crate::storage::tx::TxResult;

impl PgTx<'_> {
    /// The claims made in memory and not yet written: one statement that
    /// takes each piece only if it is still in stock at the version read,
    /// with how many rows it must find.
    pub(super) fn claims_write(&mut self) -> TxResult<Option<(Batched, u64)>> {
        let claims = &self.claims[self.claims_written..];
        if claims.is_empty() {
            return Ok(None);
        }
        let id: Vec<Uuid> = claims.iter().map(|c| c.id).collect();
        let sale: Vec<Uuid> = claims.iter().map(|c| c.sale).collect();
        let device: Vec<Uuid> = claims.iter().map(|c| c.device).collect();
        let version = claims.iter().map(|c| i64_of(c.version)).collect::<TxResult<Vec<i64>>>()?;
        let at: Vec<DateTime<Utc>> = claims.iter().map(|c| c.at).collect();
        let n = id.len() as u64;
        self.claims_written = self.claims.len();
        let write = Batched::new(
            "UPDATE items i SET status = 'sold', sale_id = u.s, sold_by = u.d, version = u.v, updated_at = u.a
             FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::int8[], $6::timestamptz[]) AS u(id, s, d, v, a)
             WHERE i.tenant_id = $1 AND i.id = u.id AND i.status = 'in_stock' AND i.version = u.v - 1",
            vec![
                Box::new(self.tenant),
                Box::new(id),
                Box::new(sale),
                Box::new(device),
                Box::new(version),
                Box::new(at),
            ],
        );
        Ok(Some((write, n)))
    }

    /// Writes the claims made in memory now, before a piece is written
    /// another way.
    pub(super) async fn write_claims(&mut self) -> TxResult<()> {
        let Some((write, want)) = self.claims_write()? else { return Ok(()) };
        let done = self.exec_together(std::slice::from_ref(&write)).await?;
        if done.first() != Some(&want) {
            return Err(StorageError::backend(ClaimRaced));
        }
        Ok(())
    }

    /// The sales kept by `insert_sale`, and their lines: one statement each.
    pub(super) fn sales_writes(&mut self) -> TxResult<Vec<Batched>> {
        let sales = std::mem::take(&mut self.sales);
        if sales.is_empty() {
            return Ok(Vec::new());
        }
        let mut r = SaleRows::default();
        for p in &sales {
            r.add(p)?;
        }
        let t = self.tenant;
        let l = r.lines;
        let [weight, purity, gold, wage, profit, vat, stones, total] = l.amounts;
        Ok(vec![
            Batched::new(
                "INSERT INTO sales (tenant_id, id, device_id, op_id, invoice_no, sold_at, per_gram_18k, total, status,
                     payload, received_at, seller)
                 SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::int8[], $6::timestamptz[],
                     $7::numeric[], $8::numeric[], $9::text[], $10::text[], $11::timestamptz[], $12::text[])",
                vec![
                    Box::new(t),
                    Box::new(r.id),
                    Box::new(r.device),
                    Box::new(r.op_id),
                    Box::new(r.invoice_no),
                    Box::new(r.sold_at),
                    Box::new(r.price),
                    Box::new(r.total),
                    Box::new(r.status),
                    Box::new(r.payload),
                    Box::new(r.at),
                    Box::new(r.seller),
                ],
            ),
            Batched::new(
                "INSERT INTO sale_lines (tenant_id, sale_id, line_no, item_id, tag, name, weight, purity, gold, wage,
                     profit, vat, stones, total)
                 SELECT $1, * FROM unnest($2::uuid[], $3::int[], $4::uuid[], $5::text[], $6::text[], $7::numeric[],
                     $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[], $12::numeric[], $13::numeric[],
                     $14::numeric[])",
                vec![
                    Box::new(t),
                    Box::new(l.sale_id),
                    Box::new(l.line_no),
                    Box::new(l.item_id),
                    Box::new(l.tag),
                    Box::new(l.name),
                    Box::new(weight),
                    Box::new(purity),
                    Box::new(gold),
                    Box::new(wage),
                    Box::new(profit),
                    Box::new(vat),
                    Box::new(stones),
                    Box::new(total),
                ],
            ),
        ])
    }

    /// The op results kept by `record_result`: one statement.
    pub(super) fn results_write(&mut self) -> TxResult<Option<Batched>> {
        let results = std::mem::take(&mut self.results);
        if results.is_empty() {
            return Ok(None);
        }
        let device: Vec<Uuid> = results.iter().map(|r| r.device).collect();
        let op_id: Vec<Uuid> = results.iter().map(|r| r.op_id).collect();
        let seq: Vec<i64> = results.iter().map(|r| r.seq).collect();
        let kind: Vec<&'static str> = results.iter().map(|r| r.kind).collect();
        let entity: Vec<Uuid> = results.iter().map(|r| r.entity_id).collect();
        let at: Vec<DateTime<Utc>> = results.iter().map(|r| r.at).collect();
        let result: Vec<String> = results.into_iter().map(|r| r.result).collect();
        Ok(Some(Batched::new(
            "INSERT INTO op_results (device_id, op_id, tenant_id, seq, kind, entity_id, result, received_at)
             SELECT u.d, u.o, $1, u.s, u.k, u.e, u.r, u.a FROM unnest($2::uuid[], $3::uuid[], $4::int8[], $5::text[],
                 $6::uuid[], $7::text[], $8::timestamptz[]) AS u(d, o, s, k, e, r, a)",
            vec![
                Box::new(self.tenant),
                Box::new(device),
                Box::new(op_id),
                Box::new(seq),
                Box::new(kind),
                Box::new(entity),
                Box::new(result),
                Box::new(at),
            ],
        )))
    }
}

/// Sales as column arrays, for one INSERT of many.
#[derive(Debug, Default)]
struct SaleRows {
    id: Vec<Uuid>,
    device: Vec<Uuid>,
    op_id: Vec<Uuid>,
    invoice_no: Vec<i64>,
    sold_at: Vec<DateTime<Utc>>,
    price: Vec<Decimal>,
    total: Vec<Decimal>,
    status: Vec<&'static str>,
    payload: Vec<String>,
    at: Vec<DateTime<Utc>>,
    seller: Vec<Option<String>>,
    lines: SaleLines,
}

impl SaleRows {
    fn add(&mut self, p: &PendingSale) -> TxResult<()> {
        self.id.push(p.sale.sale_id);
        self.device.push(p.from.device);
        self.op_id.push(p.from.op_id);
        self.invoice_no.push(i64_of(p.sale.invoice_no)?);
        self.sold_at.push(p.sale.sold_at);
        self.price.push(p.sale.gold_price.per_gram_18k);
        self.total.push(p.sale.totals.total);
        self.status.push(p.status.code());
        self.payload.push(serde_json::to_string(&p.sale)?);
        self.at.push(p.from.at);
        self.seller.push(p.from.by.as_ref().map(serde_json::to_string).transpose()?);
        self.lines.add(&p.sale);
        Ok(())
    }
}

/// Sale lines as column arrays.
#[derive(Debug, Default)]
struct SaleLines {
    sale_id: Vec<Uuid>,
    line_no: Vec<i32>,
    item_id: Vec<Uuid>,
    tag: Vec<String>,
    name: Vec<String>,
    /// weight, purity, gold, wage, profit, vat, stones, total.
    amounts: [Vec<Decimal>; 8],
}

impl SaleLines {
    fn add(&mut self, sale: &SalePayload) {
        for (i, l) in sale.lines.iter().enumerate() {
            self.sale_id.push(sale.sale_id);
            self.line_no.push(i32::try_from(i + 1).unwrap_or(i32::MAX));
            self.item_id.push(l.item_id);
            self.tag.push(l.tag.clone());
            self.name.push(l.name.clone());
            let values = [l.weight, l.purity, l.gold, l.wage, l.profit, l.vat, l.stones, l.total];
            for (column, v) in self.amounts.iter_mut().zip(values) {
                column.push(v);
            }
        }
    }
}
