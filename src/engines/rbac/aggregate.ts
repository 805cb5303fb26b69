/**
 * ClusterRole aggregation, as the clusterrole-aggregation controller (pkg/controller/clusterroleaggregation)
 * leaves it. For each aggregated ClusterRole the controller collects, selector by selector, the rules currently
 * stored in every other ClusterRole the selector matches (in name order, dropping rules equal to one already
 * collected) and, when that differs from the stored rules, server-side-applies it. Two consequences kspect keeps:
 *
 * - When the selectors collect nothing, the controller applies a configuration without `rules`, which does not
 *   remove rules another field manager wrote: the role keeps the rules stored in it (as written in the input),
 *   and roles that aggregate it — `admin`, `edit`, `view` included — collect those rules from it.
 * - Roles are read as they are stored at the time, so aggregated roles feed each other until nothing changes.
 *
 * kspect starts from the stored rules and syncs every aggregated role after the aggregated roles it selects, until
 * nothing changes — the state the controller reaches. Without cycles between aggregated roles that state does not
 * depend on the order the controller takes; with a cycle it can (kspect takes name order inside it), which is reported.
 */
import { selectorMatches, type ProblemSink, type RoleRecord } from './objects.js';
import { compileRule, type CompiledRule, type PolicyRule } from './rules.js';

interface Sourced {
  readonly rule: PolicyRule;
  /** The ClusterRole whose input text holds the rule, and its index there. */
  readonly from: { readonly role: string; readonly index: number };
}

/** Equality of rules as the controller's `equality.Semantic.DeepEqual` has it: lists in order, null equals empty. */
export function exactRuleKey(rule: PolicyRule): string {
  return JSON.stringify([rule.verbs, rule.apiGroups, rule.resources, rule.resourceNames, rule.nonResourceURLs]);
}

function sameRules(a: readonly Sourced[], b: readonly Sourced[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined || exactRuleKey(x.rule) !== exactRuleKey(y.rule)) return false;
  }
  return true;
}

function sameRuleSet(a: readonly Sourced[], b: readonly Sourced[]): boolean {
  const sa = new Set(a.map((s) => exactRuleKey(s.rule)));
  const sb = new Set(b.map((s) => exactRuleKey(s.rule)));
  if (sa.size !== sb.size) return false;
  for (const k of sa) if (!sb.has(k)) return false;
  return true;
}

