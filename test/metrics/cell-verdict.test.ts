// A cell that measured nothing fails on its own, with a reason that says what to do.
import { describe, expect, it } from 'vitest';
import { cellFailures } from '../../src/metrics/cell-verdict.js';
import type { CellResult } from '../../src/results/types.js';
import { cellForeign } from '../fixtures/results-empty.js';
import { cellWebp480 } from '../fixtures/results-small.js';

const healthy: CellResult = { ...cellWebp480, counts: { ...cellWebp480.counts, messagesBinary: 90000, messagesText: 300 } };
const withCounts = (cell: CellResult, counts: Partial<CellResult['counts']>, errorsByKind = cell.errorsByKind): CellResult => ({ ...cell, counts: { ...cell.counts, ...counts }, errorsByKind });

describe('cellFailures', () => {
  it('a healthy cell has none', () => {
    expect(cellFailures(healthy)).toEqual([]);
  });

  it('binary messages without a framebench header: the target speaks another protocol', () => {
    const failures = cellFailures(cellForeign);
    expect(failures.map((f) => f.kind)).toEqual(['protocol_errors', 'no_frames', 'no_completed_request']);
    expect(failures[0]!.reason).toBe('0 of 300 binary messages carried a framebench header: the target does not speak the reference protocol; see `protocol:` in the README');
    expect(failures[1]!.reason).toContain('received no frames in 5 s of measurement over 10 connections');
    expect(failures[1]!.reason).toContain('bad_frame×300');
    expect(failures[2]!.reason).toBe(
      "no request was started during the 5 s measurement window, though a request of 30 frames at 30 fps takes 1 s: the requests sent before it never ended (errors: bad_frame×300); check that the target ends each stream with a done message carrying framebench's request id, or see `protocol:` in the README",
    );
    const long = { ...cellForeign, params: { ...cellForeign.params, framesPerRequest: 300 } };
    expect(cellFailures(long).at(-1)!.reason).toBe('no request was started during the 5 s measurement window: a request of 300 frames at 30 fps takes 10 s; lengthen `duration` or lower `framesPerRequest`');
  });

  it('"most" means more than half of the messages of that kind', () => {
    const some = withCounts(healthy, { messagesBinary: 100 }, { bad_frame: 50 });
    expect(cellFailures(some)).toEqual([]);
    const most = withCounts(healthy, { messagesBinary: 100 }, { bad_frame: 51 });
    expect(cellFailures(most)).toEqual([{ kind: 'protocol_errors', reason: expect.stringContaining('49 of 100 binary messages carried a framebench header') }]);
  });

  it('text messages that are not JSON, and other unreadable kinds (bad_*), count too', () => {
    const text = withCounts(healthy, { messagesText: 40 }, { bad_json_from_server: 39 });
    expect(cellFailures(text)[0]!.reason).toBe('39 of 40 text messages from the target were not JSON: the target does not speak the reference protocol; see `protocol:` in the README');
    const other = withCounts(healthy, { messagesBinary: 10, messagesText: 0 }, { bad_payload: 8 });
    expect(cellFailures(other)[0]!.reason).toMatch(/^8 of 10 messages could not be read \(bad_payload×8\)/);
  });

  it('requests that never complete (a refusing server) fail the cell even though it connected', () => {
    const refused = withCounts(healthy, { requests: 40, requestsCompleted: 0 }, { server_rate_limited: 40 });
    expect(cellFailures(refused)).toEqual([
      { kind: 'no_completed_request', reason: "40 requests started, none completed with a done message (errors: server_rate_limited×40); check that the target ends each stream and answers framebench's request id" },
    ]);
  });

  it('an interrupted cell that measured nothing says so instead of blaming the target', () => {
    const idle = withCounts(cellForeign, { messagesBinary: 0, messagesText: 0, errors: 0 }, {});
    expect(cellFailures(idle, { interrupted: true })).toEqual([{ kind: 'interrupted_empty', reason: 'interrupted before anything was measured: no frame received, no request followed to its end' }]);
    const partial = withCounts(healthy, { requests: 3, requestsCompleted: 0 });
    expect(cellFailures(partial, { interrupted: true })).toEqual([{ kind: 'no_completed_request', reason: 'interrupted before any request completed (3 requests started)' }]);
  });

  it('reads results written before the message counters existed', () => {
    const { messagesBinary: _b, messagesText: _t, ...old } = healthy.counts;
    expect(cellFailures({ ...healthy, counts: old as CellResult['counts'] })).toEqual([]);
  });
});
