//! The commands the UI calls: each takes the till's state, calls
//! `zargar-core`, and maps the answer to IPC types. No SQL, no HTTP, no
//! business rule lives here. The list at the bottom is checked against
//! `build.rs`, the capability file and `ui/src/lib/api.ts` by tests.

use chrono::{NaiveDate, Utc};
use tauri::{AppHandle, Manager, State};
use zargar_core::customer::NewCustomer;
use zargar_core::error::Field;
use zargar_core::gold_price::{NewPrice, PriceEntry};
use zargar_core::persian;
use zargar_core::sale::{PaymentInput, SaleRequest, TradeInInput};
use zargar_core::store::{DueChange, ItemFilter, ResolveRequest, ReturnRequest, SaleEdit, TimeSpan};
use zargar_core::{Store, StoreError};

use crate::StartFailure;
use crate::error::{AppError, AppResult};
use crate::ipc::*;
use crate::till::Till;
use crate::updates::Updates;

fn payments(store: &Store, drafts: &[PaymentDraft]) -> AppResult<Vec<PaymentInput>> {
    let unit = store.settings()?.display_unit;
    drafts.iter().map(|p| Ok(PaymentInput::new(p.method, unit.parse_amount(Field::Amount, &p.amount)?)?)).collect()
}

fn sale_request(store: &Store, d: &SaleDraft) -> AppResult<SaleRequest> {
    let trade_ins = d
        .trade_ins
        .iter()
        .map(|t| TradeInInput::from_fields(&t.weight, &t.purity, t.deduction.as_deref()).map_err(AppError::from))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(SaleRequest {
        items: d.items.iter().map(|c| persian::fold_digits(c.trim())).collect(),
        customer: d.customer.clone(),
        payments: payments(store, &d.payments)?,
        trade_ins,
        profit: None,
        exchange: d.exchange.as_ref().map(|x| ReturnRequest {
            invoice_no: x.invoice_no,
            tags: x.tags.iter().map(|t| persian::fold_digits(t.trim())).collect(),
            ..ReturnRequest::default()
        }),
    })
}

fn shop_name(store: &Store) -> AppResult<Option<String>> {
    Ok(store.sync_link()?.map(|l| l.tenant.name))
}

fn sale_view(store: &Store, sale: &zargar_core::sale::Sale) -> AppResult<SaleView> {
    let returns = store.returns_of_sale(sale.id)?;
    Ok(SaleView::new(sale, &store.device()?.name, shop_name(store)?).with_returns(&returns))
}

/// A day as the UI sends it (YYYY-MM-DD, Jalali or Gregorian), or today in Tehran.
fn tehran_day(day: Option<&str>) -> AppResult<NaiveDate> {
    match day.map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(persian::tehran_date(Utc::now())),
        Some(d) => persian::parse_date(d).ok_or_else(|| zargar_core::ValidationError::new(Field::Date, d).into()),
    }
}

/// The till as the UI starts it; when the till could not open, why.
#[tauri::command]
pub async fn app_info(app: AppHandle) -> AppResult<AppInfo> {
    match app.try_state::<Till>() {
        Some(till) => till.info().await,
        None => Err(match app.try_state::<StartFailure>() {
            Some(f) => AppError(f.0.0.clone()),
            None => AppError::internal("the till is not open"),
        }),
    }
}

#[tauri::command]
pub async fn find_item(till: State<'_, Till>, code: String) -> AppResult<ItemView> {
    till.store(move |s| {
        let code = persian::fold_digits(code.trim());
        let item = s.find_item(&code)?.ok_or(StoreError::ItemNotFound(code))?;
        Ok(item.into())
    })
    .await
}

#[tauri::command]
pub async fn list_items(till: State<'_, Till>, query: ItemQuery) -> AppResult<Vec<ItemView>> {
    till.store(move |s| {
        let filter = ItemFilter {
            search: query.search.filter(|q| !q.trim().is_empty()),
            status: query.status,
            limit: Some(query.limit.unwrap_or(200).min(1000)),
        };
        Ok(s.list_items(&filter)?.into_iter().map(ItemView::from).collect())
    })
    .await
}

