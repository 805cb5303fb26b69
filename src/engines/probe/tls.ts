/**
 * The TLS side of probed endpoints for the x509 engine: each probed TLS endpoint's served chain, protocol versions
 * and cipher suites become endpoint material, so the `pki` checks (expiry, SANs, weak keys, old protocols, weak
 * suites …) judge what `kspect probe` met exactly as `kspect pki check HOST:PORT` would. Pure.
 */
import type { Inventory } from '../../model/inventory.js';
import type { MaterialBuilder } from '../x509/builder.js';
import { parseCertificate, type CertInfo } from '../x509/cert.js';
import { endpointProbeOf, PROBED_ENDPOINT, readProbedEndpoint } from './objects.js';

/** Add the TLS endpoints among the inventory's ProbedEndpoint objects to a material builder. */
export function addProbedTls(b: MaterialBuilder, inventory: Inventory): void {
  for (const obj of inventory.ofKind(PROBED_ENDPOINT)) {
    const view = readProbedEndpoint(obj);
    if (!view) continue;
    const probe = endpointProbeOf(view);
    if (!probe || (probe.chain.length === 0 && probe.error !== undefined)) continue;
    const anchors: CertInfo[] = [];
    for (const a of view.tls?.anchors ?? []) {
      const r = parseCertificate(new Uint8Array(Buffer.from(a, 'base64')));
      if (r.ok) anchors.push(r.value);
    }
    b.addEndpoint(probe, { source: obj.origin.source, name: view.endpoint, object: obj }, anchors);
  }
}
