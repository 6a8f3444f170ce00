// Anti-aliased moving shapes blended into a float RGB canvas: shaded spheres, soft blobs
// and spinning bars. One tight loop per kind over the shape's bounding box.
import type { Canvas } from './digits.js';
import type { Shape } from './scene.js';

interface Placed {
  x0: number;
  y0: number;
  r: number;
  angle: number;
}

/** Where a shape is at phase t (radians; one full turn per clip). */
export function placeShape(s: Shape, width: number, height: number, t: number): Placed {
  return {
    x0: (s.cx + s.ax * Math.sin(s.kx * t + s.px)) * width,
    y0: (s.cy + s.ay * Math.sin(s.ky * t + s.py)) * height,
    r: s.size * Math.min(width, height) * (1 + s.pulse * Math.sin(t + s.px)),
    angle: s.angle0 + s.spin * t,
  };
}

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

function box(c: Canvas, p: Placed, reach: number): [xa: number, xb: number, ya: number, yb: number] {
  return [Math.max(0, Math.floor(p.x0 - reach)), Math.min(c.width - 1, Math.ceil(p.x0 + reach)), Math.max(0, Math.floor(p.y0 - reach)), Math.min(c.height - 1, Math.ceil(p.y0 + reach))];
}

function blend(d: Float32Array, i: number, r: number, g: number, b: number, k: number): void {
  d[i] = d[i]! + (r - d[i]!) * k;
  d[i + 1] = d[i + 1]! + (g - d[i + 1]!) * k;
  d[i + 2] = d[i + 2]! + (b - d[i + 2]!) * k;
}

function drawSphere(c: Canvas, s: Shape, p: Placed): void {
  const { x0, y0, r } = p;
  const [xa, xb, ya, yb] = box(c, p, r + 1);
  const [cr, cg, cb] = s.color;
  const d = c.data;
  for (let y = ya; y <= yb; y++) {
    const dy = y + 0.5 - y0;
    const half = Math.sqrt(Math.max(0, (r + 1) * (r + 1) - dy * dy));
    const xs = Math.max(xa, Math.floor(x0 - half));
    const xe = Math.min(xb, Math.ceil(x0 + half));
    for (let x = xs, i = (y * c.width + xs) * 3; x <= xe; x++, i += 3) {
      const dx = x + 0.5 - x0;
      const dist = Math.sqrt(dx * dx + dy * dy);
      const cov = clamp01(r - dist + 0.5);
      if (cov === 0) continue;
      const nx = dx / r;
      const ny = dy / r;
      const nz = Math.sqrt(Math.max(0, 1 - nx * nx - ny * ny));
      const light = Math.max(0, -0.45 * nx - 0.55 * ny + 0.7 * nz);
      const l2 = light * light;
      const l8 = l2 * l2 * l2 * l2;
      const shade = 0.35 + 0.75 * light + 0.6 * l8 * l8 * l8;
      blend(d, i, cr * shade, cg * shade, cb * shade, cov * s.alpha);
    }
  }
}

function drawBlob(c: Canvas, s: Shape, p: Placed): void {
  const { x0, y0, r: a } = p;
  const b = Math.max(1, a * s.aspect);
  const cos = Math.cos(p.angle);
  const sin = Math.sin(p.angle);
  const [xa, xb, ya, yb] = box(c, p, a + 1);
  const [cr, cg, cb] = s.color;
  const d = c.data;
  for (let y = ya; y <= yb; y++) {
    const dy = y + 0.5 - y0;
    for (let x = xa, i = (y * c.width + xa) * 3; x <= xb; x++, i += 3) {
      const dx = x + 0.5 - x0;
      const u = (dx * cos + dy * sin) / a;
      const v = (dy * cos - dx * sin) / b;
      const e = 1 - (u * u + v * v);
      if (e <= 0) continue;
      blend(d, i, cr, cg, cb, Math.min(1, e * 2.5) * s.alpha);
    }
  }
}

function drawBar(c: Canvas, s: Shape, p: Placed): void {
  const { x0, y0, r: a } = p;
  const b = Math.max(1, a * s.aspect);
  const cos = Math.cos(p.angle);
  const sin = Math.sin(p.angle);
  const reach = Math.abs(a * cos) + Math.abs(b * sin) + 1;
  const reachY = Math.abs(a * sin) + Math.abs(b * cos) + 1;
  const [xa, xb] = box(c, p, reach);
  const [, , ya, yb] = box(c, p, reachY);
  const [cr, cg, cb] = s.color;
  const d = c.data;
  for (let y = ya; y <= yb; y++) {
    const dy = y + 0.5 - y0;
    for (let x = xa, i = (y * c.width + xa) * 3; x <= xb; x++, i += 3) {
      const dx = x + 0.5 - x0;
      const u = dx * cos + dy * sin;
      const v = dy * cos - dx * sin;
      const cov = clamp01(a - Math.abs(u) + 0.5) * clamp01(b - Math.abs(v) + 0.5);
      if (cov === 0) continue;
      const shade = 0.8 + 0.25 * (u / a);
      blend(d, i, cr * shade, cg * shade, cb * shade, cov * s.alpha);
    }
  }
}

export function drawShape(c: Canvas, s: Shape, t: number): void {
  const p = placeShape(s, c.width, c.height, t);
  if (s.kind === 'sphere') drawSphere(c, s, p);
  else if (s.kind === 'blob') drawBlob(c, s, p);
  else drawBar(c, s, p);
}