/// The piece as typed, in the store's terms (amounts from the display unit).
fn new_item(s: &Store, input: &ItemInput) -> AppResult<zargar_core::item::NewItem> {
    let unit = s.settings()?.display_unit;
    let rials = |field: Field, v: &str| -> AppResult<String> { Ok(unit.parse_amount(field, v)?.decimal().to_string()) };
    let (wage_percent, wage_per_gram) = match input.wage_kind {
        WageKind::Percent => (Some(input.wage_value.clone()), None),
        WageKind::PerGram => (None, Some(rials(Field::WagePerGram, &input.wage_value)?)),
    };
    let stones = input.stones.trim();
    let typed = zargar_core::item::NewItemInput {
        tag: input.tag.clone(),
        name: input.name.clone(),
        weight: input.weight.clone(),
        purity: input.purity.clone(),
        wage_percent,
        wage_per_gram,
        barcode: input.barcode.clone(),
        category: input.category.clone(),
        stones: if stones.is_empty() { None } else { Some(rials(Field::Stones, stones)?) },
    };
    Ok(typed.parse()?)
}

/// Adds a piece, or edits one on the shelf. Setting or changing what a
/// piece sells for (a new piece; its weight, purity, wage or stones) needs
/// the owner's PIN, checked and throttled like the unlock, for this save
/// only; a name, category or code change does not.
#[tauri::command]
pub async fn save_item(till: State<'_, Till>, input: ItemInput, pin: Option<String>) -> AppResult<ItemView> {
    let check = input.clone();
    let needs_owner = till
        .store(move |s| {
            let new = new_item(s, &check)?;
            match check.original.as_deref() {
                None => Ok(true),
                Some(code) => {
                    let old = s.find_item(code)?.ok_or_else(|| StoreError::ItemNotFound(code.to_owned()))?;
                    Ok(old.value_changes(&new))
                }
            }
        })
        .await?;
    if needs_owner {
        let pin = pin.filter(|p| !p.trim().is_empty()).ok_or(StoreError::OwnerPinNeeded)?;
        till.owner_gate()?.ready(Utc::now())?;
        let right = till.store(move |s| Ok(s.check_owner_pin(&pin)?)).await?;
        till.owner_gate()?.settle_attempt(Utc::now(), right)?;
        till.owner_gate()?.lock();
    }
    let view = till
        .store(move |s| {
            let new = new_item(s, &input)?;
            let item = match input.original.as_deref() {
                None => s.add_item(&new, Utc::now())?,
                Some(code) => s.edit_item(code, &new, Utc::now())?,
            };
            Ok(item.into())
        })
        .await?;
    till.recorded().await;
    Ok(view)
}

/// Puts a piece back on the shelf (returned, or back from repair), on hold
/// for a customer, or in repair. Its value does not change: no PIN.
#[tauri::command]
pub async fn set_item_status(till: State<'_, Till>, tag: String, status: ItemStatus) -> AppResult<ItemView> {
    let view = till.store(move |s| Ok(s.set_item_status(&tag, status, Utc::now())?.into())).await?;
    till.recorded().await;
    Ok(view)
}

#[tauri::command]
pub async fn quote_sale(till: State<'_, Till>, draft: SaleDraft) -> AppResult<Quote> {
    till.store(move |s| {
        let req = sale_request(s, &draft)?;
        Ok(s.draft_sale(&req, Utc::now())?.into())
    })
    .await
}

#[tauri::command]
pub async fn record_sale(till: State<'_, Till>, draft: SaleDraft) -> AppResult<SaleView> {
    let view = till
        .store(move |s| {
            let req = sale_request(s, &draft)?;
            let recorded = s.record_sale(&req, Utc::now())?;
            sale_view(s, &recorded.sale)
        })
        .await?;
    till.recorded().await;
    Ok(view)
}

#[tauri::command]
pub async fn sale_by_invoice(till: State<'_, Till>, invoice_no: u64) -> AppResult<SaleView> {
    till.store(move |s| sale_view(s, &s.sale_by_invoice(invoice_no)?)).await
}

#[tauri::command]
pub async fn quote_return(till: State<'_, Till>, invoice_no: u64, tags: Vec<String>) -> AppResult<ReturnQuoteView> {
    till.store(move |s| {
        let q = s.quote_return(invoice_no, &tags)?;
        Ok(ReturnQuoteView {
            sale: sale_view(s, &q.sale)?,
            lines: q.lines.iter().map(LineView::from).collect(),
            refund: q.refund.decimal().to_string(),
            room: q.room.by_method.iter().map(PaymentView::from).collect(),
            suggested: q.suggested.iter().map(PaymentView::from).collect(),
        })
    })
    .await
}

