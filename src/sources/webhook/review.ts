/**
 * The admission decision of `kspect webhook serve`: an `admission.k8s.io/v1` AdmissionReview in, the response out.
 * Pure (no I/O): the server (server.ts) reads the body and the namespace, this module judges the object with the one
 * runner and the same checks, configuration, suppression and severity overrides as `kspect scan`, and shapes the
 * answer the way Pod Security admission does — enforce denies (HTTP 403 in the status), warn adds warnings that
 * kubectl prints, audit adds audit annotations. It lives beside the server in sources/ because it is the webhook's
 * protocol adapter: the judging itself is the runner's.
 */
import type { KspectConfig } from '../../core/config.js';
import { globMatch } from '../../core/config.js';
import type { Finding } from '../../core/finding.js';
import { SEVERITIES, atLeast, isSeverity, type Severity } from '../../core/severity.js';
import type { RunSettings } from '../../framework/define.js';
import { judgeObjects, type ActiveCheck, type Judgement } from '../../framework/runner.js';
import { buildInventory } from '../../model/inventory.js';
import { CLUSTER_SCOPED, getArray, getObject, getString, isObject, toK8sObject, type JsonObject, type K8sObject } from '../../model/object.js';
import { POD_SPEC_KINDS, POD_SPEC_PATHS } from '../../model/podspec.js';
import { IMAGE_SIGNATURE_CHECK, policyCounts, signatureCheck, verdictNotes, type AdmissionImages } from './admission-images.js';

export const WEBHOOK_MODES = ['enforce', 'warn', 'audit'] as const;
/** What the webhook does with findings: deny the request, warn its author, or record them in the audit log. */
export type WebhookMode = (typeof WEBHOOK_MODES)[number];

/** The labels a namespace chooses its modes with, as Pod Security admission's `pod-security.kubernetes.io/<mode>`. */
export const MODE_LABEL: Readonly<Record<WebhookMode, string>> = { enforce: 'kspect.dev/enforce', warn: 'kspect.dev/warn', audit: 'kspect.dev/audit' };

/** Which findings a mode acts on: those at or above a severity, or those of a set of checks. */
export type ModePolicy = { readonly kind: 'severity'; readonly threshold: Severity; readonly text: string } | { readonly kind: 'checks'; readonly checks: ReadonlySet<string>; readonly text: string };

/** Kubernetes limits what kubectl shows: each warning under 256 characters, all of them under 4 KiB. */
export const WARNING_MAX = 255;
export const WARNINGS_TOTAL_MAX = 4000;
const MESSAGE_MAX = 3500;
const ANNOTATION_MAX = 8000;

/**
 * Read a mode label's value: a severity (`high`: findings at or above it), `none`/`off` (the mode is off), or check
 * ids joined by `.` (label values allow no commas: `pss-baseline.pod-privileged`). A value that is none of these is
 * an error; like Pod Security admission with an invalid level, the mode then acts on every finding (fail closed).
 */
export function parseModePolicy(value: string, knownChecks: ReadonlySet<string>): { policy?: ModePolicy; error?: string } {
  const v = value.trim();
  if (v === 'none' || v === 'off' || v === '') return {};
  if (isSeverity(v)) return { policy: { kind: 'severity', threshold: v, text: v } };
  const ids = v.split('.').filter((s) => s !== '');
  const unknown = ids.filter((id) => !knownChecks.has(id));
  if (ids.length === 0 || unknown.length > 0) {
    return { policy: { kind: 'severity', threshold: 'info', text: 'info' }, error: `"${v}" is not a severity (${SEVERITIES.join(', ')}), none, or check ids joined by "." (unknown: ${unknown.join(', ') || v}); every finding counts` };
  }
  return { policy: { kind: 'checks', checks: new Set(ids), text: ids.join('.') } };
}

/** The default for namespaces that carry no `kspect.dev/*` mode label (`--default-mode`, `--fail-on`). */
export interface DefaultMode {
  readonly mode: WebhookMode | 'none';
  readonly policy: ModePolicy;
}

/** The policy of one mode in a namespace (undefined: the mode is off there), and a label error if there was one. */
export function modePolicyOf(mode: WebhookMode, labels: Readonly<Record<string, string>> | undefined, defaults: DefaultMode, knownChecks: ReadonlySet<string>): { policy?: ModePolicy; source: 'namespace-labels' | 'default'; error?: string } {
  const own = labels !== undefined && WEBHOOK_MODES.some((m) => labels[MODE_LABEL[m]] !== undefined);
  if (!own) return defaults.mode === mode ? { policy: defaults.policy, source: 'default' } : { source: 'default' };
  const value = labels[MODE_LABEL[mode]];
  if (value === undefined) return { source: 'namespace-labels' };
  const r = parseModePolicy(value, knownChecks);
  return { ...(r.policy ? { policy: r.policy } : {}), ...(r.error !== undefined ? { error: `${MODE_LABEL[mode]}: ${r.error}` } : {}), source: 'namespace-labels' };
}

