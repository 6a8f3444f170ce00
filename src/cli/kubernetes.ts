// `bench kubernetes render`: writes the manifests of a sharded run (scenario ConfigMap, results
// volume, Indexed Job of shards, merge Job) filled in for a scenario, a shard count and an image.
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { FRAMES_PER_CORE_SEC } from '../kubernetes/capacity.js';
import { planRender, writeManifests } from '../kubernetes/render.js';
import { parseDuration } from '../text/duration.js';
import { loadScenario } from '../scenario/load.js';
import { checkTarget, overridesFrom } from './common.js';
import { metricsPortFrom } from './distributed.js';
import { collect } from './flags.js';

interface RenderFlags {
  shards: string;
  image: string;
  startIn: string;
  command: string;
  out?: string;
  namespace?: string;
  target?: string;
  set: string[];
  clients?: string;
  duration?: string;
  peak?: string;
  multiplier: string;
  arg: string[];
  metricsPort: string;
  antiAffinity: string;
  storageClass?: string;
  resultsSize: string;
  podMonitor?: boolean;
}

function renderCommand(): Command {
  return new Command('render')
    .description('write Kubernetes manifests for a sharded run: scenario ConfigMap, shared results volume, Indexed Job of N shards, merge Job')
    .argument('<scenario>', 'scenario file, e.g. scenarios/soak.yaml')
    .requiredOption('-n, --shards <n>', 'number of shards (load generator pods)')
    .requiredOption('--image <image>', 'container image with framebench (see deploy/Dockerfile), e.g. registry.example/framebench:0.1.0')
    .option('--start-in <duration>', 'synchronised start this long after rendering (time to apply and schedule the pods)', '2m')
    .option('--command <run|sweep|soak>', 'what every shard runs', 'soak')
    .option('-o, --out <dir>', 'folder for the manifests (default: reports/<run-id>/kubernetes)')
    .option('--namespace <ns>', 'namespace of every object')
    .option('-t, --target <url>', "ws:// or wss:// URL the shards load (default: the scenario's target)")
    .option('-s, --set <key=value>', 'override a scenario field (baked into the ConfigMap; repeatable)', collect, [])
    .option('-c, --clients <n>', 'shortcut for --set clients=N (the whole run, split over the shards)')
    .option('-d, --duration <duration>', "shortcut for --set duration=D (a soak's hold)")
    .option('--peak <clients>', 'soak: production peak (the run holds peak × multiplier clients over all shards)')
    .option('--multiplier <x>', 'soak: times the peak', '3')
    .option('--arg <flag>', 'extra flag for every shard, e.g. --arg=--scrape=http://frames:8080/metrics (repeatable)', collect, [])
    .option('--metrics-port <port>', "port of every shard's live Prometheus metrics (scrape annotations point at it)", '9464')
    .option('--anti-affinity <required|preferred>', 'keep shards on different nodes: required (pods wait for free nodes) or preferred', 'required')
    .option('--storage-class <name>', 'storage class of the shared ReadWriteMany results volume')
    .option('--results-size <size>', 'size of the results volume', '1Gi')
    .option('--pod-monitor', 'also write a Prometheus Operator PodMonitor for the shards (the pods carry prometheus.io/* annotations either way)')
    .addHelpText(
      'after',
      `
Example:
  bench kubernetes render scenarios/soak.yaml --shards 4 --peak 4000 --duration 1h \\
    --image registry.example/framebench:0.1.0 --target wss://staging.example/stream --start-in 2m
  kubectl apply -f reports/<run-id>/kubernetes/

Each shard requests CPU for its share of frames/s at ${FRAMES_PER_CORE_SEC} frames/s per core (measured
with npm run bench:engine) and memory per client; see the README for the whole path.`,
    )
    .action(async (file: string, flags: RenderFlags) => {
      checkTarget(flags.target);
      const command = flags.command;
      if (command !== 'run' && command !== 'sweep' && command !== 'soak') throw new UsageError(`--command ${command}: expected run, sweep or soak`);
      if (flags.antiAffinity !== 'required' && flags.antiAffinity !== 'preferred') throw new UsageError(`--anti-affinity ${flags.antiAffinity}: expected required or preferred`);
      const startInMs = parseDuration(flags.startIn);
      if (startInMs === undefined || startInMs < 10_000) throw new UsageError(`--start-in ${flags.startIn}: expected a duration of at least 10s (pods need time to be scheduled and to start)`);
      const metricsPort = metricsPortFrom(flags.metricsPort);
      if (!metricsPort) throw new UsageError(`--metrics-port ${flags.metricsPort}: expected a fixed port from 1 to 65535 (the scrape annotations name it)`);
      const loaded = await loadScenario(file, overridesFrom({ ...flags, workers: 'auto' }));
      const peak = flags.peak === undefined ? undefined : Number(flags.peak);
      const multiplier = Number(flags.multiplier);
      if (peak !== undefined && !(peak > 0)) throw new UsageError(`--peak ${flags.peak}: expected a positive number`);
      if (!(multiplier > 0)) throw new UsageError(`--multiplier ${flags.multiplier}: expected a positive number`);
      const soakArgs = command === 'soak' && peak !== undefined ? ['--peak', String(peak), '--multiplier', String(multiplier)] : [];
      const { input, manifests, plannedSec } = planRender({
        loaded,
        command,
        shards: Number(flags.shards),
        image: flags.image,
        startInMs,
        ...(flags.namespace ? { namespace: flags.namespace } : {}),
        ...(flags.target ? { target: flags.target } : {}),
        ...(command === 'soak' ? { soak: { ...(peak !== undefined ? { peak } : {}), multiplier } } : {}),
        args: [...soakArgs, ...flags.arg],
        metricsPort,
        antiAffinity: flags.antiAffinity,
        ...(flags.storageClass ? { storageClass: flags.storageClass } : {}),
        resultsSize: flags.resultsSize,
        ...(flags.podMonitor ? { podMonitor: true } : {}),
      });
      const dir = flags.out ?? `reports/${input.runId}/kubernetes`;
      const header = `# framebench ${input.command} of scenario "${input.name}", run ${input.runId}: ${input.shards} shards starting at ${input.startAt}\n# rendered by: bench kubernetes render ${file} --shards ${input.shards}; apply before the start time\n`;
      const written = await writeManifests(dir, manifests, header);
      process.stdout.write(
        [
          `run ${input.runId}: ${input.shards} shards × (${input.resources.cpu} CPU, ${input.resources.memory}) for ${input.resources.framesPerSec} frames/s each; starts ${input.startAt}, planned ${plannedSec} s`,
          ...written.map((f) => `wrote ${f}`),
          '',
          `next: kubectl apply -f ${dir}/${input.namespace ? ` -n ${input.namespace}` : ''}`,
          `      kubectl wait --for=condition=complete --timeout=${input.deadlineSec + 600}s job/${manifests.merge.metadata?.name ?? ''}${input.namespace ? ` -n ${input.namespace}` : ''}`,
          '',
        ].join('\n'),
      );
    });
}

export function kubernetesCommand(): Command {
  return new Command('kubernetes').description('run a scenario sharded over a Kubernetes cluster').addCommand(renderCommand().exitOverride());
}
