/** Table-driven tests of the Pod Security engine on tiny inputs: versions, labels, decoding, defaulting, paths. */
import { describe, expect, it } from 'vitest';
import { buildInventory } from '../../model/inventory.js';
import { toK8sObject, type K8sObject } from '../../model/object.js';
import {
  buildPssEngine,
  checksInForce,
  defaultPolicyOf,
  evaluateObject,
  evaluatePod,
  formatViolations,
  LATEST,
  parsePssVersion,
  policyFromLabels,
  PSS_NEWEST_MINOR,
  resolveMinor,
  serverMinorOf,
  type PssPolicy,
} from './index.js';

const v = (minor: number): PssPolicy['version'] => ({ latest: false, minor });

/** A pod that passes restricted at every version; `patch` edits its spec. */
function restrictedSpec(patch: Record<string, unknown> = {}, container: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{ name: 'app', image: 'x', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }, ...container }],
    ...patch,
  };
}

function pod(spec: unknown, metadata: Record<string, unknown> = { name: 'p' }, kind = 'Pod'): K8sObject {
  const raw = kind === 'Pod' ? { apiVersion: 'v1', kind, metadata, spec } : { apiVersion: 'apps/v1', kind, metadata: { name: 'w' }, spec: { template: { metadata, spec } } };
  const obj = toK8sObject(raw, undefined);
  if (!obj) throw new Error('not an object');
  return obj;
}

function checks(obj: K8sObject, policy: PssPolicy): string[] {
  const r = evaluateObject(obj, policy);
  if (!r) throw new Error('no pod spec');
  return r.violations.map((x) => x.check);
}

