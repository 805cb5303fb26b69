/** The CLI's doors to the outside world, injectable so commands can be tested in-process. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { DEFAULT_READ_LIMIT, readStreamLimited } from '../sources/safe-read.js';
import { PACKAGE_JSON } from './paths.js';

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Width of the terminal stdout writes to, when it is one. */
  readonly stdoutColumns?: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly now: () => Date;
  /** All of standard input, or its first `maxBytes + 1` bytes when it is longer (reading stops there). */
  readonly readStdin: (maxBytes?: number) => Promise<Buffer>;
  readonly writeFile: (path: string, data: string) => Promise<void>;
  /** Open `path` for writing (created or truncated); the output is then written in chunks, synchronously. */
  readonly openOutput: (path: string) => OutputFile;
}

/** A file being written chunk by chunk (a report too large for one string). */
export interface OutputFile {
  readonly write: (chunk: string) => void;
  readonly close: () => void;
}

/** An output file on disk, written with synchronous writes (rendering is synchronous; no chunk piles up in memory). */
function openFileOutput(path: string): OutputFile {
  const fd = openSync(path, 'w');
  return {
    write: (chunk) => {
      const data = Buffer.from(chunk, 'utf8');
      let off = 0;
      while (off < data.length) off += writeSync(fd, data, off);
    },
    close: () => { closeSync(fd); },
  };
}

export function nodeIo(): Io {
  // `kspect … | head`: a closed pipe ends the output, not in a stack trace.
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
      throw e;
    });
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stdoutIsTTY: process.stdout.isTTY,
    stderrIsTTY: process.stderr.isTTY,
    ...(process.stdout.isTTY && process.stdout.columns > 0 ? { stdoutColumns: process.stdout.columns } : {}),
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    readStdin: (maxBytes) => readStreamLimited(process.stdin, maxBytes ?? DEFAULT_READ_LIMIT),
    writeFile: (p, d) => writeFile(p, d, 'utf8'),
    openOutput: openFileOutput,
  };
}

/** The package version, read once from package.json next to dist/. */
export async function packageVersion(): Promise<string> {
  const text = await readFile(PACKAGE_JSON, 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/** Colour only on a TTY, and never with NO_COLOR set (any value). FORCE_COLOR forces it on. */
export function useColor(io: Io, toStdout: boolean): boolean {
  if (io.env.NO_COLOR !== undefined) return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return toStdout ? io.stdoutIsTTY : io.stderrIsTTY;
}
