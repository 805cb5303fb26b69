import { describe, expect, it } from 'vitest';
import { lintAuditPolicy } from './lint.js';
import { loadAuditPolicy } from './load.js';
import { checkEvent, requestOfEvent, requestOfPath, simulateRequest } from './simulate.js';

const HEAD = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\n';
const load = (rules: string, head = HEAD) => {
  const l = loadAuditPolicy(`${head}rules:\n${rules}`, { minor: 36 });
  if (!l.policy) throw new Error(JSON.stringify(l.problems));
  return l.policy;
};
const codes = (rules: string, head = HEAD): string[] => lintAuditPolicy(load(rules, head)).map((i) => `${i.code}${i.rule !== undefined ? `@${i.rule}` : ''}`);

/** A policy with none of the issues: kube-proxy/node/health noise off, sensitive bodies at Metadata, writes at Request. */
const SOUND = `
  - level: None
    users: ["system:kube-proxy"]
    verbs: [watch]
    resources: [{group: "", resources: [endpoints, services]}, {group: discovery.k8s.io, resources: [endpointslices]}]
  - level: None
    userGroups: ["system:nodes"]
    verbs: [get]
    resources: [{group: "", resources: [nodes, nodes/status]}]
  - level: None
    users: ["system:kube-controller-manager"]
    resources: [{group: coordination.k8s.io, resources: [leases]}]
  - level: None
    nonResourceURLs: ["/healthz*", "/readyz*", "/livez*", "/version"]
  - level: Metadata
    resources: [{group: "", resources: [events]}, {group: events.k8s.io, resources: [events]}]
  - level: Metadata
    resources: [{group: "", resources: [secrets, configmaps, serviceaccounts/token]}, {group: authentication.k8s.io, resources: [tokenreviews]}]
  - level: Request
    resources: [{group: rbac.authorization.k8s.io}, {group: "", resources: [pods]}]
  - level: Metadata
`;

describe('lintAuditPolicy', () => {
  it('a sound policy has no issue', () => {
    expect(codes(SOUND)).toEqual([]);
  });
  it.each([
    ['catch-all at RequestResponse logs credentials', '  - level: RequestResponse\n', ['sensitive-body'], 'noise'],
    ['secrets for one user', `  - level: Request\n    users: [bob]\n    resources: [{group: "", resources: [secrets]}]\n${SOUND}`, ['sensitive-body@0'], undefined],
    ['shadowed by an earlier rule', `  - level: Metadata\n    resources: [{group: ""}]\n  - level: Request\n    resources: [{group: "", resources: [pods]}]\n${SOUND}`, ['critical-no-body@0', 'noise@0', 'rule-shadowed@1', 'rule-shadowed@3'], undefined],
    ['no catch-all', SOUND.replace(/\n {2}- level: Metadata\n$/, '\n'), ['critical-unlogged', 'no-catch-all'], undefined],
    ['exec not logged', `  - level: None\n    resources: [{group: "", resources: [pods/exec]}]\n${SOUND}`, ['critical-unlogged@0'], undefined],
    ['wrong group and never-matching patterns', `  - level: Request\n    verbs: [escalate]\n    resources: [{group: "", resources: [deployments, "pods*", Pods, "pods/exec/x", "*/scale"]}, {group: extensions}, {group: core}]\n${SOUND}`, ['pattern-never-matches@0', 'wrong-group@0'], undefined],
  ])('%s', (_n, rules, expected, ignore) => {
    const got = [...new Set(codes(rules).filter((c) => ignore === undefined || !c.startsWith(ignore)).map((c) => (expected.some((e) => e.includes('@')) ? c : c.replace(/@\d+$/, ''))))].sort();
    expect(got).toEqual([...expected].sort());
  });
  it('RequestReceived kept', () => {
    expect(codes(SOUND, 'apiVersion: audit.k8s.io/v1\nkind: Policy\n')).toEqual(['request-received@4']);
  });
  it('names the patterns that never match', () => {
    const issues = lintAuditPolicy(load(`  - level: Request\n    resources: [{group: "", resources: [deployments, "pods*", "*/scale", "*/frobnicate"]}]\n${SOUND}`));
    expect(issues.filter((i) => i.rule === 0).map((i) => `${i.code} ${i.path}`)).toEqual([
      'pattern-never-matches rules[0].resources[0].resources[1]',
      'pattern-never-matches rules[0].resources[0].resources[3]',
      'wrong-group rules[0].resources[0].resources[0]',
    ]);
  });
});

