/**
 * An OCI image layout folder (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`), for air-gapped verification:
 * images by digest or by the `org.opencontainers.image.ref.name` annotation, referrers by the `subject` of the
 * manifests the index lists, and legacy `sha256-<hex>.sig` tags. Every blob read is checked against its digest.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseImageRef } from '../../model/image.js';
import { openRegularFile, readErrorText, readRegularFile, readRegularText, ReadRefusedError } from '../safe-read.js';
import { digestMatches, MAX_BLOB_BYTES, MAX_STREAMED_BLOB_BYTES, RegistryError, type Fetched } from './client.js';

/** Largest oci-layout or index.json read. */
const MAX_INDEX_BYTES = 16 * 1024 * 1024;

const REF_NAME = 'org.opencontainers.image.ref.name';

interface Entry {
  readonly digest: string;
  readonly mediaType: string;
  readonly artifactType?: string;
  readonly refName?: string;
}

export class OciLayout {
  private constructor(
    readonly dir: string,
    private readonly entries: readonly Entry[],
    /** subject digest → referrer descriptors */
    private readonly referrers: ReadonlyMap<string, readonly Entry[]>,
    private readonly blobs: ReadonlyMap<string, Buffer>,
  ) {}

  /** Read a layout folder; throws a RegistryError naming the folder when it is not one. */
  static async open(dir: string): Promise<OciLayout> {
    let marker: unknown;
    try {
      marker = JSON.parse(await readRegularText(join(dir, 'oci-layout'), { max: MAX_INDEX_BYTES }));
    } catch (e) {
      throw new RegistryError(`${dir}: not an OCI image layout (oci-layout ${e instanceof SyntaxError ? 'is not JSON' : readErrorText(e)})`, 0);
    }
    if (typeof marker !== 'object' || marker === null || typeof (marker as { imageLayoutVersion?: unknown }).imageLayoutVersion !== 'string') throw new RegistryError(`${dir}: oci-layout has no imageLayoutVersion`, 0);
    let index: unknown;
    try {
      index = JSON.parse(await readRegularText(join(dir, 'index.json'), { max: MAX_INDEX_BYTES }));
    } catch (e) {
      throw new RegistryError(`${dir}: index.json ${e instanceof SyntaxError ? 'is not JSON' : readErrorText(e)}`, 0);
    }
    const list = typeof index === 'object' && index !== null && Array.isArray((index as { manifests?: unknown }).manifests) ? (index as { manifests: unknown[] }).manifests : [];
    const entries: Entry[] = [];
    for (const d of list) {
      if (typeof d !== 'object' || d === null) continue;
      const r = d as Record<string, unknown>;
      if (typeof r.digest !== 'string') continue;
      const ann = typeof r.annotations === 'object' && r.annotations !== null ? (r.annotations as Record<string, unknown>) : {};
      entries.push({ digest: r.digest, mediaType: typeof r.mediaType === 'string' ? r.mediaType : '', ...(typeof r.artifactType === 'string' ? { artifactType: r.artifactType } : {}), ...(typeof ann[REF_NAME] === 'string' ? { refName: ann[REF_NAME] } : {}) });
    }
    const blobs = new Map<string, Buffer>();
    const referrers = new Map<string, Entry[]>();
    // Referrers are the listed manifests whose `subject` names another digest.
    for (const e of entries) {
      const body = await OciLayout.readBlob(dir, e.digest);
      blobs.set(e.digest, body);
      let m: unknown;
      try {
        m = JSON.parse(body.toString('utf8'));
      } catch {
        continue;
      }
      const subject = (m as { subject?: { digest?: unknown } }).subject?.digest;
      if (typeof subject !== 'string') continue;
      const artifactType = (m as { artifactType?: unknown }).artifactType ?? (m as { config?: { mediaType?: unknown } }).config?.mediaType;
      let list2 = referrers.get(subject);
      if (!list2) referrers.set(subject, (list2 = []));
      list2.push({ ...e, ...(typeof artifactType === 'string' ? { artifactType: e.artifactType ?? artifactType } : {}) });
    }
    return new OciLayout(dir, entries, referrers, blobs);
  }

