// What one server message means for a camera's books: an answer resolves the frames it names
// (covered, with their capture → answer lag; a second answer for a frame is a duplicate), drops,
// errors and limit notices naming a frame resolve it as dropped with their reason, an ack times the
// frame's arrival, done ends the stream. Each frame resolves exactly once (the ledger).
import type { UploadServerMessage } from '../protocol/adapters/upload.js';
import type { UploadCollector } from './upload-collector.js';
import type { UploadLedger } from './upload-ledger.js';

export interface AnswerBooks {
  ledger: UploadLedger;
  collector: UploadCollector;
  /** Capture → now for frame `seq`, ms. */
  lagMs(seq: number): number;
  /** The frame's capture time fell in the measured window. */
  measured(seq: number): boolean;
}

export type MessageOutcome = 'answer' | 'measured-answer' | 'done' | 'other';

export function applyServerMessage(msg: UploadServerMessage, b: AnswerBooks): MessageOutcome {
  const c = b.collector;
  const drop = (seq: number, reason: string): void => {
    if (b.ledger.resolve(seq) === 'measured') c.frameDropped(reason);
  };
  switch (msg.kind) {
    case 'ack':
      if (msg.id >= 0 && b.measured(msg.id)) c.acked(b.lagMs(msg.id));
      return 'other';
    case 'answer': {
      let measured = 0;
      for (const seq of msg.ids) {
        const r = b.ledger.resolve(seq);
        if (r === 'measured') {
          measured++;
          c.frameCovered(b.lagMs(seq));
        } else if (r === 'unknown') c.duplicate();
      }
      if (measured === 0) return 'answer';
      c.answer({ batchSize: msg.ids.length, contextChars: msg.contextChars, modelMs: msg.modelMs });
      return 'measured-answer';
    }
    case 'dropped':
      for (const seq of msg.ids) drop(seq, msg.reason);
      return 'other';
    case 'error':
      c.serverError(msg.code);
      if (msg.id !== undefined) drop(msg.id, msg.code);
      return 'other';
    case 'limit':
      c.serverError('rate_limited');
      if (msg.id !== undefined) drop(msg.id, 'rate_limited');
      return 'other';
    case 'done':
      return 'done';
    case 'ignore':
      return 'other';
  }
}
