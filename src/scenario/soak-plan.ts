// A soak's shape: stages from the scenario, or ramp to peak × multiplier, hold, ramp down.
import type { Stage } from './stages.js';
import { holdWindow, soakStages } from './stages.js';
import { UsageError } from '../errors.js';
import { parseDuration } from '../text/duration.js';
import type { Scenario } from './schema.js';

export interface SoakShape {
  peak?: number;
  multiplier: number;
  /** Hold time at peak × multiplier (flag --duration), overrides the scenario's duration. */
  hold?: string;
}

export interface SoakPlan {
  stages: Stage[];
  stagesText: Array<{ duration: string; target: number }>;
  hold?: { fromSec: number; toSec: number };
  peakClients: number;
}

const ms = (d: string | number): number => parseDuration(d) ?? 0;

export function planSoak(scenario: Scenario, shape: SoakShape): SoakPlan {
  let stagesText: Array<{ duration: string; target: number }>;
  if (shape.peak !== undefined) {
    if (!(shape.peak > 0) || !(shape.multiplier > 0)) throw new UsageError('--peak and --multiplier: expected positive numbers, e.g. --peak 400 --multiplier 3');
    const clients = Math.round(shape.peak * shape.multiplier);
    const hold = shape.hold ?? String(scenario.duration);
    const ramp = String(scenario.rampUp);
    const stages = soakStages(clients, ms(ramp), ms(hold), ms(ramp));
    stagesText = [
      { duration: ramp, target: clients },
      { duration: hold, target: clients },
      { duration: ramp, target: 0 },
    ];
    return { stages, stagesText, hold: secs(holdWindow(stages)), peakClients: clients };
  }
  if (!scenario.stages) {
    throw new UsageError('a soak needs a shape: pass --peak N (and --multiplier, default 3, --duration for the hold), or give the scenario `stages: [{ duration, target }]`');
  }
  stagesText = scenario.stages.map((s) => ({ duration: String(s.duration), target: s.target }));
  const stages = scenario.stages.map((s) => ({ durationMs: ms(s.duration), target: s.target }));
  return { stages, stagesText, hold: secs(holdWindow(stages)), peakClients: Math.max(...stages.map((s) => s.target)) };
}

function secs(w: { fromMs: number; toMs: number } | undefined): { fromSec: number; toSec: number } | undefined {
  return w && { fromSec: w.fromMs / 1000, toSec: w.toMs / 1000 };
}
