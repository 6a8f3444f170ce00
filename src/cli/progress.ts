// Turns run progress events into terminal lines on stderr (a live line on a TTY, periodic lines otherwise).
import { cellFailures } from '../metrics/cell-verdict.js';
import { stripControls } from '../text/sanitize.js';
import type { RunProgress } from '../runner/run-options.js';
import { formatDuration } from '../text/duration.js';

export function progressPrinter(stream: NodeJS.WriteStream = process.stderr, quiet = false): (p: RunProgress) => void {
  const tty = Boolean(stream.isTTY);
  const runStart = performance.now();
  let cellStart = runStart;
  let lastLine = 0;
  let live = false;
  const write = (text: string): void => {
    if (quiet) return;
    if (live) stream.write('\r\x1b[2K');
    live = false;
    stream.write(`${stripControls(text, true)}\n`);
  };
  return (p) => {
    switch (p.type) {
      case 'log':
        write(p.message);
        return;
      case 'waiting':
        if (live) stream.write('\r\x1b[2K');
        live = false;
        stream.write(`${p.message}\n`);
        return;
      case 'corpus':
        if (quiet) return;
        if (tty) {
          stream.write(`\r\x1b[2K${p.message}`);
          live = p.done < p.total;
          if (!live) stream.write('\n');
        } else if (p.done === p.total) write(p.message.replace(/ \d+\/\d+$/, ` (${p.total} frames)`));
        return;
      case 'target':
        write(p.embedded ? `embedded reference server at ${p.url}` : `target ${p.url}`);
        return;
      case 'cell-start': {
        cellStart = performance.now();
        const done = p.index;
        const elapsed = cellStart - runStart;
        const eta = done > 0 ? formatDuration((elapsed / done) * (p.total - done)) : '?';
        const params =
          Object.entries(p.plan.axes)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(' ') || `${p.plan.params.clients} clients`;
        write(`cell ${p.index + 1}/${p.total} ${params}${p.plan.repeat ? ` (repeat ${p.plan.repeat + 1})` : ''} · elapsed ${formatDuration(elapsed)} · remaining ~${eta}`);
        return;
      }
      case 'phase':
        if (p.phase !== 'done') write(`  ${p.phase}`);
        return;
      case 'tick': {
        const now = performance.now();
        const paused = p.point.harnessAffected ? `  harness paused ${p.point.loopStallMs ?? 0} ms (p99 harness-affected)` : '';
        const line = `  t=${p.point.t.toFixed(0)}s  ${p.connections} connections  ${p.point.framesPerSec.toFixed(0)} frames/s  p99 ${p.point.p99.toFixed(1)} ms  errors ${p.point.errors}${paused}`;
        if (quiet) return;
        if (tty) {
          stream.write(`\r\x1b[2K${line}`);
          live = true;
        } else if (now - lastLine >= 5000 || p.point.harnessAffected) {
          lastLine = now;
          write(line);
        }
        return;
      }
      case 'cell-end': {
        write(`  done in ${formatDuration(performance.now() - cellStart)}: ${p.result.throughput.framesPerSec} frames/s, p99 ${p.result.latencyMs.frame.p99} ms, lost ${p.result.counts.framesLost}`);
        const [first, ...more] = cellFailures(p.result);
        if (first) write(`  cell failed: ${first.reason}${more.length > 0 ? ` (+${more.length} more, see the summary)` : ''}`);
        return;
      }
      case 'written':
        write(`results: ${p.file}`);
        return;
    }
  };
}
