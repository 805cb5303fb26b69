// Deterministic generator of realistic manifests: Namespaces, Deployments, StatefulSets, DaemonSets, CronJobs,
// Pods and Services, with a mix of hardened and risky pod specs. Same seed, same bytes.
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const IMAGES = ['nginx:1.27', 'nginx:latest', 'redis', 'ghcr.io/acme/api:2.4.1', 'postgres:16.6@sha256:4e2c6a8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c', 'busybox:1.36', 'quay.io/prometheus/node-exporter:v1.8.2'];

function container(r, name) {
  const risky = r() < 0.35;
  const lines = [
    `        - name: ${name}`,
    `          image: ${IMAGES[Math.floor(r() * IMAGES.length)]}`,
    `          ports:`,
    `            - containerPort: ${8000 + Math.floor(r() * 1000)}`,
    `              name: http`,
    `          env:`,
    `            - name: LOG_LEVEL`,
    `              value: info`,
    `            - name: ${risky ? 'DB_PASSWORD' : 'DB_HOST'}`,
    `              value: ${risky ? 'hunter2-example' : 'db.internal'}`,
  ];
  if (r() < 0.7) lines.push(`          resources:`, `            requests: {cpu: 100m, memory: 128Mi}`, `            limits: {cpu: "1", memory: 512Mi}`);
  if (risky) lines.push(`          securityContext:`, `            privileged: ${r() < 0.3}`, `            capabilities: {add: [NET_ADMIN]}`);
  else lines.push(`          securityContext:`, `            runAsNonRoot: true`, `            allowPrivilegeEscalation: false`, `            readOnlyRootFilesystem: true`, `            capabilities: {drop: [ALL]}`, `            seccompProfile: {type: RuntimeDefault}`);
  lines.push(`          volumeMounts:`, `            - name: data`, `              mountPath: /data`);
  return lines.join('\n');
}

function podSpec(r, indent) {
  const hostPath = r() < 0.1;
  const spec = [
    `      serviceAccountName: ${r() < 0.3 ? 'default' : 'app'}`,
    ...(r() < 0.05 ? ['      hostNetwork: true'] : []),
    `      containers:`,
    container(r, 'main'),
    ...(r() < 0.4 ? [container(r, 'sidecar')] : []),
    `      volumes:`,
    `        - name: data`,
    hostPath ? `          hostPath: {path: /var/lib/data}` : `          emptyDir: {}`,
  ].join('\n');
  return spec
    .split('\n')
    .map((l) => ' '.repeat(indent) + l)
    .join('\n');
}

/** YAML text with `count` objects. */
export function generateManifests(count, seed = 42) {
  const r = rng(seed);
  const docs = [];
  const namespaces = Math.max(1, Math.floor(count / 100));
  for (let i = 0; i < namespaces && docs.length < count; i++) {
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-${i}\n  labels:\n    team: t${i % 7}\n${r() < 0.5 ? '    pod-security.kubernetes.io/enforce: baseline\n' : ''}`);
  }
  let i = 0;
  while (docs.length < count) {
    const ns = `ns-${i % namespaces}`;
    const name = `app-${i}`;
    const kind = r();
    const meta = `metadata:\n  name: ${name}\n  namespace: ${ns}\n  labels: {app: ${name}, tier: ${r() < 0.5 ? 'web' : 'backend'}}`;
    if (kind < 0.45) docs.push(`apiVersion: apps/v1\nkind: Deployment\n${meta}\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n${podSpec(r, 0)}`);
    else if (kind < 0.55) docs.push(`apiVersion: apps/v1\nkind: StatefulSet\n${meta}\nspec:\n  serviceName: ${name}\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n${podSpec(r, 0)}`);
    else if (kind < 0.6) docs.push(`apiVersion: apps/v1\nkind: DaemonSet\n${meta}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n${podSpec(r, 0)}`);
    else if (kind < 0.68) docs.push(`apiVersion: batch/v1\nkind: CronJob\n${meta}\nspec:\n  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n${podSpec(r, 4)}`);
    else if (kind < 0.78) docs.push(`apiVersion: v1\nkind: Pod\n${meta}\nspec:\n${podSpec(r, -2 + 2).replace(/^ {6}/gm, '  ')}`);
    else docs.push(`apiVersion: v1\nkind: Service\n${meta}\nspec:\n  type: ${r() < 0.1 ? 'NodePort' : 'ClusterIP'}\n  selector: {app: app-${Math.max(0, i - 1)}}\n  ports:\n    - port: 80\n      targetPort: http`);
    i++;
  }
  return `${docs.join('\n---\n')}\n`;
}
