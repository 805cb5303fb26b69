/**
 * The shape shared by the dangerous-permission checks (`rbac-secrets-read`, `rbac-pod-create`, …): each
 * visits the RoleBindings and ClusterRoleBindings and reports the ones whose role grants its danger to a
 * subject that is not a Kubernetes component, with the role and rule that grant it.
 */
import type { Finding, References } from '../core/finding.js';
import type { Severity } from '../core/severity.js';
import { rbacEngine } from '../engines/rbac/index.js';
import { allDangers, BindingDangers, dangerScope, isSystemSubject, ruleDisplay, subjectDisplay, type BindingDanger } from '../engines/rbac/index.js';
import { missingRoleText, type BindingEntry, type RbacIndex, type RoleEntry } from '../engines/rbac/authorizer.js';
import type { CompiledRule } from '../engines/rbac/rules.js';
import type { SubjectRecord } from '../engines/rbac/objects.js';
import type { K8sObject } from '../model/object.js';
import { defineCheck, type Check } from '../framework/define.js';

/**
 * The dangers one binding object grants (a few: each check picks its own), with what their findings say of it: the
 * role, the scope, and the text of its subjects that are not Kubernetes components.
 */
export interface BindingFacts {
  /** Shared with the other bindings of the role in the same scope (BindingDangers): never changed. */
  readonly dangers: readonly BindingDanger[];
  /** "" when every subject is a Kubernetes component (nothing to report). */
  readonly subjects: string;
  readonly role: RoleEntry | undefined;
  /** `cluster` or the RoleBinding's namespace. */
  readonly scope: string;
  /** The bits of its dangers (dangerBit): a check whose bit is not set has nothing to say of it. */
  readonly bits: number;
  /** Not evaluated (its role is missing): said instead of any danger. */
  readonly missing?: { readonly reason: 'missing-input'; readonly object: K8sObject; readonly shared: true; readonly message: string };
}

/** The text of the subjects that are not Kubernetes components, in order (`User a, ServiceAccount ns/b`). */
function subjectsText(subjects: readonly SubjectRecord[]): string {
  let out = '';
  for (const s of subjects) {
    // A record reads as its SubjectRef (subjectOf): the same kind and name, and the namespace (a ServiceAccount's is set).
    if (isSystemSubject(s)) continue;
    out = out === '' ? subjectDisplay(s) : `${out}, ${subjectDisplay(s)}`;
  }
  return out;
}

/** `ruleDisplay` once per rule: a role's rule is named by every binding of the role. */
const ruleTexts = new WeakMap<CompiledRule, string>();
function ruleText(r: CompiledRule): string {
  let t = ruleTexts.get(r);
  if (t === undefined) ruleTexts.set(r, (t = ruleDisplay(r.rule)));
  return t;
}

/** `cluster-wide` or `in namespace NS`, once per namespace (a large cluster's findings name a few hundred). */
const scopeTexts = new Map<string, string>();
function scopeText(scope: string): string {
  let t = scopeTexts.get(scope);
  if (t === undefined) {
    t = scope === 'cluster' ? 'cluster-wide' : `in namespace ${scope}`;
    if (scopeTexts.size < 10_000) scopeTexts.set(scope, t);
  }
  return t;
}

/** `missingRoleText` once per binding: every RBAC check says it of each binding to a missing role. */
const missingTexts = new WeakMap<BindingEntry, string>();
function missingText(b: BindingEntry): string {
  let t = missingTexts.get(b);
  if (t === undefined) missingTexts.set(b, (t = missingRoleText(b)));
  return t;
}

/**
 * The facts of an index's bindings, by object, and the last lookup: the ~25 danger checks visit each binding one after
 * the other (the runner gives an object to all its visitors in turn), so all but the first find it here.
 */
export interface FactsOf {
  readonly byObject: Map<K8sObject, BindingFacts>;
  last: K8sObject | undefined;
  lastFacts: BindingFacts | undefined;
}

const factsByIndex = new WeakMap<RbacIndex, FactsOf>();

