/**
 * kspect's kubeconfig resolution (src/sources/kubeconfig.ts) against client-go's, which kubectl uses: the same
 * kubeconfigs are given to kspect's connect() and to test/testbed/cmd/kubeconfig-client (client-go's clientcmd
 * deferred loading of the pinned Kubernetes release, with kubectl's auth-provider plugins), and both make one GET to
 * a recording HTTPS server on loopback. What each sent — the Authorization header, the impersonation headers, the
 * client certificate's subject, the TLS server name — must be the same, and a configuration one refuses the other
 * must refuse too. Covers merging $KUBECONFIG files, relative paths, context selection, tokens and token files,
 * basic auth, client certificates (files and data), CA and insecure-skip-tls-verify, tls-server-name, impersonation,
 * servers without a scheme, the oidc and removed gcp auth-providers and exec plugins (v1 and v1beta1,
 * provideClusterInfo, relative commands, failures).
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, get } from '../src/sources/cluster.js';

interface Seen {
  readonly authorization: string | undefined;
  readonly impersonation: string[];
  readonly clientCert: string | undefined;
  readonly sni: string | undefined;
}

/** What a client did: what the server saw of its request, or that it refused (or failed) before sending one. */
type Outcome = { readonly sent: Seen } | { readonly refused: true };

let dir: string;
let server: Server;
let port = 0;
let client = '';
let seen: Seen[] = [];
const ssl = (args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
};

function issue(name: string, subj: string, ext: string): void {
  ssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj]);
  writeFileSync(join(dir, `${name}.ext`), ext);
  ssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', String(Math.floor(Math.random() * 1e9)), '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
}

