// The V8 flags of the processes that run load: bin/bench.js's first line passes exactly the flags
// that the client and camera workers are forked with, and a process started that way has them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HARNESS_V8_FLAGS } from '../src/child-env.js';

describe('harness V8 flags', () => {
  it('bin/bench.js starts node with HARNESS_V8_FLAGS', () => {
    const first = readFileSync(new URL('../bin/bench.js', import.meta.url), 'utf8').split('\n')[0]!;
    expect(first).toBe(`#!/usr/bin/env -S node ${HARNESS_V8_FLAGS.join(' ')}`);
  });

  it('the first line, run the way the kernel runs it, starts node with those flags', () => {
    const first = readFileSync(new URL('../bin/bench.js', import.meta.url), 'utf8').split('\n')[0]!;
    const [interpreter, ...rest] = first.slice(2).split(' ');
    const out = execFileSync(interpreter!, [rest.join(' '), '-e', 'process.stdout.write(JSON.stringify(process.execArgv))'], { encoding: 'utf8' });
    expect(JSON.parse(out).slice(0, HARNESS_V8_FLAGS.length)).toEqual([...HARNESS_V8_FLAGS]);
  });
});