describe('simulateRequest', () => {
  const p = load(`  - level: None
    users: ["system:kube-proxy"]
    verbs: [watch]
  - level: RequestResponse
    omitStages: [ResponseStarted]
    omitManagedFields: true
    resources: [{group: apps, resources: ["deployments/*"]}]
  - level: Request
    resources: [{group: "", resources: ["pods/*"]}]
  - level: Metadata
`);
  it.each([
    ['kube-proxy watch', { user: 'system:kube-proxy', verb: 'watch', resource: { group: '', resource: 'services' } }, 'None', 0],
    ['deployments/* matches the deployment itself', { user: 'a', verb: 'update', resource: { group: 'apps', resource: 'deployments', namespace: 'x', name: 'd' } }, 'RequestResponse', 1],
    ['pods/* matches pods', { user: 'a', verb: 'create', resource: { group: '', resource: 'pods', namespace: 'x' } }, 'Request', 2],
    ['pods/exec', { user: 'a', verb: 'create', resource: { group: '', resource: 'pods', subresource: 'exec', namespace: 'x', name: 'p' } }, 'Request', 2],
    ['anything else', { verb: 'get', path: '/version' }, 'Metadata', 3],
  ])('%s', (_n, req, level, rule) => {
    const s = simulateRequest(p, req);
    expect(s.level).toBe(level);
    expect(s.rule).toBe(rule);
  });
  it('merges omitStages and says what is recorded', () => {
    const s = simulateRequest(p, { user: 'a', verb: 'update', resource: { group: 'apps', resource: 'deployments', namespace: 'x', name: 'd' } });
    expect(s.omitStages).toEqual(['RequestReceived', 'ResponseStarted']);
    expect(s.stages.filter((x) => x.logged).map((x) => x.stage)).toEqual(['ResponseComplete', 'Panic']);
    expect([s.requestObject, s.responseObject, s.omitManagedFields]).toEqual(['recorded', 'recorded', true]);
    const exec = simulateRequest(p, { user: 'a', verb: 'create', resource: { group: '', resource: 'pods', subresource: 'exec', namespace: 'x', name: 'p' } });
    expect(exec.longRunning).toBe(true);
    expect(exec.stages.map((x) => `${x.stage}:${x.logged}`)).toEqual(['RequestReceived:false', 'ResponseStarted:true', 'ResponseComplete:true', 'Panic:true']);
    expect(exec.requestObject).toBe('no-body');
  });
  it('reads request attributes back from an event', () => {
    expect(requestOfEvent({ verb: 'create', user: { username: 'u', groups: ['g'] }, objectRef: { resource: 'pods', namespace: 'n', name: 'filled-from-body' } })).toEqual({ user: 'u', groups: ['g'], verb: 'create', resource: { group: '', resource: 'pods', namespace: 'n', name: '' } });
    expect(requestOfEvent({ verb: 'get', user: {}, requestURI: '/healthz?verbose=1' })).toEqual({ groups: [], verb: 'get', path: '/healthz' });
    expect(checkEvent(p, { verb: 'get', user: { username: 'a' }, requestURI: '/version', level: 'Request', stage: 'ResponseComplete' })?.disagreements).toEqual(['predicted level Metadata (rule 3), the server wrote Request']);
  });
  it('parses request paths like RequestInfo', () => {
    expect(requestOfPath('/api/v1/namespaces/default/pods/p/exec?command=sh', 'create', { user: 'a' })).toEqual({ user: 'a', groups: [], verb: 'create', resource: { group: '', resource: 'pods', subresource: 'exec', namespace: 'default', name: 'p' } });
    expect(requestOfPath('/apis/apps/v1/deployments', 'list', {})).toEqual({ groups: [], verb: 'list', resource: { group: 'apps', resource: 'deployments', namespace: '', name: '' } });
    expect(requestOfPath('/api/v1/namespaces/kube-system', 'get', {})).toEqual({ groups: [], verb: 'get', resource: { group: '', resource: 'namespaces', namespace: 'kube-system', name: 'kube-system' } });
    expect(requestOfPath('/healthz', 'get', {})).toEqual({ groups: [], verb: 'get', path: '/healthz' });
  });
});
