import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readErrorText, ReadRefusedError, readRegularFile, readRegularWithStats, readStreamLimited } from './safe-read.js';

let dir: string;
let server: Server;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kspect-safe-read-'));
  writeFileSync(join(dir, 'ok.yaml'), 'a: 1\n', { mode: 0o640 });
  execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
  mkdirSync(join(dir, 'folder.yaml'));
  symlinkSync(join(dir, 'ok.yaml'), join(dir, 'link.yaml'));
  symlinkSync(join(dir, 'fifo.yaml'), join(dir, 'link-to-fifo.yaml'));
  symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
  symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
  writeFileSync(join(dir, 'big'), Buffer.alloc(5000, 0x61));
  writeFileSync(join(dir, 'huge'), Buffer.alloc(200_000, 0x62));
  server = createServer();
  await new Promise<void>((done) => server.listen(join(dir, 'sock.yaml'), done));
});

afterAll(async () => {
  await new Promise<void>((done) => server.close(() => { done(); }));
  rmSync(dir, { recursive: true, force: true });
});

const refusal = async (p: string, options?: Parameters<typeof readRegularFile>[1]): Promise<string> => {
  try {
    await readRegularFile(p, options);
  } catch (e) {
    return readErrorText(e);
  }
  return 'read';
};

describe('readRegularFile: only regular files, bounded, never blocking', () => {
  it('reads a regular file, through a link when following (the default), with its mode', async () => {
    expect((await readRegularFile(join(dir, 'ok.yaml'))).toString()).toBe('a: 1\n');
    expect((await readRegularFile(join(dir, 'link.yaml'))).toString()).toBe('a: 1\n');
    expect((await readRegularWithStats(join(dir, 'ok.yaml'))).stats.mode & 0o777).toBe(0o640);
  });

  it.each([
    ['fifo.yaml', 'is a FIFO (named pipe), not a regular file'],
    ['link-to-fifo.yaml', 'is a FIFO (named pipe), not a regular file'],
    ['sock.yaml', 'is a socket, not a regular file'],
    ['folder.yaml', 'is a folder'],
    ['loop-a', 'too many levels of symbolic links'],
    ['missing.yaml', 'no such file or folder'],
  ])('refuses %s: %s', async (name, text) => {
    expect(await refusal(join(dir, name))).toBe(text);
  });

  it('refuses character devices such as /dev/zero and /dev/null without reading them', async () => {
    expect(await refusal('/dev/zero')).toBe('is a character device, not a regular file');
    expect(await refusal('/dev/null')).toBe('is a character device, not a regular file');
  });

  it('refuses a link when told not to follow links', async () => {
    expect(await refusal(join(dir, 'link.yaml'), { follow: false })).toBe('is a symbolic link that could not be followed');
  });

  it('refuses a file over the limit, by its size before reading', async () => {
    const e = await readRegularFile(join(dir, 'big'), { max: 4096 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ReadRefusedError);
    expect((e as ReadRefusedError).code).toBe('EFBIG');
    expect((e as ReadRefusedError).message).toBe('is 4.9 KiB, over the 4.0 KiB limit');
  });

  it('enforces the limit while reading when the size is not known (files in /proc report 0)', async () => {
    const e = await readRegularFile('/proc/self/status', { max: 16 }).catch((x: unknown) => x);
    expect((e as ReadRefusedError).code).toBe('EFBIG');
    expect((e as ReadRefusedError).message).toBe('is over the 16 bytes limit');
  });
});

describe('readRegularFile with a scratch buffer: files read one after another into one buffer', () => {
  it('reads each file whole into the same buffer, and a larger one into a new buffer', async () => {
    const scratch = {};
    const big = await readRegularFile(join(dir, 'big'), { scratch });
    expect(big.toString()).toBe('a'.repeat(5000));
    const kept = (scratch as { buffer?: Buffer }).buffer;
    expect(kept?.length).toBeGreaterThan(5000);
    const ok = await readRegularFile(join(dir, 'ok.yaml'), { scratch });
    expect(ok.toString()).toBe('a: 1\n');
    expect(ok.buffer).toBe(kept?.buffer);
    // The bytes of the read before are the buffer's: overwritten.
    expect(big.subarray(0, 5).toString()).toBe('a: 1\n');
    const huge = await readRegularFile(join(dir, 'huge'), { scratch });
    expect(huge.toString()).toBe('b'.repeat(200_000));
    expect((scratch as { buffer?: Buffer }).buffer).not.toBe(kept);
    expect((await readRegularFile(join(dir, 'ok.yaml'), { scratch })).toString()).toBe('a: 1\n');
    expect((await readRegularFile(join(dir, 'big'), { max: 4096, scratch }).catch((x: unknown) => x) as ReadRefusedError).code).toBe('EFBIG');
  });

  it('reads a file longer than its size said whole (files in /proc report 0), with and without a scratch buffer', async () => {
    // /proc/self/smaps of a Node process is longer than the 64 KiB read first; its lines come in fixed groups.
    for (const options of [{}, { scratch: {} }]) {
      const text = (await readRegularFile('/proc/self/smaps', options)).toString();
      expect(text.length).toBeGreaterThan(64 * 1024);
      expect(text.endsWith('\n')).toBe(true);
      expect(text.split('\n').filter((l) => /^[0-9a-f]+-[0-9a-f]+ /.test(l)).length).toBe(text.split('\n').filter((l) => l.startsWith('Rss:')).length);
    }
  });
});

describe('readStreamLimited: standard input with the same limit, enforced while reading', () => {
  it('returns all of a short stream', async () => {
    expect((await readStreamLimited(Readable.from([Buffer.from('ab'), Buffer.from('c')]), 10)).toString()).toBe('abc');
  });

  it('stops at the first chunk past the limit and returns limit + 1 bytes', async () => {
    let pulled = 0;
    const endless = new Readable({
      read() {
        pulled++;
        this.push(Buffer.alloc(1024, 0x61));
      },
    });
    const b = await readStreamLimited(endless, 4096);
    expect(b.length).toBe(4097);
    expect(pulled).toBeLessThan(10);
    expect(endless.destroyed).toBe(true);
  });
});
