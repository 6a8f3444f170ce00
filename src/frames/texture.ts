// Tileable fractal value noise: the fine, natural-looking detail (like foliage or a textured wall)
// that makes encoded sizes resemble real footage instead of flat gradients.
import { mix32, mulberry32 } from './scene.js';

export interface Texture {
  /** Side of the square tile, a power of two. */
  size: number;
  /** Values roughly in [-1, 1], row-major. */
  data: Float32Array;
}

const smooth = (t: number): number => t * t * (3 - 2 * t);

function addOctave(tex: Texture, cells: number, amp: number, seed: number): void {
  const rnd = mulberry32(seed);
  const grid = new Float32Array(cells * cells);
  for (let i = 0; i < grid.length; i++) grid[i] = rnd() * 2 - 1;
  const { size, data } = tex;
  const scale = cells / size;
  const xs = new Int32Array(size);
  const fx = new Float32Array(size);
  for (let x = 0; x < size; x++) {
    const gx = x * scale;
    xs[x] = Math.floor(gx);
    fx[x] = smooth(gx - Math.floor(gx));
  }
  for (let y = 0; y < size; y++) {
    const y0 = xs[y]!;
    const ty = fx[y]!;
    const row0 = (y0 % cells) * cells;
    const row1 = ((y0 + 1) % cells) * cells;
    for (let x = 0, i = y * size; x < size; x++, i++) {
      const x0 = xs[x]! % cells;
      const x1 = (xs[x]! + 1) % cells;
      const tx = fx[x]!;
      const top = grid[row0 + x0]! + (grid[row0 + x1]! - grid[row0 + x0]!) * tx;
      const bottom = grid[row1 + x0]! + (grid[row1 + x1]! - grid[row1 + x0]!) * tx;
      data[i] = data[i]! + (top + (bottom - top) * ty) * amp;
    }
  }
}

/**
 * A seamless tile whose finest detail is about `finest` pixels across, with coarser octaves
 * above it (amplitudes falling off like natural images).
 */
export function createTexture(seed: number, size: number, finest: number): Texture {
  const tex: Texture = { size, data: new Float32Array(size * size) };
  const amps = [0.35, 0.5, 0.7, 0.9, 1];
  const total = amps.reduce((s, a) => s + a, 0);
  amps.forEach((amp, octave) => {
    const cells = Math.max(1, Math.round(size / (finest * 2 ** octave)));
    addOctave(tex, cells, amp / total, mix32(seed, 0x7e47 + octave));
  });
  return tex;
}
