/**
 * `kspect probe` against hostile and dead endpoints: an endless body, a slow drip, huge headers, garbage instead of
 * TLS, redirects off the host, and 256 closed plus 256 filtered ports. Each must cost kspect bounded time and memory
 * and come out as one line, never a hang or a crash. The servers here are deliberately not real components: they
 * play the attacker, and each records every request it received (all must be GETs).
 *
 * "Filtered" ports are listening sockets whose accept queue is full (python3, listen(0), never accepting): the kernel
 * drops the SYNs, as a firewall would, so connecting hangs until kspect's timeout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/index.js';
import { runCli } from './support/cli.js';
import { hasCommand, type Recorded } from './support/probe-components.js';
import { freePort } from './testbed/testbed.js';

interface Hostile {
  readonly port: number;
  readonly seen: Recorded[];
  readonly server: NetServer | HttpServer;
}

async function listen(server: NetServer | HttpServer, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((r) => server.listen(0, host, r));
  const a = server.address();
  return typeof a === 'object' && a ? a.port : 0;
}

/** A raw TCP server that records request lines and then misbehaves. */
async function raw(behave: (sock: Socket) => void): Promise<Hostile> {
  const seen: Recorded[] = [];
  const sockets = new Set<Socket>();
  const server = createNetServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    let head = '';
    sock.on('data', (d: Buffer) => {
      if (head.includes('\r\n')) return;
      head += d.toString('latin1');
      const nl = head.indexOf('\r\n');
      if (nl >= 0) {
        const [method = '', path = ''] = head.slice(0, nl).split(' ');
        if (/^[A-Z]+$/.test(method)) seen.push({ method, path });
      }
    });
    behave(sock);
  });
  server.on('close', () => { for (const s of sockets) s.destroy(); });
  const port = await listen(server);
  return { port, seen, server };
}

async function http(handler: (url: string, res: import('node:http').ServerResponse) => void, host = '127.0.0.1'): Promise<Hostile> {
  const seen: Recorded[] = [];
  const server = createHttpServer((req, res) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '' });
    handler(req.url ?? '', res);
  });
  const port = await listen(server, host);
  return { port, seen, server };
}

describe('kspect probe against hostile endpoints', () => {
  const servers: Hostile[] = [];
  let endless: Hostile, drip: Hostile, headers: Hostile, garbageTls: Hostile, redirect: Hostile, elsewhere: Hostile, local: Hostile;
  let report: Report;
  let stderr: string;
  let code: number;
  let ms: number;

  beforeAll(async () => {
    endless = await http((_u, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = (): void => {
        while (res.write(chunk)) { /* fill the socket */ }
        res.once('drain', pump);
      };
      res.on('error', () => undefined);
      pump();
    });
    drip = await raw((sock) => {
      const t = setInterval(() => { sock.write('X'); }, 200);
      sock.write('HTTP/1.1 200 OK\r\nX-Drip: ');
      sock.on('close', () => { clearInterval(t); });
    });
    headers = await raw((sock) => {
      sock.once('data', () => {
        sock.write('HTTP/1.1 200 OK\r\n');
        for (let i = 0; i < 20_000; i++) sock.write(`X-Pad-${i}: ${'p'.repeat(40)}\r\n`);
        sock.end('\r\nok');
      });
    });
    garbageTls = await raw((sock) => {
      // A TLS record header followed by noise: not a ServerHello, not HTTP.
      sock.once('data', () => { sock.end(Buffer.concat([Buffer.from([0x16, 0x03, 0x03, 0x00, 0x40]), Buffer.alloc(64, 0xee)])); });
    });
    elsewhere = await http((_u, res) => { res.end('{"gitVersion":"v9.9.9","major":"9"}'); }, '127.0.0.2');
    redirect = await http((url, res) => {
      if (url === '/version') {
        res.writeHead(302, { location: `http://127.0.0.2:${elsewhere.port}/stolen` });
        return res.end();
      }
      if (url === '/healthz') {
        res.writeHead(301, { location: '/healthz/real' });
        return res.end();
      }
      res.end(url === '/healthz/real' ? 'ok' : 'nothing here');
    });
    local = redirect;
    servers.push(endless, drip, headers, garbageTls, redirect, elsewhere);
    const t0 = Date.now();
    const r = await runCli(['probe', ...servers.filter((s) => s !== elsewhere).map((s) => `127.0.0.1:${s.port}`), '-f', 'json', '--request-timeout', '2'], { timeoutMs: 120_000 });
    ms = Date.now() - t0;
    code = r.code;
    stderr = r.stderr;
    report = JSON.parse(r.stdout) as Report;
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.server.close(r))));
  });

  const ep = (h: Hostile) => report.probe?.endpoints.find((e) => e.endpoint === `127.0.0.1:${h.port}`);

  it('finishes in bounded time, with exit 0 (nothing judged) and nothing on stderr', () => {
    expect(code, stderr).toBe(0);
    expect(stderr).toBe('');
    // Five hostile endpoints in parallel, each given up after at most two timed-out requests of 2 s.
    expect(ms).toBeLessThan(30_000);
  });

  it('an endless body is cut at the cap', () => {
    // The body's first bytes (64 KiB at most) are read, the rest never is; a run of "a"s could be a token, so
    // not even its first line is copied into the report.
    expect(ep(endless)?.answers[0]).toBe('GET /version → 200');
  });

  it('a slow drip hits the deadline, and the endpoint is given up after two', () => {
    expect(ep(drip)?.answers.slice(0, 2)).toEqual(['GET /version → failed: no complete answer within 2000 ms', 'GET /_ping → failed: no complete answer within 2000 ms']);
    expect(ep(drip)?.answers).toHaveLength(2);
  });

  it('huge headers are refused', () => {
    expect(ep(headers)?.answers[0]).toBe('GET /version → failed: headers larger than 16384 bytes');
  });

  it('garbage instead of TLS is one line', () => {
    const e = ep(garbageTls);
    expect(e?.state).toBe('open');
    expect(e?.service).toBeUndefined();
    expect((e?.detail ?? e?.answers.join(' ')) ?? '').not.toBe('');
  });

  it('never follows a redirect off the host, and follows one on it', () => {
    expect(elsewhere.seen).toEqual([]);
    expect(ep(local)?.answers).toContain(`GET /version → 302 (to http://127.0.0.2:${elsewhere.port}/stolen, not followed)`);
    expect(ep(local)?.answers).toContain('GET /healthz → 200');
    expect(local.seen.map((s) => s.path)).toContain('/healthz/real');
  });

  it('every hostile endpoint that answered is listed as not judged, one line each', () => {
    for (const n of report.notEvaluated) expect(n.message).not.toContain('\n');
    expect(report.notEvaluated.length).toBeGreaterThanOrEqual(4);
  });

  it('sent nothing but GETs', () => {
    for (const s of servers) for (const r of s.seen) expect(r.method).toBe('GET');
  });
});

