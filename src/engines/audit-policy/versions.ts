/**
 * Kubernetes minor versions as kspect's audit engines use them: which audit.k8s.io versions a kube-apiserver
 * loads, and which policy features it knows, per minor release (learned from kubernetes/apiserver's history).
 */

/** The newest Kubernetes minor release whose audit policy behaviour kspect knows. */
export const LATEST_MINOR = 36;
/** The oldest one kspect models. */
export const OLDEST_MINOR = 19;

/** Parse `1.34`, `v1.34`, `1.34.2` into the minor number; undefined when it is not a Kubernetes 1.x version. */
export function minorOf(version: string | undefined): number | undefined {
  if (version === undefined) return undefined;
  const m = /^v?1\.(\d{1,3})(?:\.\d{1,4})?$/.exec(version.trim());
  return m?.[1] !== undefined ? Number(m[1]) : undefined;
}

/** What the kube-apiserver of a minor version does with an audit Policy file. */
export interface PolicyFeatures {
  readonly minor: number;
  /** apiVersions the policy file may use (audit.k8s.io/v1alpha1 and v1beta1 were removed in 1.24). */
  readonly apiVersions: readonly string[];
  /** `omitManagedFields` exists (1.23+); before, the key is unknown and ignored. */
  readonly omitManagedFields: boolean;
  /** `group: "*"` matches every API group (1.36+); before, it fails group-name validation. */
  readonly wildcardGroup: boolean;
  /** The server decodes strictly first and logs a warning before falling back to lenient decoding (1.26+). */
  readonly warnsOnLenient: boolean;
}

export function policyFeatures(minor: number): PolicyFeatures {
  return {
    minor,
    apiVersions: minor >= 24 ? ['audit.k8s.io/v1'] : ['audit.k8s.io/v1', 'audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1'],
    omitManagedFields: minor >= 23,
    wildcardGroup: minor >= 36,
    warnsOnLenient: minor >= 26,
  };
}
