// Live progress of a soak: a compact multi-line view for a TTY (redrawn in place by the caller)
// and a single line for CI logs. Pure: state in, text out; no ANSI codes, no clock reads.
import { SATURATION } from '../metrics/saturation.js';
import type { LiveState } from './types.js';

const DASH = '–';

/** "12:04" below an hour, "1:02:03" from one. */
export function clockText(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return DASH;
  const total = Math.floor(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

const int = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : DASH);
const ms = (x: number | null): string => (x === null || !Number.isFinite(x) ? DASH : `${x >= 100 ? Math.round(x) : x.toFixed(1)} ms`);
const pct = (part: number, whole: number): number => (whole > 0 ? Math.min(100, Math.max(0, (100 * part) / whole)) : 0);

/** Why the harness, not the target, may be the bottleneck right now; undefined when it looks fine. */
export function harnessWarning(state: LiveState): string | undefined {
  const reasons: string[] = [];
  const { cpuPct, eventLoopP99Ms } = state.harness;
  if (eventLoopP99Ms > SATURATION.loopDelayMs) reasons.push(`event-loop p99 ${ms(eventLoopP99Ms)} > ${SATURATION.loopDelayMs} ms`);
  if (cpuPct >= SATURATION.cpuPct) reasons.push(`CPU ${Math.round(cpuPct)}% ≥ ${SATURATION.cpuPct}%`);
  return reasons.length > 0 ? reasons.join(', ') : undefined;
}

function stageText(state: LiveState): string {
  const { index, count, target, name } = state.stage;
  return `stage ${index + 1}/${count}${name ? ` ${name}` : ''} → ${int(target)} clients`;
}

function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function fit(line: string, width: number): string {
  return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}…`;
}

/** The TTY view, 4–5 lines, none longer than `width`. */
export function renderLive(state: LiveState, width = 80): string[] {
  const done = pct(state.elapsedSec, state.totalSec);
  const head = `soak ${clockText(state.elapsedSec)} / ${clockText(state.totalSec)}`;
  const tail = `${String(Math.floor(done)).padStart(3)}%${state.stopping ? '  stopping…' : ''}`;
  const barWidth = Math.max(10, Math.min(40, width - head.length - tail.length - 4));
  const { connected, target } = state.clients;
  const scrape = state.scrape ? ` · scrape ${state.scrape.ok} ok${state.scrape.errors > 0 ? `, ${state.scrape.errors} failed` : ''}` : '';
  const lines = [
    `${head}  ${bar(done / 100, barWidth)} ${tail}`,
    `${stageText(state)} · connected ${int(connected)}/${int(target)} (${Math.floor(pct(connected, target))}%)`,
    `frames/s ${int(state.framesPerSec)} · p99 (10 s) ${ms(state.p99Last10sMs)} · errors ${int(state.errors)} · reconnects ${int(state.reconnects)}`,
    `harness CPU ${Math.round(state.harness.cpuPct)}% · event-loop p99 ${ms(state.harness.eventLoopP99Ms)}${scrape}`,
  ];
  const warning = harnessWarning(state);
  if (warning) lines.push(`! harness saturated (${warning}): latency includes the harness's own queueing`);
  return lines.map((l) => fit(l, width));
}

/** One line for CI logs (no redraw), e.g. every 10–30 s. */
export function renderLine(state: LiveState): string {
  const parts = [
    `soak ${clockText(state.elapsedSec)}/${clockText(state.totalSec)} (${Math.floor(pct(state.elapsedSec, state.totalSec))}%)`,
    stageText(state),
    `clients ${state.clients.connected}/${state.clients.target}`,
    `${Math.round(state.framesPerSec)} frames/s`,
    `p99(10s) ${ms(state.p99Last10sMs)}`,
    `errors ${state.errors}`,
    `reconnects ${state.reconnects}`,
    `cpu ${Math.round(state.harness.cpuPct)}%`,
    `loop p99 ${ms(state.harness.eventLoopP99Ms)}`,
  ];
  if (state.scrape && state.scrape.errors > 0) parts.push(`scrape errors ${state.scrape.errors}`);
  const warning = harnessWarning(state);
  if (warning) parts.push(`HARNESS SATURATED (${warning})`);
  if (state.stopping) parts.push('stopping');
  return parts.join(' | ');
}
