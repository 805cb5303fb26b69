/** Test helpers around the real `openssl` binary (installed by scripts/test-deps.sh). */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Run openssl; returns stdout. Throws with stderr on failure. */
export function openssl(args: readonly string[], options: { cwd?: string; input?: string } = {}): string {
  try {
    return execFileSync('openssl', args, { cwd: options.cwd, input: options.input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string };
    throw new Error(`openssl ${args.join(' ')} failed: ${err.stderr ?? ''}${err.stdout ?? ''}`, { cause: e });
  }
}

/** Like openssl() but returns the exit status and both outputs instead of throwing. */
export function opensslStatus(args: readonly string[], cwd?: string): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }) };
  } catch (e) {
    const err = e as { status?: number; stderr?: string; stdout?: string };
    return { code: err.status ?? 1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

export function tempDir(prefix = 'kspect-pki-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => { rmSync(dir, { recursive: true, force: true }); } };
}

/**
 * Sign with explicit dates through `openssl ca` (x509 -days cannot go back in time).
 * Writes `out` from `csr`, signed by caCert/caKey, with extensions from `extFile` section `ext`.
 */
export function caSign(dir: string, o: { csr: string; out: string; caCert: string; caKey: string; start: string; end: string; extFile?: string; ext?: string; md?: string; selfSign?: boolean }): void {
  const db = join(dir, `ca-db-${Math.random().toString(36).slice(2)}`);
  writeFileSync(`${db}.index`, '');
  writeFileSync(`${db}.serial`, '1000\n');
  const conf = `${db}.cnf`;
  writeFileSync(
    conf,
    `[ca]\ndefault_ca = d\n[d]\ndatabase = ${db}.index\nserial = ${db}.serial\nnew_certs_dir = ${dir}\ndefault_md = ${o.md ?? 'sha256'}\npolicy = p\nunique_subject = no\ncopy_extensions = copy\n[p]\ncommonName = supplied\n`,
  );
  const args = ['ca', '-batch', '-config', conf, '-in', o.csr, '-out', o.out, '-startdate', o.start, '-enddate', o.end, '-notext', '-preserveDN'];
  if (o.selfSign) args.push('-selfsign', '-keyfile', o.caKey);
  else args.push('-cert', o.caCert, '-keyfile', o.caKey);
  if (o.extFile !== undefined) args.push('-extfile', o.extFile, '-extensions', o.ext ?? 'ext');
  openssl(args, { cwd: dir });
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => { resolve(port); });
    });
  });
}

export interface SServer {
  readonly port: number;
  readonly process: ChildProcess;
  stop(): void;
}

/** Start `openssl s_server` on 127.0.0.1 with extra args; resolves once it accepts connections. Stopped by pid. */
export async function startSServer(args: readonly string[], cwd: string): Promise<SServer> {
  const port = await freePort();
  const child = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-quiet', ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', () => undefined);
  const stop = (): void => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
  };
  // Wait until the port accepts a TCP connection.
  const { connect } = await import('node:net');
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`s_server exited: ${stderr}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => { resolve(false); });
    });
    if (ok) return { port, process: child, stop };
    await new Promise((r) => setTimeout(r, 50));
  }
  stop();
  throw new Error(`s_server did not start: ${stderr}`);
}
