/**
 * Reachability by namespace and by workload class for the HTML heatmap, from the NetworkPolicy engine. Endpoints
 * (pods and workloads' pod templates) of one equivalence class behave alike toward everything, so one reach
 * question per ordered pair of classes decides every pair of their members: cost grows with classes², not pods².
 */
import type { NetworkClassSummary, NetworkSection } from '../core/report.js';
import type { RunView } from '../framework/runner.js';
import { isEmptyPorts, netpolEngineFactory, type Endpoint } from '../engines/netpol/index.js';

/** Classes listed at most (by size); the heatmap counts all of them. */
export const MAX_LISTED_CLASSES = 200;
/** Beyond this many classes the picture is left out (the pair pass would dominate the run). */
export const MAX_CLASSES = 2000;

/** The network section of a run with endpoints, or undefined. */
export function networkSection(view: RunView): NetworkSection | undefined {
  const engine = view.engine(netpolEngineFactory);
  const eps = engine.endpoints;
  if (eps.length === 0) return undefined;
  const byClass = new Map<number, Endpoint[]>();
  for (const e of eps) {
    const c = engine.classOf(e);
    const l = byClass.get(c);
    if (l) l.push(e);
    else byClass.set(c, [e]);
  }
  const classes = [...byClass.values()];
  if (classes.length > MAX_CLASSES) return undefined;
  const namespaces = [...new Set(eps.map((e) => e.namespace))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const nsIndex = new Map(namespaces.map((n, i) => [n, i]));
  const K = namespaces.length;
  const pairs = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const allowed = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  // Per class: members per namespace index.
  const perNs = classes.map((members) => {
    const m = new Map<number, number>();
    for (const e of members) {
      const i = nsIndex.get(e.namespace) ?? 0;
      m.set(i, (m.get(i) ?? 0) + 1);
    }
    return m;
  });
  const reaches = new Array<number>(classes.length).fill(0);
  const reachedBy = new Array<number>(classes.length).fill(0);
  classes.forEach((ca, a) => {
    const src = ca[0] as Endpoint;
    classes.forEach((cb, b) => {
      const ok = !isEmptyPorts(engine.reach(src, cb[0] as Endpoint).allowed);
      for (const [x, nx] of perNs[a] ?? []) {
        for (const [y, ny] of perNs[b] ?? []) {
          // Ordered pairs of distinct endpoints: within one class and namespace, an endpoint is not paired with itself.
          const w = nx * ny - (a === b && x === y ? nx : 0);
          if (w <= 0) continue;
          (pairs[x] as number[])[y] = ((pairs[x] as number[])[y] ?? 0) + w;
          if (ok) (allowed[x] as number[])[y] = ((allowed[x] as number[])[y] ?? 0) + w;
        }
      }
      if (ok) {
        reaches[a] = (reaches[a] ?? 0) + cb.length - (a === b ? 1 : 0);
        reachedBy[b] = (reachedBy[b] ?? 0) + ca.length - (a === b ? 1 : 0);
      }
    });
  });
  const order = classes.map((c, i) => i).sort((x, y) => (classes[y]?.length ?? 0) - (classes[x]?.length ?? 0) || x - y);
  const listed: NetworkClassSummary[] = order.slice(0, MAX_LISTED_CLASSES).map((i) => {
    const members = classes[i] ?? [];
    const rep = members[0] as Endpoint;
    const sel = engine.selecting(rep);
    return {
      namespace: [...new Set(members.map((e) => e.namespace))].sort().join(', '),
      pods: members.length,
      example: rep.id,
      ingressIsolated: sel.ingress.length > 0,
      egressIsolated: sel.egress.length > 0,
      reaches: Math.max(0, reaches[i] ?? 0),
      reachedBy: Math.max(0, reachedBy[i] ?? 0),
    };
  });
  return { pods: eps.length, policies: engine.policies.length, namespaces, pairs, allowed, classes: listed, unlisted: classes.length - listed.length };
}
