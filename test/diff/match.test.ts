// Cell matching between two results files (swept params, fallback to cell id, added/removed,
// run-level param changes) and the warnings a diff raises; flag parsing with errors naming the flag.
import { describe, expect, it } from 'vitest';
import { diffResults } from '../../src/diff/diff.js';
import { matchAxes, matchCells } from '../../src/diff/match.js';
import { defaultSettings, parseGate, parseSettings } from '../../src/diff/options.js';
import { UsageError } from '../../src/errors.js';
import type { Results } from '../../src/results/types.js';
import { buildSweepResults } from '../fixtures/results-sweep.js';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const sweep = (): Results => buildSweepResults({ formats: ['webp', 'jpeg'], resolutions: ['480p', '720p'], depths: [5], samplesPerCell: 200 });

describe('matchCells', () => {
  it('pairs cells by their swept params, whatever their order or ids', () => {
    const base = sweep();
    const head = clone(base);
    head.cells.reverse();
    head.cells.forEach((c, i) => (c.id = `renamed-${i}`));
    const m = matchCells(base, head);
    expect(m.axes).toEqual(['format', 'resolution']);
    expect(m.pairs).toHaveLength(4);
    for (const p of m.pairs) {
      expect(p.matchedBy).toBe('params');
      expect(p.head.params).toEqual(p.base.params);
    }
    expect(m.pairs.map((p) => p.label)).toEqual(['jpeg · 720p', 'jpeg · 480p', 'webp · 720p', 'webp · 480p']);
  });

  it('lists cells only in one file as added or removed', () => {
    const base = sweep();
    const head = clone(base);
    head.cells = head.cells.filter((c) => c.id !== 'jpeg-720p-b5');
    const png = clone(head.cells[0]!);
    png.id = 'png-480p-b5';
    png.params.format = 'png';
    head.cells.push(png);
    const m = matchCells(base, head);
    expect(m.pairs).toHaveLength(3);
    expect(m.removed.map((c) => c.id)).toEqual(['jpeg-720p-b5']);
    expect(m.added.map((c) => c.id)).toEqual(['png-480p-b5']);
  });

  it('still matches on the swept axes when the runs used other clients / duration overall, and says so', () => {
    const base = sweep();
    const head = clone(base);
    for (const c of head.cells) Object.assign(c.params, { clients: 80, duration: '30s' });
    for (const c of base.cells) c.params.duration = '10s';
    const m = matchCells(base, head);
    expect(m.pairs).toHaveLength(4);
    expect(m.fixedChanges).toEqual([
      { param: 'clients', base: '40', head: '80' },
      { param: 'duration', base: '10s', head: '30s' },
    ]);
    const report = diffResults({ file: 'a', results: base }, { file: 'b', results: head }, defaultSettings());
    expect(report.warnings).toContain('The runs differ in clients: 40 → 80; cells are matched on the swept params only.');
  });

  it('uses the scenario sweep as axes even when one file has a single cell', () => {
    const base = buildSweepResults({ formats: ['webp'], resolutions: ['480p'], depths: [5], samplesPerCell: 200 });
    base.scenario.sweep = { format: ['webp'] };
    const head = sweep();
    expect(matchAxes(base, head)).toEqual(['format', 'resolution']);
    const m = matchCells(base, head);
    expect(m.pairs.map((p) => p.head.id)).toEqual(['webp-480p-b5']);
    expect(m.added).toHaveLength(3);
  });

  it('falls back to the cell id when params do not match uniquely', () => {
    const base = sweep();
    const head = clone(base);
    for (const c of head.cells) c.params.format = 'webp';
    head.cells.forEach((c) => (c.params.resolution = c.id.includes('480p') ? '480p' : '720p'));
    const m = matchCells(base, head);
    expect(
      m.pairs
        .filter((p) => p.matchedBy === 'id')
        .map((p) => p.key)
        .sort(),
    ).toEqual(['jpeg-480p-b5', 'jpeg-720p-b5', 'webp-480p-b5', 'webp-720p-b5']);
    const report = diffResults({ file: 'a', results: base }, { file: 'b', results: head }, defaultSettings());
    expect(report.warnings.join('\n')).toContain('matched by cell id');
  });

  it('pairs two single-cell files', () => {
    const one = buildSweepResults({ formats: ['webp'], resolutions: ['480p'], depths: [5], samplesPerCell: 200 });
    const other = clone(one);
    other.cells[0]!.id = 'default';
    other.cells[0]!.params.clients = 100;
    const m = matchCells(one, other);
    expect(m.axes).toEqual([]);
    expect(m.pairs).toHaveLength(1);
    expect(m.pairs[0]!.label).toBe('default');
  });
});

