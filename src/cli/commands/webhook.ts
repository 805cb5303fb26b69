/**
 * `kspect webhook serve`: the same checks as `kspect scan` as a validating admission webhook (enforce / warn /
 * audit per namespace, like Pod Security admission) and an ImagePolicyWebhook backend; `kspect webhook manifests`:
 * the configurations and workload to run it in a cluster.
 */
import cluster from 'node:cluster';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { UsageError } from '../../core/result.js';
import { isSeverity, type Severity } from '../../core/severity.js';
import { escapeText } from '../../core/text.js';
import { reviewContext } from '../../sources/webhook/context.js';
import { webhookConfigurations, webhookManifests } from '../../sources/webhook/manifests.js';
import { staticNamespaces, watchedNamespaces, type NamespaceSource } from '../../sources/webhook/namespaces.js';
import { jsonLogger, startWebhookServer } from '../../sources/webhook/server.js';
import { WEBHOOK_MODES, type WebhookMode } from '../../sources/webhook/review.js';
import { loadManifests } from '../../sources/files.js';
import { readErrorText } from '../../sources/safe-read.js';
import { usableCpus } from '../../sources/cpus.js';
import { loadConfig } from '../../sources/config.js';
import { dockerConfigCredentials, loadDockerConfigDoc, runCredentialHelper } from '../../sources/registry/auth.js';
import { ImageVerifier, pullSecretReader } from '../../sources/webhook/signatures.js';
import { allChecks } from '../../checks/index.js';
import type { KspectConfig } from '../../core/config.js';
import { DEFAULT_IMAGE_POLICY, type ImagePolicy } from '../../core/image-policy.js';
import { dirname, resolve } from 'node:path';
import { guard, parse } from '../args.js';
import { registryCa } from '../inputs.js';
import { packageVersion, type Io } from '../io.js';
import { CLI_BIN } from '../paths.js';
import { HELP_OPTION, K8S_VERSION_OPTIONS, REQUEST_TIMEOUT_OPTIONS, TIMEOUT_OPTIONS, checksArg, requestTimeoutArg, requestTimeoutHelp, choiceArg, k8sVersionArg, optionHelp, outputArg } from '../options.js';
import { writeOutput } from '../report-output.js';