/** Kinds whose pod template is warned and audited but never enforced (their pods are judged when created), as PSA. */
const TEMPLATE_KINDS: ReadonlySet<string> = new Set(POD_SPEC_KINDS.filter((k) => k !== 'Pod'));

/** The group and kind of every object the webhook judges; anything else is allowed unjudged. */
const JUDGED: ReadonlyMap<string, string> = new Map([
  ['Pod', ''],
  ['PodTemplate', ''],
  ['ReplicationController', ''],
  ['Service', ''],
  ['Deployment', 'apps'],
  ['StatefulSet', 'apps'],
  ['DaemonSet', 'apps'],
  ['ReplicaSet', 'apps'],
  ['Job', 'batch'],
  ['CronJob', 'batch'],
  ['Role', 'rbac.authorization.k8s.io'],
  ['ClusterRole', 'rbac.authorization.k8s.io'],
  ['RoleBinding', 'rbac.authorization.k8s.io'],
  ['ClusterRoleBinding', 'rbac.authorization.k8s.io'],
  ['Ingress', 'networking.k8s.io'],
  ['NetworkPolicy', 'networking.k8s.io'],
  ['ValidatingWebhookConfiguration', 'admissionregistration.k8s.io'],
  ['MutatingWebhookConfiguration', 'admissionregistration.k8s.io'],
]);

/** The kinds the webhook judges, as `group/Kind` (`/Pod` for the core group): the manifests' rules come from it. */
export function judgedKinds(): readonly { readonly group: string; readonly kind: string }[] {
  return [...JUDGED].map(([kind, group]) => ({ group, kind }));
}

/** Where a check is not run at admission: on every kind (`'*'`) or on these kinds only, and why. */
export interface NotAtAdmission {
  readonly kinds: '*' | readonly string[];
  readonly why: string;
}

const IMAGE_FACTS = 'needs facts about the image (its config, signatures or a scanner report) read from a registry or a file, which an AdmissionReview does not carry; kspect images verify and kspect scan judge it';
const NETPOL_PODS = 'judges pods against the NetworkPolicies of their namespace (or policies against the pods they select): the request carries one of them';

/**
 * Checks that judge an object by what else is (or is not) in the input. The webhook sees one object and its
 * Namespace, so their verdicts would be about the request's missing context (a pod "unisolated" because the
 * namespace's policies are not in the request, a service account token "mounted" because its ServiceAccount is not
 * there) — they are not run at admission on those kinds; `kspect scan --cluster` runs them. Kept honest by
 * test/webhook-context-checks.test.ts (each check judged alone and within its fixtures) and listed in
 * docs/admission.md.
 */
