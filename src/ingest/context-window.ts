// Temporal context: the text of the previous answers carried into the next model request, newest
// kept, bounded by a character budget (a single answer longer than the budget is cut to it).

export interface ContextEntry {
  id: number;
  text: string;
}

export class ContextWindow {
  private entries: ContextEntry[] = [];
  private chars = 0;

  constructor(readonly maxChars: number) {}

  add(id: number, text: string): void {
    if (this.maxChars <= 0) return;
    const cut = text.length > this.maxChars ? text.slice(0, this.maxChars) : text;
    this.entries.push({ id, text: cut });
    this.chars += cut.length;
    while (this.chars > this.maxChars && this.entries.length > 0) this.chars -= this.entries.shift()!.text.length;
  }

  get size(): number {
    return this.chars;
  }

  get count(): number {
    return this.entries.length;
  }

  /** The context as prompt text: one "[answer N] …" line per previous answer, oldest first. */
  render(): string {
    return this.entries.map((e) => `[answer ${e.id}] ${e.text}`).join('\n');
  }
}
