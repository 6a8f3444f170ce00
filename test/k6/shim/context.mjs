// The k6 shim's shared state: which VU and scenario code runs for (AsyncLocalStorage follows
// sockets and timers), each iteration's open handles (an iteration ends when none are left, as
// with k6's event loop), and the NDJSON sample output in k6's --out json format.
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';

export const als = new AsyncLocalStorage();
const declared = new Set();
let outFile;
let buffer = [];

export function setOutput(file) {
  outFile = file;
}

export function flush() {
  if (outFile && buffer.length) appendFileSync(outFile, buffer.join(''));
  buffer = [];
}

/** One sample, tagged like k6 tags it: the scenario name and the scenario's tags, plus the call's. */
export function sample(name, type, contains, value, tags) {
  const ctx = als.getStore();
  if (!declared.has(name)) {
    declared.add(name);
    buffer.push(`${JSON.stringify({ type: 'Metric', data: { name, type, contains, thresholds: [], submetrics: null }, metric: name })}\n`);
  }
  const all = ctx ? { group: '', scenario: ctx.scenario.name, ...ctx.scenario.tags, ...(tags ?? {}) } : { ...(tags ?? {}) };
  buffer.push(`${JSON.stringify({ metric: name, type: 'Point', data: { time: new Date().toISOString(), value: Number(value), tags: all } })}\n`);
  if (buffer.length > 1000) flush();
}

/** Handles (sockets, timers) an iteration still waits for. */
export class Iteration {
  constructor() {
    this.handles = new Set();
    this.waiter = undefined;
  }
  hold(h) {
    this.handles.add(h);
  }
  release(h) {
    this.handles.delete(h);
    if (this.handles.size === 0 && this.waiter) this.waiter();
  }
  idle() {
    if (this.handles.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}

export const current = () => als.getStore()?.iteration;
