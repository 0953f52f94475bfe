// The app's commands, one typed function each. The names must match
// src-tauri's command list (a Rust test checks this file against it).
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type {
  AppInfo, ConflictView, Customer, GoldPriceInput, GoldPrices, ItemInput, ItemQuery, ItemStatus, ItemView, Lang,
  NewCustomerInput, PriceChangeView, Quote, ReplacePiece, ResolveInput, ResubmitPreviewView, ReturnInput,
  ReturnQuoteView, SaleDraft, SalesDay, PrintersView, PrintersInput, RasterInput, PrintedView, PagePrinter,
  LabelSheetView,
  SaleView, SettingKey, SettingsView, SyncView, UpdateView, ShiftStatusView, NoteCount, ZReport, ShopReportView, Person, PersonInput, TaxInvoiceState,
  AccountView, AccountMoveInput,
} from "./bindings";

export const SYNC_STATUS_EVENT = "sync-status";
export const UPDATE_EVENT = "update-status";
export const APP_INFO_EVENT = "app-info";

export const api = {
  appInfo: () => invoke<AppInfo>("app_info"),
  findItem: (code: string) => invoke<ItemView>("find_item", { code }),
  listItems: (query: ItemQuery) => invoke<ItemView[]>("list_items", { query }),
  /** Adds a piece (original null) or edits one; a value change needs the owner's PIN. */
  saveItem: (input: ItemInput, pin: string | null) => invoke<ItemView>("save_item", { input, pin }),
  /** Back on the shelf, on hold, in repair: no PIN. */
  setItemStatus: (tag: string, status: ItemStatus) => invoke<ItemView>("set_item_status", { tag, status }),
  quoteSale: (draft: SaleDraft) => invoke<Quote>("quote_sale", { draft }),
  /** `pin`: the owner's, for a sale refused for passing an offline limit (`needsOwnerPin`). */
  /** pin: the owner's, past an offline limit; managerPin: a manager's, for a discount past the cashier's limit. */
  recordSale: (draft: SaleDraft, pin: string | null = null, managerPin: string | null = null) =>
    invoke<SaleView>("record_sale", { draft, pin, managerPin }),
  saleByInvoice: (invoiceNo: number) => invoke<SaleView>("sale_by_invoice", { invoiceNo }),
  /** What returning these pieces (all when empty) gives back, by method. */
  quoteReturn: (invoiceNo: number, tags: string[]) => invoke<ReturnQuoteView>("quote_return", { invoiceNo, tags }),
  /** Records a return; gives the sale with its credit notes. */
  recordReturn: (input: ReturnInput) => invoke<SaleView>("record_return", { input }),
  /** day: YYYY-MM-DD, or null for today (Tehran). */
  salesDay: (day: string | null) => invoke<SalesDay>("sales_day", { day }),
  /** Asks where (the system's save dialog), writes the day's CSV there and gives its path; null when cancelled. */
  exportSalesCsv: (day: string | null) => invoke<string | null>("export_sales_csv", { day }),
  searchCustomers: (query: string) => invoke<Customer[]>("search_customers", { query }),
  addCustomer: (customer: NewCustomerInput) => invoke<Customer>("add_customer", { customer }),
  goldPrices: () => invoke<GoldPrices>("gold_prices"),
  /** Checks a price against the shop's bounds and step, without saving it. */
  previewGoldPrice: (input: GoldPriceInput) => invoke<PriceChangeView>("preview_gold_price", { input }),
  /** The shop's price: needs the owner's PIN, and `confirmed` past the shop's step. */
  setGoldPrice: (input: GoldPriceInput, pin: string, confirmed: boolean) =>
    invoke<GoldPrices>("set_gold_price", { input, pin, confirmed }),
  syncStatus: () => invoke<SyncView>("sync_status"),
  syncNow: () => invoke<void>("sync_now"),
  conflicts: (all: boolean) => invoke<ConflictView[]>("conflicts", { all }),
  // Owner-only (the backend refuses with code "owner_locked" until unlocked).
  setOwnerPin: (name: string, pin: string, currentPin: string | null) =>
    invoke<AppInfo>("set_owner_pin", { name, pin, currentPin }),
  unlockOwner: (pin: string) => invoke<AppInfo>("unlock_owner", { pin }),
  signIn: (name: string, pin: string) => invoke<AppInfo>("sign_in", { name, pin }),
  signOut: () => invoke<AppInfo>("sign_out"),
  /** The open shift's X report, the last Z report, the notes to count in. */
  shiftStatus: () => invoke<ShiftStatusView>("shift_status"),
  /** float: as typed in the display unit; null or empty when not counted. */
  openShift: (float: string | null) => invoke<ShiftStatusView>("open_shift", { float }),
  moveCash: (amount: string, out: boolean, reason: string) => invoke<ShiftStatusView>("move_cash", { amount, out, reason }),
  closeShift: (counts: NoteCount[]) => invoke<ZReport>("close_shift", { counts }),
  /** A customer's account (id, mobile or national id): the statement, each line in words. */
  account: (customer: string) => invoke<AccountView>("account", { customer }),
  /** managerPin: a manager's or the owner's, for a conversion by a cashier. */
  recordAccountMove: (input: AccountMoveInput, managerPin: string | null) =>
    invoke<AccountView>("record_account_move", { input, managerPin }),
  /** limit: as typed in the display unit. */
  setCreditLimit: (customer: string, limit: string) => invoke<AccountView>("set_credit_limit", { customer, limit }),
  /** The whole shop from its server (an owner's device): days as YYYY-MM-DD, today when null. */
  shopReport: (from: string | null, to: string | null) => invoke<ShopReportView>("shop_report", { from, to }),
  taxInvoices: () => invoke<TaxInvoiceState[]>("tax_invoices"),
  saveReportCsv: (from: string | null, to: string | null) => invoke<string | null>("save_report_csv", { from, to }),
  /** Everyone on record, active first (the owner's). */
  people: () => invoke<Person[]>("people"),
  /** Adds or changes a person with the owner's PIN; everyone on record after. */
  savePerson: (person: PersonInput, ownerPin: string) => invoke<Person[]>("save_person", { person, ownerPin }),
  lockOwner: () => invoke<AppInfo>("lock_owner"),
  settings: () => invoke<SettingsView>("settings"),
  setSetting: (key: SettingKey, value: string) => invoke<SettingsView>("set_setting", { key, value }),
  setLanguage: (lang: Lang) => invoke<AppInfo>("set_language", { lang }),
  enroll: (serverUrl: string, code: string) => invoke<AppInfo>("enroll", { serverUrl, code }),
  previewResubmit: (opId: string, replace: ReplacePiece[]) =>
    invoke<ResubmitPreviewView>("preview_resubmit", { opId, replace }),
  resolveConflict: (input: ResolveInput) => invoke<ConflictView[]>("resolve_conflict", { input }),
  printers: () => invoke<PrintersView>("printers"),
  // Owner-only: where this till prints.
  setPrinters: (input: PrintersInput) => invoke<PrintersView>("set_printers", { input }),
  /** A receipt drawn as dots, to the receipt printer. */
  printReceipt: (raster: RasterInput) => invoke<PrintedView>("print_receipt", { raster }),
  /** What the window shows, to the office or label printer (the print class is on). */
  printPage: (printer: PagePrinter, job: string) => invoke<void>("print_page", { printer, job }),
  labelSheet: (tags: string[]) => invoke<LabelSheetView>("label_sheet", { tags }),
  updateStatus: () => invoke<UpdateView>("update_status"),
  // Owner-only: look for an update now; install the one on offer; start the installed version.
  checkUpdate: () => invoke<UpdateView>("check_update"),
  installUpdate: () => invoke<UpdateView>("install_update"),
  restartApp: () => invoke<void>("restart_app"),
};

export function onSyncStatus(handler: (status: SyncView) => void): Promise<UnlistenFn> {
  return listen<SyncView>(SYNC_STATUS_EVENT, (event) => handler(event.payload));
}

export function onUpdateStatus(handler: (status: UpdateView) => void): Promise<UnlistenFn> {
  return listen<UpdateView>(UPDATE_EVENT, (event) => handler(event.payload));
}

/** The till changed behind the UI (enrolled from the fleet preset). */
export function onAppInfo(handler: (info: AppInfo) => void): Promise<UnlistenFn> {
  return listen<AppInfo>(APP_INFO_EVENT, (event) => handler(event.payload));
}
