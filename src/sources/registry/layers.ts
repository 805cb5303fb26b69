/**
 * Listing the files of image layers (gzip'd or plain tar), applying whiteouts, to tell whether an image that must be
 * minimal carries a shell or a package manager. Each layer is streamed — gunzipped and parsed as its bytes arrive,
 * keeping only the names that matter — so memory stays bounded whatever the size of the layer.
 */
import { finished } from 'node:stream/promises';
import { once } from 'node:events';
import { createGunzip } from 'node:zlib';
import { trimEndChar } from '../../core/text.js';

/** Files whose presence means a shell or a package manager (paths without the leading slash). */
export const UNWANTED = new Set([
  'bin/sh', 'bin/bash', 'bin/ash', 'bin/dash', 'bin/zsh', 'bin/busybox', 'usr/bin/sh', 'usr/bin/bash', 'usr/bin/dash', 'usr/bin/busybox',
  'usr/bin/apt', 'usr/bin/apt-get', 'usr/bin/dpkg', 'sbin/apk', 'usr/bin/apk', 'usr/bin/yum', 'usr/bin/dnf', 'usr/bin/microdnf', 'usr/bin/rpm', 'bin/rpm', 'usr/bin/zypper', 'usr/bin/pacman',
]);

/** Largest GNU long name or PAX header whose data is read (it is buffered); a larger one is passed over. */
const MAX_META_BYTES = 1024 * 1024;

/** Most bytes one layer may unpack to (a gzip bomb is given up on, not unpacked forever). */
export const MAX_LAYER_TAR_BYTES = 64 * 1024 * 1024 * 1024;

/** An entry's size: octal digits, or GNU base-256 (high bit of the first byte set) for sizes of 8 GiB and more. */
function entrySize(field: Buffer): number {
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let n = (field[0] ?? 0) & 0x7f;
    for (let i = 1; i < field.length; i++) n = n * 256 + (field[i] ?? 0);
    return n;
  }
  const z = field.indexOf(0);
  const text = field.subarray(0, z < 0 ? field.length : z).toString('latin1').trim();
  return text === '' ? 0 : /^[0-7]+$/.test(text) ? parseInt(text, 8) : Number.NaN;
}

/**
 * A push parser of tar entry names (ustar, GNU long names, PAX `path`): feed it the archive's bytes in order, in
 * chunks of any size; each entry's name goes to `onName`. Entry data is passed over, never kept: memory is one
 * 512-byte header plus at most one long-name record.
 */
export class TarNameParser {
  private readonly header = Buffer.alloc(512);
  private headerFill = 0;
  /** Bytes of entry data and padding still to pass over. */
  private skip = 0;
  /** The data of a long-name (`L`) or PAX (`x`) record being collected. */
  private meta: { readonly type: string; readonly chunks: Buffer[]; left: number; readonly padding: number } | undefined;
  private longName: string | undefined;
  /** The end-of-archive block (or a header that is not one) was read: the rest is ignored. */
  private ended = false;

  constructor(private readonly onName: (name: string) => void) {}

  write(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length && !this.ended) {
      if (this.meta !== undefined) {
        const n = Math.min(this.meta.left, chunk.length - off);
        this.meta.chunks.push(chunk.subarray(off, off + n));
        this.meta.left -= n;
        off += n;
        if (this.meta.left === 0) this.endMeta();
      } else if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - off);
        this.skip -= n;
        off += n;
      } else {
        const n = Math.min(512 - this.headerFill, chunk.length - off);
        chunk.copy(this.header, this.headerFill, off, off + n);
        this.headerFill += n;
        off += n;
        if (this.headerFill === 512) {
          this.headerFill = 0;
          this.onHeader();
        }
      }
    }
  }

  private field(at: number, n: number): string {
    const s = this.header.subarray(at, at + n);
    const z = s.indexOf(0);
    return s.subarray(0, z < 0 ? n : z).toString('utf8');
  }

  private onHeader(): void {
    const h = this.header;
    if (h.every((b) => b === 0)) {
      this.ended = true;
      return;
    }
    const size = entrySize(h.subarray(124, 136));
    if (!Number.isFinite(size) || size < 0) {
      this.ended = true;
      return;
    }
    const padded = Math.ceil(size / 512) * 512;
    const type = String.fromCharCode(h[156] ?? 48);
    if (type === 'L' || type === 'x') {
      if (size > 0 && size <= MAX_META_BYTES) this.meta = { type, chunks: [], left: size, padding: padded - size };
      else this.skip = padded;
      return;
    }
    const prefix = this.field(345, 155);
    const name = this.longName ?? (prefix !== '' ? `${prefix}/${this.field(0, 100)}` : this.field(0, 100));
    this.longName = undefined;
    this.onName(name.replace(/^\.?\//, '').replace(/\/$/, ''));
    this.skip = padded;
  }

  private endMeta(): void {
    const m = this.meta;
    if (!m) return;
    this.meta = undefined;
    this.skip = m.padding;
    const text = Buffer.concat(m.chunks).toString('utf8');
    if (m.type === 'L') this.longName = trimEndChar(text, '\0');
    else {
      const p = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text);
      if (p) this.longName = p[1];
    }
  }
}