describe('policy versions and labels', () => {
  it.each([
    ['latest', LATEST],
    ['v1.0', v(0)],
    ['v1.27', v(27)],
    ['v1.99', v(99)],
    ['v1.07', undefined],
    ['v2.0', undefined],
    ['1.27', undefined],
    ['v1.', undefined],
    ['Latest', undefined],
  ])('parses %s', (text, expected) => {
    expect(parsePssVersion(text)).toEqual(expected);
  });

  it.each([
    [LATEST, undefined, PSS_NEWEST_MINOR],
    [v(12), undefined, 12],
    [v(99), undefined, PSS_NEWEST_MINOR],
    [LATEST, 30, 30],
    [v(33), 30, 30],
    [v(20), 30, 20],
    [LATEST, 99, PSS_NEWEST_MINOR],
  ])('resolves %j with API server minor %s to v1.%i', (version, serverMinor, minor) => {
    expect(resolveMinor(version, serverMinor !== undefined ? { serverMinor } : {})).toBe(minor);
  });

  it('knows policy versions up to v1.37', () => {
    expect(PSS_NEWEST_MINOR).toBe(37);
  });

  const defaults: PssPolicy = { level: 'baseline', version: v(30) };
  it.each([
    [{}, 'baseline', 'v1.30', 'default', 0],
    [{ 'pod-security.kubernetes.io/enforce': 'privileged' }, 'privileged', 'v1.30', 'namespace-labels', 0],
    [{ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.24' }, 'restricted', 'v1.24', 'namespace-labels', 0],
    [{ 'pod-security.kubernetes.io/enforce-version': 'latest' }, 'baseline', 'latest', 'namespace-labels', 0],
    // Invalid values: the admission controller fails closed to restricted / latest.
    [{ 'pod-security.kubernetes.io/enforce': 'Privileged' }, 'restricted', 'v1.30', 'namespace-labels', 1],
    [{ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.2x' }, 'baseline', 'latest', 'namespace-labels', 1],
    // warn/audit labels do not change what is enforced.
    [{ 'pod-security.kubernetes.io/warn': 'restricted' }, 'baseline', 'v1.30', 'default', 0],
  ])('labels %j enforce %s:%s (%s)', (labels, level, version, source, errors) => {
    const p = policyFromLabels(labels, defaults);
    expect(p.policy.level).toBe(level);
    expect(p.policy.version.latest ? 'latest' : `v1.${p.policy.version.minor}`).toBe(version);
    expect(p.source).toBe(source);
    expect(p.labelErrors).toHaveLength(errors);
  });
});

describe('checks in force', () => {
  it('restricted replaces baseline checks by their stricter versions, from the versions admission does', () => {
    expect(checksInForce('restricted', v(18)).checks).toContain('seccompProfile_baseline');
    expect(checksInForce('restricted', v(19)).checks).not.toContain('seccompProfile_baseline');
    expect(checksInForce('restricted', v(21)).checks).toContain('capabilities_baseline');
    expect(checksInForce('restricted', v(22)).replaced.get('capabilities_baseline')).toBe('capabilities_restricted');
    expect(checksInForce('restricted', v(0)).replaced.get('hostPathVolumes')).toBe('restrictedVolumes');
    expect(checksInForce('restricted', v(34)).checks).toContain('procMount');
    expect(checksInForce('restricted', v(35)).replaced.get('procMount')).toBe('procMount_restricted');
    expect(checksInForce('baseline', v(33)).checks).not.toContain('hostProbesAndHostLifecycle');
    expect(checksInForce('baseline', LATEST).checks).toContain('hostProbesAndHostLifecycle');
    expect(checksInForce('restricted', v(7)).checks).not.toContain('allowPrivilegeEscalation');
    expect(checksInForce('restricted', v(22)).checks).not.toContain('runAsUser');
  });

  it('lists baseline checks before restricted ones', () => {
    const ids = checksInForce('restricted', LATEST).checks;
    expect(ids.indexOf('windowsHostProcess')).toBeLessThan(ids.indexOf('allowPrivilegeEscalation'));
  });
});

describe('evaluation', () => {
  it('allows a restricted pod at every version and level', () => {
    for (let minor = 0; minor <= 40; minor++)
      for (const level of ['privileged', 'baseline', 'restricted'] as const) expect(checks(pod(restrictedSpec()), { level, version: v(minor) }), `${level} v1.${minor}`).toEqual([]);
  });

  it('privileged allows everything', () => {
    const r = evaluateObject(pod(restrictedSpec({ hostPID: true })), { level: 'privileged', version: LATEST });
    expect(r?.allowed).toBe(true);
    expect(r?.version).toBe('v1.37');
    expect(r?.requestedVersion).toBe('latest');
  });

  it.each([
    ['a forbidden sysctl of v1.36 is allowed from v1.37', 'net.ipv4.tcp_notsent_lowat', 36, 37],
    ['tcp_rmem from v1.32', 'net.ipv4.tcp_rmem', 31, 32],
    ['keepalive from v1.29', 'net.ipv4.tcp_keepalive_time', 28, 29],
    ['reserved ports from v1.27', 'net.ipv4.ip_local_reserved_ports', 26, 27],
  ])('sysctls: %s', (_name, sysctl, denied, allowed) => {
    const p = pod(restrictedSpec({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: sysctl, value: '1' }] } }));
    expect(checks(p, { level: 'baseline', version: v(denied) })).toEqual(['sysctls']);
    expect(checks(p, { level: 'baseline', version: v(allowed) })).toEqual([]);
  });

  it('exempts windows pods from the Linux-only restricted controls from v1.25', () => {
    const windows = pod({ os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'app', image: 'x' }] });
    expect(checks(windows, { level: 'restricted', version: v(24) })).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted']);
    expect(checks(windows, { level: 'restricted', version: v(25) })).toEqual([]);
  });

  it('relaxes runAsNonRoot, runAsUser and baseline procMount for user-namespaced pods from v1.35', () => {
    const spec = { hostUsers: false, securityContext: { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'app', image: 'x', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, procMount: 'Unmasked' } }] };
    expect(checks(pod(spec), { level: 'restricted', version: v(34) })).toEqual(['procMount', 'runAsNonRoot', 'runAsUser']);
    expect(checks(pod(spec), { level: 'restricted', version: v(35) })).toEqual(['procMount_restricted']);
    expect(checks(pod(spec), { level: 'baseline', version: v(35) })).toEqual([]);
    expect(checks(pod(spec), { level: 'baseline', version: v(34) })).toEqual(['procMount']);
  });

  it('reads seccomp annotations before v1.19 and fields from v1.19', () => {
    const p = pod(restrictedSpec({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Unconfined' } } }), { name: 'p', annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } });
    const early = evaluateObject(p, { level: 'baseline', version: v(18) });
    expect(early?.violations.map((x) => x.paths)).toEqual([['metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]']]);
    const late = evaluateObject(p, { level: 'baseline', version: v(19) });
    expect(late?.violations.map((x) => x.paths)).toEqual([['spec.securityContext.seccompProfile.type']]);
  });

  it('allows container_engine_t only from v1.31', () => {
    const p = pod(restrictedSpec({}, { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seLinuxOptions: { type: 'container_engine_t' } } }));
    expect(checks(p, { level: 'baseline', version: v(30) })).toEqual(['seLinuxOptions']);
    expect(checks(p, { level: 'baseline', version: v(31) })).toEqual([]);
  });

  it('forbids probe and lifecycle hosts only from v1.34', () => {
    const p = pod(restrictedSpec({}, { livenessProbe: { httpGet: { host: '10.0.0.1', port: 80 } }, lifecycle: { preStop: { tcpSocket: { host: 'node', port: 1 } } } }));
    expect(checks(p, { level: 'baseline', version: v(33) })).toEqual([]);
    const r = evaluateObject(p, { level: 'baseline', version: v(34) });
    expect(r?.violations[0]?.paths).toEqual(['spec.containers[0].livenessProbe.httpGet.host', 'spec.containers[0].lifecycle.preStop.tcpSocket.host']);
    expect(r?.violations[0]?.detail).toContain('"10.0.0.1", "node"');
  });

  it('gives a Pod with hostNetwork its container ports as host ports, but not a pod template (Kubernetes >= 1.28)', () => {
    const spec = { hostNetwork: true, containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 8080 }] }] };
    const r = evaluateObject(pod(spec), { level: 'baseline', version: LATEST });
    expect(r?.violations.map((x) => x.check)).toEqual(['hostNamespaces', 'hostPorts']);
    expect(r?.violations[1]?.paths).toEqual(['spec.containers[0].ports[0].containerPort']);
    expect(checks(pod(spec, { labels: { a: 'b' } }, 'Deployment'), { level: 'baseline', version: LATEST })).toEqual(['hostNamespaces']);
  });

  it('treats a volume without a source as emptyDir, as API defaulting does', () => {
    expect(checks(pod(restrictedSpec({ volumes: [{ name: 'scratch' }] })), { level: 'restricted', version: LATEST })).toEqual([]);
    const r = evaluateObject(pod(restrictedSpec({ volumes: [{ name: 'ok', emptyDir: {} }, { name: 'data', nfs: { server: 's', path: '/' } }, { name: 'nulled', hostPath: null }] })), { level: 'restricted', version: LATEST });
    expect(r?.violations.map((x) => [x.check, x.paths])).toEqual([['restrictedVolumes', ['spec.volumes[1].nfs']]]);
  });

  it('evaluates the pod template of every workload kind with its own paths and metadata', () => {
    const obj = pod(restrictedSpec({}, { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: true } }), { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } }, 'Deployment');
    const r = evaluateObject(obj, { level: 'baseline', version: LATEST });
    expect(r?.violations.map((x) => [x.check, x.paths])).toEqual([
      ['appArmorProfile', ['spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]']],
      ['privileged', ['spec.template.spec.containers[0].securityContext.privileged']],
    ]);
    const cron = toK8sObject({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: { hostIPC: true, containers: [] } } } } } }, undefined);
    expect(cron && evaluateObject(cron, { level: 'baseline', version: LATEST })?.violations[0]?.paths).toEqual(['spec.jobTemplate.spec.template.spec.hostIPC']);
    const svc = toK8sObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: {} }, undefined);
    expect(svc && evaluateObject(svc, { level: 'baseline', version: LATEST })).toBeUndefined();
  });

  it('names every forbidden value in the verdict', () => {
    const p = pod({
      hostPID: true,
      securityContext: { seLinuxOptions: { type: 'spc_t', user: 'root' } },
      containers: [
        { name: 'a', image: 'x', securityContext: { capabilities: { add: ['SYS_ADMIN', 'CHOWN', 'NET_ADMIN'] } }, ports: [{ containerPort: 1, hostPort: 9000 }] },
        { name: 'b', image: 'x', securityContext: { capabilities: { add: ['SYS_ADMIN'] } } },
      ],
    });
    const r = evaluateObject(p, { level: 'baseline', version: LATEST });
    const text = formatViolations(r?.violations ?? []);
    for (const s of ['hostPID=true', '"NET_ADMIN", "SYS_ADMIN"', 'containers "a", "b"', 'hostPort 9000', '"spc_t"', 'user "root"']) expect(text).toContain(s);
    expect(text).not.toContain('CHOWN');
    expect(r?.violations.find((x) => x.check === 'capabilities_baseline')?.paths).toEqual([
      'spec.containers[0].securityContext.capabilities.add[0]',
      'spec.containers[0].securityContext.capabilities.add[2]',
      'spec.containers[1].securityContext.capabilities.add[0]',
    ]);
  });

  it('checks AppArmor profile fields of the pod and containers and the beta annotations together', () => {
    const spec = {
      securityContext: { appArmorProfile: { type: 'Unconfined' } },
      containers: [
        { name: 'a', image: 'x', securityContext: { appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } } },
        { name: 'b', image: 'x', securityContext: { appArmorProfile: { type: 'Unconfined' } } },
        { name: 'c', image: 'x', securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } },
      ],
    };
    const meta = { name: 'p', annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'localhost/custom', 'container.apparmor.security.beta.kubernetes.io/b': 'unconfined' } };
    const r = evaluateObject(pod(spec, meta), { level: 'baseline', version: v(0) });
    expect(r?.violations).toHaveLength(1);
    const x = r?.violations[0];
    expect(x?.reason).toBe('forbidden AppArmor profiles');
    expect(x?.detail).toBe('pod and container "b" set appArmorProfile.type to "Unconfined" (allowed: RuntimeDefault, Localhost); annotation container.apparmor.security.beta.kubernetes.io/b="unconfined" (allowed: runtime/default, localhost/*, empty)');
    expect(x?.paths).toEqual(['spec.securityContext.appArmorProfile.type', 'spec.containers[1].securityContext.appArmorProfile.type', 'metadata.annotations["container.apparmor.security.beta.kubernetes.io/b"]']);
    expect(checks(pod({ containers: [{ name: 'a', securityContext: { appArmorProfile: { type: 'Localhost' } } }] }), { level: 'baseline', version: LATEST })).toEqual([]);
  });

  it('points at where a missing required field belongs', () => {
    const r = evaluatePod({ spec: { containers: [{ name: 'app' }] }, specPath: 'spec', metadata: undefined, metadataPath: 'metadata', isPod: true }, { level: 'restricted', version: LATEST });
    expect(r.violations.map((x) => [x.check, x.paths[0]])).toEqual([
      ['allowPrivilegeEscalation', 'spec.containers[0].securityContext.allowPrivilegeEscalation'],
      ['capabilities_restricted', 'spec.containers[0].securityContext.capabilities.drop'],
      ['runAsNonRoot', 'spec.securityContext.runAsNonRoot'],
      ['seccompProfile_restricted', 'spec.securityContext.seccompProfile.type'],
    ]);
  });

  it('reports fields of the wrong type as malformed instead of guessing', () => {
    const r = evaluateObject(pod({ hostNetwork: 'true', containers: [{ name: 'app', securityContext: { privileged: 'yes', runAsUser: 1.5 } }] }), { level: 'baseline', version: LATEST });
    expect(r?.malformed).toEqual([
      { path: 'spec.hostNetwork', expected: 'a boolean' },
      { path: 'spec.containers[0].securityContext.runAsUser', expected: 'an integer' },
      { path: 'spec.containers[0].securityContext.privileged', expected: 'a boolean' },
    ]);
    expect(r?.allowed).toBe(true);
  });

  it('treats null as unset', () => {
    expect(checks(pod(restrictedSpec({ hostNetwork: null, volumes: null })), { level: 'restricted', version: LATEST })).toEqual([]);
  });
});

