/**
 * `verifyImages()` (`kspect images verify`): the images of workloads (manifests, a live cluster's running pods) and images given directly are
 * resolved to digests, their signatures and configs read from the registries (or OCI layouts), judged against the
 * signature rules of `.kspect.yaml`, and put in the inventory as ContainerImage objects for the image checks. Returns
 * the one Report. Read-only: only GET requests; a registry that cannot be read makes its images not evaluated.
 */
import type { Baseline } from '../core/baseline.js';
import { EMPTY_CONFIG, type KspectConfig } from '../core/config.js';
import { DEFAULT_IMAGE_POLICY, type ImagePolicy, type SignatureRule } from '../core/image-policy.js';
import type { NotEvaluated, Problem } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { UsageError } from '../core/result.js';
import { imageChecks } from '../checks/registry/images.js';
import { imageLatestTag } from '../checks/image-latest-tag/check.js';
import { imageNoDigest } from '../checks/image-no-digest/check.js';
import { imagePullPolicy } from '../checks/image-pull-policy/check.js';
import { imageRegistryNotAllowed } from '../checks/image-registry-not-allowed/check.js';
import { containerImageObject, signatureView, type ContainerImageView, type ImageConfigFacts, type WorkloadRef } from '../engines/images/objects.js';
import { imageGlobMatches, judgeImage, type LoadedRule } from '../engines/images/policy.js';
import type { AnyCheck, RunSettings } from '../framework/define.js';
import { judge } from './run.js';
import { containerImage, parseImageRef, runningDigestOfImageId, type ImageRef } from '../model/image.js';
import { getArray, getObject, getString, type K8sObject } from '../model/object.js';
import { containersOf, podSpecOf } from '../model/podspec.js';
import { credentialsFromMap, type CredentialSource, type Credentials } from '../sources/registry/auth.js';
import { RegistryClient } from '../sources/registry/client.js';
import { gatherImages, gatherKey, type GatheredImage, type ImageFacts } from '../sources/registry/gather.js';
import { LayerFiles } from '../sources/registry/layers.js';
import { OciLayout } from '../sources/registry/layout.js';
import { loadRules } from '../sources/registry/trust.js';

/** What `kspect images verify` runs: every image-* check, sorted by id. */
export const IMAGE_VERIFY_CHECKS: readonly AnyCheck[] = [...imageChecks, imageLatestTag, imageNoDigest, imagePullPolicy, imageRegistryNotAllowed].sort((a, b) => (a.id < b.id ? -1 : 1));

export interface VerifyImagesOptions {
  /** Workloads (from manifests or a cluster; Pods may keep their status for running digests). */
  readonly objects?: readonly K8sObject[];
  /** Images given directly. */
  readonly images?: readonly string[];
  readonly config?: KspectConfig;
  /** Extra rules (e.g. `--key` on the command line), judged besides the configuration's. */
  readonly extraRules?: readonly SignatureRule[];
  /** The folder relative file names of the configuration resolve against. */
  readonly baseDir?: string;
  /** Registry credentials: a host → credentials map, or a source (docker config with helpers, pull-secret keyring). */
  readonly credentials?: ReadonlyMap<string, Credentials> | CredentialSource;
  /** CA certificates (PEM) trusted for registries, besides the system roots. */
  readonly ca?: string | Buffer;
  readonly settings?: Partial<RunSettings>;
  readonly inputs?: readonly string[];
  readonly problems?: readonly Problem[];
  /** Filled by the credential source while images are read (a credential helper that failed): warnings. */
  readonly credentialProblems?: readonly string[];
  readonly notEvaluated?: readonly NotEvaluated[];
  readonly toolVersion?: string;
  /** Restrict to these check ids. */
  readonly only?: readonly string[];
  readonly baseline?: Baseline;
  /** Called after each image is gathered. */
  readonly onProgress?: (done: number, total: number) => void;
}

interface Use {
  readonly ref: ImageRef;
  readonly image: string;
  readonly runningDigest?: string;
  readonly workload?: WorkloadRef;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly source?: K8sObject['origin']['source'];
}