/**
 * A bit per danger of the catalogue (0: none, past 31 of them): a binding's facts hold the bits of its dangers, so
 * each of the ~20 danger checks visiting a binding with dangers sees at once whether one is its own, instead of
 * walking the list (31,000 such bindings).
 */
const DANGER_BITS = new Map(allDangers().map((d, i) => [d.id, i < 31 ? 1 << i : 0]));
function bitsOf(dangers: readonly BindingDanger[]): number {
  let bits = 0;
  for (let i = 0; i < dangers.length; i++) bits |= DANGER_BITS.get((dangers[i] as BindingDanger).danger.id) ?? 0;
  return bits;
}
const NO_DANGERS: readonly BindingDanger[] = [];

/** What the danger checks say of one binding object (undefined: nothing). */
function factsOf(facts: FactsOf, obj: K8sObject): BindingFacts | undefined {
  if (facts.last === obj) return facts.lastFacts;
  const entry = facts.byObject.get(obj);
  facts.last = obj;
  facts.lastFacts = entry;
  return entry;
}

/**
 * The bindings the danger checks report on or cannot evaluate, by object (once per index): a binding to a missing role
 * (not a default one, with subjects), else one granting dangers to a subject that is not a Kubernetes component. A
 * binding's dangers are its role's list for its scope (BindingDangers), not an object per binding and danger: the
 * hits of a large cluster (100,000 of them, made and kept to the end of judging) were a tenth of what its scavenges
 * copied.
 */
export function bindingFactsOf(index: RbacIndex): FactsOf {
  const known = factsByIndex.get(index);
  if (known) return known;
  const m = new Map<K8sObject, BindingFacts>();
  // An object given twice is two bindings, the same: one item says its missing role, its dangers are said twice.
  // Indexed loops: this runs once, and a for-of loop run by the interpreter (before it is optimised, and again each
  // time the next loop finds it stale) makes an iterator result per binding.
  for (let i = 0; i < index.missingRoleBindings.length; i++) {
    const b = index.missingRoleBindings[i] as BindingEntry;
    const object = b.record.object;
    if (object === undefined || b.record.isDefault || b.record.subjects.length === 0) continue;
    m.set(object, { dangers: NO_DANGERS, subjects: '', role: undefined, scope: '', bits: 0, missing: { reason: 'missing-input', object, shared: true, message: missingText(b) } });
  }
  const dangers = new BindingDangers(index);
  for (let i = 0; i < index.bindings.length; i++) {
    const b = index.bindings[i] as BindingEntry;
    const object = b.record.object;
    if (!object || b.record.isDefault) continue;
    const found = dangers.of(b);
    if (found.length === 0) continue;
    const held = m.get(object);
    if (held !== undefined) {
      if (held.missing === undefined) m.set(object, { ...held, dangers: [...held.dangers, ...found], bits: held.bits | bitsOf(found) });
      continue;
    }
    const subjects = subjectsText(b.record.subjects);
    if (subjects !== '') m.set(object, { dangers: found, subjects, role: b.role, scope: dangerScope(b), bits: bitsOf(found) });
  }
  const facts: FactsOf = { byObject: m, last: undefined, lastFacts: undefined };
  factsByIndex.set(index, facts);
  return facts;
}

export interface DangerCheckDocs {
  readonly description: string;
  readonly remediation: string;
  readonly references: References;
  readonly recommended?: boolean;
}

