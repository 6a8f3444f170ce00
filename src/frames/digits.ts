// Seven-segment digits and filled rectangles drawn into a float RGB buffer,
// so every frame carries its number without depending on system fonts.
import type { RGB } from './scene.js';

/** Float RGB image, values 0–255, row-major, 3 channels. */
export interface Canvas {
  data: Float32Array;
  width: number;
  height: number;
}

// Bits: a=1 (top), b=2 (top right), c=4 (bottom right), d=8 (bottom), e=16 (bottom left), f=32 (top left), g=64 (middle).
const SEGMENTS: Record<string, number> = {
  '0': 0b0111111,
  '1': 0b0000110,
  '2': 0b1011011,
  '3': 0b1001111,
  '4': 0b1100110,
  '5': 0b1101101,
  '6': 0b1111101,
  '7': 0b0000111,
  '8': 0b1111111,
  '9': 0b1101111,
};

/** Blends colour over [x0, x1) × [y0, y1), clipped to the canvas. */
export function fillRect(c: Canvas, x0: number, y0: number, x1: number, y1: number, color: RGB, alpha = 1): void {
  const xa = Math.max(0, Math.round(x0));
  const xb = Math.min(c.width, Math.round(x1));
  const ya = Math.max(0, Math.round(y0));
  const yb = Math.min(c.height, Math.round(y1));
  const [r, g, b] = color;
  for (let y = ya; y < yb; y++) {
    let i = (y * c.width + xa) * 3;
    for (let x = xa; x < xb; x++, i += 3) {
      const d = c.data;
      d[i] = d[i]! + (r - d[i]!) * alpha;
      d[i + 1] = d[i + 1]! + (g - d[i + 1]!) * alpha;
      d[i + 2] = d[i + 2]! + (b - d[i + 2]!) * alpha;
    }
  }
}

export interface DigitMetrics {
  digitWidth: number;
  thickness: number;
  gap: number;
}

export function digitMetrics(digitHeight: number): DigitMetrics {
  const thickness = Math.max(1, Math.round(digitHeight / 8));
  return { digitWidth: Math.max(3, Math.round(digitHeight * 0.55)), thickness, gap: Math.max(1, thickness * 2) };
}

export function textWidth(text: string, digitHeight: number): number {
  const m = digitMetrics(digitHeight);
  return text.length * m.digitWidth + Math.max(0, text.length - 1) * m.gap;
}

function drawDigit(c: Canvas, ch: string, x: number, y: number, h: number, m: DigitMetrics, color: RGB): void {
  const bits = SEGMENTS[ch];
  if (bits === undefined) return;
  const { digitWidth: w, thickness: t } = m;
  const mid = y + Math.round((h - t) / 2);
  const rects: [number, number, number, number][] = [
    [x, y, x + w, y + t],
    [x + w - t, y, x + w, mid + t],
    [x + w - t, mid, x + w, y + h],
    [x, y + h - t, x + w, y + h],
    [x, mid, x + t, y + h],
    [x, y, x + t, mid + t],
    [x, mid, x + w, mid + t],
  ];
  rects.forEach(([x0, y0, x1, y1], seg) => {
    if (bits & (1 << seg)) fillRect(c, x0, y0, x1, y1, color);
  });
}

/** Draws a string of digits with its top-left corner at (x, y); other characters leave a blank cell. */
export function drawDigits(c: Canvas, text: string, x: number, y: number, digitHeight: number, color: RGB): void {
  const m = digitMetrics(digitHeight);
  let cx = Math.round(x);
  for (const ch of text) {
    drawDigit(c, ch, cx, Math.round(y), digitHeight, m, color);
    cx += m.digitWidth + m.gap;
  }
}
