// `bench probe` output: the messages seen (first ones, then a count), the stream's figures, the
// inferred protocol, and the starter scenario written from it.
import { stringify } from 'yaml';
import type { Inference } from './infer.js';
import type { Observation, Observed } from './observe.js';

const kb = (n: number): string => (n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`);

export function describeMessage(m: Observed, i: number): string {
  const head = `  #${String(i + 1).padEnd(4)} +${m.t.toFixed(1).padStart(8)} ms  ${m.binary ? 'binary' : 'text  '}  ${kb(m.bytes).padStart(9)}  `;
  if (m.binary) {
    const img = m.image;
    const what = img && img.format !== 'unknown' ? `${img.format.toUpperCase()}${img.width ? ` ${img.width}×${img.height}` : ''}` : 'not an image framebench knows';
    return `${head}${m.framebenchHeader ? 'framebench header + ' : ''}${what}`;
  }
  const b64 = m.base64Images?.[0];
  return `${head}${(m.text ?? '').replace(/\s+/g, ' ').slice(0, 100)}${b64 ? `  (base64 ${b64.image.format.toUpperCase()}${b64.image.width ? ` ${b64.image.width}×${b64.image.height}` : ''} in "${b64.path}")` : ''}`;
}

export function probeReport(obs: Observation, inf: Inference, shown = 12): string {
  const lines = [`probe ${obs.url} · connected in ${obs.connectMs.toFixed(1)} ms · sent ${obs.request === undefined ? 'nothing' : obs.request.length > 200 ? `${obs.request.slice(0, 200)}…` : obs.request}`];
  const msgs = obs.messages;
  const head = msgs.slice(0, shown);
  head.forEach((m, i) => lines.push(describeMessage(m, i)));
  if (msgs.length > shown + 3) lines.push(`  … ${msgs.length - shown - 3} more`);
  if (msgs.length > shown) msgs.slice(Math.max(shown, msgs.length - 3)).forEach((m, i, rest) => lines.push(describeMessage(m, msgs.length - rest.length + i)));
  const end =
    obs.endedBy === 'done'
      ? 'ended by an end-of-stream message'
      : obs.endedBy === 'closed'
        ? `the server closed the connection (${obs.closed?.code ?? '?'})`
        : obs.endedBy === 'limit'
          ? `stopped after ${msgs.length} messages`
          : 'stopped at the probe time limit';
  lines.push(`${msgs.length} message(s), ${end}`);
  const figures = [`frames: ${inf.frames}`];
  if (inf.deliveredFps !== undefined) figures.push(`delivered ${inf.deliveredFps} fps`);
  if (inf.firstFrameMs !== undefined) figures.push(`time to first frame ${inf.firstFrameMs.toFixed(1)} ms`);
  lines.push(figures.join(' · '));
  if (inf.findings.length) lines.push('', 'what it looks like:', ...inf.findings.map((f) => `  - ${f}`));
  if (inf.problems.length) lines.push('', 'does not fit:', ...inf.problems.map((p) => `  ! ${p}`));
  return lines.join('\n');
}

export interface StarterOptions {
  url: string;
  name: string;
  headers: string[];
}

/** A scenario `bench run` accepts as it is, with the inferred protocol block and modest thresholds. */
export function starterScenario(inf: Inference, o: StarterOptions): Record<string, unknown> {
  const p = inf.params;
  const firstFrame = Math.max(500, Math.ceil(((inf.firstFrameMs ?? 250) * 4) / 100) * 100);
  const gap = Math.max(250, Math.ceil(6000 / (p.fps ?? 30) / 10) * 10);
  const thresholds: Record<string, string> = { 'counts.lossRatio': '< 0.01', 'firstFrame.p95': `< ${firstFrame}`, 'gap.p99': `< ${gap}` };
  if (inf.protocol === 'reference') thresholds['frame.p99'] = '< 150';
  const doc: Record<string, unknown> = {
    name: o.name,
    target: o.url,
    clients: 5,
    rampUp: '1s',
    warmup: '1s',
    duration: '10s',
    drainTimeout: '5s',
    ...(p.fps !== undefined ? { fps: p.fps } : {}),
    ...(p.framesPerRequest !== undefined ? { framesPerRequest: p.framesPerRequest } : {}),
    ...(p.format !== undefined ? { format: p.format } : {}),
    ...(p.resolution !== undefined ? { resolution: p.resolution } : {}),
    protocol: inf.protocol,
    thresholds,
  };
  if (o.headers.length && typeof doc.protocol === 'object') {
    const upgrade: Record<string, string> = {};
    for (const h of o.headers) {
      const i = h.indexOf(':');
      const key = h.slice(0, i).trim();
      upgrade[key] = /^(authorization|cookie|x-api-key)$/i.test(key) ? 'set with --header when you run (kept out of this file)' : h.slice(i + 1).trim();
    }
    const secretFree = Object.fromEntries(Object.entries(upgrade).filter(([, v]) => !v.startsWith('set with')));
    if (Object.keys(secretFree).length) (doc.protocol as Record<string, unknown>).upgrade = { headers: secretFree };
  }
  return doc;
}

export function starterYaml(doc: Record<string, unknown>, obs: Observation, inf: Inference): string {
  const notes = [
    `Written by \`bench probe ${obs.url}\` on ${new Date().toISOString()}; start from it and adjust.`,
    ...inf.findings.map((f) => `- ${f}`),
    ...inf.problems.map((p) => `! ${p}`),
    'Run it: bench run <this file>   (the target is in the file; --target overrides it)',
  ];
  return `${notes.map((n) => `# ${n}`).join('\n')}\n${stringify(doc, { lineWidth: 0 })}`;
}
