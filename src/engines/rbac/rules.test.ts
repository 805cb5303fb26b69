/** Rule matching helpers, kubectl resource notation, subjects, and "covers" (escalation prevention). */
import { describe, expect, it } from 'vitest';
import { compileRule, parseResourceArg, resourceDisplay, ruleCovers, uncoveredRules, type PolicyRule } from './rules.js';
import { impersonatedUser, parseSubject, isSystemSubject } from './subjects.js';
import { streamVerbs } from './dangers.js';
import { requestOf } from './requests.js';

const R = (verbs: string[], apiGroups: string[], resources: string[], resourceNames: string[] = [], nonResourceURLs: string[] = []): PolicyRule => ({ verbs, apiGroups, resources, resourceNames, nonResourceURLs });
const U = (verbs: string[], urls: string[]): PolicyRule => R(verbs, [], [], [], urls);

describe('kubectl resource notation', () => {
  it.each([
    ['pods', { kind: 'resource', resource: 'pods', apiGroup: '' }],
    ['pods/exec', { kind: 'resource', resource: 'pods', apiGroup: '', subresource: 'exec' }],
    ['deployments.apps', { kind: 'resource', resource: 'deployments', apiGroup: 'apps' }],
    ['deployments.apps/scale', { kind: 'resource', resource: 'deployments', apiGroup: 'apps', subresource: 'scale' }],
    ['clusterroles.rbac.authorization.k8s.io', { kind: 'resource', resource: 'clusterroles', apiGroup: 'rbac.authorization.k8s.io' }],
    ['/healthz', { kind: 'nonResource', path: '/healthz' }],
  ])('%s', (arg, expected) => { expect(parseResourceArg(arg)).toEqual(expected); });
  it('displays resources as kubectl does', () => {
    expect(resourceDisplay('pods/exec', '')).toBe('pods/exec');
    expect(resourceDisplay('deployments/scale', 'apps')).toBe('deployments.apps/scale');
  });
  it('cluster-scoped resources carry no namespace; namespaces carry their own name', () => {
    expect(requestOf({ verb: 'get', resource: 'nodes', namespace: 'x' })).toEqual({ kind: 'resource', verb: 'get', apiGroup: '', resource: 'nodes' });
    expect(requestOf({ verb: 'get', resource: 'namespaces', name: 'team' })).toMatchObject({ namespace: 'team', name: 'team' });
    expect(requestOf({ verb: 'get', resource: 'widgets.example.com', namespace: 'x' }, new Map([['widgets.example.com', true]]))).not.toHaveProperty('namespace');
  });
});

describe('subjects as kubectl names them', () => {
  it('adds the implicit groups as the impersonation filter does', () => {
    expect(impersonatedUser('alice').groups).toEqual(['system:authenticated']);
    expect(impersonatedUser('alice', ['dev']).groups).toEqual(['dev', 'system:authenticated']);
    expect(impersonatedUser('alice', ['system:unauthenticated']).groups).toEqual(['system:unauthenticated']);
    expect(impersonatedUser('system:anonymous').groups).toEqual(['system:unauthenticated']);
    expect(impersonatedUser('system:serviceaccount:ns:app').groups).toEqual(['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated']);
    expect(impersonatedUser('system:serviceaccount:ns:app', ['x']).groups).toEqual(['x', 'system:authenticated']);
  });
  it('parses subjects', () => {
    expect(parseSubject('system:serviceaccount:ns:app')).toEqual({ kind: 'ServiceAccount', namespace: 'ns', name: 'app' });
    expect(parseSubject('group:devs')).toEqual({ kind: 'Group', name: 'devs' });
    expect(parseSubject('ServiceAccount:ns/app')).toEqual({ kind: 'ServiceAccount', namespace: 'ns', name: 'app' });
    expect(parseSubject('alice')).toEqual({ kind: 'User', name: 'alice' });
    // Not a valid service-account user name: a plain user, as the API server reads it.
    expect(parseSubject('system:serviceaccount:broken')).toEqual({ kind: 'User', name: 'system:serviceaccount:broken' });
    expect(parseSubject('')).toBeUndefined();
  });
  it('tells Kubernetes components from catch-all groups', () => {
    expect(isSystemSubject({ kind: 'Group', name: 'system:masters' })).toBe(true);
    expect(isSystemSubject({ kind: 'User', name: 'system:kube-scheduler' })).toBe(true);
    expect(isSystemSubject({ kind: 'Group', name: 'system:authenticated' })).toBe(false);
    expect(isSystemSubject({ kind: 'Group', name: 'system:serviceaccounts:prod' })).toBe(false);
    expect(isSystemSubject({ kind: 'ServiceAccount', name: 'x', namespace: 'kube-system' })).toBe(false);
  });
});

