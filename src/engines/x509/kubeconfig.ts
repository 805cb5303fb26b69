/**
 * The certificate-bearing fields of a kubeconfig (`kind: Config`): cluster CAs and user client
 * certificates and keys, embedded (`*-data`, base64) or referenced by path.
 */
import { getArray, getObject, getString, isObject, type JsonObject } from '../../model/object.js';

export interface KubeconfigBlob {
  /** Field path, e.g. `users[0].user.client-certificate-data`. */
  readonly path: string;
  /** Decoded bytes of a `*-data` field. */
  readonly data?: Uint8Array;
  /** A referenced file, as written (relative to the kubeconfig's folder). */
  readonly file?: string;
  /** The base64 did not decode. */
  readonly invalid?: boolean;
}

export interface KubeconfigCluster {
  readonly name: string;
  readonly ca?: KubeconfigBlob;
}

export interface KubeconfigUser {
  readonly name: string;
  readonly cert?: KubeconfigBlob;
  readonly key?: KubeconfigBlob;
  /** Names of the clusters this user is paired with by a context. */
  readonly clusters: readonly string[];
}

export interface Kubeconfig {
  readonly clusters: readonly KubeconfigCluster[];
  readonly users: readonly KubeconfigUser[];
}

/** True for an object shaped like a kubeconfig. */
export function isKubeconfig(raw: unknown): raw is JsonObject {
  return isObject(raw) && (raw.kind === 'Config' || (Array.isArray(raw.clusters) && Array.isArray(raw.users)));
}

const B64 = /^[A-Za-z0-9+/=\s]*$/;

function blob(o: JsonObject | undefined, base: string, dataKey: string, fileKey: string): KubeconfigBlob | undefined {
  const data = getString(o, dataKey);
  if (data !== undefined && data !== '') {
    if (!B64.test(data)) return { path: `${base}.${dataKey}`, invalid: true };
    return { path: `${base}.${dataKey}`, data: new Uint8Array(Buffer.from(data, 'base64')) };
  }
  const file = getString(o, fileKey);
  if (file !== undefined && file !== '') return { path: `${base}.${fileKey}`, file };
  return undefined;
}

export function readKubeconfig(raw: JsonObject): Kubeconfig {
  const contexts = getArray(raw, 'contexts').map((c) => getObject(c, 'context'));
  const clusters = getArray(raw, 'clusters').map((c, i): KubeconfigCluster => {
    const ca = blob(getObject(c, 'cluster'), `clusters[${i}].cluster`, 'certificate-authority-data', 'certificate-authority');
    return { name: getString(c, 'name') ?? `#${i}`, ...(ca ? { ca } : {}) };
  });
  const users = getArray(raw, 'users').map((u, i): KubeconfigUser => {
    const name = getString(u, 'name') ?? `#${i}`;
    const user = getObject(u, 'user');
    const cert = blob(user, `users[${i}].user`, 'client-certificate-data', 'client-certificate');
    const key = blob(user, `users[${i}].user`, 'client-key-data', 'client-key');
    const cl = contexts.filter((c) => getString(c, 'user') === name).map((c) => getString(c, 'cluster') ?? '');
    return { name, ...(cert ? { cert } : {}), ...(key ? { key } : {}), clusters: cl };
  });
  return { clusters, users };
}
