/** Shared by the default-deny checks: one finding per namespace that runs workloads and fails a test. */
import { counted } from '../../core/text.js';
import type { NetpolEngine } from '../../engines/netpol/engine.js';
import type { CheckContext } from '../../framework/define.js';

export function reportPerNamespace<M extends string>(ctx: CheckContext<M>, engine: NetpolEngine, failing: (namespace: string) => boolean, messageId: M): void {
  const byNs = new Map<string, number>();
  for (const e of engine.endpoints) if (!e.hostNetwork) byNs.set(e.namespace, (byNs.get(e.namespace) ?? 0) + 1);
  ctx.judged(byNs.size);
  for (const [ns, count] of [...byNs.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (!failing(ns)) continue;
    const nsObj = engine.namespaces.get(ns)?.object;
    const data = { namespace: ns, workloads: counted(count, 'workload') };
    if (nsObj) {
      ctx.report({ messageId, data, object: nsObj });
      continue;
    }
    // No Namespace object in the input: point at the first workload of the namespace.
    const first = engine.endpoints.find((e) => e.namespace === ns && !e.hostNetwork);
    const location = first?.object.origin.location;
    ctx.report({ messageId, data, resource: { apiVersion: 'v1', kind: 'Namespace', name: ns }, ...(location ? { location } : {}), ...(first ? { source: first.object.origin.source } : {}) });
  }
}
