/**
 * What `kspect probe` knows about the network surface of a cluster, as data: the component ports of current
 * Kubernetes (and the Docker Engine API), the read-only requests it may send, and which follow-up requests each
 * identified service gets. Pure: the sources execute these plans and hand back what they saw.
 *
 * Every request is a GET of a fixed path. Nothing here names exec, attach, run, portForward or any write.
 */

/** A service kspect recognises on a port. */
export type ServiceId =
  | 'docker'
  | 'kubelet'
  | 'kubelet-readonly'
  | 'kube-apiserver'
  | 'apiserver-http'
  | 'etcd-client'
  | 'etcd-metrics'
  | 'controller-manager'
  | 'scheduler'
  | 'kube-component'
  | 'kube-proxy'
  | 'dashboard';

export const SERVICE_NAMES: Readonly<Record<ServiceId, string>> = {
  docker: 'Docker Engine API',
  kubelet: 'kubelet',
  'kubelet-readonly': 'kubelet read-only port',
  'kube-apiserver': 'kube-apiserver',
  'apiserver-http': 'Kubernetes API over plain HTTP',
  'etcd-client': 'etcd client listener',
  'etcd-metrics': 'etcd metrics listener',
  'controller-manager': 'kube-controller-manager',
  scheduler: 'kube-scheduler',
  'kube-component': 'Kubernetes component (controller-manager or scheduler)',
  'kube-proxy': 'kube-proxy',
  dashboard: 'Kubernetes Dashboard',
};

/** A default port: what listens there on a current cluster. */
export interface KnownPort {
  readonly port: number;
  /** What usually answers here. */
  readonly expect: readonly ServiceId[];
  readonly note: string;
}

/**
 * The ports probed when a target names none. Current defaults only: no insecure API port since 1.20
 * (8080 stays because `kubectl proxy --port=8080` and old clusters still answer there), no 10251/10252.
 */
export const DEFAULT_PORTS: readonly KnownPort[] = [
  { port: 443, expect: ['kube-apiserver', 'dashboard'], note: 'API server behind a load balancer, or a Dashboard' },
  { port: 2375, expect: ['docker'], note: 'Docker Engine API, plain TCP' },
  { port: 2376, expect: ['docker'], note: 'Docker Engine API, TLS' },
  { port: 2379, expect: ['etcd-client'], note: 'etcd client listener' },
  { port: 2381, expect: ['etcd-metrics'], note: "etcd metrics listener (kubeadm's --listen-metrics-urls)" },
  { port: 6443, expect: ['kube-apiserver'], note: 'kube-apiserver secure port' },
  { port: 8001, expect: ['apiserver-http'], note: 'kubectl proxy default port' },
  { port: 8080, expect: ['apiserver-http'], note: 'the insecure API port removed in 1.20, or a kubectl proxy' },
  { port: 8443, expect: ['dashboard', 'kube-apiserver'], note: 'Kubernetes Dashboard (or an API server)' },
  { port: 9090, expect: ['dashboard'], note: "Kubernetes Dashboard's insecure HTTP port" },
  { port: 10249, expect: ['kube-proxy'], note: 'kube-proxy metrics' },
  { port: 10250, expect: ['kubelet'], note: 'kubelet API' },
  { port: 10255, expect: ['kubelet-readonly'], note: 'kubelet read-only port' },
  { port: 10256, expect: ['kube-proxy'], note: 'kube-proxy health check' },
  { port: 10257, expect: ['controller-manager'], note: 'kube-controller-manager secure port' },
  { port: 10259, expect: ['scheduler'], note: 'kube-scheduler secure port' },
];

export function knownPort(port: number): KnownPort | undefined {
  return DEFAULT_PORTS.find((p) => p.port === port);
}

/** One request of a plan: always GET, a fixed path, and the Accept header to send. */
export interface PlannedRequest {
  readonly method: 'GET';
  readonly path: string;
  readonly accept?: string;
}

/** Lists are asked for as metadata only, so a readable Secret list never carries Secret data to kspect. */
export const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1beta1,application/json';

const get = (path: string, accept?: string): PlannedRequest => ({ method: 'GET', path, ...(accept !== undefined ? { accept } : {}) });

/** The first requests sent to every open port: enough to tell the services above apart. */
export const FINGERPRINT: readonly PlannedRequest[] = [get('/version'), get('/_ping'), get('/healthz'), get('/metrics'), get('/')];

/** The list requests that tell whether anonymous clients can read the API. */
export const API_READS: readonly { readonly path: string; readonly resource: string }[] = [
  { path: '/api/v1/namespaces?limit=1', resource: 'namespaces' },
  { path: '/api/v1/pods?limit=1', resource: 'pods' },
  { path: '/api/v1/secrets?limit=1', resource: 'secrets' },
];

/** Requests sent once a service is identified. Only reads; list requests are metadata-only. */
export function followUps(service: ServiceId | undefined): readonly PlannedRequest[] {
  switch (service) {
    case 'docker':
      return [];
    case 'kubelet':
      return [get('/pods'), get('/configz')];
    case 'kubelet-readonly':
      return [get('/pods')];
    case 'kube-apiserver':
    case 'apiserver-http':
      return [get('/api'), ...API_READS.map((r) => get(r.path, METADATA_ONLY))];
    case 'controller-manager':
    case 'scheduler':
    case 'kube-component':
      return [get('/configz'), get('/debug/pprof/')];
    case 'kube-proxy':
      return [get('/configz'), get('/proxyMode')];
    case 'etcd-client':
      return [get('/health')];
    case 'etcd-metrics':
      return [];
    case 'dashboard':
      return [get('/api/v1/login/skippable'), get('/api/v1/login/modes'), get('/api/v1/namespace')];
    case undefined:
      return [get('/pods'), get('/api/v1/login/skippable')];
  }
}
