// Parser tests for the Prometheus text exposition format with the awkward inputs real endpoints send.
import { describe, expect, it } from 'vitest';
import { formatSeriesId, parsePromText, parsePromValue } from '../../src/soak/prom-text.js';

const EXAMPLE = String.raw`# HELP http_requests_total The total number of HTTP requests.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{method="post",code="400"}    3 1395066363000

# Escaping in label values:
msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9

# Minimalistic line:
metric_without_timestamp_and_labels 12.47

# A weird metric from before the epoch:
something_weird{problem="division by zero"} +Inf -3982045

# A histogram, which has a pretty complex representation in the text format:
# HELP http_request_duration_seconds A histogram of the request duration.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.05"} 24054
http_request_duration_seconds_bucket{le="+Inf"} 144320
http_request_duration_seconds_sum 53423
http_request_duration_seconds_count 144320

# Finally a summary, which has a complex representation, too:
# HELP rpc_duration_seconds A summary of the RPC duration in seconds.
# TYPE rpc_duration_seconds summary
rpc_duration_seconds{quantile="0.01"} 3102
rpc_duration_seconds{quantile="0.5"} NaN
rpc_duration_seconds_sum 1.7560473e+07
rpc_duration_seconds_count 2693
`;

describe('parsePromText', () => {
  const samples = parsePromText(EXAMPLE);
  const byName = (name: string) => samples.filter((s) => s.name === name);

  it('reads the reference example: labels, timestamps, escapes, +Inf, NaN', () => {
    expect(samples).toHaveLength(13);
    expect(byName('http_requests_total')[1]).toEqual({
      name: 'http_requests_total',
      labels: { method: 'post', code: '400' },
      value: 3,
      timestampMs: 1395066363000,
      family: 'http_requests_total',
      type: 'counter',
    });
    expect(byName('msdos_file_access_time_seconds')[0]?.labels).toEqual({ path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
    expect(byName('msdos_file_access_time_seconds')[0]?.value).toBe(1.458255915e9);
    expect(byName('metric_without_timestamp_and_labels')[0]).toMatchObject({ labels: {}, value: 12.47, type: 'untyped' });
    expect(byName('something_weird')[0]).toMatchObject({ value: Infinity, timestampMs: -3982045 });
    expect(byName('rpc_duration_seconds')[1]?.value).toBeNaN();
  });

  it('assigns histogram and summary suffixes to their family', () => {
    const bucket = byName('http_request_duration_seconds_bucket');
    expect(bucket.map((s) => s.labels.le)).toEqual(['0.05', '+Inf']);
    expect(bucket[0]).toMatchObject({ family: 'http_request_duration_seconds', type: 'histogram' });
    expect(byName('http_request_duration_seconds_count')[0]).toMatchObject({ family: 'http_request_duration_seconds', value: 144320 });
    expect(byName('rpc_duration_seconds_sum')[0]).toMatchObject({ family: 'rpc_duration_seconds', type: 'summary', value: 1.7560473e7 });
  });

  it('handles separators inside quoted values, trailing commas, spaces, CRLF and empty label sets', () => {
    const text = 'a{x="1,2}",y="# not a comment" , } 5\r\n  b{}   -Inf  \r\n c{ z = "q" } 7\r\n#TYPE d gauge\n#   TYPE e gauge\ne 1\n';
    const out = parsePromText(text);
    expect(out.map((s) => [s.name, s.labels, s.value])).toEqual([
      ['a', { x: '1,2}', y: '# not a comment' }, 5],
      ['b', {}, -Infinity],
      ['c', { z: 'q' }, 7],
      ['e', {}, 1],
    ]);
    expect(out[3]?.type).toBe('gauge');
  });

  it('reads OpenMetrics extras: exemplars, float-second timestamps, quoted names, # EOF', () => {
    const text = ['# TYPE "my.dotted.metric" gauge', '{"my.dotted.metric", "label.with.dots"="v"} 3', 'foo_bucket{le="1"} 17 # {trace_id="KOO5S4vxi0o"} 0.67 1520879607.789', 'bar 2 1520879607.789', '# EOF', 'ignored_after_eof 1'].join(
      '\n',
    );
    const out = parsePromText(text);
    expect(out).toHaveLength(3);
    expect(out[0]).toMatchObject({ name: 'my.dotted.metric', labels: { 'label.with.dots': 'v' }, value: 3, type: 'gauge' });
    expect(out[1]).toMatchObject({ name: 'foo_bucket', labels: { le: '1' }, value: 17 });
    expect(out[1]?.timestampMs).toBeUndefined();
    expect(out[2]?.timestampMs).toBe(1520879607789);
  });

  it('skips malformed lines, reports them, and keeps the rest', () => {
    const invalid: Array<[number, string]> = [];
    const text = ['good 1', 'bad{x="1" 2', 'novalue', 'x abc', 'y 1 2 3', 'z{x="unterminated} 1', '{x="1"} 2', 'w{unq} 1', 'good2 2'].join('\n');
    const out = parsePromText(text, (line, reason) => invalid.push([line, reason]));
    expect(out.map((s) => s.name)).toEqual(['good', 'good2']);
    expect(invalid.map(([l]) => l)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(invalid[2]?.[1]).toContain('invalid value');
  });

  it('parses an empty body to nothing', () => {
    expect(parsePromText('')).toEqual([]);
    expect(parsePromText('# only comments\n\n')).toEqual([]);
  });
});

describe('parsePromValue and formatSeriesId', () => {
  it('accepts Prometheus float spellings only', () => {
    expect(parsePromValue('+Inf')).toBe(Infinity);
    expect(parsePromValue('-inf')).toBe(-Infinity);
    expect(parsePromValue('NaN')).toBeNaN();
    expect(parsePromValue('1e3')).toBe(1000);
    expect(parsePromValue('.5')).toBe(0.5);
    for (const bad of ['', '0x10', '1,5', 'abc', '1e']) expect(parsePromValue(bad)).toBeUndefined();
  });

  it('formats a series id with escaped label values', () => {
    expect(formatSeriesId('m', {})).toBe('m');
    expect(formatSeriesId('m', { a: 'x"y\\z\n' })).toBe('m{a="x\\"y\\\\z\\n"}');
  });
});
