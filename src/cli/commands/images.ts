/** `kspect images verify`: verify image signatures (and image hygiene) for manifests, a live cluster, or given images. */
import { dirname, resolve } from 'node:path';
import { allChecks } from '../../checks/index.js';
import { DEFAULT_IMAGE_POLICY, type ImagePolicy, type SignatureRule } from '../../core/image-policy.js';
import type { NotEvaluated, Problem } from '../../core/finding.js';
import { UsageError } from '../../core/result.js';
import { escapeText } from '../../core/text.js';
import type { K8sObject } from '../../model/object.js';
import { verifyImages } from '../../api/images.js';
import { loadBaseline, loadConfig } from '../../sources/config.js';
import { loadManifests } from '../../sources/files.js';
import { chainCredentials, dockerConfigCredentials, Keyring, loadDockerConfigDoc, runCredentialHelper } from '../../sources/registry/auth.js';
import { guard, parse } from '../args.js';
import { registryCa } from '../inputs.js';
import { packageVersion, type Io } from '../io.js';
import { CLUSTER_OPTIONS, HELP_OPTION, INPUT_OPTIONS, NAMESPACE_OPTIONS, REPORT_OPTIONS, REQUEST_TIMEOUT_OPTIONS, TIMEOUT_OPTIONS, checkReportFlags, clusterArgs, requestTimeoutArg, requestTimeoutHelp, checksArg, inputOptions, optionHelp, outputFlags } from '../options.js';
import { emitReport } from '../report-output.js';

export const IMAGES_HELP = `Usage: kspect images verify [PATH|-]... [--image REF]... [options]
       kspect images verify --cluster [--context C] [-n NS]... [options]

Resolve every container image (of the manifests in PATH, of the pods a cluster runs, or given with --image) to its
digest, find its signatures where cosign puts them (OCI 1.1 referrer bundle, the sha256-<digest> referrers tag, the
legacy sha256-<digest>.sig tag) and verify them against the signature rules of .kspect.yaml (images.signatures) or
--key. Also reads each image's config for the image hygiene checks. Only GET requests; a registry that cannot be
read makes its images not evaluated, never passed. kspect never fetches trust material.

Inputs:
${optionHelp(Object.keys(INPUT_OPTIONS))}Trust:
      --key FILE              a cosign public key (PEM) every image must be signed by (repeatable)
      --trusted-root FILE     Sigstore trusted_root.json: for keyless signatures, and the transparency logs
                              whose entries key signatures then need too
      --insecure-ignore-tlog  with --trusted-root, accept key signatures without a transparency log entry
      --certificate-identity ID       keyless signer identity (SAN; * matches any run of characters)
      --certificate-oidc-issuer URL   keyless signer's OIDC issuer
Registries:
      --layout DIR            an OCI image layout folder to read images and signatures from (air-gapped; repeatable)
      --insecure-registry H   reach registry host[:port] H over plain HTTP (repeatable)
      --registry-ca FILE      PEM CA bundle trusted for registries besides the system roots
      --docker-config FILE    docker config.json with registry credentials (default: $DOCKER_CONFIG, ~/.docker)
      --concurrency N         parallel registry requests (default 8)
${requestTimeoutHelp('registry or API request', '20s, or images.registries.timeoutSeconds')}Live cluster (read-only; the running imageID digests are verified; imagePullSecrets the pods name are used):
      --cluster               verify what the cluster of the current kubeconfig context runs
      --context C             kubeconfig context
      --kubeconfig FILE       kubeconfig file
  -n, --namespace NS          only these namespaces (repeatable)
Output:
${optionHelp(Object.keys(REPORT_OPTIONS))}
Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage, configuration, input or trust-material error.
`;

const OPTIONS = {
  image: { type: 'string', multiple: true },
  ...INPUT_OPTIONS,
  key: { type: 'string', multiple: true },
  'trusted-root': { type: 'string' },
  'insecure-ignore-tlog': { type: 'boolean' },
  'certificate-identity': { type: 'string' },
  'certificate-oidc-issuer': { type: 'string' },
  layout: { type: 'string', multiple: true },
  'insecure-registry': { type: 'string', multiple: true },
  'registry-ca': { type: 'string' },
  'docker-config': { type: 'string' },
  concurrency: { type: 'string' },
  ...REQUEST_TIMEOUT_OPTIONS,
  ...TIMEOUT_OPTIONS,
  ...CLUSTER_OPTIONS,
  ...NAMESPACE_OPTIONS,
  ...REPORT_OPTIONS,
  ...HELP_OPTION,
} as const;

