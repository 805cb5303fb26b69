import { describe, expect, it } from 'vitest';
import { auditCoverage } from './coverage.js';
import { eventsOf, evaluate, loadFalcoRules, redactedEvent, rfc3339Nanos } from './engine.js';
import { globMatch, PathPrefixSearch } from './match.js';
import { ParseError, parseCondition } from './parser.js';
import { loadAuditPolicy } from '../audit-policy/load.js';
import type { JsonObject } from '../../model/object.js';

const rule = (name: string, condition: string, extra = ''): string => `- rule: ${name}\n  desc: d\n  condition: ${JSON.stringify(condition)}\n  output: ${JSON.stringify(`${name} (user=%ka.user.name)`)}\n  priority: WARNING\n  source: k8s_audit\n${extra}`;
const load = (text: string) => loadFalcoRules([{ name: 'rules.yaml', text }]);
const must = (text: string) => {
  const r = load(text);
  if (!r.ok) throw new Error(`${r.ctx.line}: ${r.error}`);
  return r.ruleset;
};

const POD: JsonObject = {
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'RequestResponse',
  auditID: 'id-1',
  stage: 'ResponseComplete',
  requestURI: '/api/v1/namespaces/default/pods?dryRun=All&x=%zz',
  verb: 'create',
  user: { username: 'alice', groups: ['dev', 'system:authenticated'] },
  objectRef: { resource: 'pods', namespace: 'default', name: 'p', apiVersion: 'v1' },
  responseStatus: { code: 201 },
  requestObject: {
    kind: 'Pod',
    spec: {
      hostNetwork: true,
      containers: [
        { name: 'a', image: 'nginx:1.25', env: [{ name: 'PW', value: 'hunter2' }] },
        { name: 'b', image: 'registry.io:5000/x/y@sha256:abc', securityContext: { privileged: true } },
      ],
      volumes: [{ name: 'h', hostPath: { path: '/var/run/docker.sock' } }, { name: 'e', emptyDir: {} }],
    },
  },
  annotations: { 'authorization.k8s.io/decision': 'allow' },
  stageTimestamp: '2026-01-02T03:04:05.123456Z',
};
const ev = (o: JsonObject = POD) => eventsOf(o, JSON.stringify(o).length).events[0] ?? { obj: o, rawtime: '0' };
const fires = (condition: string, o: JsonObject = POD): boolean => evaluate(must(rule('r', condition)), ev(o)).length > 0;

describe('condition grammar (libsinsp parser)', () => {
  it.each([
    'ka.verb=create',
    'ka.verb = create and not ka.target.subresource exists',
    'not(ka.verb in (get,list)) or (ka.uri startswith /healthz?)',
    "ka.user.name in ('a b', \"c\")",
    'jevt.value[/annotations/authorization.k8s.io~1decision] exists',
    'tolower(ka.user.name) = alice',
    'ka.verb startswith oneof (cr, up)',
    'ka.verb=create and(ka.user.name=alice)',
  ])('parses %s', (c) => {
    expect(() => parseCondition(c)).not.toThrow();
  });
  it.each([
    ['', 'filter input string is empty'],
    ['ka.verb=', 'expected a string value'],
    ['ka.verb = create and', "expected blank or '(' after 'and'"],
    ['ka.verb = create and ', "expected a '(' token, a field check, or an identifier"],
    ['ka.verb = create andx', "expected blank or '(' after 'and'"],
    ['ka.verb in (a', "expected a ')' token"],
    ['ka.verb foo x', 'expected a valid check operator'],
    ["ka.verb = 'a\\\"b'", 'invalid \\" escape'],
  ])('refuses %j', (c, msg) => {
    expect(() => parseCondition(c)).toThrow(ParseError);
    expect(() => parseCondition(c)).toThrow(msg);
  });
});