describe('exec verbs by Kubernetes version', () => {
  it.each([
    [undefined, ['create']],
    ['1.35', ['create']],
    ['1.36', ['create']],
    ['1.34', ['create', 'get']],
    ['v1.30', ['create', 'get']],
  ])('%s → %j', (v, verbs) => { expect(streamVerbs(v)).toEqual(verbs); });
});

describe('covers', () => {
  it.each([
    ['same rule', R(['get'], [''], ['pods']), R(['get'], [''], ['pods']), true],
    ['verb *', R(['*'], [''], ['pods']), R(['delete'], [''], ['pods']), true],
    ['group *', R(['get'], ['*'], ['pods']), R(['get'], ['apps'], ['pods']), true],
    ['resource *', R(['get'], [''], ['*']), R(['get'], [''], ['pods/log']), true],
    ['*/sub', R(['get'], [''], ['*/status']), R(['get'], [''], ['pods/status']), true],
    ['*/sub not base', R(['get'], [''], ['*/status']), R(['get'], [''], ['pods']), false],
    ['pods not pods/log', R(['get'], [''], ['pods']), R(['get'], [''], ['pods/log']), false],
    ['owner names cover the same name', R(['get'], [''], ['secrets'], ['a', 'b']), R(['get'], [''], ['secrets'], ['a']), true],
    ['owner names do not cover all names', R(['get'], [''], ['secrets'], ['a']), R(['get'], [''], ['secrets']), false],
    ['owner without names covers names', R(['get'], [''], ['secrets']), R(['get'], [''], ['secrets'], ['a']), true],
    ['other verb', R(['get'], [''], ['pods']), R(['list'], [''], ['pods']), false],
    ['other group', R(['get'], ['apps'], ['deployments']), R(['get'], ['extensions'], ['deployments']), false],
    ['url exact', U(['get'], ['/healthz']), U(['get'], ['/healthz']), true],
    ['url prefix', U(['get'], ['/logs/*']), U(['get'], ['/logs/a']), true],
    ['url *', U(['get'], ['*']), U(['get'], ['/anything']), true],
    ['url other', U(['get'], ['/healthz']), U(['get'], ['/livez']), false],
    ['resource rule does not cover urls', R(['*'], ['*'], ['*']), U(['get'], ['/healthz']), false],
  ])('%s', (_label, owner, servant, expected) => { expect(ruleCovers(owner, servant)).toBe(expected); });
  it('breaks rules down and lists what is not covered', () => {
    const missing = uncoveredRules([R(['get', 'list'], [''], ['pods'])], [R(['get', 'delete'], ['', 'apps'], ['pods'])]);
    expect(missing).toEqual([R(['delete'], [''], ['pods']), R(['get'], ['apps'], ['pods']), R(['delete'], ['apps'], ['pods'])]);
  });
  it('compiles URL prefixes', () => {
    expect(compileRule(U(['get'], ['/a/*', '/b']), 0).urlPrefixes).toEqual(['/a/']);
  });
});
