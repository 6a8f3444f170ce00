import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LiveMetrics } from '../../src/live/metrics.js';
import { createHistogram, encodeHistogram } from '../../src/metrics/hdr.js';
import { parsePromText } from '../../src/soak/prom-text.js';
import { ROOT } from '../helpers.js';

describe('deploy/grafana dashboard', () => {
  it('queries only series a bench process serves, all filtered by the run and summed over shards', async () => {
    const dash = JSON.parse(readFileSync(join(ROOT, 'deploy/grafana/framebench-sharded-run.json'), 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }>; templating: { list: Array<{ name: string }> } };
    expect(dash.templating.list.map((v) => v.name)).toEqual(['datasource', 'run_id']);
    const m = new LiveMetrics({ run_id: 'r', shard: '1/2', scenario: 's' });
    const h = createHistogram();
    h.recordValue(1000);
    m.window(
      'c',
      { t: 1, durationSec: 1, framesPerSec: 1, bytesPerSec: 1, p50: 1, p99: 1, connections: 1, errors: 0, lost: 0, reconnects: 0, hdr: encodeHistogram(h), latenessHdr: encodeHistogram(h), harnessCpuPct: 1, loopDelayP99Ms: 1 },
      1,
    );
    const served = new Set(parsePromText(await m.text()).map((s) => s.name));
    const exprs = dash.panels.flatMap((p) => p.targets.map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(10);
    for (const e of exprs) {
      expect(e, e).toContain('run_id=~"$run_id"');
      for (const name of e.match(/framebench_[a-z0-9_]+/g) ?? []) expect(served.has(name), `${name} in ${e}`).toBe(true);
    }
  });
});
