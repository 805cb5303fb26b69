/**
 * Test helpers for the admission webhook: a serving certificate from a throw-away CA (openssl), AdmissionReview
 * bodies, and a keep-alive HTTPS client that posts them to a server on loopback.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCA, type CertPair } from '../testbed/testbed.js';

export interface ServingCert extends CertPair {
  readonly ca: string;
  readonly dir: string;
  readonly authority: TestCA;
}

/** A CA and a server certificate for 127.0.0.1 / localhost. */
export function servingCert(): ServingCert {
  const dir = mkdtempSync(join(tmpdir(), 'kspect-webhook-'));
  const authority = new TestCA(dir, 'webhook-ca');
  const pair = authority.issue('webhook', { cn: 'kspect-webhook', server: true, client: false, sans: ['IP:127.0.0.1', 'DNS:localhost'] });
  return { ...pair, ca: authority.cert, dir, authority };
}

let uid = 0;

/** An AdmissionReview for an object (CREATE unless told). */
export function admissionReview(object: Record<string, unknown>, opts: { operation?: string; namespace?: string; oldObject?: Record<string, unknown>; subResource?: string; username?: string; dryRun?: boolean } = {}): Record<string, unknown> {
  const kind = String(object.kind);
  const apiVersion = String(object.apiVersion);
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const meta = (object.metadata ?? {}) as Record<string, unknown>;
  const namespace = opts.namespace ?? (meta.namespace as string | undefined);
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `uid-${++uid}`,
      kind: { group, version, kind },
      resource: { group, version, resource: `${kind.toLowerCase()}s` },
      ...(opts.subResource !== undefined ? { subResource: opts.subResource } : {}),
      requestKind: { group, version, kind },
      name: meta.name ?? '',
      ...(namespace !== undefined ? { namespace } : {}),
      operation: opts.operation ?? 'CREATE',
      userInfo: { username: opts.username ?? 'alice', groups: ['system:authenticated'] },
      object,
      ...(opts.oldObject ? { oldObject: opts.oldObject } : {}),
      dryRun: opts.dryRun ?? false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: 'CreateOptions' },
    },
  };
}

export interface Posted {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
}

/** A client for one server: keep-alive, trusts the test CA. */
export function webhookClient(url: string, ca: string, maxSockets = 32): { post(path: string, body: unknown, headers?: Record<string, string>): Promise<Posted>; get(path: string): Promise<Posted>; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets, ca: readFileSync(ca) });
  const send = (method: string, path: string, data: Buffer | undefined, headers: Record<string, string>): Promise<Posted> =>
    new Promise((resolve, reject) => {
      const req = request(`${url}${path}`, { method, agent, headers: { ...(data ? { 'content-length': String(data.length) } : {}), ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // text
          }
          resolve({ status: res.statusCode ?? 0, body, text });
        });
      });
      req.on('error', reject);
      req.end(data);
    });
  return {
    post: (path, body, headers = {}) => send('POST', path, Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), { 'content-type': 'application/json', ...headers }),
    get: (path) => send('GET', path, undefined, {}),
    close: () => {
      agent.destroy();
    },
  };
}

/**
 * The kube-apiserver flags that point its ImagePolicyWebhook admission plugin at kspect's /imagereview on `port`
 * (an AdmissionConfiguration and the kubeconfig naming the backend, written into `dir`).
 */
export function imagePolicyWebhookArgs(dir: string, port: number, caFile: string, defaultAllow: boolean): string[] {
  writeFileSync(join(dir, 'imagepolicy.kubeconfig'), `apiVersion: v1
kind: Config
clusters:
  - name: kspect
    cluster:
      server: https://127.0.0.1:${port}/imagereview
      certificate-authority: ${caFile}
users:
  - name: apiserver
    user: {}
contexts:
  - name: kspect
    context: {cluster: kspect, user: apiserver}
current-context: kspect
`);
  writeFileSync(join(dir, 'admission.yaml'), `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
  - name: ImagePolicyWebhook
    configuration:
      imagePolicy:
        kubeConfigFile: ${join(dir, 'imagepolicy.kubeconfig')}
        allowTTL: 1
        denyTTL: 1
        retryBackoff: 500
        defaultAllow: ${String(defaultAllow)}
`);
  return ['--enable-admission-plugins=NodeRestriction,ImagePolicyWebhook', `--admission-control-config-file=${join(dir, 'admission.yaml')}`];
}
