/**
 * Evaluating a pod against a Pod Security level at a policy version, as the admission controller does:
 * the controls in force at that version (the newest behaviour of each control not newer than it),
 * restricted = its own controls plus every baseline control it does not replace, versions newer than
 * the newest known (or than the API server's own version) evaluated at that newest one.
 */
import type { K8sObject } from '../../model/object.js';
import { podSpecOf } from '../../model/podspec.js';
import { PSS_CHECKS, PSS_NEWEST_MINOR, type ControlFn, type PssCheckDefinition, type PssCheckId } from './checks.js';
import { decodePod, type Malformed, type PodInput, type PodView } from './pod.js';
import { formatPssVersion, type PssCheckLevel, type PssLevel, type PssPolicy } from './policy.js';

export interface PssViolation {
  /** The admission controller's check id, e.g. `runAsNonRoot`. */
  readonly check: PssCheckId;
  /** The level the check belongs to. */
  readonly level: PssCheckLevel;
  /** The control's name in the Pod Security Standards. */
  readonly control: string;
  readonly reason: string;
  readonly detail: string;
  /** Field paths (within the object) of the offending fields, most useful first. */
  readonly paths: readonly string[];
  readonly containers: readonly string[];
}

export interface PssEvaluation {
  readonly level: PssLevel;
  /** The version as asked for (`latest`, `v1.40`). */
  readonly requestedVersion: string;
  /** The version whose rules were applied (`v1.37`). */
  readonly version: string;
  readonly allowed: boolean;
  readonly violations: readonly PssViolation[];
  /** Fields of the wrong type: the API server would reject the object before admission evaluates it. */
  readonly malformed: readonly Malformed[];
}

export interface EvaluateOptions {
  /**
   * The API server's minor version (e.g. 34), when known: policy versions newer than it, and `latest`,
   * are evaluated at it, as an API server of that version does.
   */
  readonly serverMinor?: number;
}

interface ActiveControl {
  readonly def: PssCheckDefinition;
  readonly run: ControlFn;
}

/** The version of a control in force at `minor`, if the control exists by then. */
function controlAt(def: PssCheckDefinition, minor: number): { run: ControlFn; overrides: readonly PssCheckId[] } | undefined {
  let found: { run: ControlFn; overrides: readonly PssCheckId[] } | undefined;
  for (const v of def.versions) if (v.since <= minor) found = { run: v.run, overrides: v.overrides ?? [] };
  return found;
}

const byId = (a: PssCheckDefinition, b: PssCheckDefinition): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const BASELINE_DEFS = PSS_CHECKS.filter((c) => c.level === 'baseline').sort(byId);
const RESTRICTED_DEFS = PSS_CHECKS.filter((c) => c.level === 'restricted').sort(byId);

const cache = new Map<string, readonly ActiveControl[]>();

