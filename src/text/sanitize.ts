// Text that came from a target (error codes, messages, close reasons) or from a hostile peer, made safe
// to print: control characters (C0, DEL, C1, and the bidi/zero-width format controls) are replaced,
// so nothing a target sends can move the cursor, clear the screen, retitle the window or recolour
// output in a terminal, markdown or JUnit file; and long values are cut to a short excerpt.

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it removes
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;

/** Replaces every control character with U+FFFD (tabs and newlines too, unless `keepNewlines`: one value, one line). */
export function stripControls(text: string, keepNewlines = false): string {
  return text.replace(CONTROLS, (c) => (keepNewlines && c === '\n' ? c : '\ufffd'));
}

/** True when the text holds a control character stripControls would replace. */
export function hasControls(text: string): boolean {
  CONTROLS.lastIndex = 0;
  const found = CONTROLS.test(text);
  CONTROLS.lastIndex = 0;
  return found;
}

/** At most `max` characters (an ellipsis marks the cut), control characters replaced. */
export function clip(text: string, max: number): string {
  const safe = stripControls(text);
  return safe.length <= max ? safe : `${safe.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * A short, printable rendering of any value, for error messages that quote what they got. Objects and
 * arrays are described, not serialised: a hostile value can be huge or nested thousands deep.
 */
export function excerpt(value: unknown, max = 48): string {
  let text: string;
  if (Array.isArray(value)) text = `a list of ${value.length}`;
  else if (typeof value === 'object' && value !== null) text = `an object with ${Object.keys(value).length} fields`;
  else if (typeof value === 'string') text = JSON.stringify(value.length > max * 4 ? value.slice(0, max * 4) : value);
  else text = value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
  return clip(text, max);
}
