/**
 * PKI material carried by manifests, for `kspect scan`: `kubernetes.io/tls` Secrets (tls.crt,
 * tls.key, ca.crt), kubeconfig-like objects (`kind: Config`) with embedded data, and
 * CertificateSigningRequests. Pure: the bytes are already in the objects.
 */
import type { Inventory } from '../../model/inventory.js';
import { displayName, getArray, getObject, getString, type K8sObject } from '../../model/object.js';
import { formatPath } from '../../model/path.js';
import type { MaterialBuilder } from './builder.js';
import { decodeBlob } from './material.js';
import { isKubeconfig, readKubeconfig } from './kubeconfig.js';
import type { Role } from './roles.js';

/** Files a manifest refers to but a scan does not read. */
export interface UnreadReference {
  readonly object: K8sObject;
  readonly path: string;
  readonly file: string;
  /** Display name of the item the file holds. */
  readonly name: string;
  readonly role?: Role;
  readonly pairKey?: string;
}

const B64 = /^[A-Za-z0-9+/=\s]*$/;

function secretValue(obj: K8sObject, key: string): { bytes: Uint8Array; path: string } | { invalid: string } | undefined {
  const data = getString(getObject(obj.raw, 'data'), key);
  if (data !== undefined) {
    const path = formatPath(['data', key]);
    if (!B64.test(data)) return { invalid: path };
    return { bytes: new Uint8Array(Buffer.from(data, 'base64')), path };
  }
  const str = getString(getObject(obj.raw, 'stringData'), key);
  if (str !== undefined) return { bytes: new Uint8Array(Buffer.from(str, 'utf8')), path: formatPath(['stringData', key]) };
  return undefined;
}

/** Secrets named by Ingress spec.tls: their certificates serve TLS, for these hosts. */
function servingSecrets(inventory: Inventory): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const ing of inventory.ofKind('Ingress')) {
    for (const t of getArray(getObject(ing.raw, 'spec'), 'tls')) {
      const name = getString(t, 'secretName');
      if (name === undefined) continue;
      const key = `${ing.metadata.namespace ?? 'default'}/${name}`;
      const hosts = out.get(key) ?? [];
      for (const h of getArray(t, 'hosts')) if (typeof h === 'string' && !hosts.includes(h)) hosts.push(h);
      out.set(key, hosts);
    }
  }
  return out;
}

const SIGNER_ROLE: Readonly<Record<string, Role>> = {
  'kubernetes.io/kube-apiserver-client': 'client',
  'kubernetes.io/kube-apiserver-client-kubelet': 'client',
  'kubernetes.io/kubelet-serving': 'server',
};

/**
 * Add the material of manifest objects to a builder. Returns the files kubeconfigs refer to,
 * which the caller may read (sources) or report as not read (scan).
 */
export function addManifestMaterial(b: MaterialBuilder, inventory: Inventory): UnreadReference[] {
  const unread: UnreadReference[] = [];
  const serving = servingSecrets(inventory);
  const invalid = (obj: K8sObject, path: string): void => {
    b.problem(obj.origin.source.uri, `${displayName(obj)}: ${path} is not valid base64`, obj.origin.locate(path)?.line, { source: obj.origin.source, name: displayName(obj), path, object: obj });
  };
  for (const obj of inventory.ofKind('Secret')) {
    if (getString(obj.raw, 'type') !== 'kubernetes.io/tls') continue;
    const name = `Secret ${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}`;
    const hosts = serving.get(`${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}`);
    const role: Role = hosts ? 'server' : 'unknown';
    const ca = secretValue(obj, 'ca.crt');
    const anchors = ca && 'bytes' in ca ? decodeBlob(ca.bytes).certs.filter((c) => c.isCA) : [];
    if (ca && 'invalid' in ca) invalid(obj, ca.invalid);
    const line = (path: string): number | undefined => obj.origin.locate(path)?.line;
    for (const key of ['tls.crt', 'tls.key'] as const) {
      const v = secretValue(obj, key);
      if (!v) continue;
      if ('invalid' in v) {
        invalid(obj, v.invalid);
        continue;
      }
      b.addBlob(v.bytes, {
        ref: { source: obj.origin.source, name: `${name} ${key}`, path: v.path, object: obj },
        origin: 'secret',
        ...(role !== 'unknown' ? { role } : {}),
        leaf: key === 'tls.crt',
        ...(hosts && hosts.length > 0 ? { servedHosts: hosts } : {}),
        pairKey: `secret:${name}`,
        anchorCandidate: false,
        ...(anchors.length > 0 ? { localAnchors: anchors } : {}),
        ...lineOf(line(v.path)),
      });
    }
  }
  for (const obj of inventory.objects) {
    if (obj.kind !== 'Config' || !isKubeconfig(obj.raw)) continue;
    const kc = readKubeconfig(obj.raw);
    const name = `kubeconfig ${obj.metadata.name === '<unnamed>' ? obj.origin.source.uri : obj.metadata.name}`;
    const caOf = new Map<string, ReturnType<typeof decodeBlob>['certs']>();
    for (const c of kc.clusters) {
      if (!c.ca) continue;
      if (c.ca.invalid) invalid(obj, c.ca.path);
      else if (c.ca.data) {
        const added = b.addBlob(c.ca.data, { ref: { source: obj.origin.source, name: `${name} cluster ${c.name}`, path: c.ca.path, object: obj }, origin: 'kubeconfig' });
        caOf.set(c.name, added.certs.map((x) => x.cert).filter((x) => x.isCA));
      } else if (c.ca.file !== undefined) unread.push({ object: obj, path: c.ca.path, file: c.ca.file, name: `${name} cluster ${c.name}` });
    }
    for (const u of kc.users) {
      const anchors = u.clusters.flatMap((cl) => caOf.get(cl) ?? []);
      for (const blob of [u.cert, u.key]) {
        if (!blob) continue;
        if (blob.invalid) invalid(obj, blob.path);
        else if (blob.data) {
          b.addBlob(blob.data, {
            ref: { source: obj.origin.source, name: `${name} user ${u.name}`, path: blob.path, object: obj },
            origin: 'kubeconfig',
            role: 'client',
            pairKey: `kubeconfig:${name}:${u.name}`,
            anchorCandidate: false,
            ...(anchors.length > 0 ? { localAnchors: anchors } : {}),
          });
        } else if (blob.file !== undefined) unread.push({ object: obj, path: blob.path, file: blob.file, name: `${name} user ${u.name}`, role: 'client', pairKey: `kubeconfig:${name}:${u.name}` });
      }
    }
  }
  for (const obj of inventory.ofKind('CertificateSigningRequest')) {
    const spec = getObject(obj.raw, 'spec');
    const req = getString(spec, 'request');
    if (req === undefined) continue;
    if (!B64.test(req)) {
      invalid(obj, 'spec.request');
      continue;
    }
    const signer = getString(spec, 'signerName') ?? '';
    const role = SIGNER_ROLE[signer];
    b.addBlob(new Uint8Array(Buffer.from(req, 'base64')), {
      ref: { source: obj.origin.source, name: `CertificateSigningRequest ${obj.metadata.name}`, path: 'spec.request', object: obj },
      origin: 'csr-object',
      ...(role ? { role } : {}),
    });
  }
  return unread;
}

function lineOf(line: number | undefined): { line?: number } {
  return line !== undefined ? { line } : {};
}