export const WEBHOOK_HELP = `Usage: kspect webhook serve --tls-cert FILE --tls-key FILE [options]
       kspect webhook manifests --ca-bundle FILE (--url URL | --service NS/NAME[:PORT]) [options]

serve: a validating admission webhook (admission.k8s.io/v1) over HTTPS, judging Pods, workload templates, RBAC,
Services, Ingresses, NetworkPolicies and webhook configurations with the checks of kspect scan and .kspect.yaml.
  POST /validate/enforce   deny (HTTP 403 in the status) what the namespace's kspect.dev/enforce label selects
  POST /validate/warn      allow, with warnings kubectl prints (kspect.dev/warn)
  POST /validate/audit     allow, with audit annotations (kspect.dev/audit)
  POST /imagereview        imagepolicy.k8s.io/v1alpha1 ImageReview for the ImagePolicyWebhook admission plugin
  GET  /healthz, /readyz
A namespace label's value is a severity (findings at or above it), check ids joined by "." (e.g.
pss-baseline.pod-privileged), or none. Namespaces without kspect.dev/* labels follow --default-mode.

serve options:
      --tls-cert FILE      serving certificate (PEM; reloaded when the file changes)
      --tls-key FILE       its private key
      --listen ADDR        host:port to listen on (default 0.0.0.0:8443)
      --default-mode MODE  enforce, warn, audit or none (default) for namespaces without kspect.dev/* labels
      --fail-on SEV        the default mode's threshold: findings at or above SEV count (default high)
      --image-fail-on SEV  ImageReview denies findings at or above SEV (default medium)
      --failure-mode M     deny (default) or allow: what enforce answers when a check crashes or a namespace
                           cannot be read; the answer says why either way
      --max-in-flight N    requests judged or waiting at once, per worker; more get HTTP 429 (default 256)
      --workers N          processes serving the port (node:cluster; default: the CPUs available, a cgroup CPU
                           limit included; 1 serves in this process); each judges, watches namespaces and reloads
                           the certificate itself
      --namespaces FILE    read namespaces from FILE instead of watching the cluster (no API access)
Image signatures (the images.signatures rules of .kspect.yaml, as kspect images verify applies them): a Pod's
images that a rule covers, and ImageReviews, are verified against the registries within the API server's timeout
(digests cached 5 minutes, unsigned ones 30 s, tags 10 s); unverifiable images follow --failure-mode in enforce and are named
"not evaluated" in warn and audit. With a cluster, the Pod's imagePullSecrets are read (GET) for registry logins.
      --docker-config FILE    docker config.json with registry credentials (default: $DOCKER_CONFIG, ~/.docker)
      --registry-ca FILE      PEM CA bundle trusted for registries besides the system roots
      --insecure-registry H   reach registry host[:port] H over plain HTTP (repeatable)
      --context C, --kubeconfig FILE  the cluster whose namespaces are watched (default: in-cluster or kubeconfig)
${requestTimeoutHelp('API request of the namespace watch', '10s')}${optionHelp(['config', 'checks', 'k8s-version'])}
manifests options:
      --ca-bundle FILE     PEM of the CA that signed the serving certificate
      --url URL            the webhook's address as the API server reaches it (no query string)
      --service NS/NAME[:PORT]  or a Service in the cluster (default port 443); adds the Deployment, Service,
                           ServiceAccount and RBAC to run it
      --namespace NS       kspect's namespace, never judged (default kspect)
      --image IMAGE        kspect's image for the Deployment
      --tls-secret NAME    Secret with tls.crt/tls.key for the Deployment (default kspect-webhook-tls)
      --timeout-seconds N  the enforcing webhook's timeout (default 5)
      --configurations-only  print only the two ValidatingWebhookConfigurations
  -o, --output FILE        write the manifests to FILE
${optionHelp(['help'])}
Exit codes: 0 stopped cleanly (SIGTERM/SIGINT); 1 a worker did not stop cleanly; 2 usage, configuration or start-up
error.
`;

