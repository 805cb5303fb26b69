/**
 * The Pod Security Standards engine: evaluate pods and pod templates against baseline / restricted at
 * any policy version, exactly as the PodSecurity admission controller decides, and resolve which policy
 * a namespace enforces from its labels.
 */
import type { Inventory } from '../../model/inventory.js';
import type { K8sObject } from '../../model/object.js';
import { evaluateObjectWithBaseline, type EvaluateOptions, type PssEvaluation } from './evaluate.js';
import type { Malformed } from './pod.js';
import { LATEST, parsePssVersion, policyFromLabels, type NamespacePolicy, type PssLevel, type PssPolicy } from './policy.js';

export { PSS_CHECKS, PSS_CHECK_IDS, PSS_NEWEST_MINOR, ALLOWED_SYSCTLS, type PssCheckId, type PssCheckDefinition, type ControlFailure } from './checks.js';
export { evaluateObject, evaluatePod, evaluateView, checksInForce, resolveMinor, formatViolations, type PssEvaluation, type PssViolation, type EvaluateOptions } from './evaluate.js';
export { decodePod, type PodInput, type PodView, type Malformed } from './pod.js';
export {
  PSS_LEVELS,
  LATEST,
  ENFORCE_LABEL,
  ENFORCE_VERSION_LABEL,
  isPssLevel,
  parsePssVersion,
  formatPssVersion,
  formatPolicy,
  policyFromLabels,
  type PssLevel,
  type PssCheckLevel,
  type PssVersion,
  type PssPolicy,
  type NamespacePolicy,
  type PolicySource,
} from './policy.js';

/** How one object is judged in a run: the policy of its namespace and the outcome. */
export interface PssJudgement {
  readonly namespace: NamespacePolicy;
  readonly evaluation: PssEvaluation;
  /**
   * When the object is denied at `restricted`: its evaluation at `baseline` (same version), which says
   * which of its problems break the baseline too.
   */
  readonly baseline?: PssEvaluation;
}

export interface PssEngine {
  /** The enforced policy of a namespace: its labels when the Namespace is in the input, else the run's default. */
  policyFor(namespace: string | undefined): NamespacePolicy;
  /**
   * Judge a Pod or workload; undefined when it carries no pod spec. The last object judged is remembered (the runner
   * hands each object to every check in turn, so the checks of one object share one evaluation); judgements are not
   * kept for the whole run — at 20,000 workloads they were 25 MiB alive until the report was written.
   */
  judge(obj: K8sObject): PssJudgement | undefined;
  /** The fields of an object the API server would reject (wrong type); from the run's judgement when it had one. */
  malformed(obj: K8sObject): readonly Malformed[];
}

/** The part of a run's settings the engine reads (a subset of the checks' RunSettings; engines do not import checks). */
export interface PssRunSettings {
  readonly pss: { readonly level: PssLevel; readonly version: string };
  /** Kubernetes version the input targets, e.g. `1.34`. */
  readonly k8sVersion?: string;
}

/** The default policy of a run (`--pss-level`, `--pss-version`, `.kspect.yaml`). */
export function defaultPolicyOf(settings: PssRunSettings): PssPolicy {
  // The flag and config accept `v1.07` (the admission label does not): read it as v1.7 rather than drop it.
  const lenient = /^v1\.(\d+)$/.exec(settings.pss.version);
  const version = parsePssVersion(settings.pss.version) ?? (lenient?.[1] !== undefined ? { latest: false as const, minor: Number(lenient[1]) } : LATEST);
  return { level: settings.pss.level, version };
}

/** `1.34` → 34, for the API server version a run targets. */
export function serverMinorOf(k8sVersion: string | undefined): number | undefined {
  const m = k8sVersion !== undefined ? /^v?1\.(\d+)$/.exec(k8sVersion) : null;
  return m?.[1] !== undefined ? Number(m[1]) : undefined;
}

export function buildPssEngine(inventory: Inventory, settings: PssRunSettings): PssEngine {
  const defaults = defaultPolicyOf(settings);
  const serverMinor = serverMinorOf(settings.k8sVersion);
  const options: EvaluateOptions = serverMinor !== undefined ? { serverMinor } : {};
  const byNamespace = new Map<string, NamespacePolicy>();
  const fallback: NamespacePolicy = { policy: defaults, source: 'default', labelErrors: [] };
  const policyFor = (namespace: string | undefined): NamespacePolicy => {
    if (namespace === undefined) return fallback;
    let p = byNamespace.get(namespace);
    if (!p) {
      const ns = inventory.namespaces.get(namespace);
      p = ns ? policyFromLabels(ns.metadata.labels, defaults) : fallback;
      byNamespace.set(namespace, p);
    }
    return p;
  };
  let last: { readonly obj: K8sObject; readonly judgement: PssJudgement | undefined } | undefined;
  // What outlives the last judgement: which objects were judged, and the malformed fields of those that had any.
  const judged = new WeakSet<K8sObject>();
  const malformedOf = new WeakMap<K8sObject, readonly Malformed[]>();
  const judge = (obj: K8sObject): PssJudgement | undefined => {
    if (last?.obj === obj) return last.judgement;
    const namespace = policyFor(obj.metadata.namespace);
    // Denied at restricted: the baseline evaluation comes from the same pass (evaluateObjectWithBaseline).
    const both = evaluateObjectWithBaseline(obj, namespace.policy, options);
    const judgement: PssJudgement | undefined = both ? { namespace, ...both } : undefined;
    last = { obj, judgement };
    judged.add(obj);
    if (judgement && judgement.evaluation.malformed.length > 0) malformedOf.set(obj, judgement.evaluation.malformed);
    return judgement;
  };
  return {
    policyFor,
    judge,
    malformed(obj) {
      if (judged.has(obj)) return malformedOf.get(obj) ?? [];
      return judge(obj)?.evaluation.malformed ?? [];
    },
  };
}

/** The engine as checks get it: `ctx.engine(pssEngineFactory)`, built once per run. */
export const pssEngineFactory: { readonly id: 'pss'; readonly reads: readonly string[]; build(inventory: Inventory, settings: PssRunSettings): PssEngine } = { id: 'pss', reads: ['Namespace'], build: buildPssEngine };

/** `restricted:latest (v1.37) enforced by namespace "shop"`, for messages. */
export function describeJudgement(namespaceName: string | undefined, judgement: PssJudgement): string {
  const { evaluation, namespace } = judgement;
  const version = evaluation.requestedVersion === evaluation.version ? evaluation.version : `${evaluation.requestedVersion} (${evaluation.version})`;
  const by = namespace.source === 'namespace-labels' && namespaceName !== undefined ? `the labels of namespace "${namespaceName}"` : 'the default policy';
  const errors = namespace.labelErrors.length > 0 ? `; ${namespace.labelErrors.join('; ')}` : '';
  return `PodSecurity "${evaluation.level}:${version}" (from ${by}${errors})`;
}
