/**
 * The report of a run: the one value every reporter renders.
 * Versioned: `schemaVersion` changes whenever a field changes meaning or disappears.
 */
import type { Finding, NotEvaluated, Problem, References, SourceRef, SuppressedFinding } from './finding.js';
import { SEVERITIES, type Severity } from './severity.js';

export const REPORT_SCHEMA_VERSION = 3;

/**
 * Report versions kspect still reads (baseline --from, --history, readReportJson): version 1 differs from 2 only in
 * its framework views, which had no NOT_APPLICABLE verdict (such controls were NOT_EVALUATED) and no `notApplicable`
 * count; version 3 differs from 2 only in its JSON findings, which leave out the title, remediation and references
 * their check's entry in `checks` holds (src/core/report-json.ts restores them).
 */
export const READABLE_REPORT_VERSIONS: readonly number[] = [1, 2, 3];

/** The version of the query commands' JSON answers (schema/queries.schema.json: rbac can-i/who-can/access, netpol matrix/can-reach/explain). */
export const QUERY_SCHEMA_VERSION = 1;

/** What a reporter needs to know about a check that ran. */
export interface CheckInfo {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: Severity;
  readonly category: string;
  readonly remediation: string;
  readonly references: References;
}

export interface Summary {
  readonly findings: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly checksRun: number;
  readonly objectsScanned: number;
  readonly skipped: number;
  readonly suppressed: number;
  /** Everything not evaluated, manual controls included. */
  readonly notEvaluated: number;
  /** Of `notEvaluated`, the manual controls: listed for a human by design, never counted by --fail-on-not-evaluated. */
  readonly manual?: number;
  readonly problems: number;
}

/**
 * What became of one check in a run:
 * `fail` it reported findings (suppressed ones included); `not-evaluated` it could not decide somewhere;
 * `manual` it only lists what a human must judge; `pass` it looked and found nothing; `not-applicable` nothing it
 * judges was in the input.
 */
export type CheckOutcome = 'fail' | 'not-evaluated' | 'manual' | 'pass' | 'not-applicable';

/** Per-check totals of a run: the source of per-check summaries and of benchmark (control) views. */
export interface CheckResult {
  readonly id: string;
  readonly outcome: CheckOutcome;
  /** The severity the check ran at (after severity overrides). */
  readonly severity: Severity;
  /** Findings reported (not suppressed). */
  readonly findings: number;
  readonly suppressed: number;
  readonly notEvaluated: number;
  /** The most serious severity among its findings. */
  readonly worst?: Severity;
  /** Distinct resources (or sources) with findings. */
  readonly resources: number;
  /** Objects of the inventory the check was given. */
  readonly objects: number;
}

/** The verdict of one benchmark control (kspect node), like kube-bench's states. */
export type ControlVerdict = 'PASS' | 'FAIL' | 'WARN' | 'MANUAL' | 'NOT_EVALUATED';

export interface ControlResult {
  /** kspect's id of the control (also the checkId of its findings). */
  readonly id: string;
  /** CIS Kubernetes Benchmark id, for CIS controls. */
  readonly cis?: string;
  readonly section: string;
  readonly title: string;
  /** False for manual CIS checks: listed as MANUAL, never passed. */
  readonly automated: boolean;
  readonly verdict: ControlVerdict;
  /** Why: what was observed, or why it could not be evaluated. */
  readonly reason: string;
  /** One line per thing looked at (files, flags), when there are several. */
  readonly details?: readonly string[];
}

/** Per-control verdicts of a benchmark run, grouped by section. */
export interface ControlsReport {
  readonly benchmark: string;
  readonly sections: readonly { readonly id: string; readonly title: string }[];
  readonly results: readonly ControlResult[];
}

export interface Report {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly tool: { readonly name: 'kspect'; readonly version: string };
  /** ISO time, injected by the caller so output is reproducible. */
  readonly generatedAt: string;
  readonly inputs: readonly string[];
  readonly summary: Summary;
  readonly checks: readonly CheckInfo[];
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  readonly notEvaluated: readonly NotEvaluated[];
  readonly problems: readonly Problem[];
  /** Per-check totals, sorted by check id (every report the runner builds has them). */
  readonly results?: readonly CheckResult[];
  /** The certificates and endpoints of a PKI run (`kspect pki check`), when there was one. */
  readonly pki?: PkiSummary;
  /** Per-control verdicts (kspect node); absent for runs without a benchmark. */
  readonly controls?: ControlsReport;
  /** The endpoints of an exposure probe (`kspect probe`), when there was one. */
  readonly probe?: ProbeSummary;
  /** How etcd stores each value read (`kspect etcd check`), when there was a read. */
  readonly etcd?: EtcdSummary;
  /** Per-rule alert counts (`kspect audit analyze`) or per-rule detection coverage (`kspect audit coverage`). */
  readonly audit?: AuditLogSummary | AuditCoverageSection;
  /** Per-control views of the run for the frameworks asked for (`--framework`): verdicts and scores. */
  readonly frameworks?: readonly FrameworkView[];
  /** The shortest escalation paths to cluster-admin, when the run judged RBAC objects (for pictures: the HTML graph). */
  readonly rbacPaths?: RbacPathsSection;
  /** NetworkPolicy reachability by namespace and by workload class, when the run judged pods (for the HTML heatmap). */
  readonly network?: NetworkSection;
}

