/**
 * Probes matched against roles in one pass over their rules: for a set of probes (the danger catalogue, the steps of
 * the escalation graph, a check's few), which rules of a role grant each, decided once per role and shared by every
 * question asked of that set — instead of every probe tested against every rule for every binding.
 */
import type { RoleEntry } from './authorizer.js';
import type { CompiledRule } from './rules.js';

/** A permission probe: one verb (of several) on one resource of one group. */
export interface Probe {
  readonly verbs: readonly string[];
  readonly group: string;
  /** `pods` or `pods/exec`. */
  readonly resource: string;
  /** True when the resource has no namespace (only ClusterRoleBindings can grant it). */
  readonly clusterScoped?: boolean;
}

/**
 * Whether requests with this verb on this resource carry an object name: `named` always (get, update, patch,
 * delete, and every verb on a subresource of an object), `unnamed` never (create and deletecollection on a
 * resource: the name is not known when they are authorized), `both` for list and watch (named only with a
 * `metadata.name` field selector).
 */
export function requestNaming(verb: string, subresource: string | undefined): 'named' | 'unnamed' | 'both' {
  if (subresource !== undefined && subresource !== '') return 'named';
  if (verb === 'create' || verb === 'deletecollection') return 'unnamed';
  if (verb === 'list' || verb === 'watch') return 'both';
  return 'named';
}

/** A probe with its resource split and the naming of each verb decided once. */
interface Prepared {
  readonly group: string;
  /** The resource as rules name it (`pods/exec`). */
  readonly combined: string;
  readonly sub: string | undefined;
  readonly verbs: readonly string[];
  readonly naming: readonly ('named' | 'unnamed' | 'both')[];
}

function prepare(p: Probe): Prepared {
  const slash = p.resource.indexOf('/');
  const sub = slash < 0 ? undefined : p.resource.slice(slash + 1);
  const resource = slash < 0 ? p.resource : p.resource.slice(0, slash);
  // As resourceMatches: an empty subresource is none.
  return { group: p.group, combined: sub !== undefined && sub !== '' ? p.resource : resource, sub, verbs: p.verbs, naming: p.verbs.map((v) => requestNaming(v, sub)) };
}

/**
 * How far a rule grants a prepared probe: `all` — on any object (the rule has no resourceNames, or it lists `""`,
 * which the authorizer's `==` comparison matches against every request made without a name: create, list, watch,
 * deletecollection); `named` — only on the objects it names; undefined — not at all. (`probeGrant` in dangers.ts.)
 */
function grantOf(r: CompiledRule, p: Prepared): 'all' | 'named' | undefined {
  if (!r.isResourceRule || !(r.allGroups || r.rule.apiGroups.includes(p.group))) return undefined;
  // resourceMatches: `*`, the resource as requested (`pods/exec`), or `*/exec` for a subresource.
  if (!(r.allResources || r.rule.resources.includes(p.combined) || (p.sub !== undefined && p.sub !== '' && r.anySubresources.includes(p.sub)))) return undefined;
  let best: 'named' | undefined;
  for (let i = 0; i < p.verbs.length; i++) {
    if (!(r.allVerbs || r.rule.verbs.includes(p.verbs[i] as string))) continue;
    if (r.names === undefined) return 'all';
    const naming = p.naming[i];
    if (naming !== 'named' && r.names.includes('')) return 'all';
    if (naming !== 'unnamed' && r.names.some((n) => n !== '')) best = 'named';
  }
  return best;
}

const preparedOf = new WeakMap<Probe, Prepared>();

/** `grantOf` for any probe (prepared once per probe object). */
export function probeGrantOf(r: CompiledRule, p: Probe): 'all' | 'named' | undefined {
  let x = preparedOf.get(p);
  if (!x) preparedOf.set(p, (x = prepare(p)));
  return grantOf(r, x);
}

/** A rule of a role that grants a probe, and how far. */
export interface RuleGrant {
  readonly rule: CompiledRule;
  readonly grant: 'all' | 'named';
}

/** What one role grants of a probe set: per probe (by its position in the set), its granting rules in rule order. */
export interface RoleGrants {
  /** `byProbe[i]`: the rules granting probe i, in rule order; undefined when none does. */
  readonly byProbe: readonly (readonly RuleGrant[] | undefined)[];
  /** How many probes of the set the role grants. */
  readonly granted: number;
}