#[tauri::command]
pub async fn record_return(till: State<'_, Till>, input: ReturnInput) -> AppResult<SaleView> {
    let view = till
        .store(move |s| {
            let req = ReturnRequest {
                invoice_no: input.invoice_no,
                tags: input.tags.iter().map(|t| persian::fold_digits(t.trim())).collect(),
                refunds: payments(s, &input.refunds)?,
                reason: input.reason.clone(),
            };
            let ret = s.record_return(&req, Utc::now())?;
            sale_view(s, &s.sale(ret.sale_id)?)
        })
        .await?;
    till.recorded().await;
    Ok(view)
}

#[tauri::command]
pub async fn sales_day(till: State<'_, Till>, day: Option<String>) -> AppResult<SalesDay> {
    let day = tehran_day(day.as_deref())?;
    till.store(move |s| {
        let span = TimeSpan::tehran_days(Some(day), Some(day));
        Ok(SalesDay {
            day: day.format("%Y-%m-%d").to_string(),
            sales: s.day_entries(span, 10_000)?.into_iter().map(SaleRow::from).collect(),
            totals: s.sales_report(span)?.into(),
        })
    })
    .await
}

/// The day's CSV, saved where the owner chooses in the system's save
/// dialog (Downloads offered first); the path, or null when cancelled.
#[tauri::command]
pub async fn export_sales_csv(app: AppHandle, till: State<'_, Till>, day: Option<String>) -> AppResult<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    let day = tehran_day(day.as_deref())?;
    let lang = till.store(|s| Ok(s.language()?)).await?;
    let dir = app.path().download_dir().or_else(|_| app.path().home_dir()).map_err(AppError::internal)?;
    let messages = zargar_core::i18n::messages(lang);
    let chosen = app
        .dialog()
        .file()
        .set_title(messages.text("salesday-export-title"))
        .set_directory(&dir)
        .set_file_name(format!("zargar-sales-{}.csv", day.format("%Y-%m-%d")))
        .add_filter(messages.text("salesday-export-filter"), &["csv"])
        .blocking_save_file();
    let Some(chosen) = chosen else { return Ok(None) };
    let path = chosen.into_path().map_err(AppError::internal)?;
    till.store(move |s| {
        let rows = s.export_rows(TimeSpan::tehran_days(Some(day), Some(day)))?;
        // Written beside and renamed, so a half-written file never has the name.
        let tmp = path.with_extension("csv.part");
        let file = std::fs::File::create(&tmp).map_err(StoreError::Io)?;
        zargar_core::export::write_csv(&rows, s.language()?, std::io::BufWriter::new(file))?;
        std::fs::rename(&tmp, &path).map_err(StoreError::Io)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

#[tauri::command]
pub async fn search_customers(till: State<'_, Till>, query: String) -> AppResult<Vec<CustomerView>> {
    till.store(move |s| Ok(s.search_customers(&query, 20)?.into_iter().map(CustomerView::from).collect())).await
}

#[tauri::command]
pub async fn add_customer(till: State<'_, Till>, customer: NewCustomerInput) -> AppResult<CustomerView> {
    let view = till
        .store(move |s| {
            let new = NewCustomer::parse(&customer.name, customer.mobile.as_deref(), customer.national_id.as_deref())?;
            Ok(s.add_customer(&new, Utc::now())?.into())
        })
        .await?;
    till.recorded().await;
    Ok(view)
}

fn gold_prices_of(s: &Store) -> AppResult<GoldPrices> {
    let status = s.status(Utc::now())?;
    let shop = s.settings()?;
    let current = s.current_gold_price()?;
    let rial = |r: zargar_core::rules::money::Rial| r.decimal().to_string();
    Ok(GoldPrices {
        old_gold_per_gram_18k: current.as_ref().map(|p| rial(shop.old_gold_price(p.per_gram_18k))),
        current: current.map(Into::into),
        stale: status.gold_price_stale,
        max_age_hours: shop.price_max_age_hours,
        history: s.gold_price_history(100)?.into_iter().map(Into::into).collect(),
        old_gold_spread_percent: shop.old_gold_spread.decimal().normalize().to_string(),
        step_percent: shop.price_step.decimal().normalize().to_string(),
        floor: shop.price_floor.map(rial),
        ceiling: shop.price_ceiling.map(rial),
    })
}

fn price_entry(s: &Store, input: &GoldPriceInput) -> AppResult<PriceEntry> {
    let unit = s.settings()?.display_unit;
    let amount = unit.parse_amount(Field::GoldPrice, &input.amount)?;
    Ok(match input.by {
        QuoteBasis::Gram => PriceEntry::PerGram18k(amount),
        QuoteBasis::Mesghal => PriceEntry::Mazaneh(amount),
    })
}

/// The price as it would be set: refused outside the shop's bounds, and
/// with what the owner must confirm (old and new, per gram and per mesghal).
#[tauri::command]
pub async fn preview_gold_price(till: State<'_, Till>, input: GoldPriceInput) -> AppResult<PriceChangeView> {
    till.store(move |s| {
        let change = s.preview_gold_price(price_entry(s, &input)?)?;
        Ok(PriceChangeView::new(&change, &s.settings()?))
    })
    .await
}

#[tauri::command]
pub async fn gold_prices(till: State<'_, Till>) -> AppResult<GoldPrices> {
    till.store(|s| gold_prices_of(s)).await
}

/// The shop's price, set by the owner: the owner's PIN with every price
/// (checked and throttled like the unlock), and `confirmed` for a step past
/// the shop's setting. It goes to the server as the shop's price.
#[tauri::command]
pub async fn set_gold_price(
    till: State<'_, Till>,
    input: GoldPriceInput,
    pin: String,
    confirmed: bool,
) -> AppResult<GoldPrices> {
    till.owner_gate()?.ready(Utc::now())?;
    let right = till.store(move |s| Ok(s.check_owner_pin(&pin)?)).await?;
    till.owner_gate()?.settle_attempt(Utc::now(), right)?;
    // The PIN opened the gate for this price only: the owner's screens stay shut.
    till.owner_gate()?.lock();
    let prices = till
        .store(move |s| {
            let owner = s.owner()?.ok_or(StoreError::OwnerPinMissing)?;
            s.set_price(&NewPrice::shop(price_entry(s, &input)?, &owner.name, confirmed), Utc::now())?;
            gold_prices_of(s)
        })
        .await?;
    till.recorded().await;
    Ok(prices)
}

#[tauri::command]
pub async fn sync_status(till: State<'_, Till>) -> AppResult<SyncView> {
    till.sync_view().await
}

#[tauri::command]
pub async fn sync_now(till: State<'_, Till>) -> AppResult<()> {
    till.sync_now().await;
    Ok(())
}

#[tauri::command]
pub async fn conflicts(till: State<'_, Till>, all: bool) -> AppResult<Vec<ConflictView>> {
    till.require_owner()?;
    till.store(move |s| conflicts_of(s, all)).await
}

fn conflicts_of(s: &Store, all: bool) -> AppResult<Vec<ConflictView>> {
    let me = s.device()?.clone();
    let shop = shop_name(s)?;
    let list = s.conflicts(all)?;
    Ok(list
        .iter()
        .map(|c| {
            let names = |id: uuid::Uuid| {
                if id == me.device_id {
                    return Some(me.name.clone());
                }
                list.iter().find(|o| o.device_id == id).and_then(|o| o.device_name.clone())
            };
            ConflictView::new(c, &me.name, shop.clone(), names)
        })
        .collect())
}

#[tauri::command]
pub async fn resolve_conflict(till: State<'_, Till>, input: ResolveInput) -> AppResult<Vec<ConflictView>> {
    till.require_owner()?;
    let list = till
        .store(move |s| {
            let owner = s.owner()?.ok_or(StoreError::OwnerPinMissing)?;
            let op_id = uuid::Uuid::parse_str(input.op_id.trim())
                .map_err(|_| StoreError::ConflictNotFound(input.op_id.clone()))?;
            let edit = match input.resolution {
                Resolution::Resubmit => Some(SaleEdit {
                    replace: swaps(&input.replace),
                    payments: input.payments.as_deref().map(|p| payments(s, p)).transpose()?,
                    due_change: input
                        .due_change
                        .as_ref()
                        .map(|d| -> AppResult<DueChange> {
                            let amount = persian::parse_decimal(&d.amount)
                                .ok_or_else(|| zargar_core::ValidationError::new(Field::Amount, &d.amount))?;
                            Ok(DueChange { amount, method: d.method })
                        })
                        .transpose()?,
                }),
                _ => None,
            };
            let req = ResolveRequest {
                op_id,
                resolution: input.resolution,
                resolved_by: owner.name,
                reason: input.reason.filter(|r| !r.trim().is_empty()),
                edit,
            };
            s.resolve_conflict(&req, Utc::now())?;
            conflicts_of(s, false)
        })
        .await?;
    till.recorded().await;
    Ok(list)
}

/// Pieces swapped in an edited sale, as typed: blank rows dropped, digits folded.
fn swaps(replace: &[ReplacePiece]) -> Vec<(String, String)> {
    replace
        .iter()
        .filter(|r| !r.new.trim().is_empty())
        .map(|r| (r.old.clone(), persian::fold_digits(r.new.trim())))
        .collect()
}

/// What resubmitting a conflicted sale with pieces swapped does to what the
/// customer owes, before the owner decides.
#[tauri::command]
pub async fn preview_resubmit(
    till: State<'_, Till>,
    op_id: String,
    replace: Vec<ReplacePiece>,
) -> AppResult<ResubmitPreviewView> {
    till.require_owner()?;
    till.store(move |s| {
        let id = uuid::Uuid::parse_str(op_id.trim()).map_err(|_| StoreError::ConflictNotFound(op_id.clone()))?;
        let p = s.preview_resubmit(id, &swaps(&replace))?;
        let rial = |r: zargar_core::rules::money::Rial| r.decimal().to_string();
        Ok(ResubmitPreviewView { old_due: rial(p.old_due), new_due: rial(p.new_due), difference: rial(p.difference) })
    })
    .await
}

#[tauri::command]
pub async fn set_owner_pin(
    till: State<'_, Till>,
    name: String,
    pin: String,
    current_pin: Option<String>,
) -> AppResult<AppInfo> {
    till.store(move |s| Ok(s.set_owner_pin(&name, &pin, current_pin.as_deref()).map(|_| ())?)).await?;
    // Setting the first PIN is done by the owner at the till: open for them.
    till.owner_gate()?.settle_attempt(Utc::now(), true)?;
    till.info().await
}

#[tauri::command]
pub async fn unlock_owner(till: State<'_, Till>, pin: String) -> AppResult<AppInfo> {
    // argon2 takes a moment: the hash is checked outside the gate's lock.
    till.owner_gate()?.ready(Utc::now())?;
    let right = till.store(move |s| Ok(s.check_owner_pin(&pin)?)).await?;
    till.owner_gate()?.settle_attempt(Utc::now(), right)?;
    till.info().await
}

#[tauri::command]
pub async fn lock_owner(till: State<'_, Till>) -> AppResult<AppInfo> {
    till.owner_gate()?.lock();
    till.info().await
}

#[tauri::command]
pub async fn settings(till: State<'_, Till>) -> AppResult<SettingsView> {
    till.require_owner()?;
    settings_view(&till).await
}

async fn settings_view(till: &Till) -> AppResult<SettingsView> {
    let info = till.info().await?;
    till.store(move |s| {
        let shop = s.settings()?;
        let vat = shop.vat.rate_on(persian::tehran_date(Utc::now()));
        Ok(SettingsView::new(&shop, vat, &info))
    })
    .await
}

#[tauri::command]
pub async fn set_setting(till: State<'_, Till>, key: SettingKey, value: String) -> AppResult<SettingsView> {
    till.require_owner()?;
    till.store(move |s| Ok(s.set_setting(key, &value).map(|_| ())?)).await?;
    till.refresh_status();
    settings_view(&till).await
}

#[tauri::command]
pub async fn set_language(till: State<'_, Till>, lang: Lang) -> AppResult<AppInfo> {
    till.require_owner()?;
    till.store(move |s| Ok(s.set_language(lang)?)).await?;
    till.info().await
}

#[tauri::command]
pub async fn enroll(till: State<'_, Till>, server_url: String, code: String) -> AppResult<AppInfo> {
    till.require_owner()?;
    till.enroll(&server_url, &code).await?;
    till.info().await
}

#[tauri::command]
pub fn update_status(updates: State<'_, Updates>) -> UpdateView {
    updates.view()
}

#[tauri::command]
pub async fn check_update(app: AppHandle, till: State<'_, Till>, updates: State<'_, Updates>) -> AppResult<UpdateView> {
    till.require_owner()?;
    Ok(updates.check(&app).await)
}

/// Installs the update on offer: the owner's, and only when they confirm.
#[tauri::command]
pub async fn install_update(
    app: AppHandle,
    till: State<'_, Till>,
    updates: State<'_, Updates>,
) -> AppResult<UpdateView> {
    till.require_owner()?;
    updates.install(&app, &till).await
}

/// Starts the installed version after an update.
#[tauri::command]
pub fn restart_app(app: AppHandle, till: State<'_, Till>) -> AppResult<()> {
    till.require_owner()?;
    app.restart()
}

include!("command_names.rs");

#[tauri::command]
pub async fn printers(till: State<'_, Till>) -> AppResult<PrintersView> {
    till.store(|s| Ok(s.printers()?.into())).await
}

/// Owner only: where this till prints.
#[tauri::command]
pub async fn set_printers(till: State<'_, Till>, input: PrintersInput) -> AppResult<PrintersView> {
    till.require_owner()?;
    till.store(move |s| {
        let input = zargar_core::store::PrintersInput {
            receipt: input.receipt,
            office: input.office,
            label: input.label,
            label_size: input.label_size,
        };
        Ok(s.set_printers(&input)?.into())
    })
    .await
}

/// Sends a receipt the UI drew to the receipt printer, without a dialog.
/// The sale is saved whatever happens here; a printer that is off or out
/// of paper is said in the cashier's language, and P prints it again.
#[tauri::command]
pub async fn print_receipt(till: State<'_, Till>, raster: RasterInput) -> AppResult<PrintedView> {
    use base64::Engine as _;
    let printer = till.store(|s| Ok(s.printers()?.receipt)).await?.ok_or(StoreError::NoPrinter)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(raster.bits.as_bytes())
        .map_err(|_| zargar_core::print::PrintError::ImageBad {
            width: raster.width,
            height: raster.height,
            reason: "base64",
        })
        .map_err(StoreError::from)?;
    let mut bitmap =
        zargar_core::print::Bitmap::from_packed(raster.width, raster.height, bytes).map_err(StoreError::from)?;
    bitmap.trim_trailing_white();
    // Network and device IO, bounded by the printer's own timeouts: off the async workers.
    let outcome = tokio::task::spawn_blocking(move || printer.print_raster(&bitmap))
        .await
        .map_err(AppError::internal)?
        .map_err(StoreError::from)?;
    Ok(PrintedView { paper_near_end: outcome.paper_near_end() })
}

/// Prints what the window shows (the UI has put its print class on) to the
/// office or label printer, without a dialog.
#[tauri::command]
pub async fn print_page(
    window: tauri::WebviewWindow,
    till: State<'_, Till>,
    printer: PagePrinter,
    job: String,
) -> AppResult<()> {
    let printers = till.store(|s| Ok(s.printers()?)).await?;
    let (target, paper) = match printer {
        PagePrinter::Office => (printers.office, crate::page_print::Paper::A5),
        PagePrinter::Label => (
            printers.label,
            crate::page_print::Paper {
                width_mm: printers.label_size.width_mm(),
                height_mm: printers.label_size.height_mm(),
            },
        ),
    };
    let target = target.ok_or(StoreError::NoPrinter)?;
    // A job name is a file name in a PDF folder: keep it to plain characters.
    let job: String = job.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(64).collect();
    crate::page_print::print_page(&window, &target, paper, if job.is_empty() { "zargar" } else { &job }).await
}

/// Tag labels of these pieces (tags or barcodes) on the till's label roll.
#[tauri::command]
pub async fn label_sheet(till: State<'_, Till>, tags: Vec<String>) -> AppResult<LabelSheetView> {
    till.store(move |s| {
        let size = s.printers()?.label_size;
        let f = zargar_core::invoice::Formatter::new(s.language()?, s.settings()?.display_unit);
        let mut labels = Vec::new();
        for code in &tags {
            let code = persian::fold_digits(code.trim());
            let item = s.find_item(&code)?.ok_or(StoreError::ItemNotFound(code))?;
            let svg = zargar_core::label::label_svg(&item, size, f).map_err(StoreError::from)?;
            labels.push(LabelView { tag: item.tag, svg });
        }
        Ok(LabelSheetView { width_mm: size.width_mm(), height_mm: size.height_mm(), labels })
    })
    .await
}