/** One workload class: pods that every NetworkPolicy treats alike (the netpol engine's equivalence classes). */
export interface NetworkClassSummary {
  readonly namespace: string;
  readonly pods: number;
  /** One pod (or workload) of the class. */
  readonly example: string;
  readonly ingressIsolated: boolean;
  readonly egressIsolated: boolean;
  /** Pods (other than its own) its pods may connect to on some port. */
  readonly reaches: number;
  /** Pods that may connect to its pods on some port. */
  readonly reachedBy: number;
}

/** Reachability between namespaces: ordered pod pairs, and of those the pairs that may connect on some port. */
export interface NetworkSection {
  readonly pods: number;
  readonly policies: number;
  readonly namespaces: readonly string[];
  /** [from][to], indexes into `namespaces`: ordered pairs of distinct pods. */
  readonly pairs: readonly (readonly number[])[];
  /** [from][to]: of those pairs, the ones allowed on some port (undecidable ones are not counted). */
  readonly allowed: readonly (readonly number[])[];
  /** The largest classes, by pods; `unlisted` counts the rest. */
  readonly classes: readonly NetworkClassSummary[];
  readonly unlisted: number;
}

/**
 * A framework control's verdict: FAIL only with findings as evidence; what kspect cannot decide is MANUAL or
 * NOT_EVALUATED; NOT_APPLICABLE when every mapped check ran and found nothing it judges in the input (no pods, no
 * certificates …) — neither passed nor failed.
 */
export type FrameworkVerdict = 'PASS' | 'FAIL' | 'MANUAL' | 'NOT_EVALUATED' | 'NOT_APPLICABLE';

/** One control of a framework as this run decided it. */
export interface FrameworkControlResult {
  readonly id: string;
  readonly title: string;
  readonly section: string;
  readonly verdict: FrameworkVerdict;
  /** The checks mapped to it (data/frameworks/mappings.json). */
  readonly checks: readonly string[];
  /** Findings of those checks (not suppressed). */
  readonly findings: number;
  /** What decided the verdict: findings, what was looked at, what could not be read, what a human must judge. */
  readonly evidence: readonly string[];
}

/** Counts of verdicts and the score: PASS / (PASS + FAIL) in percent, null when nothing was decided. */
export interface FrameworkScore {
  readonly pass: number;
  readonly fail: number;
  readonly manual: number;
  readonly notEvaluated: number;
  readonly notApplicable: number;
  readonly score: number | null;
}

export interface FrameworkView {
  /** `cis`, `nsa`, `mitre` or `pss`. */
  readonly framework: string;
  readonly name: string;
  readonly version: string;
  readonly summary: FrameworkScore;
  readonly controls: readonly FrameworkControlResult[];
  /** Per namespace: the namespaced controls decided there. */
  readonly namespaces: readonly ({ readonly namespace: string } & FrameworkScore)[];
}

/** One step of an escalation path, as a picture needs it. */
export interface RbacPathStep {
  readonly from: string;
  readonly to: string;
  readonly kind: string;
  readonly description: string;
}

export interface RbacPathsSection {
  /** Node id → label. */
  readonly nodes: Readonly<Record<string, string>>;
  readonly paths: readonly { readonly from: string; readonly steps: readonly RbacPathStep[] }[];
  /** Paths found beyond those listed (the section is capped). */
  readonly unlisted: number;
}

/** What kspect decided about one value stored in etcd. */
export type EtcdValueVerdict = 'current' | 'stale' | 'plaintext' | 'plaintext-by-config' | 'undecryptable' | 'unknown-key' | 'kms-unverified' | 'unverified';

/** One value stored in etcd: where, written by which provider and key, and the verdict — never its data. */
export interface EtcdStoredValue {
  /** The etcd key, e.g. `/registry/secrets/prod/db`. */
  readonly key: string;
  readonly group?: string;
  readonly resource?: string;
  readonly namespace?: string;
  readonly name: string;
  /** `identity` for plaintext, else the provider that wrote it (aescbc, aesgcm, secretbox, kms-v1, kms-v2 …). */
  readonly provider: string;
  /** The key name (or KMS provider name) in the envelope; the encoding for plaintext. */
  readonly keyName: string;
  readonly verdict: EtcdValueVerdict;
  readonly detail: string;
}

/** Every value `kspect etcd check` read, sorted by key, and the endpoint it read them from. */
export interface EtcdSummary {
  readonly endpoint?: string;
  readonly values: readonly EtcdStoredValue[];
}