const byName = (a: RoleRecord, b: RoleRecord): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Effective compiled rules of every aggregated ClusterRole, by name. */
export function aggregateClusterRoles(clusterRoles: readonly RoleRecord[], sink: ProblemSink): Map<string, CompiledRule[]> {
  const result = new Map<string, CompiledRule[]>();
  if (!clusterRoles.some((r) => r.aggregation !== undefined)) return result;
  const sorted = [...clusterRoles].sort(byName);
  const aggregatedRoles = sorted.filter((r) => r.aggregation !== undefined);
  const isAggregated = new Set(aggregatedRoles.map((r) => r.name));

  // Roles by label pair, in name order: a selector with matchLabels only looks at the roles carrying its first pair.
  const byLabel = new Map<string, RoleRecord[]>();
  for (const r of sorted)
    for (const [k, v] of Object.entries(r.labels)) {
      const key = `${k}\u0000${v}`;
      const list = byLabel.get(key);
      if (list) list.push(r);
      else byLabel.set(key, [r]);
    }

  // Which roles each selector of each aggregated role selects, in name order (itself excluded, as the controller does).
  const selected = new Map<string, RoleRecord[][]>();
  for (const agg of aggregatedRoles) {
    const perSelector: RoleRecord[][] = [];
    (agg.aggregation ?? []).forEach((sel, i) => {
      const first = Object.entries(sel.matchLabels)[0];
      const candidates = first ? (byLabel.get(`${first[0]}\u0000${first[1]}`) ?? []) : sorted;
      const matched: RoleRecord[] = [];
      let selfSelected = false;
      for (const r of candidates) {
        if (!selectorMatches(sel, r.labels)) continue;
        if (r.name === agg.name) selfSelected = true;
        else matched.push(r);
      }
      if (selfSelected) {
        sink.add(agg.object, `aggregationRule.clusterRoleSelectors[${i}]`, 'warning', 'rbac-self-aggregation', 'the selector matches this ClusterRole itself; the aggregation controller skips it');
      }
      perSelector.push(matched);
    });
    selected.set(agg.name, perSelector);
  }

  // The stored state: every ClusterRole's rules as the input writes them.
  const current = new Map<string, readonly Sourced[]>();
  for (const r of sorted) current.set(r.name, r.rules.map((rule, index) => ({ rule, from: { role: r.name, index } })));

  /** Sync one role as the controller does; returns whether its set of rules (order aside) changed. */
  const sync = (agg: RoleRecord): boolean => {
    const seen = new Set<string>();
    const collected: Sourced[] = [];
    for (const matched of selected.get(agg.name) ?? [])
      for (const r of matched)
        for (const s of current.get(r.name) ?? []) {
          const k = exactRuleKey(s.rule);
          if (seen.has(k)) continue;
          seen.add(k);
          collected.push(s);
        }
    // Nothing collected: the controller's apply carries no rules and leaves the stored ones in place.
    const before = current.get(agg.name) ?? [];
    if (collected.length === 0 || sameRules(collected, before)) return false;
    current.set(agg.name, collected);
    return !sameRuleSet(collected, before);
  };

  // Groups of aggregated roles that select each other (strongly connected), those they depend on first: each
  // group is synced in name order until a round changes nothing. Without cycles every group is one role and one
  // sync settles it — the state the controller reaches whatever its order.
  const edges = new Map<string, string[]>();
  for (const a of aggregatedRoles) edges.set(a.name, [...new Set((selected.get(a.name) ?? []).flat().filter((r) => isAggregated.has(r.name)).map((r) => r.name))]);
  const byRoleName = new Map(aggregatedRoles.map((r) => [r.name, r]));
  for (const group of stronglyConnected(aggregatedRoles.map((r) => r.name), edges)) {
    const members = group.map((n) => byRoleName.get(n)).filter((r): r is RoleRecord => r !== undefined).sort(byName);
    if (members.length === 1) {
      const only = members[0];
      if (only) sync(only);
      continue;
    }
    const storedRules = members.some((r) => r.rules.length > 0);
    sink.add(
      members[0]?.object,
      'aggregationRule',
      'warning',
      'rbac-aggregation-cycle',
      `aggregation cycle between ${members.map((r) => r.name).join(', ')}; each role collects the rules of the others${storedRules ? ', and which stored rules survive depends on the order the controller handles them (kspect takes name order)' : ''}`,
    );
    // A cycle of three or more roles never settles in the controller: each sync collects the others' rules in a
    // new order and the ordered lists keep changing. The sets settle; kspect stops there.
    const maxRounds = members.length + 2;
    let settled = false;
    for (let round = 0; round < maxRounds && !settled; round++) {
      settled = true;
      for (const agg of members) if (sync(agg)) settled = false;
    }
    if (!settled) sink.add(members[0]?.object, 'aggregationRule', 'warning', 'rbac-aggregation-unstable', `the aggregation cycle between ${members.map((r) => r.name).join(', ')} did not settle after ${maxRounds} rounds; the rules of the last round are used`);
  }

  for (const agg of aggregatedRoles) {
    const rules = current.get(agg.name) ?? [];
    const collectedAny = (selected.get(agg.name) ?? []).some((m) => m.some((r) => (current.get(r.name) ?? []).length > 0));
    if (!collectedAny && agg.rules.length > 0) {
      sink.add(agg.object, 'aggregationRule', 'warning', 'rbac-aggregation-empty', 'no ClusterRole in the input with rules matches the aggregation selectors; the aggregation controller keeps the rules stored in this role, and roles aggregating it collect them');
    }
    result.set(
      agg.name,
      rules.map((s, i) => compileRule(s.rule, i, s.from.role === agg.name ? undefined : s.from)),
    );
  }
  return result;
}

/**
 * Tarjan's strongly connected components, iteratively (a long chain of aggregated roles must not overflow the
 * call stack). Components come out dependencies first: a component after every component it has edges to.
 */
export function stronglyConnected(nodes: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1] as { node: string; next: number };
      const out2 = edges.get(top.node) ?? [];
      if (top.next < out2.length) {
        const m = out2[top.next++] as string;
        if (!index.has(m)) {
          index.set(m, counter);
          low.set(m, counter++);
          stack.push(m);
          onStack.add(m);
          work.push({ node: m, next: 0 });
        } else if (onStack.has(m)) low.set(top.node, Math.min(low.get(top.node) ?? 0, index.get(m) ?? 0));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(top.node) ?? 0));
      if (low.get(top.node) === index.get(top.node)) {
        const component: string[] = [];
        for (;;) {
          const n = stack.pop() as string;
          onStack.delete(n);
          component.push(n);
          if (n === top.node) break;
        }
        out.push(component);
      }
    }
  }
  return out;
}
