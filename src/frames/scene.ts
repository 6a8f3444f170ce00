// Seeded description of a synthetic clip: background palette and moving shapes.
// All motion is periodic over the clip length, so a corpus played in a loop has no jump.
import { mulberry32 } from '../random.js';

export type RGB = readonly [number, number, number];
export type ShapeKind = 'sphere' | 'blob' | 'bar';

export interface Shape {
  kind: ShapeKind;
  color: RGB;
  alpha: number;
  /** Radius (sphere, blob) or half length (bar) as a fraction of min(width, height). */
  size: number;
  /** Minor / major axis ratio for blobs and bars. */
  aspect: number;
  /** Centre of the path and its amplitude, as fractions of width and height. */
  cx: number;
  cy: number;
  ax: number;
  ay: number;
  /** Whole cycles per clip along x and y, and phases. */
  kx: number;
  ky: number;
  px: number;
  py: number;
  /** Whole turns per clip (negative turns the other way) and starting angle. */
  spin: number;
  angle0: number;
  pulse: number;
}

export interface Background {
  /** Corner colours: top-left, top-right, bottom-left, bottom-right. */
  corners: readonly [RGB, RGB, RGB, RGB];
  /** Slow sine ripples along x and y. */
  waveAmp: number;
  waveKx: number;
  waveKy: number;
  phase: RGB;
  vignette: number;
  /** Strength of the panning texture, as a fraction of brightness. */
  texture: number;
}

export interface Scene {
  width: number;
  height: number;
  frames: number;
  seed: number;
  background: Background;
  shapes: Shape[];
  noiseAmp: number;
}

export interface SceneParams {
  width: number;
  height: number;
  frames: number;
  seed: number;
}

export { mulberry32 };

/** Mixes two 32-bit values into a well-spread seed (murmur3 finaliser). */
export function mix32(a: number, b: number): number {
  let h = (Math.imul(a >>> 0, 0x9e3779b1) ^ (b >>> 0)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function hslToRgb(h: number, s: number, l: number): RGB {
  const k = (n: number): number => (n + h * 12) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => 255 * (l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1)));
  return [f(0), f(8), f(4)];
}

const SHAPE_KINDS: readonly ShapeKind[] = ['sphere', 'blob', 'bar', 'sphere', 'blob', 'bar', 'sphere'];

export function createScene(p: SceneParams): Scene {
  const rnd = mulberry32(mix32(p.seed, 0x5ce7e));
  const range = (lo: number, hi: number): number => lo + (hi - lo) * rnd();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;

  const hue = rnd();
  const corner = (dh: number, l: number): RGB => hslToRgb((hue + dh + 1) % 1, range(0.35, 0.6), l);
  const background: Background = {
    corners: [corner(0, range(0.2, 0.3)), corner(0.08, range(0.35, 0.5)), corner(-0.1, range(0.3, 0.45)), corner(0.5, range(0.15, 0.25))],
    waveAmp: range(10, 18),
    waveKx: range(1.2, 2.5),
    waveKy: range(0.8, 1.8),
    phase: [range(0, 6.28), range(0, 6.28), range(0, 6.28)],
    vignette: range(0.25, 0.4),
    texture: range(0.5, 0.6),
  };

  const shapes: Shape[] = SHAPE_KINDS.map((kind) => ({
    kind,
    color: hslToRgb((hue + range(0.2, 0.8)) % 1, range(0.5, 0.85), range(0.45, 0.65)),
    alpha: kind === 'blob' ? range(0.35, 0.6) : range(0.8, 0.95),
    size: kind === 'bar' ? range(0.12, 0.22) : range(0.06, 0.14),
    aspect: kind === 'bar' ? range(0.12, 0.25) : range(0.5, 1),
    cx: range(0.3, 0.7),
    cy: range(0.3, 0.7),
    ax: range(0.15, 0.3),
    ay: range(0.15, 0.3),
    kx: pick([1, 1, 2]),
    ky: pick([1, 2, 2]),
    px: range(0, 6.28),
    py: range(0, 6.28),
    spin: kind === 'sphere' ? 0 : pick([-1, 1]),
    angle0: range(0, 3.14),
    pulse: range(0.03, 0.12),
  }));

  return { ...p, background, shapes, noiseAmp: 4 };
}