export const CONTEXT_CHECKS: ReadonlyMap<string, NotAtAdmission> = new Map<string, NotAtAdmission>([
  ['image-base-not-approved', { kinds: '*', why: IMAGE_FACTS }],
  ['image-not-minimal', { kinds: '*', why: IMAGE_FACTS }],
  ['image-runs-as-root', { kinds: '*', why: IMAGE_FACTS }],
  ['image-signature', { kinds: '*', why: 'needs the image\'s signatures from its registry, which an AdmissionReview does not carry: with signature rules the server reads them (signatures.ts) and runs it on Pods and ImageReviews with that evidence, never on a request alone' }],
  ['image-signed', { kinds: '*', why: IMAGE_FACTS }],
  ['image-too-old', { kinds: '*', why: IMAGE_FACTS }],
  ['image-vulnerabilities', { kinds: '*', why: IMAGE_FACTS }],
  ['namespace-no-limit-range', { kinds: '*', why: 'a namespace without a LimitRange among the other objects' }],
  ['namespace-no-resource-quota', { kinds: '*', why: 'a namespace without a ResourceQuota among the other objects' }],
  ['namespace-pss-unlabeled', { kinds: '*', why: 'a finding per namespace of the input, made from the workloads in it' }],
  ['netpol-egress-metadata', { kinds: '*', why: NETPOL_PODS }],
  ['netpol-egress-unrestricted-token', { kinds: '*', why: NETPOL_PODS }],
  ['netpol-ingress-unisolated', { kinds: '*', why: NETPOL_PODS }],
  ['netpol-named-port-undeclared', { kinds: '*', why: 'a named port is looked up in the pods a policy selects' }],
  ['netpol-namespace-no-default-deny', { kinds: '*', why: 'a finding on a namespace made from all the policies in it' }],
  ['netpol-namespace-no-default-deny-egress', { kinds: '*', why: 'a finding on a namespace made from all the policies in it' }],
  ['netpol-policy-selects-nothing', { kinds: '*', why: 'whether a policy selects a pod needs the pods' }],
  ['netpol-selector-no-match', { kinds: '*', why: 'selectors are matched against the other pods and namespaces' }],
  ['pod-default-service-account', { kinds: '*', why: 'whether the default ServiceAccount mounts a token is its own automountServiceAccountToken, another object' }],
  ['pod-resources-missing', { kinds: POD_SPEC_KINDS.filter((k) => k !== 'Pod'), why: 'a LimitRange of the namespace fills in requests and limits; a Pod reaches the webhook after the LimitRanger admission plugin did, a workload template never gets them' }],
  ['pod-sa-token-automount', { kinds: '*', why: 'the ServiceAccount\'s own automountServiceAccountToken decides, another object' }],
  ['rbac-escalation-path', { kinds: '*', why: 'a path through several bindings, roles and service accounts' }],
  ['rbac-missing-role', { kinds: '*', why: 'a binding\'s role is not in the request, so every role would be "missing"' }],
  ['rbac-missing-subject', { kinds: '*', why: 'a subject service account is not in the request, so every one would be "missing"' }],
  ['webhook-ca-bundle-missing', { kinds: '*', why: 'the caBundle is injected after creation (cert-manager\'s CA injector, a certgen Job): at admission it is always still missing' }],
]);

/**
 * Checks run at admission that judge a binding by the role it names: the Role or ClusterRole itself is not in the
 * request, so a binding is judged only by what it carries (its subjects, and the built-in roles kspect knows by
 * name) — what a custom role grants is judged by `kspect scan --cluster`. They never report more at admission than in
 * a scan, only less.
 */
export const PARTIAL_AT_ADMISSION: ReadonlyMap<string, string> = new Map(
  [
    'rbac-anonymous-access',
    'rbac-aws-auth-write',
    'rbac-bind',
    'rbac-cluster-admin-binding',
    'rbac-csr-approve',
    'rbac-default-sa-bound',
    'rbac-escalate',
    'rbac-events-delete',
    'rbac-impersonate',
    'rbac-kube-system-sa-reachable',
    'rbac-namespace-update',
    'rbac-netpol-write',
    'rbac-nodes-proxy',
    'rbac-nodes-subresources',
    'rbac-pod-create',
    'rbac-pod-exec',
    'rbac-pv-create',
    'rbac-secrets-create',
    'rbac-secrets-read',
    'rbac-service-write',
    'rbac-status-patch',
    'rbac-token-create',
    'rbac-webhook-write',
    'rbac-wildcard',
  ].map((id) => [id, 'a binding is judged without the role it references (not in the request)']),
);

/** Whether a check is left out at admission for objects of this kind. */
export function notAtAdmission(checkId: string, kind: string): boolean {
  const n = CONTEXT_CHECKS.get(checkId);
  return n !== undefined && (n.kinds === '*' || n.kinds.includes(kind));
}

const byKindCache = new WeakMap<readonly ActiveCheck[], Map<string, readonly ActiveCheck[]>>();

/** The active checks that can judge an object of this kind on its own (cached per check list and kind). */
export function checksForKind(checks: readonly ActiveCheck[], kind: string): readonly ActiveCheck[] {
  let m = byKindCache.get(checks);
  if (!m) byKindCache.set(checks, (m = new Map<string, readonly ActiveCheck[]>()));
  let list = m.get(kind);
  if (!list) {
    // A check of no kind reads its engine over the whole input: the NetworkPolicy checks left here judge policies.
    list = checks.filter((a) => !notAtAdmission(a.check.id, kind) && (a.check.meta.kinds.length === 0 ? kind === 'NetworkPolicy' && a.check.id.startsWith('netpol-') : a.check.meta.kinds.includes(kind) || a.check.meta.kinds.includes('*')));
    m.set(kind, list);
  }
  return list;
}