const SERVE_OPTIONS = {
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  listen: { type: 'string' },
  'default-mode': { type: 'string' },
  'fail-on': { type: 'string' },
  'image-fail-on': { type: 'string' },
  'failure-mode': { type: 'string' },
  'max-in-flight': { type: 'string' },
  workers: { type: 'string' },
  namespaces: { type: 'string' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  'docker-config': { type: 'string' },
  'registry-ca': { type: 'string' },
  'insecure-registry': { type: 'string', multiple: true },
  ...REQUEST_TIMEOUT_OPTIONS,
  ...TIMEOUT_OPTIONS,
  config: { type: 'string' },
  checks: { type: 'string' },
  ...K8S_VERSION_OPTIONS,
  ...HELP_OPTION,
} as const;

const MANIFEST_OPTIONS = {
  'ca-bundle': { type: 'string' },
  url: { type: 'string' },
  service: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  image: { type: 'string' },
  'tls-secret': { type: 'string' },
  'timeout-seconds': { type: 'string' },
  'configurations-only': { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  ...HELP_OPTION,
} as const;

function severity(value: string | undefined, flag: string): Severity | undefined {
  if (value === undefined) return undefined;
  if (!isSeverity(value)) throw new UsageError('usage', `${flag} must be one of critical, high, medium, low, info`);
  return value;
}

function listenArg(value: string | undefined): { host: string; port: number } {
  const v = value ?? '0.0.0.0:8443';
  const i = v.lastIndexOf(':');
  const host = i > 0 ? v.slice(0, i).replace(/^\[(.*)\]$/, '$1') : '0.0.0.0';
  const port = Number(i >= 0 ? v.slice(i + 1) : v);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('usage', `--listen must be host:port (got "${v}")`);
  return { host, port };
}

async function serve(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, SERVE_OPTIONS);
  if (values.help) {
    io.stdout(WEBHOOK_HELP);
    return 0;
  }
  const requestTimeoutMs = requestTimeoutArg(values, 10_000);
  if (values.namespaces !== undefined && values['request-timeout'] !== undefined) throw new UsageError('usage', '--request-timeout limits the namespace watch\'s API requests; --namespaces FILE makes none');
  if (positionals.length > 0) throw new UsageError('usage', `webhook serve takes no arguments (got "${positionals[0] ?? ''}")`);
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if (certFile === undefined || keyFile === undefined) throw new UsageError('usage', 'webhook serve needs --tls-cert and --tls-key');
  const listen = listenArg(values.listen);
  const defaultMode = choiceArg<WebhookMode | 'none'>(values['default-mode'], '--default-mode', [...WEBHOOK_MODES, 'none'], 'none');
  const failOn = severity(values['fail-on'], '--fail-on');
  const imageFailOn = severity(values['image-fail-on'], '--image-fail-on');
  const failureMode = choiceArg<'deny' | 'allow'>(values['failure-mode'], '--failure-mode', ['deny', 'allow'], 'deny');
  const maxInFlight = values['max-in-flight'] !== undefined ? Number(values['max-in-flight']) : 256;
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new UsageError('usage', '--max-in-flight must be a positive integer');
  if (values.namespaces !== undefined && (values.context !== undefined || values.kubeconfig !== undefined)) throw new UsageError('usage', 'give --namespaces FILE or --context/--kubeconfig, not both');
  const workers = values.workers !== undefined ? Number(values.workers) : usableCpus();
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new UsageError('usage', '--workers must be 1 to 64');
  const k8s = k8sVersionArg(values['k8s-version']);
  const only = await checksArg(values.checks);
  const { config, file: configFile, warnings: configWarnings } = await loadConfig(values.config, io.cwd, new Set(allChecks.map((c) => c.id)));
  for (const w of configWarnings) io.stderr(`kspect: warning: ${escapeText(w)}\n`);
  const review = reviewContext({ config, defaultMode, ...(failOn ? { failOn } : {}), ...(only ? { only } : {}), failureMode, settings: k8s !== undefined ? { k8sVersion: k8s } : {}, clock: io.now, toolVersion: await packageVersion() });
  // The arguments are valid (a usage error is reported once, here): more than one worker serves from child processes.
  if (workers > 1 && cluster.isPrimary) return supervise(argv, workers, jsonLogger(io.stderr, io.now));
  const log = jsonLogger(io.stderr, io.now, cluster.isWorker && cluster.worker ? { worker: cluster.worker.id } : {});

  let namespaces: NamespaceSource;
  if (values.namespaces !== undefined) {
    const loaded = await loadManifests([values.namespaces], { cwd: io.cwd });
    if (loaded.problems.some((p) => p.severity === 'error')) throw new UsageError('input', `--namespaces ${values.namespaces}: ${loaded.problems.map((p) => p.message).join('; ')}`);
    namespaces = staticNamespaces(loaded.objects);
  } else {
    try {
      namespaces = await watchedNamespaces({ timeoutMs: requestTimeoutMs, ...(values.context !== undefined ? { context: values.context } : {}), ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}), log });
    } catch (e) {
      throw new UsageError('input', `cannot watch namespaces: ${e instanceof Error ? e.message : String(e)} (or give --namespaces FILE)`);
    }
  }
  let verifier: ImageVerifier | undefined;
  try {
    verifier = await imageVerifier(values, config, configFile, io, log, requestTimeoutMs);
  } catch (e) {
    namespaces.stop();
    throw e;
  }
  let server;
  try {
    server = await startWebhookServer({ certFile, keyFile, host: listen.host, port: listen.port, review, images: { review, ...(imageFailOn ? { failOn: imageFailOn } : {}) }, ...(verifier ? { verifier } : {}), namespaces, maxInFlight, log });
  } catch (e) {
    namespaces.stop();
    verifier?.close();
    throw new UsageError('input', `cannot serve: ${readErrorText(e)}`);
  }
  // Serve until SIGTERM or SIGINT, then let requests in flight finish. The handlers stay: a second signal (a
  // terminal's SIGINT reaches the workers and the primary, which passes SIGTERM on) must not kill the process.
  await stopSignal();
  await server.close(SHUTDOWN_GRACE_MS);
  verifier?.close();
  // A worker's channel to the primary would keep it alive: let go of it so the process ends.
  if (cluster.isWorker) cluster.worker?.disconnect();
  return 0;
}