/** Running digests of a Pod's containers, from status.*Statuses[].imageID. */
function runningDigests(obj: K8sObject): Map<string, string> {
  const out = new Map<string, string>();
  const status = getObject(obj.raw, 'status');
  for (const key of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
    for (const s of getArray(status, key)) {
      const name = getString(s, 'name');
      const d = runningDigestOfImageId(getString(s, 'imageID') ?? '');
      if (name !== undefined && d !== undefined) out.set(name, d);
    }
  }
  return out;
}

function factsOf(f: ImageFacts | undefined): ImageConfigFacts | undefined {
  if (!f) return undefined;
  const cfg = typeof f.config === 'object' && f.config !== null ? (f.config as Record<string, unknown>) : {};
  const inner = typeof cfg.config === 'object' && cfg.config !== null ? (cfg.config as Record<string, unknown>) : {};
  return {
    user: typeof inner.User === 'string' ? inner.User : '',
    ...(typeof cfg.created === 'string' ? { created: cfg.created } : {}),
    ...(f.annotations['org.opencontainers.image.base.name'] !== undefined ? { baseName: f.annotations['org.opencontainers.image.base.name'] } : {}),
    ...(f.annotations['org.opencontainers.image.base.digest'] !== undefined ? { baseDigest: f.annotations['org.opencontainers.image.base.digest'] } : {}),
  };
}

