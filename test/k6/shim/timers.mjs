// k6/timers: timers an iteration waits for.
import { current } from './context.mjs';

const owners = new Map();

function setTimeoutShim(fn, delay, ...args) {
  const iteration = current();
  const token = {};
  const t = globalThis.setTimeout(() => {
    owners.delete(id);
    try {
      fn(...args);
    } finally {
      iteration?.release(token);
    }
  }, delay);
  const id = Number(t[Symbol.toPrimitive]());
  owners.set(id, { t, iteration, token });
  iteration?.hold(token);
  return id;
}

function clearTimeoutShim(id) {
  const o = owners.get(id);
  if (!o) return;
  owners.delete(id);
  globalThis.clearTimeout(o.t);
  o.iteration?.release(o.token);
}

export { setTimeoutShim as setTimeout, clearTimeoutShim as clearTimeout };