describe.skipIf(!hasCommand('python3'))('256 closed and 256 filtered ports', () => {
  let python: ChildProcess;
  let filtered: number[] = [];
  const closed: number[] = [];

  beforeAll(async () => {
    python = spawn('python3', ['-c', FILTERED_PY, '256'], { stdio: ['pipe', 'pipe', 'inherit'] });
    filtered = await new Promise<number[]>((resolve, reject) => {
      let out = '';
      python.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(JSON.parse(out) as number[]);
      });
      python.on('exit', (c) => { reject(new Error(`python3 exited ${c}`)); });
    });
    while (closed.length < 256) {
      const p = await freePort();
      if (!filtered.includes(p) && !closed.includes(p)) closed.push(p);
    }
  }, 60_000);

  afterAll(() => {
    if (python.pid !== undefined && python.exitCode === null) process.kill(python.pid, 'SIGTERM');
  });

  it('finish within the timeout budget: concurrency, not serial timeouts', async () => {
    const t0 = Date.now();
    const r = await runCli(['probe', '127.0.0.1', '--ports', [...filtered, ...closed].join(','), '-f', 'json', '--request-timeout', '2', '--concurrency', '512'], { timeoutMs: 120_000 });
    const ms = Date.now() - t0;
    const rep = JSON.parse(r.stdout) as Report;
    expect(r.code, r.stderr).toBe(0);
    expect(rep.probe?.counts).toEqual({ open: 0, closed: 256, filtered: 256, unreachable: 0 });
    // One 2 s timeout for all of them in parallel; serially it would be 512 s. Generous for a loaded machine.
    expect(ms).toBeLessThan(15_000);
  }, 120_000);

  it('the default concurrency (64) takes about four timeouts for 256 filtered ports', async () => {
    const t0 = Date.now();
    const r = await runCli(['probe', '127.0.0.1', '--ports', filtered.join(','), '-f', 'json', '--request-timeout', '1'], { timeoutMs: 120_000 });
    const ms = Date.now() - t0;
    expect((JSON.parse(r.stdout) as Report).probe?.counts.filtered).toBe(256);
    expect(ms).toBeLessThan(20_000);
  }, 120_000);
});

/** Listening sockets with full accept queues, never accepting: their SYNs are dropped, as behind a firewall. */
const FILTERED_PY = `
import json, resource, socket, sys
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
n = int(sys.argv[1]); keep = []; ports = []
for _ in range(n):
    s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)
    port = s.getsockname()[1]; keep.append(s); ports.append(port)
    for _ in range(2):
        c = socket.socket(); c.setblocking(False)
        try: c.connect(('127.0.0.1', port))
        except BlockingIOError: pass
        keep.append(c)
print(json.dumps(ports), flush=True)
sys.stdin.read()
`;
