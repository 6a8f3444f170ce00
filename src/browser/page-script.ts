// The script injected into each viewer page: pako and hdr-histogram-js read from node_modules
// (never a CDN), then StreamPlayer and viewerMain from their compiled source. It defines
// `window.__framebenchViewer(cfg)`, which starts the page's streams and keeps its control object.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { freezeThresholdMs, StreamPlayer } from './page/player.js';
import { viewerMain } from './page/viewer-main.js';

let cached: string | undefined;

function umd(require: NodeRequire, id: string): string {
  return readFileSync(require.resolve(id), 'utf8');
}

export function viewerPageScript(): string {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const hdrRequire = createRequire(require.resolve('hdr-histogram-js'));
  cached = [
    umd(hdrRequire, 'pako/dist/pako.min.js'),
    umd(require, 'hdr-histogram-js/dist/hdrhistogram.umd.js'),
    `var freezeThresholdMs = ${freezeThresholdMs.toString()};`,
    `var StreamPlayer = ${StreamPlayer.toString()};`,
    `var viewerMain = ${viewerMain.toString()};`,
    'window.__framebenchViewer = function (cfg) { window.__framebenchControl = viewerMain(cfg, StreamPlayer, window.hdr); return true; };',
  ].join('\n');
  return cached;
}
