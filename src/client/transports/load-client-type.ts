// What the pool drives, whatever the transport: one virtual viewer's lifecycle. Every transport's
// client implements it; load-client.ts picks the class by the cell's `transport`.
import type { ClientPhase } from '../virtual-client.js';

export interface LoadClient {
  readonly index: number;
  readonly phase: ClientPhase;
  /** Settles once the client is done for good. */
  readonly closed: Promise<void>;
  start(): void;
  /** After warm-up: a continuous stream started unmeasured is replaced by a measured one. */
  rollover(): void;
  /** No new requests; continuous streams are ended. */
  stop(): void;
  whenIdle(): Promise<void>;
  /** Ends any request in flight as lost (drain timeout) and closes. */
  close(): void;
  terminate(): void;
  /** Chaos: destroys the connection without a goodbye; false when there was none. */
  kill(): boolean;
  heartbeat(nowAtUs: number, intervalUs: number, timeoutUs: number): void;
}