export async function verifyImages(options: VerifyImagesOptions): Promise<Report> {
  const config = options.config ?? EMPTY_CONFIG;
  const policy: ImagePolicy = config.images ?? DEFAULT_IMAGE_POLICY;
  const problems: Problem[] = [...(options.problems ?? [])];
  const notEvaluated: NotEvaluated[] = [...(options.notEvaluated ?? [])];
  const baseDir = options.baseDir ?? '.';

  const loaded = await loadRules([...policy.signatures, ...(options.extraRules ?? [])], baseDir);
  for (const p of loaded.problems) problems.push({ code: 'trust-material', severity: 'error', message: p });
  const rules: LoadedRule[] = loaded.rules;

  const layouts: OciLayout[] = [];
  for (const dir of policy.registries.layouts) {
    try {
      layouts.push(await OciLayout.open(dir));
    } catch (e) {
      problems.push({ code: 'layout', severity: 'error', file: dir, message: e instanceof Error ? e.message.replace(`${dir}: `, '') : String(e) });
    }
  }

  // Every container of every workload, and each image given directly.
  const uses: Use[] = [];
  for (const obj of options.objects ?? []) {
    const view = podSpecOf(obj);
    if (!view) continue;
    const running = obj.kind === 'Pod' ? runningDigests(obj) : new Map<string, string>();
    for (const c of containersOf(view)) {
      const img = containerImage(c);
      if (!img) continue;
      const workload: WorkloadRef = { apiVersion: obj.apiVersion, kind: obj.kind, ...(obj.metadata.namespace !== undefined ? { namespace: obj.metadata.namespace } : {}), name: obj.metadata.name, container: c.name, path: img.path };
      if (!img.ref.ok) {
        notEvaluated.push({ reason: 'unsupported', message: `${obj.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name} container "${c.name}": ${img.ref.error}`, resource: { apiVersion: obj.apiVersion, kind: obj.kind, ...(obj.metadata.namespace !== undefined ? { namespace: obj.metadata.namespace } : {}), name: obj.metadata.name, container: c.name } });
        continue;
      }
      const rd = running.get(c.name);
      uses.push({ ref: img.ref.value, image: img.image, ...(rd !== undefined ? { runningDigest: rd } : {}), workload, labels: obj.metadata.labels, annotations: obj.metadata.annotations, source: obj.origin.source });
    }
  }
  for (const image of options.images ?? []) {
    const r = parseImageRef(image);
    if (!r.ok) throw new UsageError('usage', `--image: ${r.error}`);
    uses.push({ ref: r.value, image });
  }

  const credentials: CredentialSource = options.credentials === undefined ? credentialsFromMap(new Map()) : options.credentials instanceof Map ? credentialsFromMap(options.credentials as ReadonlyMap<string, Credentials>) : (options.credentials as CredentialSource);
  const client = new RegistryClient({
    insecure: policy.registries.insecure,
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
    credentials,
    concurrency: policy.registries.concurrency,
    timeoutMs: policy.registries.timeoutSeconds * 1000,
  });
  let gathered: Map<string, GatheredImage>;
  const layersRead = new Map<string, { unwanted?: string[]; error?: string }>();
  try {
    gathered = await gatherImages({ client, layouts, withConfig: true }, uses.map((u) => ({ ref: u.ref, ...(u.runningDigest !== undefined ? { digest: u.runningDigest } : {}) })), policy.registries.concurrency);
    options.onProgress?.(gathered.size, gathered.size);
    // Layers are read only for images the policy says must be minimal.
    if (policy.hygiene.distroless.length > 0) {
      for (const u of uses) {
        const key = gatherKey(u.ref, u.runningDigest);
        const g = gathered.get(key);
        if (!g?.facts || layersRead.has(key) || !policy.hygiene.distroless.some((glob) => imageGlobMatches(glob, u.ref.name))) continue;
        try {
          // Each layer is streamed (gunzipped and listed as it arrives), lowest first: bounded memory at any size.
          const files = new LayerFiles();
          const layout = layouts.find((l) => g.evidence.digest !== undefined && l.hasDigest(g.evidence.digest));
          for (const l of g.facts.layers) {
            if (layout) await layout.blobStream(l.digest, (chunks) => files.add(chunks));
            else await client.blobStream(u.ref.domain, u.ref.path, l.digest, (chunks) => files.add(chunks));
          }
          layersRead.set(key, { unwanted: files.files() });
        } catch (e) {
          layersRead.set(key, { error: e instanceof Error ? e.message : String(e) });
        }
      }
    }
  } finally {
    client.close();
  }

  const objects: K8sObject[] = [...(options.objects ?? [])];
  for (const u of uses) {
    const key = gatherKey(u.ref, u.runningDigest);
    const g = gathered.get(key);
    if (!g) continue;
    const ev = g.evidence;
    const decision = judgeImage(u.ref, rules, ev, u.workload ? (u.workload.namespace ?? 'default') : undefined);
    const layerInfo = layersRead.get(key);
    const facts = factsOf(g.facts);
    const view: ContainerImageView = {
      image: u.image,
      name: u.ref.name,
      ...(ev.digest !== undefined ? { digest: ev.digest } : {}),
      ...(ev.resolvedTag !== undefined ? { resolvedTag: ev.resolvedTag } : {}),
      ...(u.runningDigest !== undefined ? { runningDigest: u.runningDigest } : {}),
      source: ev.source,
      ...(ev.error !== undefined ? { error: ev.error } : {}),
      ...(u.workload ? { workload: u.workload } : {}),
      ...(decision.decision !== 'none' ? { signature: signatureView(decision) } : {}),
      ...(facts ? { facts: { ...facts, ...(layerInfo?.unwanted ? { unwanted: layerInfo.unwanted } : {}) } } : {}),
      ...(layerInfo?.error !== undefined ? { factsError: layerInfo.error } : ev.error !== undefined ? { factsError: ev.error } : {}),
    };
    objects.push(containerImageObject(view, { ...(u.labels ? { labels: u.labels } : {}), ...(u.annotations ? { annotations: u.annotations } : {}) }, u.source));
    if (ev.error !== undefined && decision.decision === 'none') {
      notEvaluated.push({ reason: 'not-readable', message: `${u.workload ? `${u.workload.kind} ${u.workload.namespace ?? ''}/${u.workload.name} container "${u.workload.container}" ` : ''}image ${u.image}: ${ev.error}`, ...(u.workload ? { resource: { apiVersion: u.workload.apiVersion, kind: u.workload.kind, ...(u.workload.namespace !== undefined ? { namespace: u.workload.namespace } : {}), name: u.workload.name, container: u.workload.container } } : {}) });
    }
  }

  for (const p of new Set(options.credentialProblems ?? [])) problems.push({ code: 'registry-credentials', severity: 'warning', message: p });
  return judge({
    objects,
    checks: IMAGE_VERIFY_CHECKS,
    config,
    ...(options.baseline ? { baseline: options.baseline } : {}),
    ...(options.only ? { only: options.only } : {}),
    ...(options.settings ? { settings: options.settings } : {}),
    problems,
    notEvaluated,
    inputs: options.inputs ?? [],
    ...(options.toolVersion !== undefined ? { toolVersion: options.toolVersion } : {}),
  });
}
