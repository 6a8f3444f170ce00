// Exit codes of errors that reach the entry point: typed errors keep theirs, a bug is 4 (never 1,
// which CI reads as a failed threshold) with a request for a report.
import { describe, expect, it } from 'vitest';
import { outcomeOf } from '../../src/cli/exit-code.js';
import { ScenarioError, TargetError } from '../../src/errors.js';

describe('outcomeOf', () => {
  it('maps an unexpected error to exit 4 with a bug-report line', () => {
    const o = outcomeOf(new TypeError("Cannot read properties of undefined (reading 'frame')"));
    expect(o.code).toBe(4);
    expect(o.text).toMatch(/^bench: internal error: TypeError: Cannot read properties/);
    expect(o.text).toMatch(/this is a bug in framebench: please report it/);
    expect(outcomeOf('a thrown string').code).toBe(4);
  });

  it('keeps typed exit codes and strips control characters from their messages', () => {
    expect(outcomeOf(new ScenarioError('x.yaml: clients: bad')).code).toBe(2);
    const o = outcomeOf(new TargetError('cannot connect: \u001b]0;owned\u0007 refused\nsecond line'));
    expect(o.code).toBe(3);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserts no control character reached the terminal
    expect(o.text).not.toMatch(/[\u0007\u001b]/);
    expect(o.text).toContain('\nsecond line');
  });
});
