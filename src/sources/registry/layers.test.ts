/** The streaming layer reader: tar names across any chunking, long names, whiteouts by layer, gzip errors. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LayerFiles, TarNameParser, tarNames } from './layers.js';

function header(name: string, size: number, type = '0'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 100), 0, 100);
  h.write('0000644\0', 100);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write(type, 156);
  h.write('ustar\0', 257);
  return h;
}
const pad = (n: number): Buffer => Buffer.alloc((512 - (n % 512)) % 512);

function tar(entries: readonly (readonly [string, string, string?])[]): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, body, type] of entries) blocks.push(header(name, Buffer.byteLength(body), type), Buffer.from(body), pad(Buffer.byteLength(body)));
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function* chunked(buf: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

const LONG = `usr/${'very-long-directory-name/'.repeat(6)}bin/sh`;
const ARCHIVE = tar([
  ['app/', ''],
  ['app/main', 'x'.repeat(1500)],
  ['././@LongLink', `${LONG}\0`, 'L'],
  ['ignored-short-name', 'y'],
  ['PaxHeaders/x', `${(` path=bin/bash\n`.length + 2).toString()} path=bin/bash\n`, 'x'],
  ['bin/ignored', ''],
  ['bin/sh', ''],
]);

describe('TarNameParser', () => {
  it('gives the same names whatever the chunking (1 byte, 511, 512, 4096, whole)', () => {
    const whole = tarNames(ARCHIVE);
    expect(whole).toEqual(['app', 'app/main', LONG, 'bin/bash', 'bin/sh']);
    for (const size of [1, 7, 511, 512, 513, 4096]) {
      const names: string[] = [];
      const p = new TarNameParser((n) => names.push(n));
      for (let i = 0; i < ARCHIVE.length; i += size) p.write(ARCHIVE.subarray(i, i + size));
      expect(names, `chunks of ${size}`).toEqual(whole);
    }
  });
  it('matches GNU tar on an archive it wrote (long names, directories)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kspect-tar-'));
    try {
      const deep = join(dir, 'root', 'usr', 'share', 'x'.repeat(90), 'y'.repeat(90));
      mkdirSync(deep, { recursive: true });
      writeFileSync(join(deep, 'file'), 'z');
      writeFileSync(join(dir, 'root', 'sh'), '#!');
      let gnu: Buffer;
      try {
        gnu = execFileSync('tar', ['-C', join(dir, 'root'), '--format=gnu', '-cf', '-', '.']);
      } catch {
        return; // no tar on this machine: the synthetic archives above cover the format
      }
      const listed = execFileSync('tar', ['-tf', '-'], { input: gnu }).toString().split('\n').filter((l) => l !== '').map((l) => l.replace(/^\.\//, '').replace(/\/$/, '')).filter((l) => l !== '.' && l !== '');
      expect(tarNames(gnu).filter((n) => n !== '' && n !== '.')).toEqual(listed);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('LayerFiles', () => {
  it('reads gzip and plain layers in chunks, whiteouts hide lower layers only', async () => {
    const files = new LayerFiles();
    await files.add(chunked(gzipSync(tar([['bin/sh', 'x'], ['bin/busybox', 'x'], ['usr/bin/apt', 'x'], ['usr/bin/dpkg', 'x']])), 3));
    expect(files.files()).toEqual(['bin/busybox', 'bin/sh', 'usr/bin/apt', 'usr/bin/dpkg']);
    // The upper layer hides bin/sh and everything of usr/bin below it — but adds a usr/bin/apt of its own.
    await files.add(chunked(tar([['bin/.wh.sh', ''], ['usr/bin/.wh..wh..opq', ''], ['usr/bin/apt', 'new']]), 100));
    expect(files.files()).toEqual(['bin/busybox', 'usr/bin/apt']);
    // A whiteout of a folder hides what is under it.
    await files.add(chunked(tar([['.wh.bin', '']]), 1));
    expect(files.files()).toEqual(['usr/bin/apt']);
  });
  it('a gzip stream that breaks off is an error, not a listing', async () => {
    const gz = gzipSync(tar([['bin/sh', 'x'.repeat(100_000)]]));
    await expect(new LayerFiles().add(chunked(gz.subarray(0, gz.length - 40), 1000))).rejects.toThrow(/unexpected end of file/i);
    const corrupt = Buffer.from(gz);
    corrupt[20] = (corrupt[20] ?? 0) ^ 0xff;
    await expect(new LayerFiles().add(chunked(corrupt, 1000))).rejects.toThrow();
  });
});
