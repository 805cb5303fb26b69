/**
 * From probed etcd ports to the `EtcdEndpoint` objects of `kspect etcd check`, so the same etcd checks judge both
 * (client listener in plaintext, client certificates not enforced, metrics open). The probe only sends GETs: a
 * client listener that completes TLS without a client certificate and answers `GET /version` is reachable
 * without one; kspect does not try a range read (a POST) to show that data flows too. Pure.
 */
import type { EtcdEndpointView } from '../encryption-at-rest/objects.js';
import { answerTo } from './identify.js';
import type { ProbedEndpointView } from './objects.js';

function url(v: ProbedEndpointView): string {
  return `${v.transport === 'plain' ? 'http' : 'https'}://${v.endpoint}`;
}

/** One EtcdEndpoint per probed etcd client listener, with the metrics listeners of the same host. */
export function etcdEndpointsOf(views: readonly ProbedEndpointView[]): EtcdEndpointView[] {
  const metricsByHost = new Map<string, { url: string; open: 'yes' | 'no' | 'unknown'; detail: string }[]>();
  const metric = (v: ProbedEndpointView): { url: string; open: 'yes' | 'no' | 'unknown'; detail: string } | undefined => {
    const m = answerTo(v.answers, '/metrics');
    if (v.clientCertRequired === true) return { url: `${url(v)}/metrics`, open: 'no', detail: 'TLS requires a client certificate' };
    if (!m) return undefined;
    if (m.status === 200 && m.shape === 'metrics') return { url: `${url(v)}/metrics`, open: 'yes', detail: 'GET /metrics without a client certificate returned etcd metrics' };
    if (m.status === undefined) return { url: `${url(v)}/metrics`, open: 'unknown', detail: m.error ?? 'no answer' };
    return { url: `${url(v)}/metrics`, open: 'no', detail: `GET /metrics answered HTTP ${m.status}` };
  };
  for (const v of views) {
    if (v.state !== 'open' || (v.service !== 'etcd-metrics' && v.service !== 'etcd-client')) continue;
    const m = metric(v);
    if (!m) continue;
    const list = metricsByHost.get(v.host) ?? [];
    list.push(m);
    metricsByHost.set(v.host, list);
  }
  const out: EtcdEndpointView[] = [];
  const hostsWithClient = new Set<string>();
  for (const v of views) {
    if (v.state !== 'open' || v.service !== 'etcd-client') continue;
    hostsWithClient.add(v.host);
    const version = answerTo(v.answers, '/version');
    const versionText = version?.shape === 'etcd-version' ? version.detail?.replace(/^etcd /, '') : undefined;
    let unauthenticatedAccess: 'yes' | 'no' | 'unknown';
    let unauthenticatedDetail: string;
    if (v.clientCertRequired === true) {
      unauthenticatedAccess = 'no';
      unauthenticatedDetail = 'the TLS handshake without a client certificate was refused';
    } else if (version?.shape === 'etcd-version') {
      unauthenticatedAccess = 'yes';
      unauthenticatedDetail = v.transport === 'plain' ? 'the client listener speaks plain HTTP and answered GET /version' : 'TLS without a client certificate was accepted and GET /version answered';
    } else {
      unauthenticatedAccess = 'unknown';
      unauthenticatedDetail = version?.error !== undefined ? `GET /version failed: ${version.error}` : 'etcd did not answer GET /version';
    }
    out.push({
      endpoint: url(v),
      plaintextListener: v.transport === 'plain',
      unauthenticatedAccess,
      unauthenticatedDetail,
      metrics: metricsByHost.get(v.host) ?? [],
      ...(versionText !== undefined ? { version: versionText } : {}),
    });
  }
  // A metrics listener without a client listener probed on the same host still gets judged.
  for (const v of views) {
    if (v.state !== 'open' || v.service !== 'etcd-metrics' || hostsWithClient.has(v.host)) continue;
    const m = metric(v);
    out.push({ endpoint: url(v), plaintextListener: false, unauthenticatedAccess: 'unknown', unauthenticatedDetail: 'no etcd client listener answered on this host; only its metrics listener was judged', metrics: m ? [m] : [] });
    hostsWithClient.add(v.host);
  }
  return out;
}
