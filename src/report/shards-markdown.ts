// One markdown line about the shards a merged result came from.
import type { Results } from '../results/types.js';

export function shardsMarkdownLines(results: Results, escape: (s: string) => string): string[] {
  const m = results.merge;
  if (!m) return [];
  const hosts = [...new Set(m.shards.map((s) => s.host))];
  const flagged = m.shards.filter((s) => s.harnessSaturated || s.interrupted).map((s) => `${s.label} ${s.interrupted ? 'interrupted' : 'saturated'}`);
  const parts = [
    `merged from ${m.shards.length} shards on ${hosts.length} host${hosts.length === 1 ? '' : 's'}`,
    `clock spread ${m.clockSpreadMs} ms`,
    ...(m.partialWindows ? [`${m.partialWindows} partial windows`] : []),
    ...(m.incompleteCells?.length ? [`⚠️ incomplete: ${m.incompleteCells.join('; ')}`] : []),
    ...(flagged.length ? [`⚠️ shard ${flagged.join(', ')}`] : []),
  ];
  return [`**Shards:** ${escape(parts.join(' · '))}`, ''];
}