/** What `kspect audit analyze` read and how many alerts each Falco rule raised. */
export interface AuditLogSummary {
  readonly kind: 'AuditLogAnalysis';
  readonly rulesFiles: readonly string[];
  readonly rulesLoaded: number;
  readonly rulesEnabled: number;
  /** Rules of other sources (syscall, …), skipped: source → count. */
  readonly skippedSources: Readonly<Record<string, number>>;
  /** Falco's rule_matching: the first matching rule per event, or all. */
  readonly matching: 'first' | 'all';
  readonly lines: number;
  readonly bytes: number;
  /** Audit events evaluated (after the --since/--until/--user/--namespace filters). */
  readonly events: number;
  readonly filteredOut: number;
  /** Lines or events the k8saudit plugin would not take, by reason. */
  readonly rejected: Readonly<Record<string, number>>;
  readonly alerts: number;
  /** Alerts beyond --max-alerts: counted here, not listed as findings. */
  readonly unlisted: number;
  /** Per rule with at least one alert: on real requests, dry runs, the API server's own requests. */
  readonly rules: readonly { readonly rule: string; readonly priority: string; readonly alerts: number; readonly requests: number; readonly dryRun: number; readonly apiServer: number }[];
}

/** Which Falco detections an audit policy makes impossible (`kspect audit coverage`). */
export interface AuditCoverageSection {
  readonly kind: 'AuditCoverage';
  readonly policy: string;
  readonly k8sVersion: string;
  readonly rules: readonly { readonly rule: string; readonly priority: string; readonly status: 'covered' | 'partial' | 'blind' | 'degraded' | 'never-fires'; readonly needs: string; readonly classes: number; readonly gaps: number; readonly summary: string }[];
}

/** One certificate of a PKI run, as `kspect pki check` lists it. Never holds key material. */
export interface CertificateSummary {
  /** Where it is: `pki/apiserver.crt`, `admin.conf user kubernetes-admin`, `127.0.0.1:6443 chain[0]`. */
  readonly certificate: string;
  readonly source: SourceRef;
  readonly path?: string;
  readonly subject: string;
  /** The Kubernetes identity of a client certificate: CN is the user, O the groups. */
  readonly identity?: { readonly user: string; readonly groups: readonly string[] };
  readonly issuer: string;
  readonly serial: string;
  readonly notBefore: string;
  readonly notAfter: string;
  /** Whole days left until notAfter (negative once expired). */
  readonly residualDays: number;
  /** server, client, peer, ca or unknown. */
  readonly role: string;
  /** kubeadm's name for it, when the file layout says. */
  readonly kubeadmName?: string;
  readonly ca: boolean;
  readonly sans: readonly string[];
  readonly keyUsage?: readonly string[];
  readonly extKeyUsage?: readonly string[];
  /** `ecdsa prime256v1`, `rsa 2048`, `ed25519`. */
  readonly publicKey: string;
  readonly signature: string;
  readonly sha256: string;
}

/** What a TLS endpoint offered. */
export interface EndpointSummary {
  readonly endpoint: string;
  /** Per protocol version (`TLSv1` … `TLSv1.3`): accepted or not. */
  readonly protocols: Readonly<Record<string, boolean>>;
  readonly ciphers: readonly { readonly version: string; readonly name: string }[];
  readonly clientCertRequested?: boolean;
  readonly hostnameMatch?: boolean;
  readonly error?: string;
}

export interface PkiSummary {
  readonly certificates: readonly CertificateSummary[];
  readonly endpoints: readonly EndpointSummary[];
  /** Where the trust anchors came from: `--ca`, the CAs among the inputs, or none. */
  readonly anchors: 'given' | 'inputs' | 'none';
}

/** One endpoint of an exposure probe, as `kspect probe` lists it. Never holds an answer's body. */
export interface ProbeEndpointSummary {
  /** `host:port`. */
  readonly endpoint: string;
  /** The target it came from (a command-line argument, or what the cluster said). */
  readonly target: string;
  readonly state: 'open' | 'closed' | 'filtered' | 'unreachable';
  readonly detail?: string;
  readonly transport?: 'tls' | 'plain';
  /** A TLS server that refused to talk without a client certificate. */
  readonly clientCertRequired?: boolean;
  /** The service kspect recognised, e.g. `kubelet`. */
  readonly service?: string;
  readonly identifiedBy?: string;
  /** One line per request sent: `GET /pods → 401`. */
  readonly answers: readonly string[];
}

export interface ProbeSummary {
  readonly endpoints: readonly ProbeEndpointSummary[];
  readonly counts: Readonly<Record<'open' | 'closed' | 'filtered' | 'unreachable', number>>;
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) out[f.severity]++;
  return out;
}

/**
 * What `--fail-on-not-evaluated` counts: everything that could not be evaluated except manual controls (listed for a
 * human to judge by design). Every command gates on this one definition.
 */
export function notEvaluatedForGate(report: Pick<Report, 'notEvaluated'>): readonly NotEvaluated[] {
  return report.notEvaluated.filter((n) => n.reason !== 'manual');
}
