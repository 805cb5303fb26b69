/**
 * Listing the files of image layers (gzip'd or plain tar), applying whiteouts, to tell whether an image that must be
 * minimal carries a shell or a package manager. Streams each layer; keeps only path names; bounded in size.
 */
import { gunzipSync } from 'node:zlib';
import { trimEndChar } from '../../core/text.js';

/** Files whose presence means a shell or a package manager (paths without the leading slash). */
export const UNWANTED = new Set([
  'bin/sh', 'bin/bash', 'bin/ash', 'bin/dash', 'bin/zsh', 'bin/busybox', 'usr/bin/sh', 'usr/bin/bash', 'usr/bin/dash', 'usr/bin/busybox',
  'usr/bin/apt', 'usr/bin/apt-get', 'usr/bin/dpkg', 'sbin/apk', 'usr/bin/apk', 'usr/bin/yum', 'usr/bin/dnf', 'usr/bin/microdnf', 'usr/bin/rpm', 'bin/rpm', 'usr/bin/zypper', 'usr/bin/pacman',
]);

/** Entry names of a tar archive (ustar / GNU long names / PAX path), in order. */
export function tarNames(buf: Buffer): string[] {
  const out: string[] = [];
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= buf.length) {
    const header = buf.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (a: number, n: number): string => {
      const s = header.subarray(a, a + n);
      const z = s.indexOf(0);
      return s.subarray(0, z < 0 ? n : z).toString('utf8');
    };
    const size = parseInt(field(124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) break;
    const type = String.fromCharCode(header[156] ?? 48);
    const dataStart = off + 512;
    const data = buf.subarray(dataStart, dataStart + size);
    if (type === 'L') longName = trimEndChar(data.toString('utf8'), '\0');
    else if (type === 'x') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      if (m) longName = m[1];
    } else {
      const prefix = field(345, 155);
      const name = longName ?? (prefix !== '' ? `${prefix}/${field(0, 100)}` : field(0, 100));
      out.push(name.replace(/^\.?\//, '').replace(/\/$/, ''));
      longName = undefined;
    }
    off = dataStart + Math.ceil(size / 512) * 512;
  }
  return out;
}

/** The unwanted files present after applying every layer in order (whiteouts remove earlier files). */
export function unwantedFiles(layers: readonly Buffer[]): string[] {
  const present = new Set<string>();
  for (const raw of layers) {
    const tar = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw, { maxOutputLength: 2 * 1024 * 1024 * 1024 }) : raw;
    for (const name of tarNames(tar)) {
      const slash = name.lastIndexOf('/');
      const base = name.slice(slash + 1);
      const dir = slash >= 0 ? name.slice(0, slash + 1) : '';
      if (base === '.wh..wh..opq') {
        for (const p of [...present]) if (p.startsWith(dir)) present.delete(p);
      } else if (base.startsWith('.wh.')) present.delete(dir + base.slice(4));
      else if (UNWANTED.has(name)) present.add(name);
    }
  }
  return [...present].sort();
}
