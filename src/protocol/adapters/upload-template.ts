// The frame template of `protocol.upload` (a JSON object with ${seq}, ${capturedAt}, ${data} …):
// checked when the scenario loads, and rendered as JSON text split around the image data.

export interface FrameJsonParts {
  head: string;
  tail: string;
  /** Unit the capture time is written in. */
  timeUnit: 'ms' | 's';
}

const q = (name: string): string => JSON.stringify('${' + name + '}');

/** The frame template as JSON text around ${data}; `seqPad` / `timePad` stand where seq and capture time go. */
export function frameJsonParts(template: Record<string, unknown>, format: string, width: number, height: number, seqPad: string, timePad: string): FrameJsonParts {
  let text = JSON.stringify(template);
  const timeUnit = text.includes(q('capturedAtSec')) ? 's' : 'ms';
  text = text.replace(q('seq'), seqPad).replace(q('capturedAtSec'), timePad).replace(q('capturedAt'), timePad);
  text = text.replaceAll(q('width'), String(width)).replaceAll(q('height'), String(height)).replaceAll('${format}', format);
  const at = text.indexOf('${data}');
  return { head: text.slice(0, at), tail: text.slice(at + '${data}'.length), timeUnit };
}

/** What is wrong with a frame template, or undefined: ${seq} and ${data} exactly once, known placeholders only. */
export function frameTemplateProblem(template: Record<string, unknown>): string | undefined {
  const text = JSON.stringify(template);
  const count = (s: string): number => text.split(s).length - 1;
  if (count(q('seq')) !== 1) return 'the frame template needs "${seq}" as one whole field value, exactly once (where the frame id goes)';
  if (count('${data}') !== 1 || count('${data}"') !== 1) return 'the frame template needs "${data}" exactly once, at the end of a string (e.g. "data:image/jpeg;base64,${data}")';
  if (count(q('capturedAt')) + count(q('capturedAtSec')) > 1) return 'the frame template may hold the capture time ("${capturedAt}" ms or "${capturedAtSec}" s) once';
  const unknown = [...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]!).filter((n) => !['seq', 'capturedAt', 'capturedAtSec', 'data', 'format', 'width', 'height'].includes(n));
  return unknown.length ? `unknown placeholder ${unknown.map((n) => '${' + n + '}').join(', ')} (known: seq, capturedAt, capturedAtSec, data, format, width, height)` : undefined;
}
