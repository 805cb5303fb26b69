/**
 * Everything a load gave, as one JSON text: each object's value, kind, metadata, origin (source, document, List
 * index, location) and the location of every field (the positions the parser kept), then the problems, files and
 * the count of skipped documents. Two loads are the same load when their texts are equal.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../../src/core/finding.js';
import type { K8sObject } from '../../src/model/object.js';
import { formatPath, type PathSegment } from '../../src/model/path.js';

function fieldPaths(value: unknown, prefix: PathSegment[], out: string[], limit: number): void {
  if (out.length >= limit) return;
  out.push(formatPath(prefix));
  if (Array.isArray(value)) value.forEach((v: unknown, i) => { fieldPaths(v, [...prefix, i], out, limit); });
  else if (typeof value === 'object' && value !== null) for (const k of Object.keys(value)) fieldPaths((value as Record<string, unknown>)[k], [...prefix, k], out, limit);
}

export function describeObject(o: K8sObject, fieldLimit = 400): unknown {
  const paths: string[] = [];
  fieldPaths(o.raw, [], paths, fieldLimit);
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: o.metadata,
    // Keys such as __proto__ must survive as keys: listed, not only serialised.
    keys: Object.keys(o.raw),
    raw: JSON.stringify(o.raw),
    source: o.origin.source,
    docIndex: o.origin.docIndex,
    listIndex: o.origin.listIndex,
    location: o.origin.location,
    fields: paths.map((p) => [p, o.origin.locate(p)]),
  };
}

export function describeLoad(r: { readonly objects: readonly K8sObject[]; readonly problems: readonly Problem[]; readonly skipped: number; readonly files?: readonly string[]; readonly read?: boolean }): string {
  return JSON.stringify({ objects: r.objects.map((o) => describeObject(o)), problems: r.problems, skipped: r.skipped, files: r.files, read: r.read }, null, 1);
}

/** Every .yaml, .yml and .json file under a folder, recursively, in sorted order. */
export function manifestFilesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) manifestFilesUnder(p, out);
    else if (/\.(ya?ml|json)$/i.test(name)) out.push(p);
  }
  return out;
}

/** The real-world corpus beside the repository (../shared/corpus). */
export const SHARED_CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
