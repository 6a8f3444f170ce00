// framebench's import boundaries (npm run boundaries). Imports flow one way:
//
//   cli → runner (and the command libraries: probe, k6, kubernetes)
//       → the engine: client, server, chaos, ingest, generator, topology, live, soak's scraper
//       → metrics / results → protocol
//
// with the input model (scenario, shard plans) readable from every layer above metrics, and the
// readers (report, diff, merge) reading results only. docs/architecture.md explains each folder.
/** @type {import('dependency-cruiser').IConfiguration} */

// Folders (under src/) by layer.
const ENGINE = ['client', 'server', 'chaos', 'ingest', 'generator', 'topology', 'live', 'redis', 'frames'];
const READERS = ['report', 'diff', 'merge', 'html'];
const COMMANDS = ['runner', 'probe', 'k6', 'kubernetes'];
const folders = (names) => `^src/(${names.join('|')})/`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle: the modules in it cannot be understood (or loaded) one after the other. Move the shared piece into a module both import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'cli-is-the-top',
      severity: 'error',
      comment: 'src/cli is the entry point: only cli files import cli files. Move what is shared into the library it belongs to.',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'commands-only-from-cli',
      severity: 'error',
      comment: 'runner, probe, k6 and kubernetes are called by the CLI; nothing below them imports them (a reader or the engine reaching up into the runner runs the flow backwards).',
      from: { path: '^src/', pathNot: `^src/(cli|runner|probe|k6|kubernetes)/` },
      to: { path: folders(COMMANDS) },
    },
    {
      name: 'commands-are-siblings',
      severity: 'error',
      comment: 'The command libraries do not import each other: share through metrics/results, scenario or the engine.',
      from: { path: '^src/(runner|probe|k6|kubernetes)/' },
      to: { path: folders(COMMANDS), pathNot: '^src/$1/' },
    },
    {
      name: 'readers-read-results-only',
      severity: 'error',
      comment: 'report, diff, merge (and the HTML kit they share) work from results files: they import results, metrics, the html kit, text and the scenario model, never the engine or the runner.',
      from: { path: folders(READERS) },
      to: { path: `${folders(ENGINE)}|^src/soak/(scraper|http-get|live-view)\\.ts$` },
    },
    {
      name: 'readers-apart',
      severity: 'error',
      comment: 'report, diff and merge do not import each other: what two of them share (the HTML kit, formats, labels) lives in src/html or src/results.',
      from: { path: '^src/(report|diff|merge)/' },
      to: { path: '^src/(report|diff|merge)/', pathNot: '^src/$1/' },
    },
    {
      name: 'engine-not-to-soak',
      severity: 'error',
      comment: 'soak (drift analysis, the Prometheus scraper, the live view) is a mode the runner drives; the client, server, chaos and the ingest direction do not import it. Shared helpers go to a neutral home.',
      from: { path: '^src/(client|server|chaos|ingest|generator|topology|protocol)/' },
      to: { path: '^src/soak/' },
    },
    {
      name: 'engine-does-not-report',
      severity: 'error',
      comment: 'The engine reports through events and results; it does not import the readers (report, diff, merge).',
      from: { path: `${folders(ENGINE)}|${folders(['metrics', 'results', 'protocol', 'scenario', 'shard', 'soak'])}` },
      to: { path: folders(READERS) },
    },
    {
      name: 'client-server-chaos-apart',
      severity: 'error',
      comment: 'The client and the reference server speak only through the protocol; chaos reaches the target through its targets interface, the server through admin hooks. None imports another (ingest and generator build on client and server, not the reverse).',
      from: { path: '^src/(client|server|chaos)/' },
      to: { path: '^src/(client|server|chaos|ingest|generator)/', pathNot: '^src/$1/' },
    },
    {
      name: 'metrics-not-to-client',
      severity: 'error',
      comment: 'metrics (and results) sit below the engine: no arrow from metrics back up to client, server, chaos, ingest, generator or topology. Move the shared piece down into metrics.',
      from: { path: '^src/(metrics|results)/' },
      to: { path: '^src/(client|server|ingest|generator|topology|live|redis|frames|runner|probe|k6|kubernetes|soak|shard)/' },
    },
    {
      name: 'metrics-below-scenario',
      severity: 'error',
      comment: 'metrics and results do not read the scenario file model; the scenario model reads them (thresholds, drift thresholds). The fault vocabulary (chaos/schema.ts) is the one scenario-side schema they name, to tell faults from other events.',
      from: { path: '^src/(metrics|results)/' },
      to: { path: '^src/(scenario|chaos)/', pathNot: '^src/chaos/schema\\.ts$' },
    },
    {
      name: 'protocol-is-the-bottom',
      severity: 'error',
      comment: 'src/protocol (messages, header, adapters) is the bottom layer: it imports only itself and the neutral root modules (src/*.ts) and text helpers.',
      from: { path: '^src/protocol/' },
      to: { path: '^src/[^/]+/', pathNot: '^src/(protocol|text)/' },
    },
    {
      name: 'no-orphans',
      severity: 'warn',
      comment: 'A module nothing imports: dead code, or an entry point that should be listed here.',
      from: {
        orphan: true,
        pathNot: ['\\.d\\.ts$', '^src/cli/main\\.ts$', '(^|/)(child|worker-entry|build-worker|worker)\\.ts$'],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
