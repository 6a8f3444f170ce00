import { describe, expect, it } from 'vitest';
import type { Results } from '../../src/results/types.js';
import { NO_THRESHOLD_CASE, escapeXml, renderJunit } from '../../src/report/junit.js';
import { cellJpeg720, cellWebp480, resultsSmall } from '../fixtures/results-small.js';
import { expectGolden } from './golden.js';

describe('renderJunit', () => {
  it('matches the golden XML of a failing two-cell run', () => {
    expectGolden('junit-small.xml', renderJunit(resultsSmall));
  });

  it('has one testcase per cell × threshold and counts failures', () => {
    const xml = renderJunit(resultsSmall);
    expect(xml.match(/<testsuite /g)).toHaveLength(1);
    expect(xml.match(/<testcase /g)).toHaveLength(6);
    expect(xml.match(/<failure /g)).toHaveLength(3);
    expect(xml).toContain('<testsuite name="framebench: ci &amp; nightly &lt;gate&gt;" tests="6" failures="3" errors="0"');
    expect(xml).toContain('<testcase classname="jpeg-720p-b5" name="frame.p99 &lt; 150" time="0">');
    expect(xml).toContain('<failure message="measured 212.4 (41.6% over)" type="threshold">');
  });

  it('gives a cell without thresholds one case that fails only on connect failures', () => {
    const run: Results = {
      ...resultsSmall,
      cells: [
        { ...cellWebp480, thresholds: [] },
        { ...cellJpeg720, thresholds: [] },
      ],
    };
    const xml = renderJunit(run);
    expect(xml).toContain(`<testcase classname="webp-480p-b5" name="${NO_THRESHOLD_CASE}" time="0"/>`);
    expect(xml).toContain(`<testcase classname="jpeg-720p-b5" name="${NO_THRESHOLD_CASE}" time="0">`);
    expect(xml).toContain('<failure message="2 connect failures" type="threshold">');
    expect(xml).toContain('tests="2" failures="1"');
  });

  it('escapes XML and drops characters XML cannot carry', () => {
    expect(escapeXml(`a<b>&"c"'d'\u0001\u001f\ud800 ok 😀`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos; ok 😀');
    const xml = renderJunit({ ...resultsSmall, runId: 'r"1\n2' });
    expect(xml).toContain('<property name="runId" value="r&quot;1&#10;2"/>');
  });
});