const NO_GRANTS: RoleGrants = { byProbe: [], granted: 0 };

/** What `ProbeSet.grants` has found so far of one role. */
interface Matched {
  byProbe: (RuleGrant[] | undefined)[] | undefined;
  granted: number;
}

/** A set of probes, matched against roles once per role (memoised per role object for the set's lifetime). */
export class ProbeSet {
  private readonly prepared: readonly Prepared[];
  private readonly position = new Map<Probe, number>();
  /** Probe positions by the resource a rule must name to grant them (`pods`, `pods/exec`). */
  private readonly byResource = new Map<string, number[]>();
  /** Probes of a subresource, for rules whose resources hold `*` + `/SUB` (any resource's SUB). */
  private readonly bySub = new Map<string, number[]>();
  private readonly all: readonly number[];
  private readonly memo = new WeakMap<RoleEntry, RoleGrants>();
  /** Per probe: the ordinal of the last rule that listed it as a candidate (each rule tests each probe once). */
  private readonly lastRule: Int32Array;
  private ruleStamp = 0;

  constructor(readonly probes: readonly Probe[]) {
    this.prepared = probes.map(prepare);
    this.lastRule = new Int32Array(probes.length);
    this.all = probes.map((_, i) => i);
    probes.forEach((p, i) => {
      if (!this.position.has(p)) this.position.set(p, i);
      const x = this.prepared[i] as Prepared;
      const l = this.byResource.get(x.combined);
      if (l) l.push(i);
      else this.byResource.set(x.combined, [i]);
      if (x.sub !== undefined && x.sub !== '') {
        const s = this.bySub.get(x.sub);
        if (s) s.push(i);
        else this.bySub.set(x.sub, [i]);
      }
    });
  }

  /** The position of a probe object of this set (-1: not in it). */
  indexOf(p: Probe): number {
    return this.position.get(p) ?? -1;
  }

  /** What the role grants of these probes: one pass over its rules, each tested only against the probes it may grant. */
  grants(role: RoleEntry): RoleGrants {
    const hit = this.memo.get(role);
    if (hit) return hit;
    const acc: Matched = { byProbe: undefined, granted: 0 };
    // Indexed loops: a for-of loop run by the interpreter (this is called once per role, not always optimised yet)
    // makes an iterator result per item (~4 MB over 10,000 roles).
    const rules = role.rules;
    for (let k = 0; k < rules.length; k++) {
      const r = rules[k] as CompiledRule;
      if (!r.isResourceRule) continue;
      if (this.ruleStamp === 0x7fffffff) {
        this.lastRule.fill(0);
        this.ruleStamp = 0;
      }
      const stamp = ++this.ruleStamp;
      if (r.allResources) {
        this.testAll(r, stamp, this.all, acc);
        continue;
      }
      const resources = r.rule.resources;
      for (let j = 0; j < resources.length; j++) {
        const l = this.byResource.get(resources[j] as string);
        if (l) this.testAll(r, stamp, l, acc);
      }
      const subs = r.anySubresources;
      for (let j = 0; j < subs.length; j++) {
        const l = this.bySub.get(subs[j] as string);
        if (l) this.testAll(r, stamp, l, acc);
      }
    }
    const out: RoleGrants = acc.byProbe ? { byProbe: acc.byProbe, granted: acc.granted } : NO_GRANTS;
    this.memo.set(role, out);
    return out;
  }

  /**
   * Test rule `r` (numbered `stamp`) against the probes at `positions`, each once per rule. A method, not a closure
   * made per rule (the roles of a 50,000-binding input hold 45,000 rules, matched by several probe sets).
   */
  private testAll(r: CompiledRule, stamp: number, positions: readonly number[], acc: Matched): void {
    for (let k = 0; k < positions.length; k++) {
      const i = positions[k] as number;
      if (this.lastRule[i] === stamp) continue;
      this.lastRule[i] = stamp;
      const g = grantOf(r, this.prepared[i] as Prepared);
      if (g === undefined) continue;
      const byProbe = (acc.byProbe ??= new Array<RuleGrant[] | undefined>(this.prepared.length).fill(undefined));
      const list = byProbe[i];
      if (list) list.push({ rule: r, grant: g });
      else {
        byProbe[i] = [{ rule: r, grant: g }];
        acc.granted++;
      }
    }
  }
}
