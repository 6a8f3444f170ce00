// How a team's own ingestion server names things (`ingest.wire` in the scenario): the field names of
// the frame message the cameras send, static fields added to it, the end message, and how answers
// name the frames they cover. The defaults are the reference server's wire format (wire.ts).

export interface WireShape {
  /** Field holding the message type, in both directions. */
  typeField: string;
  frameType: string;
  seqField: string;
  capturedAtField: string;
  dataField: string;
  /** Put before the base64 text, e.g. "data:image/jpeg;base64,". */
  dataPrefix: string;
  /** Static fields added to every frame message (camera id, stream name …). */
  extra: Record<string, string | number | boolean>;
  /** Sent when a camera stops; null sends nothing (the server answers on its own schedule). */
  end: string | null;
  answerType: string;
  /** Field of an answer naming the frames it covers: a list of seqs or a single seq. */
  answerSeqsField: string;
}

export const DEFAULT_WIRE: WireShape = {
  typeField: 'type',
  frameType: 'frame',
  seqField: 'seq',
  capturedAtField: 'capturedAt',
  dataField: 'data',
  dataPrefix: '',
  extra: {},
  end: '{"type":"end"}',
  answerType: 'answer',
  answerSeqsField: 'seqs',
};

/** The JSON text of a frame message split around the base64 data, with placeholders for seq and time. */
export function frameJsonParts(shape: WireShape, format: string, width: number, height: number, seqPad: string, timePad: string): { head: string; tail: string } {
  const fields: string[] = [`${JSON.stringify(shape.typeField)}:${JSON.stringify(shape.frameType)}`, `${JSON.stringify(shape.seqField)}:${seqPad}`, `${JSON.stringify(shape.capturedAtField)}:${timePad}`];
  if (shape === DEFAULT_WIRE) fields.push(`"format":${JSON.stringify(format)}`, `"width":${width}`, `"height":${height}`);
  for (const [k, v] of Object.entries(shape.extra)) fields.push(`${JSON.stringify(k)}:${JSON.stringify(v)}`);
  return { head: `{${fields.join(',')},${JSON.stringify(shape.dataField)}:"${shape.dataPrefix}`, tail: '"}' };
}
