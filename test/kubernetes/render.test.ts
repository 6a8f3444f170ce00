import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { FRAMES_PER_CORE_SEC, shardResources } from '../../src/kubernetes/capacity.js';
import { planRender } from '../../src/kubernetes/render.js';
import { loadScenario, validateScenario } from '../../src/scenario/load.js';
import { parseOverride } from '../../src/scenario/overrides.js';
import { scenarioHash } from '../../src/shard/run-id.js';
import { ROOT, runCli, tempDir } from '../helpers.js';

/** Validates an object against the Kubernetes API schema of its kind (OpenAPI, via kubernetes-models). */
function validate(doc: { kind?: string }): void {
  switch (doc.kind) {
    case 'ConfigMap':
      return new ConfigMap(doc as ConstructorParameters<typeof ConfigMap>[0]).validate();
    case 'PersistentVolumeClaim':
      return new PersistentVolumeClaim(doc as ConstructorParameters<typeof PersistentVolumeClaim>[0]).validate();
    case 'Job':
      return new Job(doc as ConstructorParameters<typeof Job>[0]).validate();
    case 'PodMonitor':
      return new PodMonitor(doc as ConstructorParameters<typeof PodMonitor>[0]).validate();
    default:
      throw new Error(`unexpected kind ${String(doc.kind)}`);
  }
}

function docsIn(dir: string): Array<Record<string, any>> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Record<string, any>));
}

describe('bench kubernetes render', () => {
  it('the validator rejects what the API server would (wrong types, missing required fields)', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'x' }, spec: { template: { spec: { containers: [{ name: 'a', image: 'b' }] } } } };
    expect(() => validate(job)).not.toThrow();
    expect(() => validate({ ...job, spec: { ...job.spec, parallelism: 'four' } })).toThrow(/parallelism must be integer/);
    expect(() => validate({ ...job, spec: { template: { spec: { containers: [{ image: 'b' }] } } } })).toThrow(/required property name/);
  });

  it('writes an Indexed Job, a merge Job, the scenario ConfigMap and a results volume that pass schema validation', async () => {
    const out = tempDir('fb-k8s-');
    const r = await runCli([
      'kubernetes',
      'render',
      'scenarios/soak.yaml',
      '--shards',
      '4',
      '--peak',
      '400',
      '--duration',
      '20m',
      '--image',
      'registry.example/framebench:0.1.0',
      '--target',
      'ws://frames.staging.svc:8080/',
      '--start-in',
      '2m',
      '--namespace',
      'load',
      '-o',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/4 shards × \(\d+ CPU, \d+Mi\) for 4500 frames\/s each/);
    const docs = docsIn(out);
    expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'PersistentVolumeClaim', 'Job', 'Job']);
    for (const d of docs) validate(d);
    const [cm, pvc, shards, merge] = docs as [Record<string, any>, Record<string, any>, Record<string, any>, Record<string, any>];
    expect(shards.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4, backoffLimitPerIndex: 0 });
    const pod = shards.spec.template;
    expect(pod.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9464', 'prometheus.io/path': '/metrics' });
    expect(pod.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    const args: string[] = pod.spec.containers[0].args;
    expect(args.slice(0, 4)).toEqual(['soak', '/scenario/scenario.yaml', '--shard', '4']);
    const startAt = args[args.indexOf('--start-at') + 1]!;
    expect(Date.parse(startAt) - Date.now()).toBeGreaterThan(100_000);
    expect(args).toEqual(expect.arrayContaining(['--metrics-port', '9464', '--target', 'ws://frames.staging.svc:8080/', '--peak', '400']));
    expect(pod.spec.containers[0].resources.requests).toEqual({ cpu: shardResources(300, 15).cpu, memory: shardResources(300, 15).memory });
    expect(pvc.spec.accessModes).toEqual(['ReadWriteMany']);
    expect(merge.spec.template.spec.containers[0].command.join(' ')).toContain(`bench merge /results/${args[args.indexOf('--run-id') + 1]}/shard-*/results.json`);
    expect(docs.every((d) => d.metadata.namespace === 'load')).toBe(true);
    // The ConfigMap's scenario loads back to the same scenario (same hash, so the shards' derived run id matches).
    const back = validateScenario('scenario.yaml', parseAllDocuments(cm.data['scenario.yaml'])[0]!.toJS());
    const orig = await loadScenario(join(ROOT, 'scenarios/soak.yaml'), [parseOverride('duration=20m')]);
    expect(scenarioHash(back)).toBe(scenarioHash(orig.scenario));
  });

  it("with --pod-monitor also writes a PodMonitor selecting the shard pods' metrics port", async () => {
    const out = tempDir('fb-k8s-');
    const r = await runCli(['kubernetes', 'render', 'scenarios/quick.yaml', '--command', 'sweep', '--shards', '2', '--image', 'framebench:test', '--target', 'ws://frames:8080/', '--pod-monitor', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const docs = docsIn(out);
    expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'PersistentVolumeClaim', 'Job', 'Job', 'PodMonitor']);
    for (const d of docs) validate(d);
    const [, , shards, , pm] = docs as Array<Record<string, any>>;
    expect(pm!.spec.selector.matchLabels).toEqual({ 'framebench.dev/run-id': shards!.metadata.labels['framebench.dev/run-id'], 'framebench.dev/role': 'shard' });
    expect(shards!.spec.template.spec.containers[0].ports).toEqual([{ name: 'metrics', containerPort: 9464 }]);
    expect(() => validate({ ...pm, spec: { ...pm!.spec, podMetricsEndpoints: 'metrics' } })).toThrow();
  });

  it('sizes requests from the measured per-core capacity', () => {
    expect(shardResources(100, 15)).toMatchObject({ cores: 1, framesPerSec: 1500 });
    const big = shardResources(5000, 30);
    expect(big.cores).toBe(Math.ceil(150_000 / (FRAMES_PER_CORE_SEC * 0.6)));
    expect(() =>
      planRender({ loaded: { file: 'x', scenario: validateScenario('x', { clients: 3 }) }, command: 'run', shards: 4, image: 'i', startInMs: 60_000, args: [], metricsPort: 9464, antiAffinity: 'required', resultsSize: '1Gi' }),
    ).toThrow(/at most 3 clients/);
  });

  it('the shipped example in deploy/kubernetes passes schema validation', () => {
    const docs = docsIn(join(ROOT, 'deploy/kubernetes'));
    expect(docs.length).toBe(4);
    for (const d of docs) validate(d);
  });
});
