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
  /**
   * The pieces of the chunk: the first `count`; the rest are pieces of an earlier chunk, blanked before the join. The
   * array is kept, not made anew per chunk (emptied, an array gives up its room and grows again piece by piece).
   */
  private readonly parts: string[] = [];
  private count = 0;
  private size = 0;
  constructor(
    private readonly sink: Sink,
    private readonly transform: (text: string) => string = (t) => t,
  ) {}

  /** Append a piece. */
  write(text: string): void {
    this.parts[this.count++] = text;
    this.size += text.length;
    if (this.size >= CHUNK_CHARS) this.flush();
  }

  /** Append lines, each followed by a newline (like pushing onto an array later joined with '\n'). */
  push(...lines: string[]): void {
    for (const l of lines) this.write(`${l}\n`);
  }

  /**
   * Append a piece of a line, handed over only with the rest of its line (`endLine`): a line written in pieces is not
   * made a string of its own first (rbac risks writes 86,000 finding lines of five pieces; the chunk's join copies the
   * pieces once).
   */
  part(text: string): void {
    this.parts[this.count++] = text;
    this.size += text.length;
  }

  /** End the line its parts began: a newline, and the chunk is handed over if it is full. */
  endLine(): void {
    this.write('\n');
  }

  private flush(): void {
    const parts = this.parts;
    for (let i = this.count; i < parts.length; i++) parts[i] = '';
    const chunk = parts.join('');
    this.count = 0;
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
