/**
 * Layers streamed from where they live: a registry (a real HTTP server on loopback, started and stopped here, that
 * answers the blob after a redirect, as registries serving blobs from storage do) and an OCI layout folder. The
 * listing counts only when the content matches its digest.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from './client.js';
import { LayerFiles } from './layers.js';
import { OciLayout } from './layout.js';
import { tar } from './tar.testutil.js';


// Incompressible content: the layer arrives in many pieces.
const layer = gzipSync(tar([['app/main', 'x'.repeat(300_000)], ['app/noise', randomBytes(150_000).toString('base64')], ['bin/busybox', '']]));
const digest = `sha256:${createHash('sha256').update(layer).digest('hex')}`;
const wrong = `sha256:${'0'.repeat(64)}`;

let server: Server;
let host = '';
const paths: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    paths.push(req.url ?? '');
    if (req.url === `/v2/app/blobs/${digest}` || req.url === `/v2/app/blobs/${wrong}`) {
      res.writeHead(307, { location: `/storage/${req.url.endsWith(digest) ? 'good' : 'bad'}` });
      res.end();
    } else if (req.url === '/storage/good' || req.url === '/storage/bad') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      // In small pieces, as a slow network would deliver them.
      let i = 0;
      const next = (): void => {
        if (i >= layer.length) {
          res.end();
          return;
        }
        res.write(layer.subarray(i, i + 7000));
        i += 7000;
        setImmediate(next);
      };
      next();
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown"}]}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  host = `127.0.0.1:${typeof a === 'object' && a !== null ? a.port : 0}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('RegistryClient.blobStream', () => {
  it('streams a layer through a redirect into the listing', async () => {
    const client = new RegistryClient({ insecure: [host] });
    try {
      const files = new LayerFiles();
      await client.blobStream(host, 'app', digest, (chunks) => files.add(chunks));
      expect(files.files()).toEqual(['bin/busybox']);
      expect(paths).toContain('/storage/good');
    } finally {
      client.close();
    }
  });
  it('content that does not match the digest is an error, whatever the listing found', async () => {
    const client = new RegistryClient({ insecure: [host] });
    try {
      await expect(client.blobStream(host, 'app', wrong, (chunks) => new LayerFiles().add(chunks))).rejects.toThrow(/does not match its digest/);
      await expect(client.blobStream(host, 'app', `sha256:${'1'.repeat(64)}`, (chunks) => new LayerFiles().add(chunks))).rejects.toThrow(/HTTP 404 BLOB_UNKNOWN/);
      await expect(client.blobStream(host, 'app', digest, (chunks) => new LayerFiles().add(chunks), 100)).rejects.toThrow(/larger than 100 bytes/);
    } finally {
      client.close();
    }
  });
});

describe('OciLayout.blobStream', () => {
  it('streams a blob from its file, checked against its digest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kspect-layout-'));
    try {
      mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
      writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
      writeFileSync(join(dir, 'index.json'), '{"schemaVersion":2,"manifests":[]}');
      writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), layer);
      writeFileSync(join(dir, 'blobs', 'sha256', wrong.slice(7)), layer);
      const layout = await OciLayout.open(dir);
      const files = new LayerFiles();
      await layout.blobStream(digest, (chunks) => files.add(chunks));
      expect(files.files()).toEqual(['bin/busybox']);
      await expect(layout.blobStream(wrong, (chunks) => new LayerFiles().add(chunks))).rejects.toThrow(/does not match its digest/);
      await expect(layout.blobStream(`sha256:${'2'.repeat(64)}`, (chunks) => new LayerFiles().add(chunks))).rejects.toThrow(/is missing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
