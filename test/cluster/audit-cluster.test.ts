/**
 * `kspect audit` against a real kube-apiserver: the testbed runs with an audit policy and anonymous auth on; the
 * test makes a scripted set of requests (admin, an ordinary user, anonymous, a service account: a namespace, a
 * privileged pod, an exec attempt, Secret create/read and a forbidden read, a binding to cluster-admin, a ClusterRole
 * with wildcards, a server-side dry run, a watch), then:
 * - `audit simulate --log` predicts the level of every event the server wrote (its own bootstrap traffic included);
 * - `audit analyze` raises the alerts Falco's bundled k8s_audit rules give for these requests (derived from the rules
 *   by hand: first matching rule per event), dry runs and the API server's own requests reported apart.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createNamespace, kube, mustKube } from '../testbed/kube.js';
import { startTestbed, testbedUnavailable, type Testbed } from '../testbed/testbed.js';

const skip = testbedUnavailable();

export const CLUSTER_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: None
    nonResourceURLs: ["/healthz*", "/readyz*", "/livez*"]
  - level: Metadata
    resources:
      - group: ""
        resources: [secrets, configmaps, serviceaccounts/token]
      - group: authentication.k8s.io
        resources: [tokenreviews]
  - level: Metadata
    resources: [{group: "", resources: [pods/exec, pods/attach, pods/portforward]}]
  - level: RequestResponse
    omitManagedFields: true
    resources: [{group: ""}, {group: rbac.authorization.k8s.io}]
  - level: None
    users: ["system:apiserver"]
    verbs: [get, list, watch]
  - level: Request
    omitStages: [ResponseStarted]
    verbs: [watch]
  - level: Metadata
`;

/** Lets the test's identities through "Disallowed K8s User", as a Falco user would (and tests --rules). */
const OVERRIDE = `- list: allowed_k8s_users
  items: [testbed-admin, alice]
  append: true
`;

