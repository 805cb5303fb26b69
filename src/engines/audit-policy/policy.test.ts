import { describe, expect, it } from 'vitest';
import { auditPolicyIssues, levelFor, parseAuditPolicy, type AuditRequest } from './policy.js';

const policy = (rules: unknown[], extra: Record<string, unknown> = {}): unknown => ({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules, ...extra });
const P = parseAuditPolicy(
  policy(
    [
      { level: 'None', users: ['system:kube-proxy'], verbs: ['watch'], resources: [{ group: '', resources: ['endpoints', 'services'] }] },
      { level: 'None', userGroups: ['system:nodes'], verbs: ['get'], resources: [{ group: '', resources: ['nodes'] }] },
      { level: 'None', nonResourceURLs: ['/healthz*', '/version'] },
      { level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps'] }] },
      { level: 'Request', resources: [{ group: '', resources: ['pods/log', '*/status'] }] },
      { level: 'RequestResponse', namespaces: ['kube-system'], resources: [{ group: 'apps', resources: ['deployments/*'] }] },
      { level: 'Request', resources: [{ group: '', resources: ['configmaps'], resourceNames: ['cluster-info'] }] },
      { level: 'Metadata', omitStages: ['RequestReceived'] },
    ],
    { omitStages: ['ResponseStarted'] },
  ),
).policy;

describe('levelFor (the API server policy checker)', () => {
  const cases: [string, AuditRequest, string, number | undefined][] = [
    ['kube-proxy watch endpoints', { user: 'system:kube-proxy', verb: 'watch', resource: { group: '', resource: 'endpoints', namespace: 'default' } }, 'None', 0],
    ['kube-proxy list endpoints', { user: 'system:kube-proxy', verb: 'list', resource: { group: '', resource: 'endpoints', namespace: 'default' } }, 'Metadata', 7],
    ['node get nodes', { user: 'system:node:a', groups: ['system:nodes'], verb: 'get', resource: { group: '', resource: 'nodes' } }, 'None', 1],
    ['healthz subpath', { user: 'x', verb: 'get', path: '/healthz/etcd' }, 'None', 2],
    ['version exact', { user: 'x', verb: 'get', path: '/version' }, 'None', 2],
    ['versions not matched', { user: 'x', verb: 'get', path: '/versions' }, 'Metadata', 7],
    ['secrets', { user: 'x', verb: 'get', resource: { group: '', resource: 'secrets', namespace: 'a' } }, 'Metadata', 3],
    ['pods/log', { user: 'x', verb: 'get', resource: { group: '', resource: 'pods', subresource: 'log', namespace: 'a' } }, 'Request', 4],
    ['*/status', { user: 'x', verb: 'update', resource: { group: '', resource: 'services', subresource: 'status', namespace: 'a' } }, 'Request', 4],
    ['pods (no subresource) not matched by pods/log', { user: 'x', verb: 'get', resource: { group: '', resource: 'pods', namespace: 'a' } }, 'Metadata', 7],
    ['deployments/* in kube-system', { user: 'x', verb: 'update', resource: { group: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'kube-system' } }, 'RequestResponse', 5],
    ['deployments/* matches the resource itself', { user: 'x', verb: 'update', resource: { group: 'apps', resource: 'deployments', namespace: 'kube-system' } }, 'RequestResponse', 5],
    ['deployments elsewhere', { user: 'x', verb: 'update', resource: { group: 'apps', resource: 'deployments', namespace: 'prod' } }, 'Metadata', 7],
    ['configmaps (secrets rule first)', { user: 'x', verb: 'get', resource: { group: '', resource: 'configmaps', name: 'cluster-info', namespace: 'kube-public' } }, 'Metadata', 3],
  ];
  it.each(cases)('%s', (_n, req, level, rule) => {
    if (!P) throw new Error('no policy');
    const d = levelFor(P, req);
    expect(d.level).toBe(level);
    expect(d.ruleIndex).toBe(rule);
  });

  it('unions policy and rule omitStages; no match means None with the policy stages', () => {
    if (!P) throw new Error('no policy');
    expect([...levelFor(P, { user: 'x', verb: 'get', path: '/metrics' }).omitStages].sort()).toEqual(['RequestReceived', 'ResponseStarted']);
    const empty = parseAuditPolicy(policy([{ level: 'Metadata', users: ['a'] }], { omitStages: ['Panic'] })).policy;
    if (!empty) throw new Error('no policy');
    expect(levelFor(empty, { user: 'b', verb: 'get', path: '/x' })).toEqual({ level: 'None', omitStages: ['Panic'] });
  });
});

describe('auditPolicyIssues', () => {
  const codes = (doc: unknown): string[] => auditPolicyIssues(parseAuditPolicy(doc)).map((i) => i.code).sort();
  it.each([
    ['sound policy', policy([{ level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps'] }, { group: 'authentication.k8s.io', resources: ['tokenreviews'] }] }, { level: 'RequestResponse' }], { omitStages: ['RequestReceived'] }), []],
    ['secrets at RequestResponse via catch-all', policy([{ level: 'RequestResponse' }], { omitStages: ['RequestReceived'] }), ['sensitive-body-logged', 'sensitive-body-logged', 'sensitive-body-logged']],
    ['secrets logged for one user only', policy([{ level: 'Request', users: ['bob'], resources: [{ group: '', resources: ['secrets'] }] }, { level: 'Metadata' }], { omitStages: ['RequestReceived'] }), ['sensitive-body-logged']],
    ['shadowed by an earlier Metadata rule', policy([{ level: 'Metadata', resources: [{ group: '' }] }, { level: 'Request', resources: [{ group: '', resources: ['secrets'] }] }, { level: 'Metadata' }], { omitStages: ['RequestReceived'] }), []],
    ['no catch-all', policy([{ level: 'Metadata', resources: [{ group: '', resources: ['pods'] }] }], { omitStages: ['RequestReceived'] }), ['no-catch-all']],
    ['RequestReceived kept', policy([{ level: 'Metadata' }]), ['request-received-logged']],
    ['invalid level and stage', policy([{ level: 'Everything' }, { level: 'Metadata', omitStages: ['Start'] }], { omitStages: ['RequestReceived'] }), ['invalid', 'invalid']],
    ['no rules', policy([]), ['empty']],
  ])('%s', (_n, doc, expected) => {
    expect(codes(doc)).toEqual(expected);
  });
});
