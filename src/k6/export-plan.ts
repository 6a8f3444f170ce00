// A scenario as k6 sees it: one k6 scenario per cell (and repeat), run one after another with
// `startTime`, each tagged with its cell; clients/rampUp/warmup/duration become `ramping-vus`
// (or `constant-vus` without a ramp), soak `stages` become ramping-vus stages. The table of cells
// (timing in ms from the k6 scenario's start, request params) is what the script's runtime reads.
import { parseResolution } from '../frames/resolution.js';
import { parseDuration } from '../text/duration.js';
import type { Scenario } from '../scenario/schema.js';
import { planCells, type CellPlan } from '../scenario/sweep.js';
import { CELL_TAG, REPEAT_TAG } from './metric-names.js';

/** What the runtime in the script needs to know about one cell. */
export interface K6Cell {
  id: string;
  repeat: number;
  /** Measurement window, ms from the k6 scenario's start. */
  measureFromMs: number;
  measureToMs: number;
  drainMs: number;
  /** Stretches (ms from the k6 scenario's start) where the stage target falls: one request per iteration. */
  rampDowns: Array<[number, number]>;
  format: string;
  resolution: string;
  width: number;
  height: number;
  quality: number;
  fps: number;
  /** 0 for a continuous stream. */
  frames: number;
  bufferDepth: number;
  transport: string;
  reconnect: { enabled: boolean; baseMs: number; capMs: number; maxAttempts: number };
}

export type K6Executor =
  | { executor: 'constant-vus'; vus: number; duration: string; startTime: string; gracefulStop: string; tags: Record<string, string>; exec: string }
  | { executor: 'ramping-vus'; startVUs: number; stages: Array<{ duration: string; target: number }>; gracefulRampDown: string; startTime: string; gracefulStop: string; tags: Record<string, string>; exec: string };

export interface K6Plan {
  cells: Record<string, K6Cell>;
  scenarios: Record<string, K6Executor>;
  plans: CellPlan[];
  /** Whole test length including every cell's drain, ms. */
  totalMs: number;
}

const ms = (d: string | number): number => parseDuration(d) ?? 0;
/** k6 durations: whole milliseconds as "1500ms", whole seconds as "2s" (k6 accepts both). */
const k6Duration = (x: number): string => (x % 1000 === 0 ? `${x / 1000}s` : `${Math.round(x)}ms`);

/** k6 scenario names: letters, digits, `_` and `-` only. */
export function k6ScenarioName(plan: CellPlan): string {
  const base = `c${String(plan.index).padStart(2, '0')}_${plan.id}`.replace(/[^0-9A-Za-z_-]/g, '_');
  return plan.repeat > 0 ? `${base}_r${plan.repeat}` : base;
}

/** Gap between cells, so one cell's drain never overlaps the next one's connects. */
const CELL_GAP_MS = 1000;
/** While ramping down, a continuous stream runs this long before it is cancelled and its iteration ends. */
export const RAMP_DOWN_SLICE_MS = 1000;
/** Margin k6 gives an iteration beyond the drain before interrupting it. */
const STOP_MARGIN_MS = 2000;

export function planK6(scenario: Scenario): K6Plan {
  const plans = planCells(scenario);
  const cells: Record<string, K6Cell> = {};
  const scenarios: Record<string, K6Executor> = {};
  let startMs = 0;
  for (const plan of plans) {
    const p = plan.params;
    const name = k6ScenarioName(plan);
    const drainMs = ms(p.drainTimeout);
    const tags = { [CELL_TAG]: plan.id, ...(plan.repeat > 0 ? { [REPEAT_TAG]: String(plan.repeat) } : {}) };
    const common = { startTime: k6Duration(startMs), gracefulStop: k6Duration(drainMs + STOP_MARGIN_MS), tags, exec: 'stream' };
    let measureFromMs: number;
    let lengthMs: number;
    const rampDowns: Array<[number, number]> = [];
    if (scenario.stages) {
      const stages = scenario.stages.map((s) => ({ duration: k6Duration(ms(s.duration)), target: s.target }));
      lengthMs = 0;
      let from = 0;
      for (const st of scenario.stages) {
        if (st.target < from) rampDowns.push([lengthMs, lengthMs + ms(st.duration)]);
        from = st.target;
        lengthMs += ms(st.duration);
      }
      measureFromMs = 0;
      // a VU k6 stops while ramping down finishes its one request of the iteration first
      const requestMs = p.framesPerRequest === 'continuous' ? RAMP_DOWN_SLICE_MS : Math.max(RAMP_DOWN_SLICE_MS, (p.framesPerRequest * 1000) / p.fps + 1000);
      scenarios[name] = { executor: 'ramping-vus', startVUs: 0, stages, gracefulRampDown: k6Duration(Math.ceil(requestMs + drainMs + STOP_MARGIN_MS)), ...common };
    } else {
      const rampMs = ms(p.rampUp);
      const holdMs = ms(p.warmup) + ms(p.duration);
      lengthMs = rampMs + holdMs;
      measureFromMs = rampMs + ms(p.warmup);
      scenarios[name] =
        rampMs > 0
          ? {
              executor: 'ramping-vus',
              startVUs: 0,
              stages: [
                { duration: k6Duration(rampMs), target: p.clients },
                { duration: k6Duration(holdMs), target: p.clients },
              ],
              gracefulRampDown: k6Duration(drainMs + STOP_MARGIN_MS),
              ...common,
            }
          : { executor: 'constant-vus', vus: p.clients, duration: k6Duration(holdMs), ...common };
    }
    cells[name] = {
      id: plan.id,
      repeat: plan.repeat,
      measureFromMs,
      measureToMs: lengthMs,
      drainMs,
      rampDowns,
      format: p.format,
      resolution: p.resolution,
      width: parseResolution(p.resolution)?.width ?? 0,
      height: parseResolution(p.resolution)?.height ?? 0,
      quality: p.quality,
      fps: p.fps,
      frames: p.framesPerRequest === 'continuous' ? 0 : p.framesPerRequest,
      bufferDepth: p.bufferDepth,
      transport: p.transport,
      reconnect: { enabled: scenario.reconnect.enabled, baseMs: ms(scenario.reconnect.base), capMs: ms(scenario.reconnect.cap), maxAttempts: scenario.reconnect.maxAttempts },
    };
    startMs += lengthMs + drainMs + STOP_MARGIN_MS + CELL_GAP_MS;
  }
  return { cells, scenarios, plans, totalMs: startMs };
}
