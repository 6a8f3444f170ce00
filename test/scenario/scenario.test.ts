import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError, UsageError } from '../../src/errors.js';
import { formatDuration, parseDuration } from '../../src/text/duration.js';
import { loadScenario } from '../../src/scenario/load.js';
import { parseOverride } from '../../src/scenario/overrides.js';
import { planCells } from '../../src/scenario/sweep.js';

const dir = mkdtempSync(join(tmpdir(), 'fb-scenario-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
async function errorOf(p: string, overrides: string[] = []): Promise<string> {
  try {
    await loadScenario(p, overrides.map(parseOverride));
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as Error).message;
  }
  throw new Error('expected a scenario error');
}

describe('durations', () => {
  it('parses units and plain seconds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration(2.5)).toBe(2500);
    expect(parseDuration('ten')).toBeUndefined();
    expect(parseDuration('-1s')).toBeUndefined();
    expect(formatDuration(90_000)).toBe('1m30s');
  });
});

describe('scenario loading', () => {
  it('fills defaults and names the scenario after its file', async () => {
    const { scenario } = await loadScenario(file('empty.yaml', ''));
    expect(scenario).toMatchObject({ name: 'empty', clients: 10, fps: 30, format: 'webp', resolution: '480p', quality: 75, bufferDepth: 5, seed: 1, transport: 'binary' });
  });

  it('names the file, the field, the bad value and what is allowed', async () => {
    const p = file('x.yaml', 'clients: ten\n');
    expect(await errorOf(p)).toBe(`${p}: clients: expected a positive integer, got "ten"`);
    const q = file('y.yaml', 'resolution: 999p\nformat: gif\n');
    const msg = await errorOf(q);
    expect(msg).toContain(`${q}: resolution: expected a preset (240p, 360p, 480p, 720p, 1080p) or WxH`);
    expect(msg).toContain(`${q}: format: expected one of webp, jpeg, png, got "gif"`);
  });

  it('rejects unknown fields instead of ignoring them', async () => {
    const p = file('unknown.yaml', 'clients: 5\nclinets: 7\n');
    expect(await errorOf(p)).toBe(`${p}: unknown field "clinets"`);
  });

  it('reports YAML syntax errors and non-map documents', async () => {
    expect(await errorOf(file('bad.yaml', 'clients: [1, 2\n'))).toMatch(/not valid YAML/);
    expect(await errorOf(file('list.yaml', '- 1\n- 2\n'))).toMatch(/expected a map of scenario fields/);
    expect(await errorOf(join(dir, 'missing.yaml'))).toMatch(/cannot read the scenario file \(ENOENT\)/);
  });

  it('reads JSON too, and applies --set overrides before validation', async () => {
    const p = file('s.json', JSON.stringify({ name: 'json', clients: 3 }));
    const { scenario } = await loadScenario(p, [parseOverride('clients=500'), parseOverride('duration=10s'), parseOverride('framesPerRequest=continuous')]);
    expect(scenario).toMatchObject({ name: 'json', clients: 500, duration: '10s', framesPerRequest: 'continuous' });
    expect(await errorOf(p, ['fps=0'])).toContain('fps: expected frames per second between 0.1 and 240, got 0');
  });

  it('rejects malformed overrides and thresholds', async () => {
    expect(() => parseOverride('clients')).toThrow(UsageError);
    const p = file('th.yaml', 'thresholds:\n  frame.p99: "<< 150"\n');
    expect(await errorOf(p)).toMatch(new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: thresholds\\."frame\\.p99"`));
  });

  it('validates sweep axes and expands them into cells', async () => {
    const p = file('sweep.yaml', 'sweep:\n  format: [webp, png]\n  bufferDepth: [1, 5]\nrepeat: 2\n');
    const { scenario } = await loadScenario(p);
    const cells = planCells(scenario);
    expect(cells).toHaveLength(8);
    expect(cells.map((c) => c.id).filter((_, i) => i % 2 === 0)).toEqual(['webp-buf1', 'webp-buf5', 'png-buf1', 'png-buf5']);
    expect(cells[3]).toMatchObject({ repeat: 1, params: { format: 'webp', bufferDepth: 5 } });
    expect(await errorOf(file('bad-sweep.yaml', 'sweep:\n  format: [webp, gif]\n'))).toContain('sweep.format[1]: expected one of webp, jpeg, png, got "gif"');
    expect(await errorOf(file('bad-axis.yaml', 'sweep:\n  seed: [1, 2]\n'))).toContain('sweep.seed: not a field that can be swept');
  });
});
