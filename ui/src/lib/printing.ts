// Printing without a dialog where Settings name a printer, with the
// system's dialog where they do not:
// - the receipt: drawn here (Persian shaped by the webview) and sent as a
//   picture to the receipt printer (ESC/POS on the network or USB, or CUPS);
// - the A5 invoice and tag labels: the page itself, printed by the backend
//   to the office or label printer (a CUPS queue, or a folder of PDFs).
// A class on <html> picks what the print CSS shows; one @page rule, set
// through the CSSOM (not a <style> element, which the CSP forbids), gives
// engines without named pages the paper size.
import { api } from "./api";
import type { PagePrinter, PrintedView, SaleView } from "./bindings";
import { drawReceipt, RECEIPT_80MM_DOTS } from "./raster";
import { receiptRows, type ReceiptWords } from "./receipt";

export type PrintLayout = "80mm" | "a5" | "labels";

let pageSheet: CSSStyleSheet | null = null;
let afterPrint: (() => void) | null = null;

function setLayout(layout: PrintLayout, pageRule: string): () => void {
  afterPrint?.();
  const root = document.documentElement;
  root.classList.add(`print-${layout}`);
  try {
    pageSheet ??= new CSSStyleSheet();
    pageSheet.replaceSync(pageRule);
    if (!document.adoptedStyleSheets.includes(pageSheet)) {
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, pageSheet];
    }
  } catch {
    // No constructable style sheets: the named pages in the CSS apply.
  }
  const done = () => {
    root.classList.remove(`print-${layout}`);
    if (pageSheet) document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== pageSheet);
    window.removeEventListener("afterprint", done);
    afterPrint = null;
  };
  afterPrint = done;
  return done;
}

/** The system's print dialog, in one layout. */
export function printWithDialog(layout: PrintLayout, pageRule: string): void {
  const done = setLayout(layout, pageRule);
  window.addEventListener("afterprint", done);
  window.print();
}

/** The page to a printer named in Settings, silently; the dialog when none is. */
export async function printPage(layout: PrintLayout, pageRule: string, printer: PagePrinter, job: string): Promise<"printed" | "dialog"> {
  const setup = await api.printers();
  const named = printer === "office" ? setup.office : setup.label;
  if (!named) {
    printWithDialog(layout, pageRule);
    return "dialog";
  }
  const done = setLayout(layout, pageRule);
  try {
    await api.printPage(printer, job);
  } finally {
    done();
  }
  return "printed";
}

export const RECEIPT_PAGE = "@page { size: 80mm 297mm; margin: 3mm; }";
export const A5_PAGE = "@page { size: 148mm 210mm; margin: 8mm; }";

/** The receipt to the receipt printer, silently; the dialog when none is set. */
export async function printReceipt(sale: SaleView, words: ReceiptWords, rtl: boolean): Promise<PrintedView | "dialog"> {
  const setup = await api.printers();
  if (!setup.receipt) {
    printWithDialog("80mm", RECEIPT_PAGE);
    return "dialog";
  }
  const raster = await drawReceipt(receiptRows(sale, words), RECEIPT_80MM_DOTS, rtl);
  return api.printReceipt(raster);
}
