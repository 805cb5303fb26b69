/**
 * The PKI material of a run: every certificate, key, CSR and endpoint, each with a reference to
 * where it came from (file, kubeconfig field, Secret key, endpoint) and its role when known.
 * Decoding bytes into items is pure; reading files and endpoints happens in src/sources/.
 */
import type { SourceRef } from '../../core/finding.js';
import type { K8sObject } from '../../model/object.js';
import { parseCertificate, parseCsr, parsePrivateKey, parsePublicKey, type CertInfo, type CsrInfo, type KeyFormat, type PrivateKeyInfo, type PublicKeyInfo } from './cert.js';
import { looksLikePem, parsePem } from './pem.js';
import type { Role } from './roles.js';
import { appendAll } from '../../core/arrays.js';

/** Where an item came from. */
export interface ItemRef {
  readonly source: SourceRef;
  /** Human name: `pki/apiserver.crt`, `admin.conf users[0]`, `Secret prod/web tls.crt`, `10.0.0.1:6443 chain[0]`. */
  readonly name: string;
  /** Field path in a manifest object or kubeconfig, or the index in a bundle (`[2]`). */
  readonly path?: string;
  /** The manifest object, for findings of `kspect scan`. */
  readonly object?: K8sObject;
  /**
   * The inventory object that carried the item when it is not a manifest object (a certificate file, a TLS
   * endpoint of `kspect pki check`): suppression and exemptions apply to it.
   */
  readonly holder?: K8sObject;
}

export type Origin = 'file' | 'kubeconfig' | 'secret' | 'endpoint' | 'bundle' | 'csr-object';

export interface CertItem {
  readonly ref: ItemRef;
  readonly cert: CertInfo;
  readonly origin: Origin;
  readonly role: Role;
  /** kubeadm's name for it, when the layout says. */
  readonly kubeadmName?: string;
  /** The kubeadm CA file (`ca`, `etcd/ca`) expected to sign it. */
  readonly expectedCa?: string;
  /** Position in its file or served chain; 0 is the leaf. */
  readonly index: number;
  /** The slot it sits in: a leaf (served, client, tls.crt, kubeadm leaf file), a CA, or unknown. */
  readonly slot: 'leaf' | 'ca' | 'any';
  /** May serve as a trust anchor when no --ca is given. */
  readonly anchorCandidate: boolean;
  /** Host names it is served for (an Ingress's spec.tls hosts), when known. */
  readonly servedHosts?: readonly string[];
  /** Anchors that apply to this certificate only (a Secret's ca.crt, a kubeconfig's CA data). */
  readonly localAnchors?: readonly CertInfo[];
}

export interface KeyItem {
  readonly ref: ItemRef;
  readonly key: PrivateKeyInfo;
  /** File mode bits (e.g. 0o644), when read from a file. */
  readonly mode?: number;
  /** A service-account signing key (kubeadm's sa.key). */
  readonly serviceAccount?: boolean;
}

export interface PublicKeyItem {
  readonly ref: ItemRef;
  readonly key: PublicKeyInfo;
  readonly serviceAccount?: boolean;
}

export interface CsrItem {
  readonly ref: ItemRef;
  readonly csr: CsrInfo;
}

/** A certificate and the private key meant to go with it. */
export interface Pair {
  readonly cert: CertItem;
  readonly key: KeyItem;
}

export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
export const TLS_VERSIONS: readonly TlsVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export interface EndpointProbe {
  readonly host: string;
  readonly port: number;
  /** For each version: accepted, refused, or not tested (the reason). */
  readonly protocols: Readonly<Record<TlsVersion, { readonly accepted: boolean; readonly detail?: string }>>;
  /** Cipher suites the server accepted, per version. */
  readonly ciphers: readonly { readonly version: TlsVersion; readonly name: string }[];
  /** Whether the server asks for a client certificate; undefined when it could not be seen (TLS 1.3 only). */
  readonly clientCertRequested?: boolean;
  /** DER of the served chain, leaf first. */
  readonly chain: readonly Uint8Array[];
  /** Why nothing could be probed (connection refused, not TLS), when so. */
  readonly error?: string;
}

export interface EndpointItem {
  readonly ref: ItemRef;
  readonly probe: EndpointProbe;
  readonly chain: readonly CertItem[];
}