beforeAll(async () => {
  // Prints "testbed: building kubeconfig-client …" on stderr the first time on a machine.
  client = execFileSync('bash', [join(import.meta.dirname, 'testbed', 'build.sh'), 'kubeconfig-client'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  if (client === '') throw new Error('test/testbed/build.sh kubeconfig-client built nothing (is Go installed?)');
  dir = mkdtempSync(join(tmpdir(), 'kspect-kubeconfig-'));
  ssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=kubeconfig-test-ca']);
  issue('server', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1,DNS:kube.test\nextendedKeyUsage=serverAuth\n');
  issue('alice', '/O=devs/CN=alice', 'extendedKeyUsage=clientAuth\n');
  server = createServer({ cert: readFileSync(join(dir, 'server.crt')), key: readFileSync(join(dir, 'server.key')), requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const sock = req.socket as unknown as TLSSocket;
    const peer = sock.getPeerCertificate();
    const subject = peer.subject as Record<string, string | string[] | undefined> | undefined;
    const impersonation = Object.entries(req.headers)
      .filter(([k]) => k.startsWith('impersonate-'))
      .flatMap(([k, v]) => (Array.isArray(v) ? v : [v ?? '']).flatMap((x) => x.split(', ')).map((x) => `${k}=${x}`))
      .sort();
    const clientCert = subject ? `${String(subject.O ?? '')}/${String(subject.CN ?? '')}` : undefined;
    seen.push({ authorization: req.headers.authorization, impersonation, clientCert, sni: typeof sock.servername === 'string' ? sock.servername : undefined });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"gitVersion":"v1.35.4"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
}, 600_000);

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => { r(); }));
  rmSync(dir, { recursive: true, force: true });
});

const b64 = (file: string): string => readFileSync(join(dir, file)).toString('base64');

/** client-go through kubeconfig-client. */
function viaClientGo(args: string[], env: Record<string, string>): Promise<Outcome> {
  seen = [];
  return new Promise((resolve) => {
    const child = spawn(client, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('close', () => {
      const r = JSON.parse(out) as { status?: number; error?: string };
      resolve(r.status === 200 && seen.length === 1 && seen[0] ? { sent: seen[0] } : { refused: true });
    });
  });
}

/** kspect through connect() and one get(). */
async function viaKspect(opts: { kubeconfig?: string; context?: string }, env: Record<string, string>): Promise<Outcome> {
  seen = [];
  try {
    const conn = await connect({ ...opts, env: { PATH: process.env.PATH ?? '', ...env }, retries: 0, timeoutMs: 10_000 });
    const r = await get(conn, '/version');
    (conn.options.agent as { destroy?: () => void } | undefined)?.destroy?.();
    return r.status === 200 && seen.length === 1 && seen[0] ? { sent: seen[0] } : { refused: true };
  } catch {
    return { refused: true };
  }
}

/** Both clients on one kubeconfig text (or several, merged through $KUBECONFIG); their outcomes. */
async function both(files: Record<string, string>, how: { explicit?: string; kubeconfigEnv?: string[]; context?: string } = {}): Promise<[Outcome, Outcome]> {
  const case_ = mkdtempSync(join(dir, 'case-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(case_, name, '..'), { recursive: true });
    writeFileSync(join(case_, name), text.replaceAll('$DIR', dir).replaceAll('$PORT', String(port)));
    if (name.startsWith('bin/')) chmodSync(join(case_, name), 0o755);
  }
  const explicit = how.explicit !== undefined ? join(case_, how.explicit) : undefined;
  const env: Record<string, string> = { HOME: join(case_, 'home') };
  if (how.kubeconfigEnv) env.KUBECONFIG = how.kubeconfigEnv.map((f) => join(case_, f)).join(':');
  const args = [...(explicit !== undefined ? ['--kubeconfig', explicit] : []), ...(how.context !== undefined ? ['--context', how.context] : [])];
  const goSide = await viaClientGo(args, env);
  const ours = await viaKspect({ ...(explicit !== undefined ? { kubeconfig: explicit } : {}), ...(how.context !== undefined ? { context: how.context } : {}) }, env);
  return [goSide, ours];
}

const config = (cluster: string, user: string, extra = ''): string => `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: ${cluster}
users:
- name: u
  user: ${user}
contexts:
- name: x
  context: {cluster: c, user: u}
current-context: x
${extra}`;
const CA = '{server: "https://127.0.0.1:$PORT", certificate-authority: "$DIR/ca.crt"}';

/** Each case: a name, the files, how they are given; `expectSent` pins what both must do (sent or refused). */
const cases: { name: string; files: Record<string, string>; how?: { explicit?: string; kubeconfigEnv?: string[]; context?: string }; sends: boolean }[] = [
  { name: 'bearer token', files: { k: config(CA, '{token: tok-1}') }, sends: true },
  { name: 'token file relative to the kubeconfig', files: { 'sub/k': config(CA, '{tokenFile: tok.txt}'), 'sub/tok.txt': 'tok-from-file\n' }, how: { explicit: 'sub/k' }, sends: true },
  { name: 'token wins over token file', files: { k: config(CA, '{token: tok-1, tokenFile: tok.txt}'), 'tok.txt': 'other' }, sends: true },
  { name: 'basic auth', files: { k: config(CA, '{username: ann, password: "p:w"}') }, sends: true },
  { name: 'token and basic auth together', files: { k: config(CA, '{token: t, username: ann, password: p}') }, sends: false },
  { name: 'client certificate files and CA relative to the kubeconfig', files: { 'sub/k': config('{server: "https://127.0.0.1:$PORT", certificate-authority: certs/ca.crt}', '{client-certificate: certs/alice.crt, client-key: certs/alice.key}'), 'sub/certs/ca.crt': readLater('ca.crt'), 'sub/certs/alice.crt': readLater('alice.crt'), 'sub/certs/alice.key': readLater('alice.key') }, how: { explicit: 'sub/k' }, sends: true },
  { name: 'client certificate data', files: { k: config('{server: "https://127.0.0.1:$PORT", certificate-authority-data: $CA64}', '{client-certificate-data: $ALICE64, client-key-data: $ALICEKEY64}') }, sends: true },
  { name: 'client certificate without its key', files: { k: config(CA, '{client-certificate-data: $ALICE64}') }, sends: false },
  { name: 'CA with insecure-skip-tls-verify', files: { k: config('{server: "https://127.0.0.1:$PORT", certificate-authority: "$DIR/ca.crt", insecure-skip-tls-verify: true}', '{token: t}') }, sends: false },
  { name: 'insecure-skip-tls-verify alone', files: { k: config('{server: "https://127.0.0.1:$PORT", insecure-skip-tls-verify: true}', '{token: t}') }, sends: true },
  { name: 'an unknown CA', files: { k: config('{server: "https://127.0.0.1:$PORT"}', '{token: t}') }, sends: false },
  { name: 'tls-server-name', files: { k: config('{server: "https://127.0.0.1:$PORT", certificate-authority: "$DIR/ca.crt", tls-server-name: kube.test}', '{token: t}') }, sends: true },
  { name: 'tls-server-name the certificate does not hold', files: { k: config('{server: "https://127.0.0.1:$PORT", certificate-authority: "$DIR/ca.crt", tls-server-name: other.test}', '{token: t}') }, sends: false },
  { name: 'server without a scheme, even with a CA, is plain http (the TLS server refuses it)', files: { k: config('{server: "127.0.0.1:$PORT", certificate-authority: "$DIR/ca.crt"}', '{token: t}') }, sends: false },
  { name: 'a context named y (a YAML 1.1 boolean: the file does not load)', files: { k: config(CA, '{token: t}').replace('- name: x\n', '- name: y\n').replace('current-context: x', 'current-context: "y"') }, sends: false },
  { name: 'a token that is a number', files: { k: config(CA, '{token: 12345}') }, sends: false },
  { name: 'impersonation', files: { k: config(CA, '{token: t, as: bob, as-uid: "42", as-groups: [g1, g2], as-user-extra: {scopes: [s1, s2]}}') }, sends: true },
  {
    name: '$KUBECONFIG merge: the first file wins for entries and current-context; missing files skipped',
    files: {
      a: config(CA, '{token: from-a}'),
      b: `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: from-b}}, {name: u2, user: {token: only-b}}]\ncontexts: [{name: yy, context: {cluster: c, user: u2}}]\ncurrent-context: yy\n`,
    },
    how: { kubeconfigEnv: ['missing', 'a', 'b'] },
    sends: true,
  },
  {
    name: '--context picks a context of the second file',
    files: { a: config(CA, '{token: from-a}'), b: `apiVersion: v1\nkind: Config\nusers: [{name: u2, user: {token: only-b}}]\ncontexts: [{name: yy, context: {cluster: c, user: u2}}]\n` },
    how: { kubeconfigEnv: ['a', 'b'], context: 'yy' },
    sends: true,
  },
  { name: 'a --context that does not exist', files: { k: config(CA, '{token: t}') }, how: { explicit: 'k', context: 'nope' }, sends: false },
  { name: 'no current-context', files: { k: config(CA, '{token: t}').replace('current-context: x\n', '') }, sends: false },
  { name: 'a context naming a missing cluster', files: { k: config(CA, '{token: t}').replace('{cluster: c, user: u}', '{cluster: gone, user: u}') }, sends: false },
  { name: 'the removed gcp auth-provider', files: { k: config(CA, '{auth-provider: {name: gcp}}') }, sends: false },
  { name: 'oidc with a valid id-token', files: { k: config(CA, `{auth-provider: {name: oidc, config: {idp-issuer-url: "https://issuer.test", client-id: k, id-token: ${jwt(4102444800)}}}}`) }, sends: true },
  { name: 'oidc without client-id', files: { k: config(CA, `{auth-provider: {name: oidc, config: {idp-issuer-url: "https://issuer.test", id-token: ${jwt(4102444800)}}}}`) }, sends: false },
  { name: 'oidc with an expired id-token and no refresh-token', files: { k: config(CA, `{auth-provider: {name: oidc, config: {idp-issuer-url: "https://issuer.test", client-id: k, id-token: ${jwt(1000)}}}}`) }, sends: false },
  {
    name: 'exec plugin v1: env, KUBERNETES_EXEC_INFO with the cluster, a command relative to the kubeconfig',
    files: {
      k: config(CA, '{exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/plugin, args: [a1], env: [{name: PLUGIN_TOKEN, value: from-env}], interactiveMode: Never, provideClusterInfo: true}}'),
      'bin/plugin': `#!/usr/bin/env node
const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
const token = [process.env.PLUGIN_TOKEN, process.argv[2], info.apiVersion, info.spec.interactive, info.spec.cluster.server, Buffer.from(info.spec.cluster['certificate-authority-data'], 'base64').length > 0].join('.');
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token } }));
`,
    },
    sends: true,
  },
  {
    name: 'exec plugin v1beta1 answering a client certificate',
    files: {
      k: config(CA, '{exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: ./bin/plugin}}'),
      'bin/plugin': `#!/usr/bin/env node
const fs = require('node:fs');
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { clientCertificateData: fs.readFileSync('$DIR/alice.crt', 'utf8'), clientKeyData: fs.readFileSync('$DIR/alice.key', 'utf8') } }));
`,
    },
    sends: true,
  },
  { name: 'exec plugin v1 without interactiveMode', files: { k: config(CA, '{exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/true}}') }, sends: false },
  { name: 'exec plugin that fails', files: { k: config(CA, '{exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/false, interactiveMode: Never}}') }, sends: false },
  { name: 'exec plugin that is missing', files: { k: config(CA, '{exec: {apiVersion: client.authentication.k8s.io/v1, command: kspect-no-such-plugin, interactiveMode: Never, installHint: "install it"}}') }, sends: false },
  {
    name: 'exec plugin answering another apiVersion',
    files: {
      k: config(CA, '{exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/plugin, interactiveMode: IfAvailable}}'),
      'bin/plugin': `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t"}}'\n`,
    },
    sends: false,
  },
];

/** A JWT whose payload holds `exp` (the signature is not checked by either client). */
function jwt(exp: number): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part({ exp })}.c2ln`;
}

/** A file of the test's PKI, copied into a case folder (resolved when the case runs). */
function readLater(file: string): string {
  return `@@${file}`;
}

describe('kubeconfig resolution: kspect and client-go (kubectl) send the same credentials and refuse the same configurations', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const files = Object.fromEntries(
        Object.entries(c.files).map(([k, v]) => [
          k,
          (v.startsWith('@@') ? readFileSync(join(dir, v.slice(2)), 'utf8') : v).replaceAll('$CA64', b64('ca.crt')).replaceAll('$ALICE64', b64('alice.crt')).replaceAll('$ALICEKEY64', b64('alice.key')),
        ]),
      );
      const how = c.how ?? (c.files.k !== undefined ? { explicit: 'k' } : {});
      const [goSide, ours] = await both(files, how);
      expect(ours).toEqual(goSide);
      expect('sent' in goSide).toBe(c.sends);
    });
  }
});
