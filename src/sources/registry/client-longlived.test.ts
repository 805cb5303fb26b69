/**
 * The registry client kept for a webhook's life (`longLived`): a tag is asked again on every call, a failure is not
 * remembered, content by digest is kept (bounded). The registry is a minimal loopback HTTP server serving one
 * manifest, because the test must make it fail and recover on command (the real registry's tests are
 * test/webhook-signatures.test.ts and test/images-signatures.test.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient, sha256 } from './client.js';

const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'0'.repeat(64)}`, size: 2 }, layers: [] }));
const digest = sha256(manifest);

describe('RegistryClient, long-lived', () => {
  let server: Server;
  let host: string;
  let failing = false;
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (failing) {
        res.writeHead(503).end();
        return;
      }
      if (req.url === '/v2/app/manifests/v1' || req.url === `/v2/app/manifests/${digest}`) {
        res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(manifest);
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
  });

  it('asks for a tag every time, keeps content by digest, and forgets failures', async () => {
    const kept = new RegistryClient({ insecure: [host] });
    const lived = new RegistryClient({ insecure: [host], longLived: { maxCached: 2 } });
    try {
      hits.length = 0;
      for (let i = 0; i < 2; i++) await kept.manifest(host, 'app', 'v1');
      expect(hits).toEqual(['/v2/app/manifests/v1']);
      hits.length = 0;
      for (let i = 0; i < 2; i++) expect((await lived.manifest(host, 'app', 'v1')).digest).toBe(digest);
      expect(hits).toEqual(['/v2/app/manifests/v1', '/v2/app/manifests/v1']);
      // The tag's answer is content-addressed: reading it by digest makes no request.
      hits.length = 0;
      await lived.manifest(host, 'app', digest);
      expect(hits).toEqual([]);
      // A failure is not remembered: once the registry is back, the next call reads it.
      const other = `sha256:${'f'.repeat(64)}`;
      failing = true;
      await expect(lived.manifest(host, 'app', other)).rejects.toThrow(/HTTP 503/);
      failing = false;
      await expect(lived.manifest(host, 'app', other)).rejects.toThrow(/HTTP 404/);
      expect(hits.filter((h) => h.endsWith(other))).toHaveLength(2);
      // The short-run client keeps a failure for its run (one answer per run).
      failing = true;
      await expect(kept.manifest(host, 'app', other)).rejects.toThrow(/HTTP 503/);
      failing = false;
      await expect(kept.manifest(host, 'app', other)).rejects.toThrow(/HTTP 503/);
    } finally {
      failing = false;
      kept.close();
      lived.close();
    }
  });
});