function raw(tb: Testbed, method: string, path: string, opts: { token?: string; body?: unknown } = {}): Promise<number> {
  const data = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
  return new Promise((resolve, reject) => {
    const req = request(
      `${tb.url}${path}`,
      {
        method,
        ca: readFileSync(tb.ca),
        headers: { accept: 'application/json', ...(opts.token !== undefined ? { authorization: `Bearer ${opts.token}` } : {}), ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          resolve(res.statusCode ?? 0);
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const PRIVILEGED_POD = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'priv' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36', securityContext: { privileged: true } }] } };

describe.skipIf(skip !== undefined)('kspect audit on a real kube-apiserver', () => {
  let tb: Testbed;
  let dir: string;
  let policyFile: string;
  let overrideFile: string;
  beforeAll(async () => {
    tb = await startTestbed({ auditPolicy: CLUSTER_POLICY, anonymousAuth: true, users: { alice: [] } });
    dir = mkdtempSync(join(tmpdir(), 'kspect-audit-cluster-'));
    policyFile = join(dir, 'policy.yaml');
    writeFileSync(policyFile, CLUSTER_POLICY);
    overrideFile = join(dir, 'override.yaml');
    writeFileSync(overrideFile, OVERRIDE);

    await createNamespace(tb, 'audit-test');
    await mustKube(tb, 'POST', '/api/v1/namespaces/audit-test/pods', PRIVILEGED_POD);
    // An exec attempt: the pod has no node, so it fails, but the long-running request starts (ResponseStarted).
    await kube(tb, 'POST', '/api/v1/namespaces/audit-test/pods/priv/exec?command=sh&stdin=true&stdout=true&tty=true');
    await mustKube(tb, 'POST', '/api/v1/namespaces/audit-test/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'PLANTED-AUDIT-SECRET-93f1' } });
    await mustKube(tb, 'GET', '/api/v1/namespaces/audit-test/secrets/db');
    expect((await kube(tb, 'GET', '/api/v1/namespaces/audit-test/secrets/db', undefined, 'alice')).status).toBe(403);
    await mustKube(tb, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'alice-admin' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }] });
    await mustKube(tb, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'everything' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] });
    await mustKube(tb, 'POST', '/api/v1/namespaces/audit-test/pods?dryRun=All', { ...PRIVILEGED_POD, metadata: { name: 'priv-dry' } });
    expect(await raw(tb, 'GET', '/version')).toBe(200);
    const token = (await mustKube(tb, 'POST', '/api/v1/namespaces/audit-test/serviceaccounts/default/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } })) as { status: { token: string } };
    expect(await raw(tb, 'GET', '/api/v1/namespaces/audit-test/pods', { token: token.status.token })).toBe(403);
    // A watch (long-running: ResponseStarted, omitted by its rule) that ends after a second.
    await mustKube(tb, 'GET', '/apis/apps/v1/namespaces/audit-test/deployments?watch=1&timeoutSeconds=1');
    // Audit events are written when the response completes; blocking mode makes them visible before the reply.
  }, 600_000);
  afterAll(async () => {
    await tb.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('simulate --log predicts the level of every event the server wrote', async () => {
    const r = await runCli(['audit', 'simulate', '--policy', policyFile, '--k8s-version', '1.35', '--log', tb.auditLog, '-f', 'json']);
    const answer = JSON.parse(r.stdout) as { log: { events: number; agree: number; disagree: number; skipped: number; disagreements: unknown[]; byLevel: Record<string, number> } };
    expect(answer.log.disagreements).toEqual([]);
    expect(r.code).toBe(0);
    expect(answer.log.events).toBeGreaterThan(50);
    expect(answer.log.skipped).toBe(0);
    expect(Object.keys(answer.log.byLevel).sort()).toEqual(['Metadata', 'Request', 'RequestResponse']);
  });

  it('analyze raises the expected alerts; dry runs and the API server apart; no secret in the output', async () => {
    const r = await runCli(['audit', 'analyze', tb.auditLog, '--rules', overrideFile, '-f', 'json', '--fail-on', 'none']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('PLANTED-AUDIT-SECRET');
    const report = JSON.parse(r.stdout) as { findings: { checkId: string; message: string; evidence: string }[]; audit: { rules: { rule: string; requests: number; dryRun: number; apiServer: number }[] } };
    const requests = Object.fromEntries(report.audit.rules.filter((x) => x.requests > 0).map((x) => [x.rule, x.requests]));
    expect(requests).toEqual({
      'Create Disallowed Namespace': 1,
      'K8s Serviceaccount Created': 2,
      'Create Privileged Pod': 1,
      'Attach/Exec Pod': 1,
      'K8s Secret Created': 1,
      'K8s Secret Get Successfully': 1,
      'K8s Secret Get Unsuccessfully Tried': 1,
      'Attach to cluster-admin Role': 1,
      'ClusterRole With Wildcard Created': 1,
      'Anonymous Request Allowed': 1,
    });
    expect(Object.fromEntries(report.audit.rules.filter((x) => x.dryRun > 0).map((x) => [x.rule, x.dryRun]))).toEqual({ 'Create Privileged Pod': 1 });
    // The API server's own bootstrap of system roles is reported apart, never as a real change.
    expect(report.audit.rules.some((x) => x.apiServer > 0)).toBe(true);
    const internal = report.findings.filter((f) => f.checkId === 'audit-falco-alert-internal');
    expect(internal.length).toBe(report.audit.rules.reduce((n, x) => n + x.dryRun + x.apiServer, 0));
    expect(report.findings.filter((f) => f.checkId === 'audit-falco-alert' && f.evidence.includes('system:apiserver'))).toEqual([]);
    const exec = report.findings.find((f) => f.message.startsWith('Attach/Exec Pod'));
    expect(exec?.message).toMatch(/user=testbed-admin pod=priv resource=pods ns=audit-test action=exec command=sh/);
  });

  it('coverage: the cluster policy leaves exec and the body-reading rules covered', async () => {
    const r = await runCli(['audit', 'coverage', '--policy', policyFile, '--k8s-version', '1.35', '-f', 'json', '--fail-on', 'none']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { audit: { rules: { rule: string; status: string }[] } };
    const status = Object.fromEntries(report.audit.rules.map((x) => [x.rule, x.status]));
    expect(status['Attach/Exec Pod']).toBe('covered');
    expect(status['Create Privileged Pod']).toBe('covered');
    expect(status['Attach to cluster-admin Role']).toBe('covered');
  });
});
