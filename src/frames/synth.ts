// Renders one raw RGB frame of a synthetic clip: gradient background with slow ripples and a
// panning texture, moving shaded shapes, the frame number in seven-segment digits, a progress bar, mild noise.
import { drawDigits, fillRect, textWidth, type Canvas } from './digits.js';
import { mix32, type Scene } from './scene.js';
import { drawShape } from './shapes.js';
import { createTexture, type Texture } from './texture.js';

const TAU = Math.PI * 2;
const WHITE = [245, 245, 240] as const;
const BLACK = [0, 0, 0] as const;

export function rawFrameBytes(scene: Pick<Scene, 'width' | 'height'>): number {
  return scene.width * scene.height * 3;
}

const textures = new WeakMap<Scene, Texture>();

function textureFor(scene: Scene): Texture {
  let tex = textures.get(scene);
  if (!tex) {
    tex = createTexture(scene.seed, scene.height > 600 ? 1024 : 512, Math.max(2, (3 * scene.height) / 480));
    textures.set(scene, tex);
  }
  return tex;
}

function drawBackground(c: Canvas, scene: Scene, index: number): void {
  const t = (TAU * index) / scene.frames;
  const { width: w, height: h } = c;
  const bg = scene.background;
  const [tl, tr, bl, br] = bg.corners;
  const col = new Float32Array(w * 3);
  const row = new Float32Array(h * 3);
  const vx = new Float32Array(w);
  const vy = new Float32Array(h);
  for (let x = 0; x < w; x++) {
    const u = w > 1 ? x / (w - 1) : 0;
    vx[x] = 1 - bg.vignette * (2 * u - 1) ** 2 * 0.5;
    for (let ch = 0; ch < 3; ch++) {
      const wave = bg.waveAmp * Math.sin(TAU * bg.waveKx * u + t + bg.phase[ch]!);
      col[x * 3 + ch] = 0.5 * (tl[ch]! + (tr[ch]! - tl[ch]!) * u) + wave;
    }
  }
  for (let y = 0; y < h; y++) {
    const v = h > 1 ? y / (h - 1) : 0;
    vy[y] = 1 - bg.vignette * (2 * v - 1) ** 2 * 0.5;
    for (let ch = 0; ch < 3; ch++) {
      const wave = bg.waveAmp * Math.sin(TAU * bg.waveKy * v - t + bg.phase[(ch + 1) % 3]!);
      row[y * 3 + ch] = 0.5 * (bl[ch]! + (br[ch]! - bl[ch]!) * v) + wave;
    }
  }
  const tex = textureFor(scene);
  const mask = tex.size - 1;
  const ox = Math.round((tex.size * index) / scene.frames);
  const oy = Math.round((tex.size / 8) * Math.sin(t));
  const texCol = new Int32Array(w);
  for (let x = 0; x < w; x++) texCol[x] = (x + ox) & mask;
  const amount = bg.texture;
  const d = c.data;
  for (let y = 0; y < h; y++) {
    const texRow = ((y + oy) & mask) * tex.size;
    const r0 = row[y * 3]!;
    const r1 = row[y * 3 + 1]!;
    const r2 = row[y * 3 + 2]!;
    const fy = vy[y]!;
    let i = y * w * 3;
    for (let x = 0; x < w; x++, i += 3) {
      const f = vx[x]! * fy * (1 + amount * tex.data[texRow + texCol[x]!]!);
      d[i] = (col[x * 3]! + r0) * f;
      d[i + 1] = (col[x * 3 + 1]! + r1) * f;
      d[i + 2] = (col[x * 3 + 2]! + r2) * f;
    }
  }
}

function drawOverlay(c: Canvas, scene: Scene, index: number): void {
  const { width: w, height: h } = c;
  const digitHeight = Math.max(7, Math.round(h * 0.08));
  const text = String(index).padStart(Math.max(2, String(scene.frames - 1).length), '0');
  const pad = Math.max(2, Math.round(digitHeight * 0.3));
  const margin = Math.max(2, Math.round(h * 0.03));
  const boxW = textWidth(text, digitHeight) + 2 * pad;
  fillRect(c, margin, margin, margin + boxW, margin + digitHeight + 2 * pad, BLACK, 0.55);
  drawDigits(c, text, margin + pad, margin + pad, digitHeight, WHITE);
  const barH = Math.max(2, Math.round(h * 0.012));
  fillRect(c, 0, h - barH, (w * (index + 1)) / scene.frames, h, WHITE, 0.6);
}

function finish(c: Canvas, seed: number, amp: number): Buffer {
  const out = Buffer.alloc(c.data.length);
  const clamped = new Uint8ClampedArray(out.buffer, out.byteOffset, out.length);
  const d = c.data;
  let s = seed || 1;
  const scale = amp / 255;
  for (let i = 0; i < d.length; i += 3) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const n = ((s & 0xff) + ((s >>> 8) & 0xff) - 255) * scale;
    const chroma = (((s >>> 16) & 0xff) - 127.5) * scale * 0.25;
    clamped[i] = d[i]! + n + chroma;
    clamped[i + 1] = d[i + 1]! + n;
    clamped[i + 2] = d[i + 2]! + n - chroma;
  }
  return out;
}

/**
 * Raw RGB bytes (width × height × 3) of frame `index` of the scene. Pure: the same scene and
 * index always give the same bytes. Pass a scratch buffer of rawFrameBytes(scene) floats to
 * avoid reallocating it per frame.
 */
export function renderFrame(scene: Scene, index: number, scratch?: Float32Array): Buffer {
  const size = rawFrameBytes(scene);
  const data = scratch && scratch.length === size ? scratch : new Float32Array(size);
  const c: Canvas = { data, width: scene.width, height: scene.height };
  const t = (TAU * index) / scene.frames;
  drawBackground(c, scene, index);
  for (const shape of scene.shapes) drawShape(c, shape, t);
  drawOverlay(c, scene, index);
  return finish(c, mix32(scene.seed, index + 1), scene.noiseAmp);
}
