// `bench run`: a scenario against the embedded server or --target; prints a summary, writes results.json and the report.
import type { Command } from 'commander';
import { loadCommand } from './load-command.js';

export function runCommand(): Command {
  return loadCommand(
    'run',
    'run a scenario: N clients stream frames from the target (direction: upload — N cameras upload frames to an ingestion server); prints a summary and writes results.json, report.html and summary.md',
    '  bench run scenarios/quick.yaml\n  bench run scenarios/quick.yaml --clients 200 --duration 30s\n  bench run scenarios/quick.yaml --target ws://127.0.0.1:8080/ --set fps=15\n  bench run scenarios/ingest-chaos.yaml          (upload: cameras → ingestion server → model API, with chaos)\n  bench run scenarios/quick.yaml --target ws://10.0.0.5:8080/ --shard 2/4 --start-at 2026-12-01T21:00:00Z --metrics-port 9464   # one of 4 load generators; then bench merge',
  );
}