export interface MaterialProblem {
  /** The item the problem is about, when known (a manifest object's field). */
  readonly ref?: ItemRef;
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

export interface PkiMaterial {
  readonly certs: readonly CertItem[];
  readonly keys: readonly KeyItem[];
  readonly publicKeys: readonly PublicKeyItem[];
  readonly csrs: readonly CsrItem[];
  readonly pairs: readonly Pair[];
  readonly endpoints: readonly EndpointItem[];
  /** Trust anchors given explicitly (--ca); when empty, anchor candidates among the inputs are used. */
  readonly anchors: readonly CertInfo[];
  readonly problems: readonly MaterialProblem[];
}

/** What one blob (a file, a `*-data` field, a Secret key) holds. */
export interface Decoded {
  readonly certs: CertInfo[];
  readonly keys: PrivateKeyInfo[];
  readonly publicKeys: PublicKeyInfo[];
  readonly csrs: CsrInfo[];
  /** Problems, with the 1-based line in the blob when known. */
  readonly problems: { readonly line?: number; readonly message: string }[];
}

const KEY_LABELS: Readonly<Record<string, KeyFormat | 'encrypted'>> = {
  'PRIVATE KEY': 'pkcs8',
  'RSA PRIVATE KEY': 'pkcs1',
  'EC PRIVATE KEY': 'sec1',
  'ENCRYPTED PRIVATE KEY': 'encrypted',
};

/** Decode PEM (any number of blocks) or a single DER object. Never throws. */
export function decodeBlob(bytes: Uint8Array): Decoded {
  const out: Decoded = { certs: [], keys: [], publicKeys: [], csrs: [], problems: [] };
  if (bytes.length === 0) {
    out.problems.push({ message: 'empty' });
    return out;
  }
  if (looksLikePem(bytes)) {
    const pem = parsePem(Buffer.from(bytes).toString('latin1'));
    appendAll(out.problems, pem.problems);
    // A bundle may repeat a certificate (concatenated CA bundles do): parse each distinct one once.
    const seen = new Map<string, ReturnType<typeof parseCertificate>>();
    for (const b of pem.blocks) {
      const at = (m: string): void => void out.problems.push({ line: b.line, message: m });
      if (b.label === 'CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE' || b.label === 'X509 CERTIFICATE') {
        const key = Buffer.from(b.der).toString('base64');
        const r = seen.get(key) ?? parseCertificate(b.der);
        seen.set(key, r);
        if (r.ok) out.certs.push(r.value);
        else at(r.error);
      } else if (b.label in KEY_LABELS) {
        const f = KEY_LABELS[b.label];
        const encrypted = f === 'encrypted' || (b.headers['Proc-Type'] ?? '').includes('ENCRYPTED');
        const r = parsePrivateKey(b.der, f === 'encrypted' ? undefined : f, encrypted);
        if (r.ok) out.keys.push(r.value);
        else at(r.error);
      } else if (b.label === 'PUBLIC KEY' || b.label === 'RSA PUBLIC KEY') {
        const r = parsePublicKey(b.der, b.label === 'PUBLIC KEY' ? 'spki' : 'pkcs1');
        if (r.ok) out.publicKeys.push(r.value);
        else at(r.error);
      } else if (b.label === 'CERTIFICATE REQUEST' || b.label === 'NEW CERTIFICATE REQUEST') {
        const r = parseCsr(b.der);
        if (r.ok) out.csrs.push(r.value);
        else at(r.error);
      } else if (b.label === 'EC PARAMETERS') {
        // Written by `openssl ecparam -genkey` before the key: nothing to check.
      } else at(`unsupported PEM block "${b.label}"`);
    }
    if (pem.blocks.length === 0 && pem.problems.length === 0) out.problems.push({ message: 'no PEM block found' });
    return out;
  }
  // DER: a certificate, a key or a CSR; a sequence tag is the least it must start with.
  if (bytes[0] !== 0x30) {
    out.problems.push({ message: 'neither PEM nor DER (no "-----BEGIN" line, and not an ASN.1 sequence)' });
    return out;
  }
  const cert = parseCertificate(bytes);
  if (cert.ok) {
    out.certs.push(cert.value);
    return out;
  }
  const key = parsePrivateKey(bytes);
  if (key.ok) {
    out.keys.push(key.value);
    return out;
  }
  const csr = parseCsr(bytes);
  if (csr.ok) {
    out.csrs.push(csr.value);
    return out;
  }
  const pub = parsePublicKey(bytes);
  if (pub.ok) {
    out.publicKeys.push(pub.value);
    return out;
  }
  out.problems.push({ message: `DER data is not a certificate, private key, public key or CSR (${cert.error})` });
  return out;
}

/** True when the name looks like something holding PEM/DER material. */
export function isPkiFileName(name: string): boolean {
  return /\.(crt|cer|pem|der|key|pub|csr|p7b)$/i.test(name);
}