describe('diff warnings', () => {
  it('warns about a different scenario name and tool version', () => {
    const base = sweep();
    const head = clone(base);
    head.scenario.name = 'nightly';
    head.tool.version = '0.2.0';
    const report = diffResults({ file: 'a', results: base }, { file: 'b', results: head }, defaultSettings());
    expect(report.warnings).toEqual([
      'Different scenarios: base "ci sweep", head "nightly"; cells are compared by their params anyway.',
      'Different tool versions: base framebench 0.1.0, head framebench 0.2.0; measurement may differ between versions.',
    ]);
  });
});

describe('harness saturation', () => {
  it('warns when the harness, not the target, limited a cell in either run', () => {
    const base = sweep();
    const head = clone(base);
    (head.cells[1] as unknown as Record<string, unknown>).harnessSaturated = true;
    const report = diffResults({ file: 'a', results: base }, { file: 'b', results: head }, defaultSettings());
    expect(report.warnings).toEqual(["The harness was saturated in the head run (webp · 720p): latency there includes the harness's own queueing; judge those verdicts with care."]);
  });
});

describe('flag parsing', () => {
  it('reads --min-effect, --floor and --alpha', () => {
    const s = parseSettings({ minEffect: ['10%', 'frame.p99=20%'], floor: ['frame.p50=2ms', 'throughput.framesPerSec=5'], alpha: '0.01' });
    expect(s.alpha).toBe(0.01);
    expect(s.minEffect['frame.p50']).toBeCloseTo(0.1, 12);
    expect(s.minEffect['frame.p99']).toBeCloseTo(0.2, 12);
    expect(s.floor['frame.p50']).toBe(2);
    expect(s.floor['throughput.framesPerSec']).toBe(5);
    expect(parseSettings({ floor: ['frame.p99=0.5s'] }).floor['frame.p99']).toBe(500);
  });

  it('reads --fail-on and --max-regression', () => {
    const g = parseGate({ failOn: 'worse', maxRegression: ['frame.p99=10%', 'counts.framesLost=0', '25%'] });
    expect(g.failOn).toBe('worse');
    expect(g.maxRegression['frame.p99']).toEqual({ kind: 'pct', value: 0.1, text: '10%' });
    expect(g.maxRegression['counts.framesLost']).toEqual({ kind: 'abs', value: 0, text: '0' });
    expect(g.maxRegression['*']?.value).toBeCloseTo(0.25, 12);
  });

  it('names the flag, the value and what is allowed', () => {
    const cases: Array<[() => unknown, RegExp]> = [
      [() => parseGate({ failOn: 'bad' }), /^--fail-on bad: expected worse or any-worse$/],
      [() => parseGate({ maxRegression: ['frame.p98=10%'] }), /--max-regression frame\.p98=10%: unknown metric "frame\.p98"; expected one of frame\.p50, /],
      [() => parseGate({ maxRegression: ['frame.p99=ten'] }), /--max-regression frame\.p99=ten: expected a percentage/],
      [() => parseGate({ maxRegression: ['throughput.framesPerSec=5ms'] }), /--max-regression/],
      [() => parseSettings({ minEffect: ['frame.p99=10'] }), /--min-effect frame\.p99=10: expected a percentage such as 10%/],
      [() => parseSettings({ floor: ['2ms'] }), /--floor 2ms: expected metric=value/],
      [() => parseSettings({ floor: ['*=2ms'] }), /--floor \*=2ms: name one metric/],
      [() => parseSettings({ alpha: '1' }), /--alpha 1: expected a significance level between 0 and 0\.5/],
    ];
    for (const [run, message] of cases) {
      expect(run).toThrow(UsageError);
      expect(run).toThrow(message);
    }
  });
});
