/**
 * Which service answered on a port, from the answers to the fingerprint requests and the port it listens on.
 * Content decides where it can (Docker's /_ping, etcd's /version, the kubelet's plain-text refusals, a PodList,
 * the Dashboard's page); the port breaks ties between components that answer alike (a controller-manager and a
 * scheduler both serve /healthz to anyone and refuse the rest). Pure.
 */
import type { Answer } from './answers.js';
import { knownPort, SERVICE_NAMES, type ServiceId } from './catalog.js';

export type Transport = 'tls' | 'plain';

export function answerTo(answers: readonly Answer[], path: string): Answer | undefined {
  return answers.find((a) => a.path === path);
}

export interface Identification {
  readonly service?: ServiceId;
  /** Why: the answer that told, one line. */
  readonly because?: string;
}

function said(a: Answer | undefined): string {
  if (!a) return '';
  return `GET ${a.path} answered ${a.status ?? 'nothing'}${a.detail !== undefined ? ` (${a.detail})` : a.shape !== undefined ? ` (${a.shape})` : ''}`;
}

/**
 * Identify the service of an open port. A TLS server that refuses every client without a certificate says
 * nothing else: it is taken for its port's usual service (etcd on 2379, Docker on 2376), and the reason says so.
 */
export function identify(port: number, transport: Transport, answers: readonly Answer[], clientCertRequired = false): Identification {
  const at = (p: string): Answer | undefined => answerTo(answers, p);
  const any = (shape: string): Answer | undefined => answers.find((a) => a.shape === shape);
  const hint = knownPort(port)?.expect ?? [];
  if (clientCertRequired && !spokeHttp(answers)) {
    const only = hint.length === 1 ? hint[0] : undefined;
    return only !== undefined ? { service: only, because: `TLS requires a client certificate; port ${port} is the ${SERVICE_NAMES[only]} port` } : {};
  }

  const docker = any('docker-ping') ?? any('docker-version');
  if (docker) return { service: 'docker', because: said(docker) };

  const etcdVersion = any('etcd-version');
  if (etcdVersion) return { service: 'etcd-client', because: said(etcdVersion) };
  const metrics = at('/metrics');
  if (metrics?.shape === 'metrics' && metrics.detail?.includes('etcd') === true && !metrics.detail.includes('apiserver')) return { service: 'etcd-metrics', because: said(metrics) };

  const pods = at('/pods');
  if (pods?.shape === 'k8s-list' && pods.detail?.startsWith('PodList') === true) return { service: transport === 'plain' ? 'kubelet-readonly' : 'kubelet', because: said(pods) };
  // The kubelet's own refusals (plain-text 401 and 403): only its TLS port authenticates; the read-only port never refuses.
  const kubeletRefusal = answers.find((a) => a.shape === 'kubelet-forbidden' || (a.shape === 'unauthorized-text' && a.status === 401));
  if (kubeletRefusal && transport === 'tls') return { service: 'kubelet', because: said(kubeletRefusal) };
  // The kubelet's registry also holds apiserver_* families (its client and authn metrics); kubelet_* is its own.
  if (metrics?.shape === 'metrics' && metrics.detail?.includes('kubelet') === true) return { service: transport === 'plain' ? 'kubelet-readonly' : 'kubelet', because: said(metrics) };

  const dashboard = any('dashboard-html') ?? any('dashboard-skippable') ?? any('dashboard-namespaces');
  if (dashboard) return { service: 'dashboard', because: said(dashboard) };

  const version = at('/version');
  const healthz = at('/healthz');
  if (version?.shape === 'k8s-version') return { service: transport === 'plain' ? 'apiserver-http' : 'kube-apiserver', because: said(version) };
  if (version?.shape === 'k8s-status') {
    // The API server refuses /version only when anonymous auth is off, and then refuses /healthz too; the
    // controller-manager and scheduler always let anyone read /healthz (--authorization-always-allow-paths).
    const component = healthz?.shape === 'healthz-ok' && (version.status === 401 || version.status === 403);
    if (component) {
      if (hint.includes('controller-manager')) return { service: 'controller-manager', because: said(healthz) };
      if (hint.includes('scheduler')) return { service: 'scheduler', because: said(healthz) };
      return { service: 'kube-component', because: said(healthz) };
    }
    if (hint.includes('controller-manager')) return { service: 'controller-manager', because: said(version) };
    if (hint.includes('scheduler')) return { service: 'scheduler', because: said(version) };
    return { service: transport === 'plain' ? 'apiserver-http' : 'kube-apiserver', because: said(version) };
  }
  // The controller-manager and scheduler as they really answer (test/probe-control-plane.test.ts): /healthz open,
  // the other paths refused with a Kubernetes Status naming the user, and /version not found — default RBAC
  // (system:public-info-viewer) lets anyone read it, and they serve none. The API server always serves /version.
  const refusal = answers.find((a) => a.shape === 'k8s-status' && (a.status === 401 || a.status === 403));
  if (healthz?.shape === 'healthz-ok' && refusal !== undefined && version?.status === 404) {
    if (hint.includes('controller-manager')) return { service: 'controller-manager', because: said(refusal) };
    if (hint.includes('scheduler')) return { service: 'scheduler', because: said(refusal) };
    if (metrics?.shape === 'metrics' && metrics.detail?.includes('scheduler') === true) return { service: 'scheduler', because: said(metrics) };
    return { service: 'kube-component', because: said(refusal) };
  }
  if (metrics?.shape === 'metrics' && metrics.detail?.includes('kubeproxy') === true) return { service: 'kube-proxy', because: said(metrics) };
  const proxyHealth = any('kube-proxy-healthz');
  if (proxyHealth) return { service: 'kube-proxy', because: said(proxyHealth) };
  if (hint.includes('kube-proxy') && (healthz?.shape === 'healthz-ok' || metrics?.shape === 'metrics')) return { service: 'kube-proxy', because: said(healthz?.shape === 'healthz-ok' ? healthz : metrics) };
  if (healthz?.shape === 'healthz-ok' && (hint.includes('controller-manager') || hint.includes('scheduler'))) return { service: hint.includes('scheduler') ? 'scheduler' : 'controller-manager', because: said(healthz) };
  if (metrics?.shape === 'metrics' && metrics.detail?.includes('scheduler') === true) return { service: 'scheduler', because: said(metrics) };
  return {};
}

/** Whether any request of an endpoint got an HTTP answer at all. */
export function spokeHttp(answers: readonly Answer[]): boolean {
  return answers.some((a) => a.status !== undefined);
}
