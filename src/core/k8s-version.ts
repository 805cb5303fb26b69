/** Kubernetes versions as users write them: `1.34`, `v1.34`, `1.34.2`, `v1.34.2` all name minor 34. */

const VERSION = /^v?1\.(0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,4}))?$/;

/** `v1.34.2` → `1.34`; undefined when the text is not a Kubernetes 1.x version. */
export function normalizeK8sVersion(text: string): string | undefined {
  const m = VERSION.exec(text.trim());
  return m?.[1] !== undefined ? `1.${m[1]}` : undefined;
}

/** The minor number of a normalized or user-written version: `v1.34.2` → 34. */
export function k8sMinor(text: string): number | undefined {
  const n = normalizeK8sVersion(text);
  return n === undefined ? undefined : Number(n.slice(2));
}
