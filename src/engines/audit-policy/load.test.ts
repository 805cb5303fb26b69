import { describe, expect, it } from 'vitest';
import { plainScalarIsNotString } from './decode.js';
import { loadAuditPolicy } from './load.js';
import { minorOf } from './versions.js';

const HEAD = 'apiVersion: audit.k8s.io/v1\nkind: Policy\n';

describe('go-yaml v2 scalar resolution', () => {
  it.each([
    ['yes', true], ['Y', true], ['on', true], ['OFF', true], ['true', true], ['~', true], ['null', true], ['', true],
    ['0x1F', true], ['0o17', true], ['017', true], ['0b101', true], ['-0b101', true], ['1_000', true], ['+5', true], ['1e3', true], ['.5', true], ['.inf', true], ['-.Inf', true], ['08', true],
    ['1.5.3', false], ['2024-01-01', false], ['0x', false], ['Yes please', false], ['None', false], ['Metadata', false], ['.hidden', false], ['-', false], ['+', false], ['1:20', false],
  ])('%s is not a string: %s', (s, notString) => {
    expect(plainScalarIsNotString(s)).toBe(notString);
  });
});

describe('minorOf', () => {
  it.each([['1.34', 34], ['v1.35', 35], ['1.36.2', 36], ['2.0', undefined], ['1.x', undefined], [undefined, undefined]])('%s', (v, m) => {
    expect(minorOf(v)).toBe(m);
  });
});

describe('loadAuditPolicy (kube-apiserver reader and validation)', () => {
  const codes = (text: string, minor = 35): string[] => loadAuditPolicy(text, { minor }).problems.map((p) => `${p.severity}:${p.code}:${p.path}`);
  it.each<[string, string, boolean, string[], number?]>([
    ['minimal', `${HEAD}rules: [{level: Metadata}]`, true, []],
    ['kind defaults to Policy', 'apiVersion: audit.k8s.io/v1\nrules: [{level: Metadata}]', true, []],
    ['no apiVersion', 'kind: Policy\nrules: [{level: Metadata}]', false, ['error:missing-type:apiVersion']],
    ['v1beta1 on 1.35', 'apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules: [{level: Metadata}]', false, ['error:wrong-type-meta:apiVersion']],
    ['v1beta1 on 1.23', 'apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules: [{level: Metadata}]', true, [], 23],
    ['zero rules', `${HEAD}rules: []`, false, ['error:no-rules:rules']],
    ['unknown field is ignored', `${HEAD}omitStage: [RequestReceived]\nrules: [{level: Metadata}]`, true, ['warning:unknown-field:omitStage']],
    ['omitManagedFields before 1.23 is unknown', `${HEAD}omitManagedFields: true\nrules: [{level: Metadata}]`, true, ['warning:unknown-field:omitManagedFields'], 22],
    ['repeated key keeps the last value', `${HEAD}rules:\n  - level: Everything\n    level: Metadata\n`, true, ['warning:duplicate-key:']],
    ['wrong JSON type', `${HEAD}rules:\n  - level: Metadata\n    users: bob\n`, false, ['error:wrong-json-type:rules[0].users']],
    ['group "*" before 1.36', `${HEAD}rules: [{level: Metadata, resources: [{group: "*"}]}]`, false, ['error:invalid:rules[0].resources.group']],
    ['group "*" from 1.36', `${HEAD}rules: [{level: Metadata, resources: [{group: "*"}]}]`, true, [], 36],
    ['every validation error is listed', `${HEAD}omitStages: [X]\nrules:\n  - level: All\n    nonResourceURLs: [healthz, "/a*b"]\n    namespaces: [a]\n    omitStages: [Later]\n  - level: None\n    resources: [{group: Bad_Group, resourceNames: [x]}]\n`, false, [
      'error:invalid:omitStages[0]',
      'error:invalid:rules[0].level',
      'error:invalid:rules[0].nonResourceURLs[0]',
      'error:invalid:rules[0].nonResourceURLs[1]',
      'error:invalid:rules[0].omitStages[0]',
      'error:invalid:rules[0].nonResourceURLs',
      'error:invalid:rules[1].resources.group',
      'error:invalid:rules[1].resources.resourceNames',
    ]],
  ])('%s', (_name, text, loads, expected, minor = 35) => {
    expect(loadAuditPolicy(text, { minor }).loads).toBe(loads);
    expect(codes(text, minor)).toEqual(expected);
  });

  it('names the rule and its line', () => {
    const text = `${HEAD}rules:\n  - level: Metadata\n    users: [a]\n  - level: Sometimes\n`;
    const l = loadAuditPolicy(text, { minor: 35 });
    expect(l.problems).toEqual([expect.objectContaining({ rule: 1, line: 6, path: 'rules[1].level' })]);
  });

  it('keeps the lines of rules and the evaluated policy', () => {
    const l = loadAuditPolicy(`${HEAD}omitStages: [RequestReceived]\nrules:\n  - level: None\n    users: [system:kube-proxy]\n  - level: Metadata\n    omitManagedFields: true\n`, { minor: 35 });
    expect(l.ruleLines).toEqual([5, 7]);
    expect(l.policy?.rules.map((r) => [r.level, r.users, r.omitManagedFields])).toEqual([['None', ['system:kube-proxy'], undefined], ['Metadata', [], true]]);
    expect(l.policy?.omitStages).toEqual(['RequestReceived']);
  });

  it('refuses input that is not YAML, with a line', () => {
    const l = loadAuditPolicy(`${HEAD}rules:\n  - level: Metadata\n   users: [a\n`);
    expect(l.loads).toBe(false);
    expect(l.problems[0]).toMatchObject({ code: 'not-yaml' });
    expect(l.problems[0]?.line).toBeGreaterThan(0);
  });

  it('is bounded on hostile input', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    expect(loadAuditPolicy(deep).loads).toBe(false);
    const wide = `${HEAD}rules:\n${'  - level: Metadata\n    users: [a, b, c]\n'.repeat(2000)}`;
    expect(loadAuditPolicy(wide).policy?.rules.length).toBe(2000);
  });
});
