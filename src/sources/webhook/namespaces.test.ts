/**
 * The webhook's namespace watch is bounded (issue 17: `--request-timeout` means the same everywhere): a watch whose
 * answer does not come within the request timeout is replaced, the server is asked to end each watch after 5 to 10
 * minutes as client-go's reflector asks, and a 410 Gone lists again. A loopback HTTP server plays the API server's
 * list and watch endpoints here, so that it can be made deaf on purpose; the real API server's watch is exercised by
 * test/cluster/webhook-*.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchedNamespaces } from './namespaces.js';

const ns = (name: string, mode: string, rv: string): unknown => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, resourceVersion: rv, labels: { 'kspect.dev/enforce': mode } } });

let dir = '';
let server: Server;
let port = 0;
/** What each watch request does, in order; later requests repeat the last. */
let plan: ((req: IncomingMessage, res: ServerResponse) => void)[] = [];
const watches: URL[] = [];
let lists = 0;
const open = new Set<ServerResponse>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kspect-ns-watch-'));
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/v1/namespaces' && url.searchParams.get('watch') === 'true') {
      watches.push(url);
      open.add(res);
      res.on('close', () => open.delete(res));
      const step = plan[Math.min(watches.length - 1, plan.length - 1)];
      step?.(req, res);
      return;
    }
    if (url.pathname === '/api/v1/namespaces') {
      lists++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ apiVersion: 'v1', kind: 'NamespaceList', metadata: { resourceVersion: String(10 * lists) }, items: [ns('team', 'baseline', String(10 * lists))] }));
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const r of open) r.destroy();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

function kubeconfig(): string {
  const file = join(dir, 'kubeconfig');
  writeFileSync(file, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`);
  return file;
}

const eventually = async (what: () => Promise<boolean>, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('not within the time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

const modeOf = async (source: Awaited<ReturnType<typeof watchedNamespaces>>): Promise<string | undefined> => (await source.get('team'))?.metadata.labels['kspect.dev/enforce'];

describe('watchedNamespaces', () => {
  it('replaces a watch that does not answer within --request-timeout, and follows the next one', async () => {
    watches.length = 0;
    lists = 0;
    plan = [
      () => undefined, // deaf: accepts the request, never answers
      (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.write(`${JSON.stringify({ type: 'MODIFIED', object: ns('team', 'restricted', '11') })}\n`);
      },
    ];
    const source = await watchedNamespaces({ kubeconfig: kubeconfig(), timeoutMs: 300 });
    try {
      await eventually(() => Promise.resolve(source.ready()));
      expect(await modeOf(source)).toBe('baseline');
      await eventually(async () => (await modeOf(source)) === 'restricted');
      expect(watches.length).toBeGreaterThanOrEqual(2);
      // The watch continues from the list's resourceVersion, asks for bookmarks and for an end within 5 to 10 minutes.
      const first = watches[0] as URL;
      expect(first.searchParams.get('resourceVersion')).toBe('10');
      expect(first.searchParams.get('allowWatchBookmarks')).toBe('true');
      const t = Number(first.searchParams.get('timeoutSeconds'));
      expect(t).toBeGreaterThanOrEqual(300);
      expect(t).toBeLessThan(600);
    } finally {
      source.stop();
    }
  });

  it('lists again after 410 Gone, and a server that ends the watch is watched again from where it was', async () => {
    watches.length = 0;
    lists = 0;
    plan = [
      (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(`${JSON.stringify({ type: 'MODIFIED', object: ns('team', 'privileged', '12') })}\n`);
      },
      (_req, res) => {
        res.statusCode = 410;
        res.end(JSON.stringify({ kind: 'Status', code: 410, reason: 'Expired' }));
      },
      () => undefined,
    ];
    const source = await watchedNamespaces({ kubeconfig: kubeconfig(), timeoutMs: 5_000 });
    try {
      await eventually(() => Promise.resolve(lists >= 2));
      // The second watch went on from the event's resourceVersion; after the 410 the informer listed again.
      expect(watches[1]?.searchParams.get('resourceVersion')).toBe('12');
      await eventually(async () => (await modeOf(source)) === 'baseline');
    } finally {
      source.stop();
    }
  });
});
