// Resolution presets and "WxH" parsing, shared by scenarios, corpus and server.

export const RESOLUTION_PRESETS: Record<string, { width: number; height: number }> = {
  '240p': { width: 426, height: 240 },
  '360p': { width: 640, height: 360 },
  '480p': { width: 854, height: 480 },
  '720p': { width: 1280, height: 720 },
  '1080p': { width: 1920, height: 1080 },
};

export interface Dimensions {
  width: number;
  height: number;
}

const WXH = /^(\d{1,5})x(\d{1,5})$/;

/** Parses a preset name or "WxH"; returns undefined when the text is neither. */
export function parseResolution(text: string): Dimensions | undefined {
  const preset = RESOLUTION_PRESETS[text];
  if (preset) return { ...preset };
  const m = WXH.exec(text);
  if (!m) return undefined;
  const width = Number(m[1]);
  const height = Number(m[2]);
  if (width < 16 || height < 16 || width > 7680 || height > 4320) return undefined;
  return { width, height };
}

export const RESOLUTION_HELP = `a preset (${Object.keys(RESOLUTION_PRESETS).join(', ')}) or WxH between 16x16 and 7680x4320`;