describe('semantics (libsinsp filterchecks over the k8saudit and json plugins)', () => {
  it.each([
    ['ka.verb=create', true],
    ['ka.verb!=create', false],
    ['ka.target.subresource exists', false],
    ['ka.target.subresource=x', false],
    ['not ka.target.subresource=x', true],
    ['ka.response.code startswith 2', true],
    ['ka.response.code > 199', true],
    ['ka.req.pod.containers.privileged intersects (true)', true],
    ['ka.req.pod.containers.image.repository in (nginx, registry.io)', true],
    ['ka.req.pod.containers.image.repository in (nginx)', false],
    ['ka.req.pod.containers.name in (a, b, c)', true],
    ['ka.req.pod.initContainers.image exists', false],
    ['ka.req.pod.volumes.hostpath intersects (/var/run/docker.sock)', true],
    ['ka.req.pod.volumes.volume_type intersects (emptyDir)', true],
    ['ka.req.pod.host_network intersects (true)', true],
    ['ka.req.container.image=nginx:1.25', true],
    ['ka.req.container.privileged=true', true],
    ['ka.user.groups intersects (dev)', true],
    ['ka.uri pmatch (/api/v1/namespaces)', true],
    ['ka.uri pmatch (/api/v2)', false],
    ['ka.uri glob "/api/*/pods*"', true],
    ['ka.uri icontains NAMESPACES', true],
    ['ka.uri.param[dryRun]=All', false],
    ['jevt.value[/user/username]=alice', true],
    ['jevt.value[/requestObject/spec/containers/1/name]=b', true],
    ['jevt.value[/objectRef/nope] exists', false],
    ['len(ka.req.pod.containers.name) = 2', true],
    ['toupper(ka.user.name) = ALICE', true],
    ['jevt.rawtime exists', true],
    ['jevt.rawtime=0', false],
    ['ka.auth.decision="allow"', true],
  ])('%s → %s', (c, want) => {
    expect(fires(c)).toBe(want);
  });
  it('a malformed query string makes ka.uri.param not extractable (Go url.ParseQuery fails)', () => {
    expect(fires('ka.uri.param[dryRun] exists')).toBe(false);
    expect(fires('ka.uri.param[dryRun]=All', { ...POD, requestURI: '/api?dryRun=All' })).toBe(true);
  });
  it('ka.* fields need an auditID', () => {
    const o = { ...POD };
    delete (o as Record<string, unknown>).auditID;
    expect(fires('ka.verb=create', o)).toBe(false);
    expect(fires('jevt.value[/verb]=create', o)).toBe(true);
  });
  it('glob and pmatch as fnmatch(3) and libsinsp path prefixes', () => {
    expect(globMatch('/a/*', '/a/b/c')).toBe(true);
    expect(globMatch('[!x]y', 'zy')).toBe(true);
    expect(globMatch('a?c', 'abc')).toBe(true);
    expect(globMatch('A*', 'abc', true)).toBe(true);
    expect(globMatch('a\\*', 'a*')).toBe(true);
    const p = new PathPrefixSearch(['/etc', '/var/lib/k*']);
    expect([p.match('/etc/passwd'), p.match('/etcd'), p.match('/var/lib/kubelet/x'), p.match('/var')]).toEqual([true, false, true, false]);
  });
  it('times as Go RFC3339Nano parses them', () => {
    expect(rfc3339Nanos('2026-01-02T03:04:05.123456Z')).toBe('1767323045123456000');
    expect(rfc3339Nanos('2026-01-02T04:04:05+01:00')).toBe('1767323045000000000');
    expect(rfc3339Nanos('yesterday')).toBeUndefined();
  });
});