/**
 * The image signature verifier of `.kspect.yaml`'s images.signatures rules (none: undefined, and the flags for
 * registries are refused as meaningless). Trust material that cannot be read is a start-up error: a webhook must not
 * run believing it enforces a rule it cannot check.
 */
async function imageVerifier(
  values: { readonly 'docker-config'?: string | undefined; readonly 'registry-ca'?: string | undefined; readonly 'insecure-registry'?: string[] | undefined; readonly namespaces?: string | undefined; readonly kubeconfig?: string | undefined; readonly context?: string | undefined },
  config: KspectConfig,
  configFile: string | undefined,
  io: Io,
  log: ReturnType<typeof jsonLogger>,
  requestTimeoutMs: number,
): Promise<ImageVerifier | undefined> {
  const base = config.images ?? DEFAULT_IMAGE_POLICY;
  if (base.signatures.length === 0) {
    for (const f of ['docker-config', 'registry-ca', 'insecure-registry'] as const) if (values[f] !== undefined) throw new UsageError('usage', `--${f} is for reading image signatures, and .kspect.yaml has no images.signatures rule`);
    return undefined;
  }
  const baseDir = configFile !== undefined ? dirname(configFile) : io.cwd;
  const policy: ImagePolicy = {
    ...base,
    registries: { ...base.registries, insecure: [...base.registries.insecure, ...(values['insecure-registry'] ?? [])], layouts: base.registries.layouts.map((l) => resolve(baseDir, l)) },
  };
  const problems: string[] = [];
  const docker = await loadDockerConfigDoc(values['docker-config'] ?? base.registries.dockerConfig, io.env, problems);
  if (values['docker-config'] !== undefined && problems.length > 0) throw new UsageError('input', problems.join('; '));
  for (const p of problems) log('warn', p, {});
  const ca = await registryCa(values['registry-ca'], base.registries.ca, baseDir);
  const helperProblems: string[] = [];
  const { verifier, problems: trust } = await ImageVerifier.create({
    policy,
    baseDir,
    ...(docker ? { credentials: dockerConfigCredentials(docker.doc, runCredentialHelper(io.env), helperProblems) } : {}),
    ...(ca ? { ca } : {}),
    // With a cluster, the pods' imagePullSecrets are registry logins too (as the kubelet uses them).
    ...(values.namespaces === undefined ? { pullSecrets: pullSecretReader({ ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}), ...(values.context !== undefined ? { context: values.context } : {}), timeoutMs: requestTimeoutMs, log }) } : {}),
  });
  if (trust.length > 0) {
    verifier.close();
    throw new UsageError('input', trust.join('; '));
  }
  log('info', 'image signatures verified at admission', { rules: policy.signatures.map((r) => r.name) });
  return verifier;
}

/** How long requests in flight may take to finish after SIGTERM (the Pod's grace period is 30 s by default). */
const SHUTDOWN_GRACE_MS = 10_000;

function stopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

/**
 * The primary of `--workers N`: N processes serve the same port (node:cluster hands connections round-robin). A
 * worker that fails to start fails the command (exit 2); one that dies later is replaced; SIGTERM is passed on to every
 * worker, which finishes its requests in flight, and the primary exits 0 once all have stopped cleanly.
 */