describe('engine for a run', () => {
  const ns = (name: string, labels: Record<string, string>): K8sObject => {
    const o = toK8sObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }, undefined);
    if (!o) throw new Error('ns');
    return o;
  };
  const inNs = (namespace: string | undefined, spec: unknown): K8sObject => {
    const o = toK8sObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...(namespace ? { namespace } : {}) }, spec }, undefined);
    if (!o) throw new Error('pod');
    return o;
  };

  it('judges each object at its namespace policy, else at the default', () => {
    const hostPid = { hostPID: true, containers: [{ name: 'a' }] };
    const objects = [ns('open', { 'pod-security.kubernetes.io/enforce': 'privileged' }), ns('old', { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.0' }), ns('typo', { 'pod-security.kubernetes.io/enforce': 'restrcted' })];
    const a = inNs('open', hostPid);
    const b = inNs('old', hostPid);
    const c = inNs('typo', restrictedSpec());
    const d = inNs(undefined, hostPid);
    const e = inNs('unknown', hostPid);
    const engine = buildPssEngine(buildInventory([...objects, a, b, c, d, e]), { pss: { level: 'baseline', version: 'latest' }, k8sVersion: '1.33' });
    expect(engine.judge(a)?.evaluation.allowed).toBe(true);
    expect(engine.judge(b)?.evaluation.version).toBe('v1.0');
    expect(engine.judge(b)?.namespace.source).toBe('namespace-labels');
    expect(engine.judge(c)?.namespace.policy.level).toBe('restricted');
    expect(engine.judge(c)?.namespace.labelErrors).toHaveLength(1);
    expect(engine.judge(d)?.evaluation.version).toBe('v1.33');
    expect(engine.judge(e)?.namespace.source).toBe('default');
    expect(engine.judge(d)).toBe(engine.judge(d));
    expect(serverMinorOf('1.29')).toBe(29);
    expect(serverMinorOf(undefined)).toBeUndefined();
  });

  it('reads the run default version leniently (v1.07 is v1.7)', () => {
    expect(defaultPolicyOf({ pss: { level: 'baseline', version: 'v1.07' } }).version).toEqual(v(7));
    expect(defaultPolicyOf({ pss: { level: 'baseline', version: 'latest' } }).version).toEqual(LATEST);
  });

  it('keeps only the last judgement, and the malformed fields of every object it judged', () => {
    const bad = inNs(undefined, { hostNetwork: 'true', containers: [{ name: 'a' }] });
    const good = inNs(undefined, restrictedSpec());
    const engine = buildPssEngine(buildInventory([bad, good]), { pss: { level: 'restricted', version: 'latest' } });
    const first = engine.judge(bad);
    expect(engine.judge(bad)).toBe(first);
    engine.judge(good);
    // A later call evaluates again (nothing kept per object): an equal judgement, not the same one.
    const again = engine.judge(bad);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    engine.judge(good);
    expect(engine.malformed(bad)).toEqual([{ path: 'spec.hostNetwork', expected: 'a boolean' }]);
    expect(engine.malformed(good)).toEqual([]);
    // An object no check judged is evaluated on demand.
    const other = inNs(undefined, { hostNetwork: 1, containers: [{ name: 'a' }] });
    expect(buildPssEngine(buildInventory([other]), { pss: { level: 'baseline', version: 'latest' } }).malformed(other)).toEqual([{ path: 'spec.hostNetwork', expected: 'a boolean' }]);
  });

  it('adds the baseline evaluation when a pod is denied at restricted', () => {
    const p = inNs(undefined, { hostPID: true, containers: [{ name: 'a' }] });
    const j = buildPssEngine(buildInventory([p]), { pss: { level: 'restricted', version: 'latest' } }).judge(p);
    expect(j?.baseline?.violations.map((x) => x.check)).toEqual(['hostNamespaces']);
  });
});
