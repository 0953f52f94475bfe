// Draws receipt rows on a canvas the width of a thermal printer's head and
// packs the dots, one bit each (1 = black), for ESC/POS raster printing.
// The webview's text engine shapes the Persian and orders it right to left,
// with the app's own font, so the printer needs no font of its own.
import type { ReceiptRow } from "./receipt";

/** Dots a line of an 80 mm printer holds: 72 mm printable at 8 dots per mm. */
export const RECEIPT_80MM_DOTS = 576;

export type Raster = { width: number; height: number; bits: string };

const FONT = '"Vazirmatn Variable", "Vazirmatn", sans-serif';
const SIZES = { title: 30, line: 22 } as const;
const MARGIN = 8;
/** Longest receipt drawn, in dots (2.5 m of paper): a bound, not a limit a shop meets. */
const MAX_HEIGHT = 20000;

/** Packs an RGBA image into rows of bits, MSB first; dark pixels are dots. */
export function packBits(rgba: Uint8ClampedArray, width: number, height: number): Uint8Array {
  const stride = Math.ceil(width / 8);
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const a = rgba[i + 3] ?? 0;
      // Luminance over white, in integers (transparent is paper).
      const lum = ((rgba[i] ?? 0) * 299 + (rgba[i + 1] ?? 0) * 587 + (rgba[i + 2] ?? 0) * 114) / 1000;
      const onWhite = (lum * a + 255 * (255 - a)) / 255;
      if (onWhite < 128) out[y * stride + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Breaks text into lines that fit `max` dots, at spaces. */
function wrap(ctx: CanvasRenderingContext2D, text: string, max: number): string[] {
  const words = text.split(" ");
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (line && ctx.measureText(next).width > max) {
      lines.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** The receipt as dots, `width` wide; `rtl` for Persian. */
export async function drawReceipt(rows: ReceiptRow[], width: number, rtl: boolean): Promise<Raster> {
  await document.fonts.load(`${SIZES.line}px ${FONT}`);
  await document.fonts.load(`bold ${SIZES.title}px ${FONT}`);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = MAX_HEIGHT;
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("no 2D canvas");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, width, MAX_HEIGHT);
  ctx.fillStyle = "#000";
  ctx.textBaseline = "top";
  ctx.direction = rtl ? "rtl" : "ltr";
  const startX = rtl ? width - MARGIN : MARGIN;
  const endX = rtl ? MARGIN : width - MARGIN;
  const usable = width - 2 * MARGIN;
  let y = MARGIN;
  for (const row of rows) {
    if (y > MAX_HEIGHT - 200) break;
    if (row.kind === "rule") {
      for (let x = MARGIN; x < width - MARGIN; x += 12) ctx.fillRect(x, y + 6, 6, 2);
      y += 16;
      continue;
    }
    if (row.kind === "title") {
      ctx.font = `bold ${SIZES.title}px ${FONT}`;
      ctx.textAlign = "center";
      for (const l of wrap(ctx, row.text, usable)) {
        ctx.fillText(l, width / 2, y);
        y += SIZES.title + 10;
      }
      continue;
    }
    ctx.font = `${row.strong ? "bold " : ""}${SIZES.line}px ${FONT}`;
    const endWidth = row.end ? ctx.measureText(row.end).width + 16 : 0;
    const startLines = wrap(ctx, row.start, usable - endWidth);
    if (row.end) {
      // The amount sits at the line's far end, on the first line of its label.
      ctx.textAlign = rtl ? "left" : "right";
      ctx.fillText(row.end, endX, y);
    }
    ctx.textAlign = rtl ? "right" : "left";
    for (const l of startLines) {
      ctx.fillText(l, startX, y);
      y += SIZES.line + 10;
    }
  }
  const height = Math.min(MAX_HEIGHT, y + MARGIN);
  const image = ctx.getImageData(0, 0, width, height);
  return { width, height, bits: toBase64(packBits(image.data, width, height)) };
}