function positiveInt(v: string | undefined, flag: string, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0 || n > max) throw new UsageError('usage', `${flag} must be a whole number from 1 to ${max}`);
  return n;
}

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      io.stdout(IMAGES_HELP);
      return sub === undefined ? 2 : 0;
    }
    if (sub !== 'verify') throw new UsageError('usage', `unknown images subcommand "${sub}" (try: kspect images verify --help)`);
    const { values, positionals } = parse(rest, OPTIONS);
    if (values.help) {
      io.stdout(IMAGES_HELP);
      return 0;
    }
    await checkReportFlags(values);
    // undefined: the configuration's images.registries.timeoutSeconds (default 20 s) applies.
    const requestTimeoutMs = values['request-timeout'] !== undefined || values.timeout !== undefined ? requestTimeoutArg(values, 0) : undefined;
    const cluster = clusterArgs(values, positionals, { mix: true, network: true, clusterOnly: ['namespace'] });
    if (!cluster && positionals.length === 0 && (values.image ?? []).length === 0) throw new UsageError('usage', 'images verify needs a PATH (or - for stdin), --image REF, or --cluster');
    const keyless = values['certificate-identity'] !== undefined || values['certificate-oidc-issuer'] !== undefined;
    if (keyless && (values['certificate-identity'] === undefined || values['certificate-oidc-issuer'] === undefined)) throw new UsageError('usage', '--certificate-identity and --certificate-oidc-issuer go together');
    if (keyless && values['trusted-root'] === undefined) throw new UsageError('usage', 'keyless verification needs --trusted-root FILE (kspect never fetches trust material)');
    if (values['insecure-ignore-tlog'] === true && values['trusted-root'] === undefined) throw new UsageError('usage', '--insecure-ignore-tlog goes with --trusted-root (without one no transparency log is checked)');

    const known = new Set(allChecks.map((c) => c.id));
    const { config, file: configFile, warnings } = await loadConfig(values.config, io.cwd, known);
    for (const w of warnings) io.stderr(`kspect: warning: ${escapeText(w)}\n`);
    const baseline = values.baseline !== undefined ? await loadBaseline(values.baseline) : undefined;
    const base = config.images ?? DEFAULT_IMAGE_POLICY;
    const extraRules: SignatureRule[] = [];
    if ((values.key ?? []).length > 0 || keyless) {
      extraRules.push({
        name: 'command line',
        images: ['**'],
        keys: (values.key ?? []).map((k) => resolve(io.cwd, k)),
        keyless: keyless ? [{ identity: values['certificate-identity'] ?? '', issuer: values['certificate-oidc-issuer'] ?? '' }] : [],
        ...(values['trusted-root'] !== undefined ? { trustedRoot: resolve(io.cwd, values['trusted-root']) } : {}),
        ...(values['insecure-ignore-tlog'] === true ? { transparencyLog: 'ignored' as const } : {}),
        mode: 'enforce',
      });
    }
    const policy: ImagePolicy = {
      ...base,
      registries: {
        ...base.registries,
        insecure: [...base.registries.insecure, ...(values['insecure-registry'] ?? [])],
        layouts: [...base.registries.layouts.map((l) => resolve(configFile !== undefined ? dirname(configFile) : io.cwd, l)), ...(values.layout ?? []).map((l) => resolve(io.cwd, l))],
        concurrency: positiveInt(values.concurrency, '--concurrency', 64) ?? base.registries.concurrency,
        timeoutSeconds: requestTimeoutMs !== undefined ? requestTimeoutMs / 1000 : base.registries.timeoutSeconds,
      },
    };

    const problems: Problem[] = [];
    const notEvaluated: NotEvaluated[] = [];
    const objects: K8sObject[] = [];
    const inputs: string[] = [...positionals];
    let clusterCreds = new Keyring();
    if (positionals.length > 0) {
      const loaded = await loadManifests(positionals, { readStdin: io.readStdin, cwd: io.cwd, ...inputOptions(values) });
      problems.push(...loaded.problems);
      objects.push(...loaded.objects);
    }
    if (cluster) {
      const { loadRunningPods } = await import('../../sources/registry/pods.js');
      const { ClusterError } = await import('../../sources/cluster.js');
      try {
        const live = await loadRunningPods({
          ...(requestTimeoutMs !== undefined ? { timeoutMs: requestTimeoutMs } : {}),
          ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}),
          ...(values.context !== undefined ? { context: values.context } : {}),
          ...(values.namespace !== undefined ? { namespaces: values.namespace } : {}),
        });
        objects.push(...live.pods);
        notEvaluated.push(...live.notEvaluated);
        clusterCreds = live.credentials;
        inputs.push(`cluster:${live.context}`);
      } catch (e) {
        if (e instanceof ClusterError) throw new UsageError('cluster', e.message);
        throw e;
      }
    }
    inputs.push(...(values.image ?? []));
    const credProblems: string[] = [];
    const dockerDoc = await loadDockerConfigDoc(values['docker-config'] ?? base.registries.dockerConfig, io.env, credProblems);
    const helperProblems: string[] = [];
    // The user's docker config first (as docker, cosign and crane use it), then the pods' pull secrets (as the kubelet).
    const credentials = chainCredentials(...(dockerDoc ? [dockerConfigCredentials(dockerDoc.doc, runCredentialHelper(io.env), helperProblems)] : []), clusterCreds);
    for (const p of credProblems) problems.push({ code: 'docker-config', severity: values['docker-config'] !== undefined ? 'error' : 'warning', message: p });
    const ca = await registryCa(values['registry-ca'], base.registries.ca, configFile !== undefined ? dirname(configFile) : io.cwd);
    // Said only when there is something to judge: on empty input "nothing to scan" is the one line.
    if (base.signatures.length === 0 && extraRules.length === 0 && (objects.length > 0 || (values.image ?? []).length > 0)) io.stderr('kspect: warning: no signature rule (images.signatures in .kspect.yaml, or --key): signatures are not judged, only image hygiene\n');
    const only = await checksArg(values.checks);
    const report = await verifyImages({
      objects,
      images: values.image ?? [],
      config: { ...config, images: policy },
      extraRules,
      baseDir: configFile !== undefined ? dirname(configFile) : io.cwd,
      credentials,
      credentialProblems: helperProblems,
      ...(ca ? { ca } : {}),
      settings: { now: io.now() },
      inputs,
      problems,
      notEvaluated,
      ...(only ? { only } : {}),
      ...(baseline ? { baseline } : {}),
      toolVersion: await packageVersion(),
    });
    return emitReport(report, outputFlags(values, config, 'high'), io);
  });
}