/** Define the check for one danger of the catalogue. */
export function dangerCheck(id: string, docs: DangerCheckDocs): Check<'granted'> {
  const spec = allDangers().find((d) => d.id === id);
  if (!spec) throw new Error(`no RBAC danger ${id}`);
  const severity: Severity = spec.severity.cluster;
  return defineCheck({
    id,
    meta: {
      title: spec.title,
      description: docs.description,
      severity,
      category: 'rbac',
      reads: ['*'],
      kinds: ['RoleBinding', 'ClusterRoleBinding'],
      messages: { granted: '{{subjects}} can {{what}} {{scope}}, through {{role}} rules[{{rule}}] ({{ruleText}})' },
      remediation: docs.remediation,
      references: docs.references,
      recommended: docs.recommended ?? true,
    },
    create(ctx) {
      // What the danger checks say of each binding object, looked up on the first binding (a run without RBAC objects
      // never builds the index) and kept for the others: every binding of a large cluster is visited by each danger
      // check, and most of them concern none (one lookup, nothing else).
      let facts: FactsOf | undefined;
      const bit = DANGER_BITS.get(id) ?? 0;
      return (obj) => {
        const entry = factsOf((facts ??= bindingFactsOf(ctx.engine(rbacEngine))), obj);
        if (entry === undefined) return;
        if (entry.missing !== undefined) {
          // One item per binding in the report, not one per RBAC check (shared with rbac-escalation-path).
          ctx.notEvaluated(entry.missing);
          return;
        }
        if (bit !== 0 && (entry.bits & bit) === 0) return;
        const { subjects, role, scope } = entry;
        for (const h of entry.dangers) {
          if (h.danger.id !== id) continue;
          ctx.report({
            messageId: 'granted',
            object: obj,
            path: 'roleRef',
            severity: scope === 'cluster' ? h.danger.severity.cluster : h.danger.severity.namespace,
            data: {
              subjects,
              what: h.danger.what,
              scope: scopeText(scope),
              role: (role as RoleEntry).display,
              rule: h.rule.index,
              ruleText: ruleText(h.rule),
            },
          });
        }
      };
    },
  });
}

const KUBE_SYSTEM_REACHABLE = 'rbac-kube-system-sa-reachable';

/**
 * The table of `rbac risks`: the danger findings of one binding all begin with the same subjects ("{{subjects}} can
 * {{what}} …", the what fixed per check), so the table states `SUBJECTS can:` once under the binding and shows of each
 * finding what follows its check's fixed text (scope, role, rule). Exact, whatever names the input holds: a message is
 * split only where its separator (` can WHAT `; for rbac-kube-system-sa-reachable ` can `) occurs once, so the part
 * before it is its subjects; a finding that does not split so, or names other subjects, is shown whole. Only the
 * layout changes: every other format, and the facts, are the same.
 */
export function rbacRisksShare(k8sVersion?: string): (findings: readonly Finding[]) => { lead: string; rests: (string | undefined)[] } | undefined {
  const separators = new Map(allDangers(k8sVersion).map((d) => [d.id, ` can ${d.what} `]));
  separators.set(KUBE_SYSTEM_REACHABLE, ' can ');
  return (findings) => {
    // Each finding's split as a place, not a pair of strings: the lead is cut once, a finding's subjects compared in
    // place (the part before the separator is the lead when it is as long and the message starts with it). One loop
    // per pass, no closure per finding: a large report has 86,000 findings in 45,000 groups.
    const n = findings.length;
    const ats = new Array<number>(n);
    const seps = new Array<string | undefined>(n);
    // The subjects of the first danger finding: every danger check names all of the binding's subjects that are not
    // Kubernetes components (rbac-kube-system-sa-reachable names only its service accounts outside kube-system).
    let first = -1;
    let any = -1;
    for (let i = 0; i < n; i++) {
      const f = findings[i] as Finding;
      const sep = separators.get(f.checkId);
      let at = -1;
      if (sep !== undefined) {
        // Where the separator is, when it occurs there once after something.
        at = f.message.indexOf(sep);
        if (at <= 0 || f.message.indexOf(sep, at + 1) >= 0) at = -1;
      }
      ats[i] = at;
      seps[i] = sep;
      if (at > 0) {
        if (any < 0) any = i;
        if (first < 0 && f.checkId !== KUBE_SYSTEM_REACHABLE) first = i;
      }
    }
    if (first < 0) first = any;
    if (first < 0) return undefined;
    const subjects = (findings[first] as Finding).message.slice(0, ats[first]);
    const rests = new Array<string | undefined>(n);
    for (let i = 0; i < n; i++) {
      const message = (findings[i] as Finding).message;
      const at = ats[i] as number;
      rests[i] = at === subjects.length && message.startsWith(subjects) ? message.slice(at + (seps[i] as string).length) : undefined;
    }
    return { lead: `${subjects} can:`, rests };
  };
}
