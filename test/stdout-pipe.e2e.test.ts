/**
 * Standard output to a pipe (the bundled CLI's Io, dist/bundle/io.js): written synchronously at the reader's pace.
 * process.stdout.write to a pipe queues what the reader has not taken, and a report renders without a turn of the
 * event loop: `kspect scan … -f json | jq` held the whole report in memory. Here a child writes 16 MiB through
 * nodeIo().stdout in one synchronous loop: nothing may be left queued in the process, every byte arrives in order; a
 * reader that goes away ends the child quietly with its exit code.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const IO = pathToFileURL(join(import.meta.dirname, '..', 'dist', 'bundle', 'io.js')).href;
const CHUNKS = 256;
const CHUNK = 64 * 1024;
/** Chunk i: its number in 8 digits, then filler to 64 KiB. */
const chunkText = (i: number): string => `${String(i).padStart(8, '0')}${'x'.repeat(CHUNK - 8)}`;

function writer(exitCode: number): ReturnType<typeof spawn> {
  const script = `
    import { nodeIo } from ${JSON.stringify(IO)};
    const io = nodeIo();
    process.exitCode = ${exitCode};
    for (let i = 0; i < ${CHUNKS}; i++) io.stdout(String(i).padStart(8, '0') + 'x'.repeat(${CHUNK - 8}));
    io.stderr('queued ' + process.stdout.writableLength + '\\n');
  `;
  return spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('nodeIo().stdout to a pipe', () => {
  it('keeps nothing queued in memory and delivers every byte in order', async () => {
    const child = writer(0);
    const parts: Buffer[] = [];
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => parts.push(d));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    // process.stdout.write would leave ~16 MiB queued here: written before the loop let the pipe drain.
    expect(stderr).toBe('queued 0\n');
    const out = Buffer.concat(parts).toString('latin1');
    expect(out.length).toBe(CHUNKS * CHUNK);
    for (const i of [0, 1, 100, CHUNKS - 1]) expect(out.slice(i * CHUNK, (i + 1) * CHUNK)).toBe(chunkText(i));
    expect(out.replace(/\d{8}x+/g, '')).toBe('');
  }, 60_000);

  it('ends quietly with the run\'s exit code when the reader goes away (EPIPE)', async () => {
    const child = writer(3);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout?.once('data', () => child.stdout?.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(3);
    expect(stderr).toBe('');
  }, 60_000);
});