/** The fields of an AdmissionRequest the decision reads. */
export interface AdmissionRequest {
  readonly uid: string;
  readonly kind: { readonly group: string; readonly version: string; readonly kind: string };
  readonly resource: { readonly group: string; readonly version: string; readonly resource: string };
  readonly subResource?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly operation: string;
  readonly username?: string;
  readonly object?: JsonObject;
  readonly oldObject?: JsonObject;
  readonly dryRun: boolean;
}

/** Validate an AdmissionReview body: one line on what is wrong, or the request. */
export function parseAdmissionReview(body: unknown): { ok: true; request: AdmissionRequest } | { ok: false; error: string } {
  if (!isObject(body)) return { ok: false, error: 'the body is not a JSON object' };
  if (body.apiVersion !== 'admission.k8s.io/v1' || body.kind !== 'AdmissionReview') return { ok: false, error: `expected apiVersion admission.k8s.io/v1, kind AdmissionReview (got ${JSON.stringify(body.apiVersion ?? null)}, ${JSON.stringify(body.kind ?? null)})` };
  const req = getObject(body, 'request');
  if (!req) return { ok: false, error: 'the AdmissionReview has no request' };
  const uid = getString(req, 'uid');
  if (uid === undefined || uid === '') return { ok: false, error: 'request.uid is missing' };
  const kind = getObject(req, 'kind');
  const resource = getObject(req, 'resource');
  const operation = getString(req, 'operation');
  if (!kind || getString(kind, 'kind') === undefined) return { ok: false, error: 'request.kind is missing' };
  if (operation === undefined) return { ok: false, error: 'request.operation is missing' };
  const object = getObject(req, 'object');
  const oldObject = getObject(req, 'oldObject');
  const subResource = getString(req, 'subResource');
  const name = getString(req, 'name');
  const namespace = getString(req, 'namespace');
  const username = getString(getObject(req, 'userInfo'), 'username');
  return {
    ok: true,
    request: {
      uid,
      kind: { group: getString(kind, 'group') ?? '', version: getString(kind, 'version') ?? '', kind: getString(kind, 'kind') ?? '' },
      resource: { group: getString(resource, 'group') ?? '', version: getString(resource, 'version') ?? '', resource: getString(resource, 'resource') ?? '' },
      ...(subResource !== undefined && subResource !== '' ? { subResource } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(namespace !== undefined && namespace !== '' ? { namespace } : {}),
      operation,
      ...(username !== undefined ? { username } : {}),
      ...(object ? { object } : {}),
      ...(oldObject ? { oldObject } : {}),
      dryRun: req.dryRun === true,
    },
  };
}

/** The uid of a body that may not be a valid review, so that even an error answer names its request. */
export function reviewUid(body: unknown): string {
  return getString(getObject(body, 'request'), 'uid') ?? '';
}

/** What the decision needs besides the request. */
export interface ReviewContext {
  readonly checks: readonly ActiveCheck[];
  readonly config: KspectConfig;
  /** Pod Security defaults and Kubernetes version; `now` is taken from `clock` per request. */
  readonly settings: Omit<RunSettings, 'now'>;
  readonly clock: () => Date;
  readonly defaults: DefaultMode;
  readonly knownChecks: ReadonlySet<string>;
  /** What a check that crashed (or a decision that failed) does in enforce mode: deny (the default) or allow. */
  readonly failureMode: 'deny' | 'allow';
  readonly toolVersion: string;
}

/** The decision, in the terms of the AdmissionResponse plus what the server logs. */
export interface ReviewDecision {
  readonly allowed: boolean;
  /** Why, for the log: `judged`, `not-judged: …`, `exempt: …`, `unchanged`, `failure: …`. */
  readonly outcome: string;
  readonly status?: { readonly code: number; readonly reason: string; readonly message: string };
  readonly warnings?: readonly string[];
  readonly auditAnnotations?: Readonly<Record<string, string>>;
  /** The check ids that counted (for the log). */
  readonly checks: readonly string[];
}

const ALLOW = (outcome: string, extra: Partial<ReviewDecision> = {}): ReviewDecision => ({ allowed: true, outcome, checks: [], ...extra });

/** The AdmissionReview answer for a decision. */
export function admissionResponse(uid: string, d: Pick<ReviewDecision, 'allowed' | 'status' | 'warnings' | 'auditAnnotations'>): JsonObject {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: {
      uid,
      allowed: d.allowed,
      ...(d.status ? { status: { code: d.status.code, reason: d.status.reason, message: d.status.message } } : {}),
      // No warnings on a denied request (the API server shows the denial alone).
      ...(d.allowed && d.warnings && d.warnings.length > 0 ? { warnings: [...d.warnings] } : {}),
      ...(d.auditAnnotations && Object.keys(d.auditAnnotations).length > 0 ? { auditAnnotations: { ...d.auditAnnotations } } : {}),
    },
  };
}

