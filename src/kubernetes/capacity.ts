// Resource requests of a shard pod from framebench's measured per-core capacity: frames/s one
// client core ingests (npm run bench:engine, frames per client CPU-second) and memory per client.

/**
 * Frames one core of the client engine receives per second, measured with `npm run bench:engine`
 * (jpeg 360p ≈ 21 KiB/frame, 300 clients × 30 fps, client pinned to one core: 30,196 frames per
 * client CPU-second) on this project's 2-core machine.
 */
export const FRAMES_PER_CORE_SEC = 30_000;
/** Share of a core a shard is planned to use, leaving room for bursts and the event loop. */
export const CPU_TARGET_UTILISATION = 0.6;
/**
 * Resident memory of one bench process before clients (measured: 94 MiB), and per streaming client
 * (measured: 111 KiB at 240p 10 fps, from the max RSS of 20 vs 400 in-process clients), rounded up.
 */
export const BASE_MEMORY_MIB = 128;
export const MEMORY_PER_CLIENT_KIB = 128;

export interface ShardResources {
  /** Whole cores requested (the shard runs one client worker per core, beside its main process). */
  cores: number;
  cpu: string;
  memory: string;
  /** Peak frames/s this shard receives, the basis of the CPU request. */
  framesPerSec: number;
}

export function shardResources(peakClientsPerShard: number, fps: number): ShardResources {
  const framesPerSec = peakClientsPerShard * fps;
  const cores = Math.max(1, Math.ceil(framesPerSec / (FRAMES_PER_CORE_SEC * CPU_TARGET_UTILISATION)));
  const memMiB = Math.ceil(BASE_MEMORY_MIB * (cores + 1) + (peakClientsPerShard * MEMORY_PER_CLIENT_KIB) / 1024);
  return { cores, cpu: String(cores), memory: `${memMiB}Mi`, framesPerSec };
}
