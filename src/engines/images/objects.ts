/**
 * What the image commands put in the inventory, so checks judge it through the one runner like any other object:
 * - `ContainerImage`: one container of one workload (or one image given directly), with the digest it resolved to,
 *   where its evidence came from, the signature decision of each covering rule, and the image's config facts;
 * - `VulnerabilityReport`: one scanned artifact of a Trivy or Grype report, with the file it came from;
 * - `RunningImages`: for one workload of a live cluster, the digests its pods' containers run (status `imageID`),
 *   so a controller's images join scanner results by digest although its pods are not scanned themselves.
 * Never holds key material or credentials.
 */
import type { ResourceRef, SourceRef } from '../../core/finding.js';
import type { EngineFactory } from '../../framework/define.js';
import type { Severity } from '../../core/severity.js';
import { getArray, getBool, getObject, getString, isObject, toK8sObject, type JsonObject, type K8sObject } from '../../model/object.js';
import type { ImageDecision } from './policy.js';

export const IMAGES_API_VERSION = 'kspect.dev/v1alpha1';
export const CONTAINER_IMAGE = 'ContainerImage';
export const VULNERABILITY_REPORT = 'VulnerabilityReport';
export const RUNNING_IMAGES = 'RunningImages';

/** The workload container an image belongs to, pointing back at the object in the inventory. */
export interface WorkloadRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly container: string;
  /** Field path of the container's `image` in the workload. */
  readonly path: string;
}

/** What an image's config and manifest say (hygiene checks). */
export interface ImageConfigFacts {
  /** `config.User` as written ('' when unset). */
  readonly user: string;
  readonly created?: string;
  readonly baseName?: string;
  readonly baseDigest?: string;
  /** Files found in the layers that a minimal image should not have (shells, package managers); undefined when the layers were not read. */
  readonly unwanted?: readonly string[];
}

export interface ContainerImageView {
  readonly image: string;
  /** Normalised repository name. */
  readonly name: string;
  readonly digest?: string;
  readonly resolvedTag?: string;
  /** The running imageID's digest, when the image came from a pod's status. */
  readonly runningDigest?: string;
  readonly source: string;
  /** Why the image could not be read (not evaluated). */
  readonly error?: string;
  readonly workload?: WorkloadRef;
  readonly signature?: {
    readonly decision: ImageDecision['decision'];
    readonly verdicts: readonly { readonly rule: string; readonly mode: string; readonly status: string; readonly signer?: string; readonly via?: string; readonly problem?: string; readonly detail?: string }[];
  };
  readonly facts?: ImageConfigFacts;
  readonly factsError?: string;
}

/** The signature part of a ContainerImage: each covering rule's verdict as the image-signature check reads it. */
export function signatureView(decision: ImageDecision): NonNullable<ContainerImageView['signature']> {
  return {
    decision: decision.decision,
    verdicts: decision.verdicts.map((v) => ({
      rule: v.rule.name,
      mode: v.rule.mode,
      status: v.status,
      ...(v.status === 'verified' ? { signer: v.signer, via: v.via } : { detail: v.detail }),
      ...(v.status === 'rejected' ? { problem: v.problem } : {}),
    })),
  };
}

function strip(v: unknown): JsonObject {
  return JSON.parse(JSON.stringify(v)) as JsonObject;
}

export function containerImageObject(v: ContainerImageView, meta: { labels?: Readonly<Record<string, string>>; annotations?: Readonly<Record<string, string>> } = {}, source?: SourceRef): K8sObject {
  const w = v.workload;
  const raw: JsonObject = {
    apiVersion: IMAGES_API_VERSION,
    kind: CONTAINER_IMAGE,
    metadata: {
      name: w ? `${w.kind}/${w.name}/${w.container}` : v.image,
      ...(w?.namespace !== undefined ? { namespace: w.namespace } : {}),
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
    },
    spec: strip(v),
  };
  return toK8sObject(raw, { source: source ?? { type: 'endpoint', uri: v.source }, locate: () => undefined }) as K8sObject;
}

export function readContainerImage(obj: K8sObject): ContainerImageView | undefined {
  if (obj.kind !== CONTAINER_IMAGE || obj.apiVersion !== IMAGES_API_VERSION) return undefined;
  const spec = getObject(obj.raw, 'spec');
  const image = getString(spec, 'image');
  const name = getString(spec, 'name');
  if (image === undefined || name === undefined) return undefined;
  // Written by containerImageObject from a ContainerImageView; read back as the same shape.
  return spec as unknown as ContainerImageView;
}

export interface Vulnerability {
  readonly id: string;
  /** kspect's severity; `unknown` when the scanner had none. */
  readonly severity: Severity | 'unknown';
  readonly pkg: string;
  readonly installed: string;
  readonly fixedVersion?: string;
  readonly fixable: boolean;
  readonly knownExploited: boolean;
}

export interface VulnerabilityReportView {
  readonly scanner: 'trivy' | 'grype';
  /** The artifact as the scanner names it. */
  readonly artifact: string;
  /** Manifest / repo digests the artifact has (`sha256:…`). */
  readonly digests: readonly string[];
  /** Normalised references (`domain/path:tag`) the artifact was known by. */
  readonly references: readonly string[];
  /** For `trivy k8s`: the workload the scan was of. */
  readonly workload?: { readonly namespace?: string; readonly kind: string; readonly name: string };
  readonly vulnerabilities: readonly Vulnerability[];
  readonly file: string;
}

export function vulnerabilityReportObject(v: VulnerabilityReportView, index: number): K8sObject {
  const raw: JsonObject = {
    apiVersion: IMAGES_API_VERSION,
    kind: VULNERABILITY_REPORT,
    metadata: { name: `${v.artifact}#${index}` },
    spec: strip(v),
  };
  return toK8sObject(raw, { source: { type: 'file', uri: v.file }, locate: () => undefined }) as K8sObject;
}

