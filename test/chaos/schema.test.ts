import { describe, expect, it } from 'vitest';
import { chaosSchema } from '../../src/chaos/schema.js';
import { formatIssues } from '../../src/scenario/format-issues.js';

function errorsOf(value: unknown): string {
  const r = chaosSchema.safeParse(value, { reportInput: true });
  if (r.success) throw new Error('expected the chaos list to be invalid');
  return formatIssues('soak.yaml', r.error.issues, ['chaos']);
}

describe('chaos schema', () => {
  it('accepts every kind and fills defaults', () => {
    const list = chaosSchema.parse([
      { kind: 'kill-clients', fraction: 0.1, every: '30s' },
      { kind: 'drop-connections', count: 5, at: '1m', times: 3, every: '20s' },
      { kind: 'restart-server', at: '2m' },
      { kind: 'restart-server', at: '3m', mode: 'term', downtime: '5s' },
      { kind: 'command', run: '  kubectl rollout restart deployment/frames -n staging  ', every: '10m' },
      { kind: 'network', latency: '50ms', jitter: '10ms', bandwidth: '10mbit', at: '10s', duration: '20s' },
      { kind: 'network', blackhole: true, at: '40s', duration: '5s' },
      { kind: 'network', reset: true, at: 50 },
    ]);
    expect(list[2]).toEqual({ kind: 'restart-server', at: '2m', mode: 'kill', downtime: '1s' });
    expect(list[4]).toEqual({ kind: 'command', run: 'kubectl rollout restart deployment/frames -n staging', every: '10m', timeout: '30s' });
    expect(list).toHaveLength(8);
  });

  it('names the entry, the field, the value and what is allowed', () => {
    expect(
      errorsOf([
        { kind: 'kill-clients', fraction: 0.1 },
        { kind: 'kill-clients', fraction: 1.5 },
      ]),
    ).toBe('soak.yaml: chaos[1].fraction: expected a fraction from 0 to 1, got 1.5');
    expect(errorsOf([{ kind: 'kill-clients', count: 0 }])).toBe('soak.yaml: chaos[0].count: expected a positive integer count, got 0');
    expect(errorsOf([{ kind: 'drop-connections', at: 'soon', count: 1 }])).toBe('soak.yaml: chaos[0].at: expected a duration such as "500ms", "10s", "2m", "1h30m" or a number of seconds, got "soon"');
    expect(errorsOf([{ kind: 'kill-clients', every: '0s', count: 1 }])).toMatch(/^soak\.yaml: chaos\[0\]\.every: expected the interval between firings: a duration .*, above zero, got "0s"$/);
    expect(errorsOf([{ kind: 'restart-server', mode: 'nuke' }])).toBe('soak.yaml: chaos[0].mode: expected kill (SIGKILL) or term (SIGTERM, graceful), got "nuke"');
    expect(errorsOf([{ kind: 'command' }])).toBe('soak.yaml: chaos[0].run: expected a shell command (text), got nothing');
    expect(errorsOf([{ kind: 'network', latency: '20ms', bandwidth: 'fast' }])).toMatch(/^soak\.yaml: chaos\[0\]\.bandwidth: expected a rate per second such as "10mbit", .*, got "fast"$/);
  });

  it('asks for exactly one of fraction or count', () => {
    expect(errorsOf([{ kind: 'kill-clients' }])).toMatch(/^soak\.yaml: chaos\[0\]\.fraction: expected either fraction \(a number from 0 to 1\) or count \(a positive integer\), not both, got /);
    expect(errorsOf([{ kind: 'drop-connections', fraction: 0.5, count: 2 }])).toMatch(/chaos\[0\]\.fraction: expected either fraction/);
  });

  it('rejects unknown kinds, unknown fields, and entries that are not maps', () => {
    expect(errorsOf([{ kind: 'flood' }])).toBe(
      'soak.yaml: chaos[0].kind: expected kind to be one of kill-clients, drop-connections, restart-server, command, network, model-api, kill-gateway, restart-redis, kill-generator, slow-generator, got {"kind":"flood"}',
    );
    expect(errorsOf([{ kind: 'restart-server', fraction: 0.5 }])).toBe('soak.yaml: chaos[0]: unknown field "fraction"');
    expect(errorsOf(['kill-clients'])).toMatch(/^soak\.yaml: chaos\[0\]: expected a chaos entry: a map with kind \(kill-clients, /);
    expect(errorsOf({ kind: 'network' })).toBe('soak.yaml: chaos: expected a list of chaos entries, got {"kind":"network"}');
  });

  it('model-api entries: an effect and a duration; factor and rate checked', () => {
    expect(chaosSchema.safeParse([{ kind: 'model-api', effect: 'throttle', at: '10s', duration: '30s' }]).success).toBe(true);
    expect(errorsOf([{ kind: 'model-api', effect: 'melt', duration: '1s' }])).toMatch(/chaos\[0\]\.effect: expected throttle \(every call 429\), slow/);
    expect(errorsOf([{ kind: 'model-api', effect: 'slow', duration: '1s', factor: 0.5 }])).toMatch(/chaos\[0\]\.factor: expected a latency factor ≥ 1/);
    expect(errorsOf([{ kind: 'model-api', effect: 'fail' }])).toMatch(/chaos\[0\]\.duration: expected how long the effect lasts/);
  });

  it('asks a network entry for an effect, and for a window no longer than its interval', () => {
    expect(errorsOf([{ kind: 'network', at: '1s' }])).toMatch(/^soak\.yaml: chaos\[0\]: expected at least one of latency, jitter, bandwidth, reset, blackhole, got /);
    expect(errorsOf([{ kind: 'network', blackhole: true, every: '10s', duration: '20s' }])).toMatch(/^soak\.yaml: chaos\[0\]\.duration: expected a window no longer than every/);
  });
});
