// Rebuilds a (partial) results record from an append-only timeseries.ndjson, for runs whose
// harness crashed or was killed before writing results.json: per-cell windows and exact frame
// latency from the windows' histograms; counts that only the end of a run knows stay zero.
import { mergeSummaries } from '../metrics/merge.js';
import { summarize, createHistogram } from '../metrics/hdr.js';
import { RESULTS_SCHEMA, type CellResult, type LatencySummary, type Results } from './types.js';
import { readTimeseriesLog } from '../metrics/timeseries-log.js';
import { TOOL_NAME, toolVersion } from '../version.js';

const empty = (): LatencySummary => summarize(createHistogram());

export function resultsFromTimeseries(file: string): Results {
  const { header, cells } = readTimeseriesLog(file);
  const out: CellResult[] = [];
  for (const [id, points] of cells) {
    const sec = points.reduce((n, p) => n + (p.durationSec ?? 1), 0);
    const frames = points.reduce((n, p) => n + p.framesPerSec * (p.durationSec ?? 1), 0);
    const bytes = points.reduce((n, p) => n + p.bytesPerSec * (p.durationSec ?? 1), 0);
    const windows = points.filter((p) => p.hdr).map((p) => ({ ...empty(), hdr: p.hdr as string }));
    out.push({
      id,
      params: {},
      startedAt: header.startedAt,
      endedAt: header.startedAt,
      durationSec: Math.round(sec * 1000) / 1000,
      counts: {
        framesExpected: 0,
        framesReceived: 0,
        framesLost: points.reduce((n, p) => n + (p.lost ?? 0), 0),
        framesDuplicated: 0,
        bytesReceived: Math.round(bytes),
        requests: 0,
        requestsCompleted: 0,
        connects: 0,
        connectFailures: 0,
        reconnects: points.reduce((n, p) => n + (p.reconnects ?? 0), 0),
        errors: points.reduce((n, p) => n + p.errors, 0),
        resumes: 0,
        lossRatio: 0,
        messagesBinary: 0,
        messagesText: 0,
      },
      errorsByKind: {},
      latencyMs: { frame: windows.length ? mergeSummaries(windows) : empty(), lateness: empty(), connect: empty(), firstFrame: empty() },
      throughput: { framesPerSec: sec > 0 ? Math.round((frames / sec) * 10) / 10 : 0, bytesPerSec: sec > 0 ? Math.round(bytes / sec) : 0, bytesPerFrame: frames > 0 ? Math.round(bytes / frames) : 0 },
      clock: { offsetMs: 0, uncertaintyMs: 0, samples: 0, applied: false },
      timeseries: points,
      events: [{ t: 0, kind: 'partial', detail: `rebuilt from ${file}: the run did not finish; counts known only at the end are missing` }],
      thresholds: [],
    });
  }
  const last = out.flatMap((c) => c.timeseries).reduce((t, p) => Math.max(t, p.t), 0);
  return {
    schema: RESULTS_SCHEMA,
    tool: { name: TOOL_NAME, version: toolVersion() },
    runId: header.runId,
    command: 'report (from timeseries.ndjson)',
    startedAt: header.startedAt,
    endedAt: new Date(Date.parse(header.startedAt) + last * 1000).toISOString(),
    scenario: header.scenario,
    environment: { node: process.version, os: '', cpus: 0, cpuModel: '', target: '', embeddedServer: false },
    cells: out,
    interrupted: true,
    ok: false,
  };
}
