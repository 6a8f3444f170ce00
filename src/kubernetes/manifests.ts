// The Kubernetes objects of a sharded run: the scenario as a ConfigMap, a shared results volume,
// an Indexed Job of N shards (anti-affinity, resource requests, Prometheus scrape annotations,
// synchronised start) and a merge Job that waits for every shard and runs `bench merge`.
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import type { ShardResources } from './capacity.js';

export interface RenderInput {
  name: string;
  runId: string;
  namespace?: string;
  image: string;
  shards: number;
  command: 'run' | 'sweep' | 'soak';
  /** Scenario YAML (resolved, overrides applied). */
  scenarioYaml: string;
  startAt: string;
  /** Extra flags for every shard, e.g. ["--peak", "400", "--duration", "1h"]. */
  args: string[];
  target?: string;
  resources: ShardResources;
  metricsPort: number;
  antiAffinity: 'required' | 'preferred';
  storageClass?: string;
  resultsSize: string;
  /** Seconds after the start by which the shards must have finished (the run's planned length plus margin). */
  deadlineSec: number;
  /** Also a Prometheus Operator PodMonitor for the shards (needs the operator's CRDs). */
  podMonitor?: boolean;
}

export interface Manifests {
  configMap: IConfigMap;
  pvc: IPersistentVolumeClaim;
  shards: IJob;
  merge: IJob;
  podMonitor?: IPodMonitor;
}

const APP = 'framebench';
const RESULTS = '/results';

export function dnsName(text: string, max = 52): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return s || 'run';
}

export function buildManifests(x: RenderInput): Manifests {
  const base = dnsName(`${APP}-${x.runId}`);
  const labels = { 'app.kubernetes.io/name': APP, 'app.kubernetes.io/instance': base, 'framebench.dev/run-id': dnsName(x.runId, 63) };
  const meta = (suffix: string) => ({ name: `${base}-${suffix}`, ...(x.namespace ? { namespace: x.namespace } : {}), labels: { ...labels } });
  const runDir = `${RESULTS}/${x.runId}`;
  const volumes = [
    { name: 'scenario', configMap: { name: `${base}-scenario` } },
    { name: 'results', persistentVolumeClaim: { claimName: `${base}-results` } },
  ];
  const mounts = [
    { name: 'scenario', mountPath: '/scenario', readOnly: true },
    { name: 'results', mountPath: RESULTS },
  ];
  const shardArgs = [
    x.command,
    '/scenario/scenario.yaml',
    '--shard',
    String(x.shards),
    '--start-at',
    x.startAt,
    '--run-id',
    x.runId,
    '--out',
    runDir,
    '--workers',
    String(x.resources.cores),
    '--metrics-port',
    String(x.metricsPort),
    ...(x.target ? ['--target', x.target] : []),
    ...x.args,
  ];
  const term = { labelSelector: { matchLabels: { 'framebench.dev/run-id': labels['framebench.dev/run-id'], 'framebench.dev/role': 'shard' } }, topologyKey: 'kubernetes.io/hostname' };
  const shardContainer: IContainer = {
    name: 'shard',
    image: x.image,
    args: shardArgs,
    ports: [{ name: 'metrics', containerPort: x.metricsPort }],
    resources: { requests: { cpu: x.resources.cpu, memory: x.resources.memory }, limits: { memory: x.resources.memory } },
    volumeMounts: mounts,
  };
  const shards: IJob = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta('shards'),
    spec: {
      completionMode: 'Indexed',
      completions: x.shards,
      parallelism: x.shards,
      backoffLimitPerIndex: 0,
      activeDeadlineSeconds: x.deadlineSec,
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: {
          labels: { ...labels, 'framebench.dev/role': 'shard' },
          annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(x.metricsPort), 'prometheus.io/path': '/metrics' },
        },
        spec: {
          restartPolicy: 'Never',
          affinity: {
            podAntiAffinity: x.antiAffinity === 'required' ? { requiredDuringSchedulingIgnoredDuringExecution: [term] } : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] },
          },
          containers: [shardContainer],
          volumes,
        },
      },
    },
  };
  const waitScript = [
    `n=0; until [ "$(ls ${runDir}/shard-*/report.html 2>/dev/null | wc -l)" -ge ${x.shards} ]; do`,
    `  n=$((n+1)); if [ $n -gt ${Math.ceil(x.deadlineSec / 10)} ]; then echo "gave up waiting: $(ls ${runDir}/shard-*/report.html 2>/dev/null | wc -l) of ${x.shards} shards finished"; exit 1; fi`,
    `  echo "waiting for shards: $(ls ${runDir}/shard-*/report.html 2>/dev/null | wc -l) of ${x.shards} finished"; sleep 10;`,
    'done',
  ].join('\n');
  const merge: IJob = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta('merge'),
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: x.deadlineSec + 600,
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: { labels: { ...labels, 'framebench.dev/role': 'merge' } },
        spec: {
          restartPolicy: 'Never',
          initContainers: [{ name: 'wait-for-shards', image: x.image, command: ['sh', '-c', waitScript], volumeMounts: [{ name: 'results', mountPath: RESULTS }] }],
          containers: [
            {
              name: 'merge',
              image: x.image,
              command: ['sh', '-c', `exec bench merge ${runDir}/shard-*/results.json -o ${runDir}/merged`],
              resources: { requests: { cpu: '500m', memory: '512Mi' } },
              volumeMounts: [{ name: 'results', mountPath: RESULTS }],
            },
          ],
          volumes: [{ name: 'results', persistentVolumeClaim: { claimName: `${base}-results` } }],
        },
      },
    },
  };
  return {
    configMap: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('scenario'), data: { 'scenario.yaml': x.scenarioYaml } },
    pvc: {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta('results'),
      spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: x.resultsSize } }, ...(x.storageClass ? { storageClassName: x.storageClass } : {}) },
    },
    shards,
    merge,
    ...(x.podMonitor
      ? {
          podMonitor: {
            apiVersion: 'monitoring.coreos.com/v1',
            kind: 'PodMonitor',
            metadata: meta('shards'),
            spec: {
              selector: { matchLabels: { 'framebench.dev/run-id': labels['framebench.dev/run-id'], 'framebench.dev/role': 'shard' } },
              podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '5s' }],
            },
          } satisfies IPodMonitor,
        }
      : {}),
  };
}
