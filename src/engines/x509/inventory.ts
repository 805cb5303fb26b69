/**
 * What `kspect pki check` puts in the inventory besides manifests: one `PkiFile` per certificate, key or CSR file
 * read (its bytes, mode and where it sits), one `TlsEndpoint` per endpoint probed (what it offered and the chain it
 * served) and one `TrustAnchors` object (the `--ca` bundle, if any, and the request to verify every certificate
 * against the run's anchors). The x509 engine builds its material from the inventory, so PKI checks run through the
 * one runner like every other check, and suppression, configuration, baselines and every report format apply.
 * Key bytes stay in the inventory only: nothing here is ever printed.
 */
import type { Problem } from '../../core/finding.js';
import { buildInventory, type Inventory } from '../../model/inventory.js';
import { getArray, getBool, getNumber, getObject, getString, isObject, toK8sObject, type JsonObject, type K8sObject } from '../../model/object.js';
import { analyze, type PkiAnalysis } from './analysis.js';
import { MaterialBuilder } from './builder.js';
import type { CertInfo } from './cert.js';
import { addManifestMaterial } from './manifests.js';
import { addProbedTls } from '../probe/tls.js';
import { decodeBlob, TLS_VERSIONS, type EndpointProbe, type TlsVersion } from './material.js';
import type { Role } from './roles.js';

export const PKI_API_VERSION = 'kspect.dev/v1alpha1';
export const PKI_FILE = 'PkiFile';
export const TLS_ENDPOINT = 'TlsEndpoint';
export const TRUST_ANCHORS = 'TrustAnchors';

/** A file of certificates, keys or CSRs, as the source read it. */
export interface PkiFileView {
  /** Display path (relative to the working folder when under it). */
  readonly file: string;
  readonly data: Uint8Array;
  /** Permission bits, e.g. 0o600. */
  readonly mode?: number;
  /** Path inside the folder given on the command line (kubeadm's layout is read from it). */
  readonly layoutPath?: string;
  /** Certificates and keys with the same pair key belong together. */
  readonly pairKey?: string;
  /** The role its context gives it (a kubeconfig user's certificate is a client certificate). */
  readonly role?: Role;
  /** A file a kubeconfig names: the item's name and field path there. */
  readonly reference?: { readonly name: string; readonly path: string };
}

const ROLES: readonly Role[] = ['ca', 'server', 'client', 'peer', 'unknown'];

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function unb64(text: string | undefined): Uint8Array {
  return new Uint8Array(Buffer.from(text ?? '', 'base64'));
}

function object(kind: string, name: string, spec: JsonObject, source: { type: 'file' | 'endpoint'; uri: string }): K8sObject {
  return toK8sObject({ apiVersion: PKI_API_VERSION, kind, metadata: { name }, spec }, { source, locate: () => undefined }) as K8sObject;
}

export function pkiFileObject(v: PkiFileView): K8sObject {
  return object(
    PKI_FILE,
    v.file,
    {
      file: v.file,
      data: b64(v.data),
      ...(v.mode !== undefined ? { mode: v.mode } : {}),
      ...(v.layoutPath !== undefined ? { layoutPath: v.layoutPath } : {}),
      ...(v.pairKey !== undefined ? { pairKey: v.pairKey } : {}),
      ...(v.role !== undefined ? { role: v.role } : {}),
      ...(v.reference ? { reference: { name: v.reference.name, path: v.reference.path } } : {}),
    },
    { type: 'file', uri: v.file },
  );
}

export function readPkiFile(obj: K8sObject): PkiFileView | undefined {
  if (obj.kind !== PKI_FILE || obj.apiVersion !== PKI_API_VERSION) return undefined;
  const spec = getObject(obj.raw, 'spec');
  const file = getString(spec, 'file');
  if (file === undefined) return undefined;
  const mode = getNumber(spec, 'mode');
  const layoutPath = getString(spec, 'layoutPath');
  const pairKey = getString(spec, 'pairKey');
  const role = getString(spec, 'role');
  const ref = getObject(spec, 'reference');
  const refName = getString(ref, 'name');
  const refPath = getString(ref, 'path');
  return {
    file,
    data: unb64(getString(spec, 'data')),
    ...(mode !== undefined ? { mode } : {}),
    ...(layoutPath !== undefined ? { layoutPath } : {}),
    ...(pairKey !== undefined ? { pairKey } : {}),
    ...(role !== undefined && (ROLES as readonly string[]).includes(role) ? { role: role as Role } : {}),
    ...(refName !== undefined && refPath !== undefined ? { reference: { name: refName, path: refPath } } : {}),
  };
}

/** A probed TLS endpoint, named as it was given (`host:port`). */
export function tlsEndpointObject(endpoint: string, p: EndpointProbe): K8sObject {
  return object(
    TLS_ENDPOINT,
    endpoint,
    {
      host: p.host,
      port: p.port,
      protocols: Object.fromEntries(TLS_VERSIONS.map((v) => [v, { accepted: p.protocols[v].accepted, ...(p.protocols[v].detail !== undefined ? { detail: p.protocols[v].detail } : {}) }])),
      ciphers: p.ciphers.map((c) => ({ version: c.version, name: c.name })),
      ...(p.clientCertRequested !== undefined ? { clientCertRequested: p.clientCertRequested } : {}),
      chain: p.chain.map(b64),
      ...(p.error !== undefined ? { error: p.error } : {}),
    },
    { type: 'endpoint', uri: endpoint },
  );
}

