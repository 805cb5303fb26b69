/**
 * Reporters write their output in chunks, never as one string: a report of any size renders in bounded memory
 * (V8 refuses strings over ~512 MiB: `RangeError: Invalid string length`). A reporter pushes pieces into a
 * `ChunkWriter`, which hands the sink about CHUNK_CHARS characters at a time, each chunk passed through the reporter's
 * escaping first. The escapings in use are local — defuseCiCommands to a line, hardenJson to a JSON string — so
 * applying them chunk by chunk, cut at line ends or between JSON tokens, gives exactly the text they would give
 * applied once to the whole output.
 */

/** Where output goes: a file, stdout, or an array in tests. Called with non-empty chunks, in order. */
export type Sink = (chunk: string) => void;

/** About how many characters a chunk holds before it is handed to the sink (a line is never split). */
export const CHUNK_CHARS = 64 * 1024;

/**
 * Collects pieces and hands the sink about CHUNK_CHARS characters at a time, transformed. A chunk always ends at the
 * end of a piece, so pieces must end where the transform may cut the text: at a line end for the line-based escapings
 * (push() guarantees it), outside any JSON string for hardenJson (writeJsonText writes whole tokens).
 */
export class ChunkWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(
    private readonly sink: Sink,
    private readonly transform: (text: string) => string = (t) => t,
  ) {}

  /** Append a piece. */
  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK_CHARS) this.flush();
  }

  /** Append lines, each followed by a newline (like pushing onto an array later joined with '\n'). */
  push(...lines: string[]): void {
    for (const l of lines) this.write(`${l}\n`);
  }

  private flush(): void {
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (chunk !== '') this.sink(this.transform(chunk));
  }

  /** Hand over whatever is left. */
  end(): void {
    this.flush();
  }
}

/** Run a streaming renderer into one string (tests, the string-returning API; small reports only). */
export function collect(render: (sink: Sink) => void): string {
  const parts: string[] = [];
  render((c) => parts.push(c));
  return parts.join('');
}
