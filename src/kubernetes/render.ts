// Plans a sharded run for Kubernetes (start time, run id, per-shard resources, deadline) and
// writes its manifests as YAML files, ready for `kubectl apply -f`.
import { join } from 'node:path';
import { stringify } from 'yaml';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../results/write.js';
import { planSoak, type SoakShape } from '../scenario/soak-plan.js';
import type { LoadedScenario } from '../scenario/load.js';
import { planCells } from '../scenario/sweep.js';
import { scenarioHash, sharedRunId } from '../shard/run-id.js';
import { MAX_SHARDS } from '../shard/spec.js';
import { cellSchedule, slotMs } from '../shard/start-at.js';
import { shardResources } from './capacity.js';
import { buildManifests, type Manifests, type RenderInput } from './manifests.js';

export interface RenderRequest {
  loaded: LoadedScenario;
  command: 'run' | 'sweep' | 'soak';
  shards: number;
  image: string;
  startInMs: number;
  nowMs?: number;
  namespace?: string;
  target?: string;
  soak?: SoakShape;
  args: string[];
  metricsPort: number;
  antiAffinity: 'required' | 'preferred';
  storageClass?: string;
  resultsSize: string;
  podMonitor?: boolean;
}

export interface RenderPlan {
  input: RenderInput;
  manifests: Manifests;
  /** Planned seconds from the start to the end of the last shard. */
  plannedSec: number;
}

export function planRender(req: RenderRequest): RenderPlan {
  if (!Number.isInteger(req.shards) || req.shards < 1 || req.shards > MAX_SHARDS) throw new UsageError(`--shards ${req.shards}: expected a whole number from 1 to ${MAX_SHARDS}`);
  const { scenario } = req.loaded;
  const startAtMs = Math.ceil(((req.nowMs ?? Date.now()) + req.startInMs) / 1000) * 1000;
  let peakClients: number;
  let plannedMs: number;
  const plans = planCells(scenario);
  if (req.command === 'soak') {
    const soak = planSoak(scenario, req.soak ?? { multiplier: 3 });
    peakClients = soak.peakClients;
    const plan = { ...(plans[0] as (typeof plans)[number]), params: { ...(plans[0] as (typeof plans)[number]).params, clients: peakClients } };
    plannedMs = slotMs(plan, soak.stages);
  } else {
    peakClients = Math.max(...plans.map((p) => p.params.clients));
    const starts = cellSchedule(plans, startAtMs);
    plannedMs = (starts.at(-1) ?? startAtMs) - startAtMs + slotMs(plans.at(-1) as (typeof plans)[number]);
  }
  if (peakClients < req.shards) throw new UsageError(`--shards ${req.shards}: the scenario has at most ${peakClients} clients; every shard needs at least one`);
  const fps = Math.max(...plans.map((p) => p.params.fps));
  const resources = shardResources(Math.ceil(peakClients / req.shards), fps);
  const runId = sharedRunId(scenario.name, scenarioHash(scenario), startAtMs);
  const input: RenderInput = {
    name: scenario.name,
    runId,
    ...(req.namespace ? { namespace: req.namespace } : {}),
    image: req.image,
    shards: req.shards,
    command: req.command,
    scenarioYaml: stringify(scenario),
    startAt: new Date(startAtMs).toISOString(),
    args: req.args,
    ...(req.target ? { target: req.target } : {}),
    resources,
    metricsPort: req.metricsPort,
    antiAffinity: req.antiAffinity,
    ...(req.storageClass ? { storageClass: req.storageClass } : {}),
    resultsSize: req.resultsSize,
    deadlineSec: Math.ceil((req.startInMs + plannedMs) / 1000) + 600,
    ...(req.podMonitor ? { podMonitor: true } : {}),
  };
  return { input, manifests: buildManifests(input), plannedSec: Math.round(plannedMs / 1000) };
}

export const MANIFEST_FILES = { configMap: '10-scenario-configmap.yaml', pvc: '20-results-pvc.yaml', shards: '30-shards-job.yaml', merge: '40-merge-job.yaml', podMonitor: '50-shards-podmonitor.yaml' } as const;

export async function writeManifests(dir: string, m: Manifests, header: string): Promise<string[]> {
  const out: string[] = [];
  for (const [key, file] of Object.entries(MANIFEST_FILES) as Array<[keyof Manifests, string]>) {
    if (!m[key]) continue;
    const path = join(dir, file);
    await writeFileAtomic(path, `${header}${stringify(m[key], { lineWidth: 0 })}`);
    out.push(path);
  }
  return out;
}