describe('rules files (Falco rule loader and compiler)', () => {
  const base = `- list: users\n  items: [alice]\n- macro: m\n  condition: ka.user.name in (users)\n${rule('r', 'm and ka.verb=create')}`;
  it('lists are substituted, lists and macros appended, rules overridden and disabled', () => {
    expect(evaluate(must(base), ev()).map((r) => r.name)).toEqual(['r']);
    expect(evaluate(must(`${base}- list: users\n  items: [bob]\n`), ev())).toEqual([]);
    expect(evaluate(must(`${base}- list: users\n  items: [bob]\n  override: {items: append}\n`), ev()).length).toBe(1);
    expect(evaluate(must(`${base}- rule: r\n  condition: and ka.verb=get\n  override: {condition: append}\n`), ev())).toEqual([]);
    expect(evaluate(must(`${base}- rule: r\n  enabled: false\n  override: {enabled: replace}\n`), ev())).toEqual([]);
    expect(evaluate(must(`${base}- rule: r\n  enabled: false\n`), ev())).toEqual([]);
    expect(evaluate(must(`${base}- rule: r\n  exceptions:\n    - name: e\n      fields: [ka.user.name]\n      values: [[alice]]\n  override: {exceptions: append}\n`), ev())).toEqual([]);
  });
  it('first matching rule by default, all on request', () => {
    const rs = must(`${rule('one', 'ka.verb=create')}${rule('two', 'ka.verb=create')}`);
    expect(evaluate(rs, ev()).map((r) => r.name)).toEqual(['one']);
    expect(evaluate(rs, ev(), 'all').map((r) => r.name)).toEqual(['one', 'two']);
  });
  it('renders outputs with <NA>, lists and widths; credentials never', () => {
    const rs = must(`- rule: o\n  desc: d\n  condition: ka.verb=create\n  output: "u=%8ka.user.name n=%ka.target.subresource imgs=%ka.req.pod.containers.image pw=%jevt.value[/requestObject/spec/containers/0/env/0/value]"\n  priority: INFO\n  source: k8s_audit\n`);
    const r = rs.rules[0];
    expect(r?.output.render(redactedEvent(ev()))).toBe('u=alice    n=<NA> imgs=(nginx:1.25,registry.io:5000/x/y@sha256:abc) pw=<redacted>');
    const secret = ev({ ...POD, objectRef: { resource: 'secrets', namespace: 'default', name: 's' }, requestObject: { kind: 'Secret', data: { password: 'aHVudGVyMg==' } } });
    expect(JSON.stringify(redactedEvent(secret).obj)).not.toContain('aHVudGVyMg');
  });
  it.each([
    [rule('r', 'ka.user.name regex "a.*"'), "the 'regex' operator is not supported by kspect"],
    [rule('r', 'ka.req.pod.containers.image contains nginx'), "'contains' operator not supported list filters"],
    [rule('r', 'ka.verb startswith oneof (a, b)'), "the 'startswith oneof' operator modifier is not supported by kspect"],
    [rule('r', 'ka.nope = 1'), 'nonexistent field ka.nope'],
    [rule('r', 'jevt.value = 1'), 'requires an argument but none provided'],
    [rule('r', 'ka.verb[0] = 1'), 'does not allow nor require an argument'],
    [rule('r', 'ka.req.pod.containers.image[01] exists'), 'invalid index argument starting with 0'],
    [rule('r', 'undefined_macro'), "Undefined macro 'undefined_macro' used in filter."],
    [rule('r', 'join(ka.user.groups, ",") = x'), "the 'join' transformer is not supported by kspect"],
    ['- macro: a\n  condition: b\n- macro: b\n  condition: ka.verb=get\n', "Undefined macro 'b' used in filter."],
    ['- macro: a\n  condition: ka.verb=get\n- macro: a\n  condition: a\n', "reference loop in macro 'a'"],
    ['- required_engine_version: 0.99.0\n', 'Rules require engine version 0.99.0, but engine version is 0.63.0'],
    ['- required_plugin_versions:\n  - name: k8saudit\n    version: 0.19.0\n', "Plugin 'k8saudit' version '0.18.0' is not compatible with required plugin version '0.19.0'"],
    ['- list: x\n  items: [a]\n  append: true\n', "List uses 'append' or 'override.items: append' but no list by that name already exists"],
    ['- rule: r\n  desc: d\n  condition: ka.verb=get\n  output: x\n  priority: LOUD\n  source: k8s_audit\n', 'Invalid priority'],
    [rule('r', 'ka.verb=get').replace('output: "r (user=%ka.user.name)"', 'output: "x %ka.nope"'), 'invalid formatting token %ka.nope'],
    ['- rule: [r\n', 'yaml:'],
  ])('refuses %#: %s', (text, msg) => {
    const r = load(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(msg);
  });
  it('skips rules of other sources with a note, and parses their macros', () => {
    const r = must(`- macro: spawned\n  condition: evt.type=execve and proc.name in (sh, bash)\n- rule: s\n  desc: d\n  condition: spawned\n  output: x\n  priority: INFO\n${rule('k', 'ka.verb=create')}`);
    expect(r.rules.map((x) => x.name)).toEqual(['k']);
    expect(r.skippedSources).toEqual({ syscall: 1 });
    expect(r.messages.map((m) => m.message)).toContain('Unknown source syscall, skipping');
  });
  it('guards: the values a condition requires of single-valued fields (and, or, not, macros, lists)', () => {
    const g = (c: string, pre = '') => Object.fromEntries([...(must(`${pre}${rule('r', c)}`).rules[0]?.guards ?? [])].map(([k, v]) => [k.replace('\u0000', '|'), [...v].sort()]));
    expect(g('ka.verb=create and ka.target.resource in (pods, secrets)')).toEqual({ 'ka.verb|': ['create'], 'ka.target.resource|': ['pods', 'secrets'] });
    expect(g('not ka.verb=create')).toEqual({});
    expect(g('not (ka.verb=create and ka.user.name=bob)')).toEqual({});
    expect(g('ka.verb=create or ka.user.name=bob')).toEqual({});
    expect(g('ka.verb=create or (ka.verb in (get, delete) and ka.user.name=bob)')).toEqual({ 'ka.verb|': ['create', 'delete', 'get'] });
    expect(g('ka.verb in (create, get) and ka.verb intersects (get, list)')).toEqual({ 'ka.verb|': ['get'] });
    expect(g('ka.verb=create and ka.verb=get')).toEqual({ 'ka.verb|': [] });
    expect(g('m and jevt.value[/stage]=ResponseComplete', '- list: vs\n  items: [update, patch]\n- macro: m\n  condition: ka.verb in (vs)\n')).toEqual({ 'ka.verb|': ['patch', 'update'], 'jevt.value|/stage': ['ResponseComplete'] });
    expect(g('ka.verb startswith c and tolower(ka.user.name)=bob and ka.req.pod.containers.image in (x) and ka.verb != get and ka.user.name exists')).toEqual({});
    // A rule no event can satisfy is never tried; one with a missing field is tried only where nothing is required.
    const rs = must(`${rule('never', 'ka.verb=create and ka.verb=get')}${rule('c', 'ka.verb=create and ka.user.name exists')}${rule('any', 'ka.user.name=alice or ka.verb=create')}`);
    expect(evaluate(rs, ev(), 'all').map((r) => r.name)).toEqual(['c', 'any']);
    expect(evaluate(rs, ev({ ...POD, verb: undefined }), 'all').map((r) => r.name)).toEqual(['any']);
  });
  it('memoises macros and fields per event and per ruleset: one event judged by two rulesets gets each one its own answer', () => {
    const a = must(`- macro: m\n  condition: ka.verb=create\n${rule('ra', 'm and ka.user.name=alice')}${rule('rb', 'not m and ka.target.resource=pods')}`);
    const b = must(`- macro: m\n  condition: ka.verb=delete\n${rule('rc', 'm or ka.user.name=bob')}${rule('rd', 'not m and ka.user.name exists')}`);
    const e = ev();
    for (let i = 0; i < 2; i++) {
      expect(evaluate(a, e, 'all').map((r) => r.name)).toEqual(['ra']);
      expect(evaluate(b, e, 'all').map((r) => r.name)).toEqual(['rd']);
    }
    const other = ev({ ...POD, verb: 'delete', user: { username: 'bob' } });
    expect(evaluate(a, other, 'all').map((r) => r.name)).toEqual(['rb']);
    expect(evaluate(b, other, 'all').map((r) => r.name)).toEqual(['rc']);
  });
});

describe('events as the k8saudit plugin takes them', () => {
  it('Event, EventList items, arrays; anything else is not an audit event; oversized events dropped', () => {
    expect(eventsOf(POD, 100).events).toHaveLength(1);
    expect(eventsOf({ kind: 'EventList', items: [POD, POD] }, 100).events).toHaveLength(2);
    expect(eventsOf([POD, { kind: 'EventList', items: [POD] }], 100).events).toHaveLength(2);
    expect(eventsOf({ kind: 0 }, 10).rejected).toEqual(['not-an-audit-event']);
    expect(eventsOf({ kind: 'Event' }, 10).rejected).toEqual(['no-stage-timestamp']);
    expect(eventsOf(POD, 300_000).rejected).toEqual(['too-large']);
  });
});

describe('coverage of Falco rules under a policy', () => {
  const policy = (rules: string) => {
    const l = loadAuditPolicy(`apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n${rules}`);
    if (!l.policy) throw new Error('policy');
    return l.policy;
  };
  const rules = must(`- macro: kevt\n  condition: jevt.value[/stage] in (ResponseComplete)\n${rule('priv', 'kevt and ka.target.resource=pods and ka.verb=create and ka.req.pod.containers.privileged intersects (true)')}${rule('exec', 'jevt.value[/stage]=ResponseStarted and ka.target.subresource in (exec)')}${rule('anon', 'kevt and ka.user.name=system:anonymous')}`).rules;
  const status = (p: string) => Object.fromEntries(auditCoverage(policy(p), rules).map((c) => [c.rule, c.status]));
  it('a rule reading the body is blind at Metadata; exec needs ResponseStarted', () => {
    expect(status('  - level: Metadata\n')).toEqual({ priv: 'blind', exec: 'covered', anon: 'covered' });
    expect(status('  - level: Request\n    omitStages: [ResponseStarted]\n')).toEqual({ priv: 'covered', exec: 'blind', anon: 'covered' });
    expect(status('  - level: None\n    users: [system:anonymous]\n  - level: Request\n')).toEqual({ priv: 'partial', exec: 'partial', anon: 'blind' });
  });
});
