/**
 * Real image supply-chain components for tests: cosign, crane and testregistry (go-containerregistry's registry with
 * referrers, TLS and auth), built once per machine by `test/testbed/build.sh images` into the testbed cache. Registries
 * listen on 127.0.0.2 (loopback, but not a name go-containerregistry treats as plain-HTTP, so cosign and crane use
 * TLS like against any registry), with a CA and certificate made by openssl per run; stopped by pid.
 * Images are built in the test from tar layers (no downloads).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILD = fileURLToPath(new URL('../testbed/build.sh', import.meta.url));

export interface ImageTools {
  readonly cosign: string;
  readonly crane: string;
  readonly registry: string;
}

let cached: ImageTools | null | undefined;

/** The binaries, building them once per machine; undefined (tests skip, saying why) without Go. */
export function imageTools(): ImageTools | undefined {
  if (cached !== undefined) return cached ?? undefined;
  let dir: string;
  try {
    dir = execFileSync('bash', [BUILD, 'images'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  } catch {
    dir = '';
  }
  const t = { cosign: join(dir, 'cosign'), crane: join(dir, 'crane'), registry: join(dir, 'testregistry') };
  cached = dir !== '' && existsSync(t.cosign) && existsSync(t.crane) && existsSync(t.registry) ? t : null;
  if (!cached && process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') throw new Error('image tests: cosign/crane/testregistry could not be built (Go missing?)');
  return cached ?? undefined;
}

export function imageToolsUnavailable(): string | undefined {
  return imageTools() ? undefined : 'no Go to build cosign, crane and the test registry once (test/testbed/build.sh images)';
}

/** A CA and a serving certificate for 127.0.0.2, made with openssl. */
export function makeTls(dir: string): { ca: string; cert: string; key: string } {
  mkdirSync(dir, { recursive: true });
  const o = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  };
  o(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=kspect-test-ca']);
  o(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=registry']);
  writeFileSync(join(dir, 'ext'), 'subjectAltName=IP:127.0.0.2,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  o(['x509', '-req', '-in', 'srv.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.crt', '-days', '2', '-extfile', 'ext']);
  return { ca: join(dir, 'ca.crt'), cert: join(dir, 'srv.crt'), key: join(dir, 'srv.key') };
}

export interface Registry {
  /** `127.0.0.2:PORT` */
  readonly host: string;
  readonly pid: number;
  /** GET/HEAD counts per path since the last reset. */
  stats(reset?: boolean): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export async function startRegistry(tools: ImageTools, tls: { cert: string; key: string; ca: string }, opts: { referrers?: boolean; basic?: string; token?: boolean } = {}): Promise<Registry> {
  const args = ['--addr', '127.0.0.2:0', '--tls-cert', tls.cert, '--tls-key', tls.key, `--referrers=${String(opts.referrers ?? true)}`];
  if (opts.basic !== undefined) args.push('--basic', opts.basic);
  if (opts.token) args.push('--token');
  const child: ChildProcess = spawn(tools.registry, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const host = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { reject(new Error('testregistry did not start')); }, 10_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving on (\S+)/.exec(out);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`testregistry exited with ${String(code)}`));
    });
  });
  const pid = child.pid ?? 0;
  return {
    host,
    pid,
    stats: async (reset = false) => JSON.parse((await httpsCall(tls.ca, 'https://' + host + '/_stats', reset ? 'DELETE' : 'GET')).body.toString()) as Record<string, number>,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) { resolve(); return; }
        child.once('exit', () => { resolve(); });
        process.kill(pid, 'SIGTERM');
      }),
  };
}

export function httpsCall(ca: string, url: string, method: string, body?: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ca: readFileSync(ca), headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }); });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const sha256 = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Run a tool with the test CA trusted (SSL_CERT_FILE) and an empty cosign password; returns stdout. */
export function tool(bin: string, args: readonly string[], env: { ca: string; cwd: string; extra?: Record<string, string> }): string {
  return execFileSync(bin, args, {
    cwd: env.cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', HOME: env.cwd, SSL_CERT_FILE: env.ca, COSIGN_PASSWORD: '', COSIGN_YES: 'true', ...env.extra },
    timeout: 120_000,
  });
}

/** Build an image from one small layer (a file with `content`) and push it as `ref` with crane; returns its digest. */
export function buildImage(tools: ImageTools, ref: string, content: string, env: { ca: string; cwd: string }, user?: string): string {
  const dir = join(env.cwd, `layer-${createHash('sha256').update(ref + content).digest('hex').slice(0, 12)}`);
  mkdirSync(join(dir, 'app'), { recursive: true });
  writeFileSync(join(dir, 'app', 'data.txt'), content);
  execFileSync('tar', ['-C', dir, '-czf', `${dir}.tgz`, 'app']);
  tool(tools.crane, ['append', '-f', `${dir}.tgz`, '-t', ref], env);
  if (user !== undefined) tool(tools.crane, ['mutate', '--user', user, ref], env);
  return tool(tools.crane, ['digest', ref], env).trim();
}

/** Attach a Sigstore bundle to `repo@subject` as an OCI 1.1 referrer, the way cosign does (test-side write). */
export async function attachBundle(ca: string, host: string, repo: string, subject: { digest: string; mediaType: string; size: number }, bundle: Buffer): Promise<string> {
  const bundleType = 'application/vnd.dev.sigstore.bundle.v0.3+json';
  const empty = Buffer.from('{}');
  await pushBlob(ca, host, repo, empty);
  await pushBlob(ca, host, repo, bundle);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: bundleType,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha256(empty), size: empty.length },
      layers: [{ mediaType: bundleType, digest: sha256(bundle), size: bundle.length }],
      subject,
      annotations: { 'dev.sigstore.bundle.content': 'message-signature', 'dev.sigstore.bundle.predicateType': 'https://sigstore.dev/cosign/sign/v1' },
    }),
  );
  const d = sha256(manifest);
  const r = await httpsCall(ca, `https://${host}/v2/${repo}/manifests/${d}`, 'PUT', manifest, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
  if (r.status !== 201) throw new Error(`PUT referrer manifest: HTTP ${r.status} ${r.body.toString()}`);
  return d;
}

async function pushBlob(ca: string, host: string, repo: string, blob: Buffer): Promise<void> {
  const r = await httpsCall(ca, `https://${host}/v2/${repo}/blobs/uploads/?digest=${sha256(blob)}`, 'POST', blob, { 'content-type': 'application/octet-stream' });
  if (r.status !== 201) throw new Error(`monolithic blob upload: HTTP ${r.status} ${r.body.toString()}`);
}
