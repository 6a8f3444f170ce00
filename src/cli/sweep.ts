// `bench sweep`: the release gate. Runs every cell of the scenario's sweep matrix, writes
// results.json, report.html and summary.md (plus JUnit / an appended summary), exits 1 on a failed threshold.
import type { Command } from 'commander';
import { loadCommand } from './load-command.js';

export function sweepCommand(): Command {
  return loadCommand(
    'sweep',
    "run every cell of the scenario's sweep matrix (format × resolution × buffer depth …), check thresholds, write report.html, summary.md and results.json",
    '  bench sweep scenarios/ci.yaml\n  bench sweep scenarios/ci.yaml --junit reports/junit.xml --summary "$GITHUB_STEP_SUMMARY"\n  bench sweep scenarios/ci.yaml --target ws://127.0.0.1:8080/ --set duration=5s\n  bench sweep scenarios/ingest.yaml --set clients=50   (upload: dispatch interval × model API rate limit)',
  );
}
