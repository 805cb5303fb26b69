/**
 * ClusterRole aggregation, as the clusterrole-aggregation controller computes it: an aggregated
 * ClusterRole's rules are the rules of every other ClusterRole its selectors match (per selector,
 * matched roles in name order, duplicates dropped), repeated until nothing changes. The result is the
 * least fixed point, reached in at most one round per aggregated role, so cycles cannot hang it.
 */
import { selectorMatches, type ProblemSink, type RoleRecord } from './objects.js';
import { compileRule, ruleKey, type CompiledRule, type PolicyRule } from './rules.js';

interface Sourced {
  readonly rule: PolicyRule;
  readonly from: { role: string; index: number };
}

/** Effective compiled rules of every aggregated ClusterRole, by name. */
export function aggregateClusterRoles(clusterRoles: readonly RoleRecord[], sink: ProblemSink): Map<string, CompiledRule[]> {
  const aggregatedRoles = clusterRoles.filter((r) => r.aggregation !== undefined);
  const result = new Map<string, CompiledRule[]>();
  if (aggregatedRoles.length === 0) return result;
  const sorted = [...clusterRoles].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const isAggregated = new Set(aggregatedRoles.map((r) => r.name));

  // Which roles each selector of each aggregated role selects (itself excluded, as the controller does).
  const selected = new Map<string, RoleRecord[][]>();
  for (const agg of aggregatedRoles) {
    const perSelector: RoleRecord[][] = [];
    (agg.aggregation ?? []).forEach((sel, i) => {
      const matched: RoleRecord[] = [];
      let selfSelected = false;
      for (const r of sorted) {
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
  reportCycles(aggregatedRoles, selected, isAggregated, sink);

  // Least fixed point: start empty, recompute every aggregated role from the current values.
  let current = new Map<string, Sourced[]>(aggregatedRoles.map((r) => [r.name, []]));
  const rounds = aggregatedRoles.length + 1;
  for (let round = 0; round <= rounds; round++) {
    let changed = false;
    const next = new Map<string, Sourced[]>();
    for (const agg of aggregatedRoles) {
      const seen = new Set<string>();
      const rules: Sourced[] = [];
      for (const matched of selected.get(agg.name) ?? []) {
        for (const r of matched) {
          const src: readonly Sourced[] = isAggregated.has(r.name) ? (current.get(r.name) ?? []) : r.rules.map((rule, index) => ({ rule, from: { role: r.name, index } }));
          for (const s of src) {
            const k = ruleKey(s.rule);
            if (seen.has(k)) continue;
            seen.add(k);
            rules.push(s);
          }
        }
      }
      if (rules.length !== (current.get(agg.name) ?? []).length) changed = true;
      next.set(agg.name, rules);
    }
    current = next;
    if (!changed) break;
  }

  for (const agg of aggregatedRoles) {
    const rules = current.get(agg.name) ?? [];
    if (rules.length === 0 && agg.rules.length > 0) {
      // The input holds the stored result of an aggregation whose sources are not in the input.
      sink.add(agg.object, 'aggregationRule', 'warning', 'rbac-aggregation-empty', 'no ClusterRole in the input matches the aggregation selectors; the stored rules are used as they are');
      result.set(
        agg.name,
        agg.rules.map((r, i) => compileRule(r, i)),
      );
      continue;
    }
    result.set(
      agg.name,
      rules.map((s, i) => compileRule(s.rule, i, s.from)),
    );
  }
  return result;
}

function reportCycles(aggregatedRoles: readonly RoleRecord[], selected: Map<string, RoleRecord[][]>, isAggregated: ReadonlySet<string>, sink: ProblemSink): void {
  // Edges between aggregated roles only; a cycle among them is legal but almost always a mistake.
  const edges = new Map<string, string[]>();
  for (const a of aggregatedRoles) edges.set(a.name, [...new Set((selected.get(a.name) ?? []).flat().filter((r) => isAggregated.has(r.name)).map((r) => r.name))]);
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const byName = new Map(aggregatedRoles.map((r) => [r.name, r]));
  const visit = (n: string): void => {
    state.set(n, 1);
    stack.push(n);
    for (const m of edges.get(n) ?? []) {
      const st = state.get(m);
      if (st === 1) {
        const cycle = [...stack.slice(stack.indexOf(m)), m];
        const key = [...cycle].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          sink.add(byName.get(m)?.object, 'aggregationRule', 'warning', 'rbac-aggregation-cycle', `aggregation cycle ${cycle.join(' → ')}; each role gets the union of the rules in the cycle`);
        }
      } else if (st === undefined) visit(m);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const a of aggregatedRoles) if (!state.has(a.name)) visit(a.name);
}
