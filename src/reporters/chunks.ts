/**
 * Reporters write their output in chunks, never as one string: a report of any size renders in bounded memory
 * (V8 refuses strings over ~512 MiB: `RangeError: Invalid string length`). A reporter pushes pieces into a
 * `ChunkWriter`, which hands the sink whole lines of about CHUNK_CHARS characters at a time, each passed through the
 * reporter's escaping first. The escapings in use (hardenJson, defuseCiCommands) are line-local, so applying them
 * line chunk by line chunk gives exactly the text they would give applied once to the whole output.
 */

/** Where output goes: a file, stdout, or an array in tests. Called with non-empty chunks, in order. */
export type Sink = (chunk: string) => void;

/** About how many characters a chunk holds before it is handed to the sink (a line is never split). */
export const CHUNK_CHARS = 64 * 1024;

/** Collects pieces and hands the sink complete lines, transformed, in chunks of about CHUNK_CHARS characters. */
export class ChunkWriter {
  private buf = '';
  constructor(
    private readonly sink: Sink,
    private readonly transform: (text: string) => string = (t) => t,
  ) {}

  /** Append text (any number of lines or a part of one). */
  write(text: string): void {
    this.buf += text;
    if (this.buf.length >= CHUNK_CHARS) this.flushLines();
  }

  /** Append lines, each followed by a newline (like pushing onto an array later joined with '\n'). */
  push(...lines: string[]): void {
    for (const l of lines) this.write(`${l}\n`);
  }

  private flushLines(): void {
    const end = this.buf.lastIndexOf('\n');
    if (end < 0) return;
    const chunk = this.buf.slice(0, end + 1);
    this.buf = this.buf.slice(end + 1);
    this.sink(this.transform(chunk));
  }

  /** Hand over whatever is left. */
  end(): void {
    if (this.buf !== '') this.sink(this.transform(this.buf));
    this.buf = '';
  }
}

/** Run a streaming renderer into one string (tests, the string-returning API; small reports only). */
export function collect(render: (sink: Sink) => void): string {
  const parts: string[] = [];
  render((c) => parts.push(c));
  return parts.join('');
}