async function supervise(argv: readonly string[], count: number, log: ReturnType<typeof jsonLogger>): Promise<number> {
  cluster.setupPrimary({ exec: fileURLToPath(CLI_BIN), args: ['webhook', 'serve', ...argv] });
  const state = { stopping: false, failed: false };
  const fork = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const w = cluster.fork();
      let up = false;
      w.once('listening', () => {
        up = true;
        resolve();
      });
      w.once('exit', (code, signal) => {
        if (!up) {
          reject(new UsageError('input', `webhook worker ${w.id} did not start (exit code ${String(code)}, signal ${signal}; its log above says why)`));
          return;
        }
        if (state.stopping) {
          if (code !== 0) state.failed = true;
          return;
        }
        log('error', 'worker died; starting another', { worker: w.id, code, signal });
        fork().catch((e: unknown) => {
          log('error', 'worker not replaced', { error: e instanceof Error ? e.message : String(e) });
        });
      });
    });
  try {
    await Promise.all(Array.from({ length: count }, fork));
  } catch (e) {
    state.stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    throw e;
  }
  log('info', 'workers serving', { workers: count });
  await stopSignal();
  state.stopping = true;
  const alive = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
  await Promise.all(
    alive.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.isDead()) {
            resolve();
            return;
          }
          w.once('exit', () => {
            resolve();
          });
          w.process.kill('SIGTERM');
        }),
    ),
  );
  log('info', 'stopped', { workers: count });
  return state.failed ? 1 : 0;
}

async function manifests(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, MANIFEST_OPTIONS);
  if (values.help) {
    io.stdout(WEBHOOK_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError('usage', `webhook manifests takes no arguments (got "${positionals[0] ?? ''}")`);
  const caFile = values['ca-bundle'];
  if (caFile === undefined) throw new UsageError('usage', 'webhook manifests needs --ca-bundle FILE');
  if ((values.url === undefined) === (values.service === undefined)) throw new UsageError('usage', 'webhook manifests needs one of --url URL or --service NS/NAME[:PORT]');
  let url: URL | undefined;
  if (values.url !== undefined) {
    try {
      url = new URL(values.url);
    } catch {
      throw new UsageError('usage', `--url is not a URL: "${values.url}"`);
    }
    if (url.protocol !== 'https:') throw new UsageError('usage', '--url must be https:// (the API server calls webhooks over TLS)');
    if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') throw new UsageError('usage', '--url may not carry a query, fragment or user (kube-apiserver refuses them)');
  }
  let service: { namespace: string; name: string; port: number } | undefined;
  if (values.service !== undefined) {
    const m = /^([a-z0-9-]{1,63})\/([a-z0-9-]{1,63})(?::(\d{1,5}))?$/.exec(values.service);
    if (!m) throw new UsageError('usage', `--service must be NS/NAME or NS/NAME:PORT (got "${values.service}")`);
    service = { namespace: m[1] ?? '', name: m[2] ?? '', port: m[3] !== undefined ? Number(m[3]) : 443 };
  }
  const timeoutSeconds = values['timeout-seconds'] !== undefined ? Number(values['timeout-seconds']) : 5;
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 30) throw new UsageError('usage', '--timeout-seconds must be 1 to 30');
  let caBundle: string;
  try {
    caBundle = await readFile(caFile, 'utf8');
  } catch (e) {
    throw new UsageError('input', `cannot read --ca-bundle ${caFile}: ${readErrorText(e)}`);
  }
  if (!caBundle.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError('input', `--ca-bundle ${caFile}: no PEM certificate in it`);
  const output = outputArg(values.output, undefined);
  const options = {
    caBundle,
    ...(url ? { url: url.toString() } : {}),
    ...(service ? { service } : {}),
    namespace: values.namespace ?? service?.namespace ?? 'kspect',
    image: values.image ?? `ghcr.io/kspect/kspect:${await packageVersion()}`,
    tlsSecret: values['tls-secret'] ?? 'kspect-webhook-tls',
    timeoutSeconds,
    serveArgs: [],
  };
  const objects = values['configurations-only'] === true ? webhookConfigurations(options) : webhookManifests(options);
  const text = objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
  return writeOutput(`# kspect webhook manifests (kspect ${escapeText(await packageVersion())})\n${text}`, output, io);
}

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      io.stdout(WEBHOOK_HELP);
      return sub === undefined ? 2 : 0;
    }
    if (sub === 'serve') return serve(rest, io);
    if (sub === 'manifests') return manifests(rest, io);
    throw new UsageError('usage', `unknown webhook subcommand "${escapeText(sub)}" (try: kspect webhook --help)`);
  });
}