export function readVulnerabilityReport(obj: K8sObject): VulnerabilityReportView | undefined {
  if (obj.kind !== VULNERABILITY_REPORT || obj.apiVersion !== IMAGES_API_VERSION) return undefined;
  const spec = getObject(obj.raw, 'spec');
  const scanner = getString(spec, 'scanner');
  if (scanner !== 'trivy' && scanner !== 'grype') return undefined;
  const w = getObject(spec, 'workload');
  const wk = getString(w, 'kind');
  const wn = getString(w, 'name');
  const wns = getString(w, 'namespace');
  return {
    scanner,
    artifact: getString(spec, 'artifact') ?? '',
    digests: getArray(spec, 'digests').filter((d): d is string => typeof d === 'string'),
    references: getArray(spec, 'references').filter((d): d is string => typeof d === 'string'),
    ...(wk !== undefined && wn !== undefined ? { workload: { kind: wk, name: wn, ...(wns !== undefined ? { namespace: wns } : {}) } } : {}),
    vulnerabilities: getArray(spec, 'vulnerabilities').flatMap((x): Vulnerability[] => {
      if (!isObject(x)) return [];
      const fixed = getString(x, 'fixedVersion');
      return [
        {
          id: getString(x, 'id') ?? '',
          severity: (getString(x, 'severity') ?? 'unknown') as Vulnerability['severity'],
          pkg: getString(x, 'pkg') ?? '',
          installed: getString(x, 'installed') ?? '',
          ...(fixed !== undefined ? { fixedVersion: fixed } : {}),
          fixable: getBool(x, 'fixable') === true,
          knownExploited: getBool(x, 'knownExploited') === true,
        },
      ];
    }),
    file: getString(spec, 'file') ?? '',
  };
}

/** The workloads of the inventory by identity, so image findings point at the workload's file and line. */
export const workloadIndexEngine: EngineFactory<ReadonlyMap<string, K8sObject>> = {
  id: 'images-workload-index',
  reads: ['*'],
  build(inventory) {
    const out = new Map<string, K8sObject>();
    for (const o of inventory.objects) if (o.apiVersion !== IMAGES_API_VERSION) out.set(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o);
    return out;
  },
};

/** The workload object of an image, when it is in the inventory. */
export function workloadObject(index: ReadonlyMap<string, K8sObject>, v: ContainerImageView): K8sObject | undefined {
  const w = v.workload;
  return w ? index.get(`${w.kind}/${w.namespace ?? ''}/${w.name}`) : undefined;
}

/** Where a finding about an image goes: the workload container (file and line), or the image itself. */
export function imageTarget(index: ReadonlyMap<string, K8sObject>, obj: K8sObject, v: ContainerImageView): { object: K8sObject; container?: string; path?: string } | { resource: ResourceRef; source: SourceRef } {
  const w = workloadObject(index, v);
  if (w && v.workload) return { object: w, container: v.workload.container, path: v.workload.path };
  if (v.workload) return { resource: { apiVersion: v.workload.apiVersion, kind: v.workload.kind, ...(v.workload.namespace !== undefined ? { namespace: v.workload.namespace } : {}), name: v.workload.name, container: v.workload.container }, source: obj.origin.source };
  return { object: obj };
}

/** The digests one workload's pods run, per container (two during a rollout). */
export interface RunningImagesView {
  readonly workload: { readonly kind: string; readonly namespace?: string; readonly name: string };
  readonly containers: readonly { readonly name: string; readonly digest: string; readonly pod: string }[];
}

export function runningImagesObject(v: RunningImagesView, source: SourceRef): K8sObject {
  const raw: JsonObject = {
    apiVersion: IMAGES_API_VERSION,
    kind: RUNNING_IMAGES,
    metadata: { name: `${v.workload.kind}/${v.workload.name}`, ...(v.workload.namespace !== undefined ? { namespace: v.workload.namespace } : {}) },
    spec: strip(v),
  };
  return toK8sObject(raw, { source, locate: () => undefined }) as K8sObject;
}

export function readRunningImages(obj: K8sObject): RunningImagesView | undefined {
  if (obj.kind !== RUNNING_IMAGES || obj.apiVersion !== IMAGES_API_VERSION) return undefined;
  const spec = getObject(obj.raw, 'spec');
  const w = getObject(spec, 'workload');
  const kind = getString(w, 'kind');
  const name = getString(w, 'name');
  const namespace = getString(w, 'namespace');
  if (kind === undefined || name === undefined) return undefined;
  return {
    workload: { kind, name, ...(namespace !== undefined ? { namespace } : {}) },
    containers: getArray(spec, 'containers').flatMap((c) => {
      const n = getString(c, 'name');
      const d = getString(c, 'digest');
      return n !== undefined && d !== undefined ? [{ name: n, digest: d, pod: getString(c, 'pod') ?? '' }] : [];
    }),
  };
}

/** Running digests by `kind/namespace/name/container`, from the inventory's RunningImages objects. */
export const runningImagesEngine: EngineFactory<ReadonlyMap<string, readonly string[]>> = {
  id: 'images-running-digests',
  reads: [RUNNING_IMAGES],
  build(inventory) {
    const out = new Map<string, string[]>();
    for (const o of inventory.ofKind(RUNNING_IMAGES)) {
      const v = readRunningImages(o);
      if (!v) continue;
      for (const c of v.containers) {
        const key = `${v.workload.kind}/${v.workload.namespace ?? ''}/${v.workload.name}/${c.name}`;
        const list = out.get(key) ?? [];
        if (!list.includes(c.digest)) list.push(c.digest);
        out.set(key, list);
      }
    }
    return out;
  },
};
