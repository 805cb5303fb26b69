/**
 * The inventory: every object of a run, indexed by kind and namespace, plus what was skipped.
 * Built once by the sources and then only read.
 */
import type { K8sObject } from './object.js';

export interface Inventory {
  readonly objects: readonly K8sObject[];
  /** Objects of a kind, in input order. */
  ofKind(kind: string): readonly K8sObject[];
  /** Objects of any of these kinds. */
  ofKinds(kinds: readonly string[]): readonly K8sObject[];
  /** Namespace objects by name (only those present in the input). */
  readonly namespaces: ReadonlyMap<string, K8sObject>;
  /** Names of every namespace mentioned by an object or present as a Namespace. */
  readonly namespaceNames: ReadonlySet<string>;
  /** Number of YAML documents that were not Kubernetes objects (no apiVersion/kind), or empty. */
  readonly skipped: number;
}

export function buildInventory(objects: readonly K8sObject[], skipped = 0): Inventory {
  const byKind = new Map<string, K8sObject[]>();
  const namespaces = new Map<string, K8sObject>();
  const namespaceNames = new Set<string>();
  for (const o of objects) {
    let list = byKind.get(o.kind);
    if (!list) byKind.set(o.kind, (list = []));
    list.push(o);
    if (o.kind === 'Namespace' && o.apiVersion === 'v1') {
      namespaces.set(o.metadata.name, o);
      namespaceNames.add(o.metadata.name);
    }
    if (o.metadata.namespace !== undefined) namespaceNames.add(o.metadata.namespace);
  }
  return {
    objects,
    ofKind: (kind) => byKind.get(kind) ?? [],
    ofKinds: (kinds) => kinds.flatMap((k) => byKind.get(k) ?? []),
    namespaces,
    namespaceNames,
    skipped,
  };
}

/** `reads` covers `kinds`: every kind named, or `'*'`. */
export function readsCover(reads: readonly string[], kinds: readonly string[]): boolean {
  return reads.includes('*') || kinds.every((k) => k !== '*' && reads.includes(k));
}

/**
 * The inventory as a reader that declared `reads` (kinds, or `'*'`) may see it: reading any other kind — or every
 * object, or the namespace names every object contributes to, without `'*'` — calls `denied` (which throws). The
 * Namespace objects (`namespaces`) are the kind `Namespace`.
 */
export function inventoryView(inventory: Inventory, reads: readonly string[], denied: (what: string) => never): Inventory {
  if (reads.includes('*')) return inventory;
  const allowed = new Set(reads);
  const kind = (k: string): string => (allowed.has(k) ? k : denied(`objects of kind ${k}`));
  return {
    get objects() {
      return denied('every object');
    },
    ofKind: (k) => inventory.ofKind(kind(k)),
    ofKinds: (kinds) => inventory.ofKinds(kinds.map(kind)),
    get namespaces() {
      kind('Namespace');
      return inventory.namespaces;
    },
    get namespaceNames() {
      return denied('the namespace names of every object');
    },
    skipped: inventory.skipped,
  };
}
