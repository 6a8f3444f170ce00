// Synthetic frames: pure, sized right, moving, looping, and numbered.
import { describe, expect, it } from 'vitest';
import { createScene } from '../../src/frames/scene.js';
import { renderFrame } from '../../src/frames/synth.js';
import { drawDigits, type Canvas } from '../../src/frames/digits.js';

const scene = createScene({ width: 160, height: 90, frames: 10, seed: 7 });

function meanAbsDiff(a: Buffer, b: Buffer): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

describe('renderFrame', () => {
  it('returns width × height × 3 bytes and the same bytes for the same scene and index', () => {
    const a = renderFrame(scene, 3);
    expect(a.length).toBe(160 * 90 * 3);
    expect(renderFrame(createScene({ width: 160, height: 90, frames: 10, seed: 7 }), 3, new Float32Array(160 * 90 * 3)).equals(a)).toBe(true);
  });

  it('moves between frames and differs between seeds', () => {
    expect(meanAbsDiff(renderFrame(scene, 0), renderFrame(scene, 1))).toBeGreaterThan(2);
    const other = createScene({ width: 160, height: 90, frames: 10, seed: 8 });
    expect(meanAbsDiff(renderFrame(scene, 0), renderFrame(other, 0))).toBeGreaterThan(10);
  });

  it('uses the full tonal range without clipping most of the image', () => {
    const f = renderFrame(scene, 0);
    const clipped = f.filter((v) => v === 0 || v === 255).length;
    expect(clipped / f.length).toBeLessThan(0.05);
  });
});

describe('drawDigits', () => {
  it('draws seven-segment digits: "8" lights more pixels than "1"', () => {
    const lit = (text: string): number => {
      const c: Canvas = { data: new Float32Array(40 * 20 * 3), width: 40, height: 20 };
      drawDigits(c, text, 2, 2, 16, [255, 255, 255]);
      return c.data.filter((v) => v === 255).length / 3;
    };
    expect(lit('8')).toBeGreaterThan(2 * lit('1'));
    expect(lit('1')).toBeGreaterThan(0);
    expect(lit('88')).toBe(2 * lit('8'));
  });
});