/** Judge one request in one mode. `namespace` is the request's Namespace object (labels) when it has one. Never throws. */
export function decide(request: AdmissionRequest, mode: WebhookMode, namespace: K8sObject | undefined, ctx: ReviewContext, images?: AdmissionImages): ReviewDecision {
  const p = prepareReview(request, mode, namespace, ctx);
  return 'allowed' in p ? p : judgePrepared(p, ctx, images);
}

/** The answer when a request could not be judged: the failure mode decides in enforce mode, and says why. */
export function failureDecision(mode: WebhookMode, ctx: ReviewContext, why: string): ReviewDecision {
  const text = `kspect could not evaluate this request (${why})`;
  if (mode === 'enforce' && ctx.failureMode === 'deny') return { allowed: false, outcome: `failure: ${why}`, status: { code: 500, reason: 'InternalError', message: `${clip(text, MESSAGE_MAX)}; denied by the failure mode (deny)` }, checks: [] };
  if (mode === 'audit') return ALLOW(`failure: ${why}`, { auditAnnotations: { error: clip(text, ANNOTATION_MAX) } });
  // The decision first: a long reason is what the 256-character limit of a warning cuts.
  return ALLOW(`failure: ${why}`, { warnings: [clip(mode === 'enforce' ? `kspect could not evaluate this request, allowed by the failure mode (allow): ${why}` : text, WARNING_MAX)] });
}

/** A request past every early answer: the object judged, in which mode, under which policy. */
export interface PreparedReview {
  readonly request: AdmissionRequest;
  readonly mode: WebhookMode;
  readonly namespace: K8sObject | undefined;
  /** The object as judged (named, in the request's namespace). */
  readonly object: K8sObject;
  readonly policy: ModePolicy;
  readonly source: 'namespace-labels' | 'default';
  readonly labelWarning: readonly string[];
}

/**
 * Everything decided before the checks run: operation, kind, subresource, exemptions, the namespace's mode, PSA's
 * template and UPDATE rules. A decision when that settles it, else what to judge. Never throws.
 */