  private static async readBlob(dir: string, digest: string): Promise<Buffer> {
    const i = digest.indexOf(':');
    const alg = digest.slice(0, i);
    const hex = digest.slice(i + 1);
    if (!/^[a-z0-9]+$/.test(alg) || !/^[a-f0-9]+$/.test(hex)) throw new RegistryError(`${dir}: invalid digest ${digest}`, 0);
    let body: Buffer;
    try {
      body = await readRegularFile(join(dir, 'blobs', alg, hex), { max: MAX_BLOB_BYTES * 8 });
    } catch (e) {
      if (e instanceof ReadRefusedError) throw new RegistryError(`${dir}: blob ${digest} ${e.code === 'EFBIG' ? 'is too large' : e.message}`, 0);
      throw new RegistryError(`${dir}: blob ${digest} is missing (${readErrorText(e)})`, 404);
    }
    if (!digestMatches(body, digest)) throw new RegistryError(`${dir}: blob ${digest} does not match its digest`, 0);
    return body;
  }

  private tagged(tag: string, name?: string): Entry | undefined {
    return this.entries.find((e) => {
      if (e.refName === undefined) return false;
      if (e.refName === tag) return true;
      const r = parseImageRef(e.refName);
      return r.ok && r.value.tag === tag && (name === undefined || r.value.name === name);
    });
  }

  hasDigest(digest: string): boolean {
    return this.entries.some((e) => e.digest === digest) || [...this.referrers.values()].some((l) => l.some((e) => e.digest === digest));
  }

  hasTag(tag: string, name?: string): boolean {
    return this.tagged(tag, name) !== undefined;
  }

  /** A manifest by digest, by tag, or by `name:tag`. */
  async manifest(ref: string): Promise<Fetched> {
    let digest = ref;
    if (!/^[a-z0-9]+:[a-f0-9]{32,}$/.test(ref)) {
      const colon = ref.lastIndexOf(':');
      const e = colon > ref.lastIndexOf('/') ? this.tagged(ref.slice(colon + 1), ref.slice(0, colon)) : this.tagged(ref);
      if (!e) throw new RegistryError(`${this.dir}: no image tagged ${ref}`, 404);
      digest = e.digest;
    }
    const body = this.blobs.get(digest) ?? (await OciLayout.readBlob(this.dir, digest));
    let mediaType = this.entries.find((e) => e.digest === digest)?.mediaType ?? '';
    if (mediaType === '') {
      try {
        const m = JSON.parse(body.toString('utf8')) as { mediaType?: unknown };
        if (typeof m.mediaType === 'string') mediaType = m.mediaType;
      } catch {
        // not JSON: left to the caller
      }
    }
    return { digest, mediaType, body };
  }

  /** A blob by digest, streamed from its file to `consume`; its result counts only when the content matched the digest. */
  async blobStream<T>(digest: string, consume: (chunks: AsyncIterable<Buffer>) => Promise<T>): Promise<T> {
    const i = digest.indexOf(':');
    const alg = digest.slice(0, i);
    const hex = digest.slice(i + 1);
    if ((alg !== 'sha256' && alg !== 'sha384' && alg !== 'sha512') || !/^[a-f0-9]+$/.test(hex)) throw new RegistryError(`${this.dir}: invalid digest ${digest}`, 0);
    let opened;
    try {
      opened = await openRegularFile(join(this.dir, 'blobs', alg, hex), { max: MAX_STREAMED_BLOB_BYTES });
    } catch (e) {
      if (e instanceof ReadRefusedError) throw new RegistryError(`${this.dir}: blob ${digest} ${e.code === 'EFBIG' ? 'is too large' : e.message}`, 0);
      throw new RegistryError(`${this.dir}: blob ${digest} is missing (${readErrorText(e)})`, 404);
    }
    const hash = createHash(alg);
    const stream = opened.handle.createReadStream({ highWaterMark: 1024 * 1024 });
    try {
      const value = await consume(
        (async function* (): AsyncGenerator<Buffer> {
          for await (const c of stream as AsyncIterable<Buffer>) {
            hash.update(c);
            yield c;
          }
        })(),
      );
      if (`${alg}:${hash.digest('hex')}` !== digest) throw new RegistryError(`${this.dir}: blob ${digest} does not match its digest`, 0);
      return value;
    } finally {
      stream.destroy();
      await opened.handle.close().catch(() => undefined);
    }
  }

  async blob(digest: string): Promise<Fetched> {
    return { digest, mediaType: '', body: await OciLayout.readBlob(this.dir, digest) };
  }

  /** An OCI index listing the referrers of a digest, as the referrers API would answer; undefined when there are none. */
  referrersIndex(digest: string): Buffer | undefined {
    const list = this.referrers.get(digest);
    if (!list || list.length === 0) return undefined;
    return Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: list.map((e) => ({ mediaType: e.mediaType, digest: e.digest, ...(e.artifactType !== undefined ? { artifactType: e.artifactType } : {}) })) }));
  }
}