/** The controls evaluated at a level and (resolved) minor version, baseline ones first, each group by id. */
export function controlsAt(level: PssCheckLevel, minor: number): readonly ActiveControl[] {
  const key = `${level}:${minor}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const restricted = level === 'restricted' ? RESTRICTED_DEFS.flatMap((def) => { const c = controlAt(def, minor); return c ? [{ def, ...c }] : []; }) : [];
  const replaced = new Set(restricted.flatMap((c) => c.overrides));
  const baseline = BASELINE_DEFS.filter((def) => !replaced.has(def.id)).flatMap((def) => {
    const c = controlAt(def, minor);
    return c ? [{ def, run: c.run }] : [];
  });
  const out = [...baseline, ...restricted.map(({ def, run }) => ({ def, run }))];
  cache.set(key, out);
  return out;
}

/** The ids of the checks evaluated at a level and version, and which baseline checks restricted ones replace there. */
export function checksInForce(level: PssCheckLevel, policyVersion: PssPolicy['version'], options: EvaluateOptions = {}): { readonly checks: readonly PssCheckId[]; readonly replaced: ReadonlyMap<PssCheckId, PssCheckId> } {
  const minor = resolveMinor(policyVersion, options);
  const replaced = new Map<PssCheckId, PssCheckId>();
  if (level === 'restricted')
    for (const def of RESTRICTED_DEFS) for (const o of controlAt(def, minor)?.overrides ?? []) replaced.set(o, def.id);
  return { checks: controlsAt(level, minor).map((c) => c.def.id), replaced };
}

/** The policy minor version whose rules apply. */
export function resolveMinor(version: PssPolicy['version'], options: EvaluateOptions = {}): number {
  const newest = options.serverMinor !== undefined && options.serverMinor < PSS_NEWEST_MINOR ? options.serverMinor : PSS_NEWEST_MINOR;
  return version.latest ? newest : Math.min(version.minor, newest);
}

/** Evaluate a decoded pod. */
export function evaluateView(pod: PodView, policy: PssPolicy, options: EvaluateOptions = {}): PssEvaluation {
  const minor = resolveMinor(policy.version, options);
  const base = { level: policy.level, requestedVersion: formatPssVersion(policy.version), version: `v1.${minor}`, malformed: pod.malformed };
  if (policy.level === 'privileged') return { ...base, allowed: true, violations: [] };
  const violations: PssViolation[] = [];
  for (const { def, run } of controlsAt(policy.level, minor)) {
    const failure = run(pod);
    if (failure) violations.push({ check: def.id, level: def.level, control: def.control, ...failure });
  }
  return { ...base, allowed: violations.length === 0, violations };
}

/**
 * Evaluate a decoded pod at `policy` and, when that is restricted and denies it, at baseline (same version) too — the
 * evaluation that says which of its problems break the baseline. The baseline controls restricted keeps are not run
 * twice: their results are taken from the restricted evaluation; only the ones restricted replaces are run.
 * Exactly `evaluateView(pod, { level: 'baseline', version })` (same controls, same order, same results).
 */
export function evaluateViewWithBaseline(pod: PodView, policy: PssPolicy, options: EvaluateOptions = {}): { evaluation: PssEvaluation; baseline?: PssEvaluation } {
  const evaluation = evaluateView(pod, policy, options);
  if (evaluation.allowed || policy.level !== 'restricted') return { evaluation };
  const minor = resolveMinor(policy.version, options);
  const inRestricted = new Set<PssCheckId>();
  for (const { def } of controlsAt('restricted', minor)) if (def.level === 'baseline') inRestricted.add(def.id);
  const found = new Map<PssCheckId, PssViolation>();
  for (const v of evaluation.violations) if (v.level === 'baseline') found.set(v.check, v);
  const violations: PssViolation[] = [];
  for (const { def, run } of controlsAt('baseline', minor)) {
    if (inRestricted.has(def.id)) {
      const v = found.get(def.id);
      if (v) violations.push(v);
      continue;
    }
    const failure = run(pod);
    if (failure) violations.push({ check: def.id, level: def.level, control: def.control, ...failure });
  }
  const baseline: PssEvaluation = { level: 'baseline', requestedVersion: evaluation.requestedVersion, version: evaluation.version, malformed: pod.malformed, allowed: violations.length === 0, violations };
  return { evaluation, baseline };
}

/** evaluateViewWithBaseline for a Pod or the pod template of a workload; undefined when the object carries no pod spec. */
export function evaluateObjectWithBaseline(obj: K8sObject, policy: PssPolicy, options: EvaluateOptions = {}): { evaluation: PssEvaluation; baseline?: PssEvaluation } | undefined {
  const view = podSpecOf(obj);
  if (!view) return undefined;
  return evaluateViewWithBaseline(decodePod({ spec: view.spec, specPath: view.path, metadata: view.metadata, metadataPath: view.metadataPath, isPod: obj.kind === 'Pod' }), policy, options);
}

/** Evaluate a pod spec and its metadata (paths relative to the object they came from). */
export function evaluatePod(input: PodInput, policy: PssPolicy, options: EvaluateOptions = {}): PssEvaluation {
  return evaluateView(decodePod(input), policy, options);
}

/** Evaluate a Pod or the pod template of a workload; undefined when the object carries no pod spec. */
export function evaluateObject(obj: K8sObject, policy: PssPolicy, options: EvaluateOptions = {}): PssEvaluation | undefined {
  const view = podSpecOf(obj);
  if (!view) return undefined;
  return evaluatePod({ spec: view.spec, specPath: view.path, metadata: view.metadata, metadataPath: view.metadataPath, isPod: obj.kind === 'Pod' }, policy, options);
}

/** The admission controller's one-line verdict for a denied pod: `reason (detail), reason (detail)`. */
export function formatViolations(violations: readonly PssViolation[]): string {
  return violations.map((v) => (v.detail !== '' ? `${v.reason} (${v.detail})` : v.reason)).join(', ');
}