export function prepareReview(request: AdmissionRequest, mode: WebhookMode, namespace: K8sObject | undefined, ctx: ReviewContext): ReviewDecision | PreparedReview {
  try {
    return prepareUnsafe(request, mode, namespace, ctx);
  } catch (e) {
    return failureDecision(mode, ctx, `internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Judge a prepared request (with what the registries said about its images, when a signature rule covers them). Never throws. */
export function judgePrepared(p: PreparedReview, ctx: ReviewContext, images?: AdmissionImages): ReviewDecision {
  try {
    return judgeUnsafe(p, ctx, images);
  } catch (e) {
    return failureDecision(p.mode, ctx, `internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function prepareUnsafe(request: AdmissionRequest, mode: WebhookMode, namespace: K8sObject | undefined, ctx: ReviewContext): ReviewDecision | PreparedReview {
  const { kind } = request.kind;
  if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return ALLOW(`not-judged: operation ${request.operation}`);
  if (JUDGED.get(kind) !== request.kind.group) return ALLOW(`not-judged: kind ${request.kind.group}/${kind}`);
  // Subresources (status, binding, eviction, exec, log …) are not the object's spec; ephemeral containers are.
  if (request.subResource !== undefined && !(kind === 'Pod' && request.subResource === 'ephemeralcontainers')) return ALLOW(`not-judged: subresource ${request.subResource}`);
  const raw = request.object;
  if (!raw) return ALLOW('not-judged: no object');

  const exempt = exemption(request, raw, ctx.config);
  if (exempt !== undefined) return ALLOW(`exempt: ${exempt}`, mode === 'audit' ? { auditAnnotations: { exempt } } : {});

  const chosen = modePolicyOf(mode, namespace?.metadata.labels, ctx.defaults, ctx.knownChecks);
  const labelWarning = chosen.error !== undefined ? [clip(`kspect: namespace ${request.namespace ?? ''}: ${chosen.error}`, WARNING_MAX)] : [];
  if (!chosen.policy) return ALLOW(`not-judged: ${mode} is off in this namespace`);
  // Pod Security admission enforces on Pods only: a workload's pods are judged when its controller creates them.
  if (mode === 'enforce' && TEMPLATE_KINDS.has(kind)) return ALLOW('not-judged: workload templates are warned and audited, not enforced');
  if (request.operation === 'UPDATE' && request.oldObject && !significantUpdate(kind, raw, request.oldObject)) return ALLOW('unchanged: no security-relevant field changed');

  const obj = toK8sObject(
    // The object of a CREATE may name no namespace: the request's is where it will live.
    raw,
    { source: { type: 'cluster', uri: 'admission' }, locate: () => undefined },
    CLUSTER_SCOPED.has(kind) ? undefined : request.namespace,
  );
  if (!obj) return failureDecision(mode, ctx, 'the object has no apiVersion or kind');
  const named = obj.metadata.name === '<unnamed>' && request.name !== undefined && request.name !== '' ? { ...obj, metadata: { ...obj.metadata, name: request.name } } : obj;
  return { request, mode, namespace, object: named, policy: chosen.policy, source: chosen.source, labelWarning };
}

function judgeUnsafe(p: PreparedReview, ctx: ReviewContext, images: AdmissionImages | undefined): ReviewDecision {
  const { request, mode, namespace, object: named, policy, labelWarning } = p;
  const { kind } = request.kind;
  const raw = request.object ?? named.raw;
  // The image-signature check runs only on what the registries said (signatures.ts): never on a request alone.
  const signature = images ? signatureCheck(ctx.checks, policy) : undefined;
  const objects = [named, ...(namespace ? [namespace] : []), ...(signature && images ? images.objects : [])];
  const active = signature ? [...checksForKind(ctx.checks, named.kind), signature] : checksForKind(ctx.checks, named.kind);
  const now = ctx.clock();
  const judge = (): Judgement => judgeObjects({ inventory: buildInventory(objects), checks: active, settings: { ...ctx.settings, now }, config: ctx.config, knownCheckIds: ctx.knownChecks });
  // The API server calls the enforce, warn and audit webhooks with the same object: when more than one mode is on
  // in this namespace, judge it once (the key costs a serialisation of the object, not worth it for one mode).
  const modesOn = WEBHOOK_MODES.filter((m) => !(m === 'enforce' && TEMPLATE_KINDS.has(kind)) && modePolicyOf(m, namespace?.metadata.labels, ctx.defaults, ctx.knownChecks).policy !== undefined).length;
  const key = modesOn > 1 ? `${JSON.stringify(raw)}\u0000${JSON.stringify(namespace?.raw ?? null)}\u0000${request.namespace ?? ''}\u0000${request.name ?? ''}\u0000${signature && images ? JSON.stringify(images.objects.map((o) => o.raw.spec)) : ''}` : undefined;
  const report = key === undefined ? judge() : (recentReport(ctx, key, now.getTime()) ?? remember(ctx, key, now.getTime(), judge()));
  const mine = (f: Pick<Finding, 'resource'>): boolean => f.resource !== undefined && f.resource.kind === named.kind && f.resource.name === named.metadata.name && (f.resource.namespace ?? '') === (named.metadata.namespace ?? '');
  const selects = (pol: ModePolicy, f: Finding): boolean => (pol.kind === 'severity' ? atLeast(f.severity, pol.threshold) : pol.checks.has(f.checkId) || (f.alsoReportedBy ?? []).some((id) => pol.checks.has(id)));
  const counts = (f: Finding): boolean => selects(policy, f);
  const crashed = report.notEvaluated.filter((n) => n.reason === 'check-error' && (n.resource === undefined || mine(n)) && (policy.kind === 'severity' || (n.checkId !== undefined && policy.checks.has(n.checkId))));
  const internal = report.problems.filter((q) => q.code === 'internal');
  const findings = report.findings.filter((f) => mine(f) && counts(f));
  // Images a rule covers whose signatures could not be read (registry down, deadline passed): not evaluated —
  // in enforce the failure mode decides, never "allowed because unverified"; warn and audit say so.
  const notes = signature && images ? verdictNotes(images, signature) : { signers: [], unknown: [] };
  const unknown = [
    ...notes.unknown.filter((u) => policyCounts(policy, u.severity)).map((u) => `${IMAGE_SIGNATURE_CHECK}: ${u.line}`),
    ...(signature && images?.failure !== undefined ? [`${IMAGE_SIGNATURE_CHECK}: image signatures not evaluated: ${images.failure}`] : []),
  ];
  const signers = notes.signers.length > 0 ? { 'image-signers': clip(oneLine(notes.signers.join('; ')), ANNOTATION_MAX) } : {};
  if (crashed.length > 0 || (internal.length > 0 && findings.length === 0)) {
    const why = crashed.map((n) => n.message).join('; ') || internal.map((q) => q.message).join('; ');
    // A crash never allows by accident: findings already made still deny; otherwise the failure mode decides.
    if (findings.length === 0 || mode !== 'enforce') return failureDecision(mode, ctx, why);
  }
  if (mode === 'enforce' && findings.length === 0 && unknown.length > 0) return withAudit(failureDecision(mode, ctx, unknown.join('; ')), signers);
  const where = `${mode} policy "${policy.text}" (${p.source === 'default' ? 'the default' : `labels of namespace ${request.namespace ?? ''}`})`;
  const checks = [...new Set(findings.map((f) => f.checkId))].sort();
  if (findings.length === 0 && unknown.length === 0) return ALLOW('judged', { warnings: labelWarning, checks, auditAnnotations: signers });
  if (mode === 'enforce') return { allowed: false, outcome: 'judged', status: { code: 403, reason: 'Forbidden', message: denialMessage(named, findings, where) }, checks };
  if (mode === 'warn') {
    // The enforcing webhook denies this request (its message says why): no warnings on a denied request, as PSA.
    const enforce = TEMPLATE_KINDS.has(kind) ? undefined : modePolicyOf('enforce', namespace?.metadata.labels, ctx.defaults, ctx.knownChecks).policy;
    if (enforce && report.findings.some((f) => mine(f) && selects(enforce, f))) return ALLOW('judged: denied by enforce, no warnings', { checks });
    const lines = [...labelWarning, ...findings.map((f) => clip(oneLine(`kspect ${findingLine(f)}`), WARNING_MAX)), ...unknown.map((u) => clip(oneLine(`kspect ${u}`), WARNING_MAX))];
    return { allowed: true, outcome: unknown.length > 0 ? 'judged: images not evaluated' : 'judged', warnings: fitWarnings(lines), checks, auditAnnotations: signers };
  }
  return ALLOW(unknown.length > 0 ? 'judged: images not evaluated' : 'judged', { auditAnnotations: { ...(findings.length > 0 ? auditAnnotations(findings, policy) : { policy: policy.text }), ...(unknown.length > 0 ? { 'not-evaluated': clip(oneLine(unknown.join('; ')), ANNOTATION_MAX) } : {}), ...signers }, checks });
}

function withAudit(d: ReviewDecision, extra: Readonly<Record<string, string>>): ReviewDecision {
  return Object.keys(extra).length === 0 ? d : { ...d, auditAnnotations: { ...(d.auditAnnotations ?? {}), ...extra } };
}

/** Reports of the last requests, per context: the three modes' calls for one request share one evaluation. */
const recent = new WeakMap<ReviewContext, Map<string, { at: number; report: Judgement }>>();
const RECENT_MAX = 128;
const RECENT_MS = 5_000;

function recentReport(ctx: ReviewContext, key: string, now: number): Judgement | undefined {
  const hit = recent.get(ctx)?.get(key);
  return hit && now - hit.at >= 0 && now - hit.at < RECENT_MS ? hit.report : undefined;
}

function remember(ctx: ReviewContext, key: string, now: number, report: Judgement): Judgement {
  let m = recent.get(ctx);
  if (!m) recent.set(ctx, (m = new Map<string, { at: number; report: Judgement }>()));
  m.set(key, { at: now, report });
  // Oldest first: a Map iterates in insertion order.
  while (m.size > RECENT_MAX) {
    const first = m.keys().next().value;
    if (first === undefined) break;
    m.delete(first);
  }
  return report;
}

/** One line of a finding: `[check-id/severity] path: message`. */
function findingLine(f: Finding): string {
  return `[${f.checkId}/${f.severity}]${f.path !== undefined ? ` ${f.path}` : ''}: ${f.message}`;
}

function denialMessage(obj: K8sObject, findings: readonly Finding[], where: string): string {
  const head = `kspect denied ${obj.kind} ${obj.metadata.namespace !== undefined ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name} by the ${where}:`;
  const lines: string[] = [];
  let size = head.length;
  const fixes = new Map<string, string>();
  for (const f of findings) fixes.set(f.checkId, f.remediation);
  let shown = 0;
  for (const f of findings) {
    const line = ` ${clip(findingLine(f), 400)};`;
    if (size + line.length > MESSAGE_MAX - 400) break;
    lines.push(line);
    size += line.length;
    shown++;
  }
  if (shown < findings.length) lines.push(` … and ${findings.length - shown} more;`);
  const fix = [...fixes].map(([id, r]) => ` fix ${id}: ${clip(r, 300)}`).join(';');
  return clip(oneLine(`${head}${lines.join('')}${fix}`), MESSAGE_MAX);
}

/** Keep warnings under kubectl's limits: each under 256 characters (done), all under 4 KiB, the rest counted. */
export function fitWarnings(lines: readonly string[]): string[] {
  const out: string[] = [];
  let total = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const rest = lines.length - i - 1;
    const reserve = rest > 0 ? 64 : 0;
    if (total + Buffer.byteLength(line) + reserve > WARNINGS_TOTAL_MAX) {
      out.push(`kspect: ${lines.length - i} more findings not shown (kspect scan lists them all)`);
      break;
    }
    out.push(line);
    total += Buffer.byteLength(line);
  }
  return out;
}

function auditAnnotations(findings: readonly Finding[], policy: ModePolicy): Record<string, string> {
  return {
    policy: policy.text,
    violations: clip(oneLine(findings.map(findingLine).join('; ')), ANNOTATION_MAX),
    checks: [...new Set(findings.map((f) => f.checkId))].sort().join(','),
  };
}

/** Control characters (which an HTTP header or a log line must not carry) become spaces. */
function oneLine(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    out += c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0) || c === 0x2028 || c === 0x2029 ? ' ' : ch;
  }
  return out;
}