export function readTlsEndpoint(obj: K8sObject): EndpointProbe | undefined {
  if (obj.kind !== TLS_ENDPOINT || obj.apiVersion !== PKI_API_VERSION) return undefined;
  const spec = getObject(obj.raw, 'spec');
  const host = getString(spec, 'host');
  const port = getNumber(spec, 'port');
  if (host === undefined || port === undefined) return undefined;
  const protocols = getObject(spec, 'protocols');
  const versions = Object.fromEntries(
    TLS_VERSIONS.map((v) => {
      const p = getObject(protocols, v);
      const detail = getString(p, 'detail');
      return [v, { accepted: getBool(p, 'accepted') === true, ...(detail !== undefined ? { detail } : {}) }];
    }),
  ) as Record<TlsVersion, { accepted: boolean; detail?: string }>;
  const clientCertRequested = getBool(spec, 'clientCertRequested');
  const error = getString(spec, 'error');
  return {
    host,
    port,
    protocols: versions,
    ciphers: getArray(spec, 'ciphers').flatMap((c) => {
      const version = getString(c, 'version');
      const name = getString(c, 'name');
      return version !== undefined && name !== undefined && (TLS_VERSIONS as readonly string[]).includes(version) ? [{ version: version as TlsVersion, name }] : [];
    }),
    ...(clientCertRequested !== undefined ? { clientCertRequested } : {}),
    chain: getArray(spec, 'chain').flatMap((d) => (typeof d === 'string' ? [unb64(d)] : [])),
    ...(error !== undefined ? { error } : {}),
  };
}

/**
 * The trust of a `kspect pki check` run: every certificate is verified against the given bundle (`--ca`), or the
 * self-signed CAs among the inputs. Without this object (a scan), only certificates that carry their own anchors
 * (a Secret's ca.crt, a kubeconfig's CA data) are verified.
 */
export function trustAnchorsObject(file?: string, data?: Uint8Array): K8sObject {
  return object(TRUST_ANCHORS, file ?? 'inputs', { ...(file !== undefined ? { file } : {}), ...(data ? { data: b64(data) } : {}) }, { type: 'file', uri: file ?? 'inputs' });
}

/** The x509 view of a run: the analysis, and the problems of data that could not be decoded. */
export interface InventoryPki {
  readonly analysis: PkiAnalysis;
  /** Undecodable data of files and endpoints (and, in a global run, of manifests), as input problems. */
  readonly problems: readonly Problem[];
}

function addFile(b: MaterialBuilder, obj: K8sObject): void {
  const f = readPkiFile(obj);
  if (!f) return;
  const ref = f.reference ? { source: obj.origin.source, name: f.reference.name, path: f.reference.path, holder: obj } : { source: obj.origin.source, name: f.file, holder: obj };
  b.addBlob(f.data, {
    ref,
    origin: f.reference ? 'kubeconfig' : 'file',
    ...(f.role !== undefined ? { role: f.role } : {}),
    ...(f.layoutPath !== undefined ? { layoutPath: f.layoutPath } : {}),
    ...(f.mode !== undefined ? { mode: f.mode } : {}),
    ...(f.pairKey !== undefined ? { pairKey: f.pairKey } : {}),
    // A kubeconfig user's certificate is never a trust anchor; a CA file it names may be.
    ...(f.reference && f.pairKey !== undefined ? { anchorCandidate: false } : {}),
    file: f.file,
  });
}

/** Build the PKI material of a run from its inventory. */
export function inventoryPki(inventory: Inventory, now: Date): InventoryPki {
  const b = new MaterialBuilder();
  const global = inventory.ofKind(TRUST_ANCHORS).some((o) => o.apiVersion === PKI_API_VERSION);
  if (!global) addManifestMaterial(b, inventory);
  else {
    // Input order is kept: the manifests of each file are added where the file came, between files and endpoints.
    let run: K8sObject[] = [];
    const flush = (): void => {
      if (run.length > 0) addManifestMaterial(b, buildInventory(run));
      run = [];
    };
    for (const obj of inventory.objects) {
      if (obj.apiVersion === PKI_API_VERSION && (obj.kind === PKI_FILE || obj.kind === TLS_ENDPOINT || obj.kind === TRUST_ANCHORS)) {
        flush();
        if (obj.kind === PKI_FILE) addFile(b, obj);
        else if (obj.kind === TLS_ENDPOINT) {
          const probe = readTlsEndpoint(obj);
          if (probe) b.addEndpoint(probe, { source: obj.origin.source, name: obj.metadata.name, holder: obj });
        }
        continue;
      }
      if (run.length > 0 && run[0]?.origin.source.uri !== obj.origin.source.uri) flush();
      run.push(obj);
    }
    flush();
  }
  // TLS endpoints met by `kspect probe` (ProbedEndpoint objects): judged like `kspect pki check HOST:PORT`, their
  // chains verified against the anchors the probe was given (`--ca`).
  addProbedTls(b, inventory);
  const trust = global ? inventory.ofKind(TRUST_ANCHORS).find((o) => o.apiVersion === PKI_API_VERSION) : undefined;
  let anchors: CertInfo[] = [];
  if (trust) {
    const data = getString(getObject(trust.raw, 'spec'), 'data');
    if (data !== undefined) anchors = decodeBlob(unb64(data)).certs;
  }
  const material = b.build(anchors);
  const problems: Problem[] = trust
    ? material.problems.map((p) => ({ code: 'pki-input', severity: 'error' as const, file: p.file, ...(p.line !== undefined ? { line: p.line } : {}), message: p.message }))
    : [];
  return { analysis: analyze(material, now, trust ? 'global' : 'local'), problems };
}

/** True for the objects this module makes. */
export function isPkiInputObject(obj: K8sObject): boolean {
  return obj.apiVersion === PKI_API_VERSION && (obj.kind === PKI_FILE || obj.kind === TLS_ENDPOINT || obj.kind === TRUST_ANCHORS) && isObject(obj.raw.spec);
}
