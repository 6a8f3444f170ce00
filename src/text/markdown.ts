// Markdown text helpers shared by every markdown writer (run summaries, diffs).

/** Backslash-escapes inline markdown syntax (GitHub flavour, incl. tables and $math$); newlines become spaces. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r\n|\r|\n/g, ' ').replace(/[\\`*_[\]<>|~&$#]/g, '\\$&');
}