/** At most `max` UTF-8 bytes, cut on a character boundary, `…` when cut. */
export function clip(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  let out = '';
  let size = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (size + n > max - 3) break;
    out += ch;
    size += n;
  }
  return `${out}…`;
}

/** PSA-style exemptions of `.kspect.yaml` `webhook.exemptions`: the reason, or undefined. */
function exemption(request: AdmissionRequest, raw: JsonObject, config: KspectConfig): string | undefined {
  const ex = config.webhook?.exemptions;
  if (!ex) return undefined;
  if (request.namespace !== undefined && ex.namespaces.some((n) => globMatch(n, request.namespace ?? ''))) return 'namespace';
  if (request.username !== undefined && ex.usernames.includes(request.username)) return 'user';
  const path = POD_SPEC_PATHS[request.kind.kind];
  if (path && ex.runtimeClasses.length > 0) {
    let spec: unknown = raw;
    for (const k of path) spec = getObject(spec, k);
    const rc = getString(spec, 'runtimeClassName');
    if (rc !== undefined && ex.runtimeClasses.includes(rc)) return 'runtimeClass';
  }
  return undefined;
}

/**
 * Whether an UPDATE changes what the checks judge. Pods follow Pod Security admission: only a changed container
 * image, a changed per-container seccomp annotation, or an added ephemeral container is significant (the rest of a
 * pod's spec is immutable). Other objects: anything but status and metadata other than labels and annotations.
 */
