import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from './cluster.js';
import { KubeconfigError, resolveCredentials } from './kubeconfig.js';
import { recentStringsHeld } from './yaml-json.js';
import { fastStringsHeld } from './yaml-shapes.js';

// What client-go does is proved in test/kubeconfig-differential.test.ts; these are kspect's own bounds and defaults.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kspect-kubeconfig-unit-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const kubeconfig = (name: string, user: string, cluster = '{server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}'): string => {
  const file = join(dir, name);
  writeFileSync(file, `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: ${cluster}}]\nusers: [{name: u, user: ${user}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`);
  return file;
};
const refusal = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(KubeconfigError);
    return (e as Error).message;
  }
  throw new Error('resolved');
};

describe('resolveCredentials', () => {
  it('uses the in-cluster service account when there is no kubeconfig and the Pod variables are set', async () => {
    const sa = join(dir, 'sa');
    mkdirSync(sa);
    writeFileSync(join(sa, 'token'), 'sa-token\n');
    writeFileSync(join(sa, 'ca.crt'), 'CA');
    const env = { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443', HOME: join(dir, 'nohome') };
    const c = await resolveCredentials({ env, serviceAccountDir: sa });
    expect(c).toEqual({ server: 'https://[fd00::1]:443', context: 'in-cluster', tls: { ca: Buffer.from('CA') }, headers: { authorization: 'Bearer sa-token' }, tokenFile: join(sa, 'token') });
    // Without the variables (or the token): kubectl's default server.
    expect((await resolveCredentials({ env: { HOME: join(dir, 'nohome') }, serviceAccountDir: sa })).server).toBe('http://localhost:8080');
    expect((await resolveCredentials({ env: { ...env, KUBERNETES_SERVICE_PORT: '' }, serviceAccountDir: sa })).server).toBe('http://localhost:8080');
  });

  it('reads a FIFO named as a token file with one line naming it, never hanging', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const message = await refusal(resolveCredentials({ kubeconfig: kubeconfig('fifo.conf', `{tokenFile: ${fifo}}`) }));
    expect(message).toContain(fifo);
    expect(message).not.toContain('\n');
  });

  it('bounds an exec plugin that never answers, or answers too much, and never shows what it wrote', async () => {
    const slow = join(dir, 'slow.sh');
    writeFileSync(slow, '#!/bin/sh\nsleep 30\n');
    chmodSync(slow, 0o755);
    const t0 = Date.now();
    const m1 = await refusal(resolveCredentials({ kubeconfig: kubeconfig('slow.conf', `{exec: {apiVersion: client.authentication.k8s.io/v1, command: ${slow}, interactiveMode: Never}}`), execTimeoutMs: 300, env: {} }));
    expect(m1).toContain('did not answer within 0.3 s');
    expect(Date.now() - t0).toBeLessThan(20_000);
    const loud = join(dir, 'loud.sh');
    writeFileSync(loud, '#!/bin/sh\nhead -c 3000000 /dev/zero | tr "\\0" a\n');
    chmodSync(loud, 0o755);
    expect(await refusal(resolveCredentials({ kubeconfig: kubeconfig('loud.conf', `{exec: {apiVersion: client.authentication.k8s.io/v1, command: ${loud}, interactiveMode: Never}}`), env: {} }))).toContain('more than 1 MiB');
    const leaky = join(dir, 'leaky.sh');
    writeFileSync(leaky, '#!/bin/sh\necho "secret-token-value not json"\n');
    chmodSync(leaky, 0o755);
    const m3 = await refusal(resolveCredentials({ kubeconfig: kubeconfig('leaky.conf', `{exec: {apiVersion: client.authentication.k8s.io/v1, command: ${leaky}, interactiveMode: Never}}`), env: {} }));
    expect(m3).toContain('not JSON');
    expect(m3).not.toContain('secret-token-value');
  });

  it('names what to use instead of a removed auth-provider and refuses proxy-url rather than bypass it', async () => {
    expect(await refusal(resolveCredentials({ kubeconfig: kubeconfig('gcp.conf', '{auth-provider: {name: gcp}}') }))).toContain('gke-gcloud-auth-plugin');
    expect(await refusal(resolveCredentials({ kubeconfig: kubeconfig('proxy.conf', '{token: t}', '{server: "https://10.0.0.1", proxy-url: "http://proxy:3128"}') }))).toContain('proxy-url is not supported');
  });

  it('never puts a credential in a message', async () => {
    const message = await refusal(resolveCredentials({ kubeconfig: kubeconfig('both.conf', '{token: super-secret-1, username: ann, password: super-secret-2}') }));
    expect(message).not.toMatch(/super-secret/);
  });

  it('leaves no value of a kubeconfig (its token) in the decoders\' tables of strings, YAML or JSON', async () => {
    const yaml = await resolveCredentials({ kubeconfig: kubeconfig('held.conf', '{token: held-secret-token}') });
    expect(yaml.headers.authorization).toBe('Bearer held-secret-token');
    expect([fastStringsHeld(), recentStringsHeld()]).toEqual([0, 0]);
    const file = join(dir, 'held.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443' } }], users: [{ name: 'u', user: { token: 'held-secret-json' } }], contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }], 'current-context': 'x' }));
    const json = await resolveCredentials({ kubeconfig: file });
    expect(json.headers.authorization).toBe('Bearer held-secret-json');
    expect([fastStringsHeld(), recentStringsHeld()]).toEqual([0, 0]);
  });

  it('reads a token file again as it rotates (a long-running webhook keeps a valid token), keeping the last on a failed read', async () => {
    const token = join(dir, 'rotating-token');
    writeFileSync(token, 'first\n');
    const conn = await connect({ kubeconfig: kubeconfig('rotating.conf', `{tokenFile: ${token}}`), tokenRefreshMs: 20 });
    const auth = (): unknown => (conn.options.headers as Record<string, unknown>).authorization;
    expect(auth()).toBe('Bearer first');
    writeFileSync(token, 'second\n');
    for (let i = 0; i < 200 && auth() !== 'Bearer second'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(auth()).toBe('Bearer second');
    rmSync(token);
    await new Promise((r) => setTimeout(r, 100));
    expect(auth()).toBe('Bearer second');
    // A token given inline is not a file: nothing to read again.
    expect((await resolveCredentials({ kubeconfig: kubeconfig('inline.conf', '{token: t}') })).tokenFile).toBeUndefined();
  });

  it('runs an exec plugin again before its token expires, so a long-running connection keeps a valid token', async () => {
    const counter = join(dir, 'exec-runs');
    const plugin = join(dir, 'expiring.sh');
    // Each run answers run-N with a token that expires in one second.
    writeFileSync(plugin, `#!/bin/sh\nn=$(( $(cat ${counter} 2>/dev/null || echo 0) + 1 ))\necho $n > ${counter}\nexp=$(date -u -d '+1 second' +%Y-%m-%dT%H:%M:%SZ)\necho "{\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"run-$n\\",\\"expirationTimestamp\\":\\"$exp\\"}}"\n`);
    chmodSync(plugin, 0o755);
    const conn = await connect({ kubeconfig: kubeconfig('expiring.conf', `{exec: {apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, interactiveMode: Never}}`), env: { PATH: process.env.PATH ?? '' } });
    const auth = (): unknown => (conn.options.headers as Record<string, unknown>).authorization;
    expect(auth()).toBe('Bearer run-1');
    for (let i = 0; i < 100 && auth() === 'Bearer run-1'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(auth()).toBe('Bearer run-2');
  });
});
