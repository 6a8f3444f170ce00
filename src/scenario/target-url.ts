// What a target URL must be: ws:// or wss://, a host, a port from 1 to 65535 when given; parsed without
// throwing so a bad URL is a usage error naming the problem, never a stack trace.

/** Undefined when `text` is a usable target URL, else what is wrong with it. */
export function targetUrlProblem(text: string): string | undefined {
  if (!/^wss?:\/\//i.test(text)) return 'expected a ws:// or wss:// URL, e.g. ws://127.0.0.1:8080/';
  const port = /^wss?:\/\/(?:\[[^\]]*\]|[^/:?#]*):([^/?#]*)/i.exec(text)?.[1];
  if (port !== undefined && port !== '' && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    return `port ${JSON.stringify(port.slice(0, 20))} is not a port number from 1 to 65535`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a valid URL (check the host, e.g. [::1] for IPv6, and the port)';
  }
  if (url.hostname === '') return 'the URL has no host, e.g. ws://127.0.0.1:8080/';
  return undefined;
}
