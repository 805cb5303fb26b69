/**
 * `--cluster` against API servers that misbehave, as real listening sockets on loopback (started here, closed at
 * the end): one that accepts connections and never answers (TLS and plain HTTP), and one that answers discovery
 * but trickles a list forever. kspect must end each in bounded time with one clear line, never wait silently.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

function kubeconfig(dir: string, name: string, server: string): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "${server}", insecure-skip-tls-verify: true}
users:
- name: u
  user: {token: not-a-real-token}
contexts:
- name: ctx
  context: {cluster: c, user: u}
current-context: ctx
`,
  );
  return file;
}

const listen = (server: Server | HttpServer): Promise<number> =>
  new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve(typeof a === 'object' && a !== null ? a.port : 0);
    });
  });

describe('scan --cluster against a server that never answers or never finishes', () => {
  const sockets = new Set<Socket>();
  let deaf: Server;
  let deafPort = 0;
  let trickle: HttpServer;
  let tricklePort = 0;
  const timers = new Set<NodeJS.Timeout>();
  let dir = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kspect-deaf-'));
    // Accepts every connection, reads whatever comes, never writes a byte.
    deaf = createServer((s) => {
      sockets.add(s);
      s.on('data', () => undefined);
      s.on('close', () => sockets.delete(s));
    });
    deafPort = await listen(deaf);
    // Answers discovery (one resource: pods), then sends a list's headers and one byte every 100 ms, forever.
    trickle = createHttpServer((req, res) => {
      const json = (v: unknown): void => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(v));
      };
      const path = (req.url ?? '').split('?')[0];
      if (path === '/apis') { json({ kind: 'APIGroupList', groups: [] }); return; }
      if (path === '/api/v1') { json({ kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'pods', kind: 'Pod', namespaced: true, verbs: ['get', 'list'] }] }); return; }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"kind":"PodList","items":[');
      const t = setInterval(() => res.write(' '), 100);
      timers.add(t);
      res.on('close', () => {
        clearInterval(t);
        timers.delete(t);
      });
    });
    tricklePort = await listen(trickle);
  });

  afterAll(async () => {
    for (const t of timers) clearInterval(t);
    for (const s of sockets) s.destroy();
    trickle.closeAllConnections();
    await Promise.all([new Promise((r) => deaf.close(r)), new Promise((r) => trickle.close(r))]);
  });

  for (const scheme of ['https', 'http'] as const) {
    it(`${scheme}: one line naming the server and the request timeout, exit 2, at once after the timeout`, async () => {
      const server = `${scheme}://127.0.0.1:${deafPort}`;
      const started = Date.now();
      const r = await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig(dir, `deaf-${scheme}`, server), '--request-timeout', '1s'], { timeoutMs: 60_000 });
      const elapsed = Date.now() - started;
      expect(r.stderr).toBe(`kspect: the API server ${server} accepted the connection but sent no answer within 1 s (--request-timeout)\n`);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      // One request timeout, not retries of it (a generous bound: the machine may be loaded).
      expect(elapsed).toBeLessThan(20_000);
    });
  }

  it('a list that never ends is cut off by the request timeout (the whole exchange, not idle time) and reported as not evaluated', async () => {
    const r = await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig(dir, 'trickle', `http://127.0.0.1:${tricklePort}`), '--request-timeout', '500ms', '-f', 'json'], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { notEvaluated: { reason: string; message: string }[] };
    expect(report.notEvaluated.map((n) => n.reason)).toEqual(['not-readable']);
    expect(report.notEvaluated[0]?.message).toMatch(/^cannot list pods in all namespaces: GET \/api\/v1\/pods\?limit=500: no complete answer within 0\.5 s \(--request-timeout\)/);
  });

  it('--timeout ends the whole read in one line', async () => {
    const started = Date.now();
    const r = await runCli(['scan', '--cluster', '--kubeconfig', kubeconfig(dir, 'trickle-overall', `http://127.0.0.1:${tricklePort}`), '--timeout', '2s'], { timeoutMs: 60_000 });
    expect(r.stderr).toBe('kspect: the cluster was not read within 2 s (--timeout)\n');
    expect(r.code).toBe(2);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('durations are checked', async () => {
    const r = await runCli(['scan', '--cluster', '--timeout', 'soon']);
    expect(r.stderr).toBe('kspect: --timeout "soon": is not a duration (500ms, 30s, 2m, 1h or 1h30m; a bare number is seconds; 0 = no limit)\n');
    expect(r.code).toBe(2);
    const s = await runCli(['scan', 'x.yaml', '--request-timeout', '1s']);
    expect(s.stderr).toBe('kspect: --request-timeout needs --cluster\n');
  });
});