/** Entry names of a whole tar archive in memory, in order. */
export function tarNames(buf: Buffer): string[] {
  const out: string[] = [];
  new TarNameParser((n) => out.push(n)).write(buf);
  return out;
}

/**
 * The unwanted files of an image, its layers read one after the other (lowest first) as streams: a whiteout
 * (`.wh.NAME`) or opaque marker (`.wh..wh..opq`) of a layer hides what the layers below it hold.
 */
export class LayerFiles {
  private readonly present = new Set<string>();

  /** Read one layer — gzip'd or plain tar, recognised by its first bytes — chunk by chunk, with backpressure. */
  async add(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<void> {
    const added: string[] = [];
    const hidden: string[] = [];
    const opaque: string[] = [];
    const parser = new TarNameParser((name) => {
      const slash = name.lastIndexOf('/');
      const base = name.slice(slash + 1);
      const dir = slash >= 0 ? name.slice(0, slash + 1) : '';
      if (base === '.wh..wh..opq') opaque.push(dir);
      else if (base.startsWith('.wh.')) hidden.push(dir + base.slice(4));
      else if (UNWANTED.has(name)) added.push(name);
    });
    let head: Buffer | undefined = Buffer.alloc(0);
    let gunzip: ReturnType<typeof createGunzip> | undefined;
    let unpacked = 0;
    let failure: Error | undefined;
    const feed = async (c: Buffer): Promise<void> => {
      if (!gunzip) {
        parser.write(c);
        return;
      }
      if (failure) throw failure;
      if (!gunzip.write(c)) await once(gunzip, 'drain');
    };
    for await (const chunk of chunks) {
      if (head !== undefined) {
        // The first two bytes decide: gzip's magic number, or a plain tar.
        head = Buffer.concat([head, chunk]);
        if (head.length < 2) continue;
        if (head[0] === 0x1f && head[1] === 0x8b) {
          const z = createGunzip();
          z.on('data', (d: Buffer) => {
            unpacked += d.length;
            if (unpacked > MAX_LAYER_TAR_BYTES) z.destroy(new Error(`the layer unpacks to more than ${MAX_LAYER_TAR_BYTES / 1024 ** 3} GiB`));
            else parser.write(d);
          });
          z.on('error', (e) => {
            failure = e;
          });
          gunzip = z;
        }
        const first = head;
        head = undefined;
        await feed(first);
        continue;
      }
      await feed(chunk);
    }
    if (head !== undefined && head.length > 0) parser.write(head);
    if (gunzip) {
      gunzip.end();
      await finished(gunzip);
    }
    // Whiteouts hide what the lower layers hold; files of this layer itself stay.
    for (const dir of opaque) for (const p of [...this.present]) if (p.startsWith(dir)) this.present.delete(p);
    for (const h of hidden) for (const p of [...this.present]) if (p === h || p.startsWith(`${h}/`)) this.present.delete(p);
    for (const a of added) this.present.add(a);
  }

  /** The unwanted files present after the layers read so far, sorted. */
  files(): string[] {
    return [...this.present].sort();
  }
}

/** The unwanted files present after applying every layer (in memory) in order. */
export async function unwantedFiles(layers: readonly Buffer[]): Promise<string[]> {
  const files = new LayerFiles();
  for (const layer of layers) await files.add([layer]);
  return files.files();
}