export function significantUpdate(kind: string, next: JsonObject, old: JsonObject): boolean {
  if (kind === 'Pod') return significantPodUpdate(next, old);
  return canonical(relevant(next)) !== canonical(relevant(old));
}

function relevant(o: JsonObject): JsonObject {
  const meta = getObject(o, 'metadata');
  const { status: _status, metadata: _metadata, ...rest } = o;
  return { ...rest, metadata: { labels: getObject(meta, 'labels') ?? null, annotations: getObject(meta, 'annotations') ?? null } };
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().filter((k) => v[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return v === undefined ? 'null' : JSON.stringify(v);
}

const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

function significantPodUpdate(next: JsonObject, old: JsonObject): boolean {
  const spec = getObject(next, 'spec');
  const oldSpec = getObject(old, 'spec');
  const ann = getObject(getObject(next, 'metadata'), 'annotations');
  const oldAnn = getObject(getObject(old, 'metadata'), 'annotations');
  const changed = (c: unknown, o: unknown): boolean => {
    if (getString(c, 'image') !== getString(o, 'image')) return true;
    const key = SECCOMP_CONTAINER_PREFIX + (getString(c, 'name') ?? '');
    return getString(ann, key) !== getString(oldAnn, key);
  };
  for (const field of ['containers', 'initContainers']) {
    const a = getArray(spec, field);
    const b = getArray(oldSpec, field);
    if (a.length !== b.length) return true;
    for (let i = 0; i < a.length; i++) if (changed(a[i], b[i])) return true;
  }
  const oldEphemeral = getArray(oldSpec, 'ephemeralContainers');
  for (const c of getArray(spec, 'ephemeralContainers')) {
    const o = oldEphemeral.find((x) => getString(x, 'name') === getString(c, 'name'));
    if (o === undefined || changed(c, o)) return true;
  }
  return false;
}
