/**
 * Baselines: a file of accepted findings, matched by fingerprint (check, object, container, field path),
 * so line moves and message rewording do not resurrect them.
 */
import type { Finding } from './finding.js';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  readonly fingerprint: string;
  readonly checkId: string;
  readonly resource?: string;
  readonly path?: string;
}

export interface Baseline {
  readonly baselineVersion: typeof BASELINE_VERSION;
  readonly entries: readonly BaselineEntry[];
}

export function makeBaseline(findings: readonly Finding[]): Baseline {
  const seen = new Set<string>();
  const entries: BaselineEntry[] = [];
  for (const f of findings) {
    if (seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    const r = f.resource;
    entries.push({
      fingerprint: f.fingerprint,
      checkId: f.checkId,
      ...(r ? { resource: `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}${r.container ? `:${r.container}` : ''}` } : {}),
      ...(f.path !== undefined ? { path: f.path } : {}),
    });
  }
  entries.sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  return { baselineVersion: BASELINE_VERSION, entries };
}

/** Validate a parsed baseline document; returns the set of fingerprints or an error line. */
export function parseBaseline(doc: unknown): { ok: true; fingerprints: ReadonlySet<string> } | { ok: false; error: string } {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { ok: false, error: 'a baseline must be a JSON object' };
  const d = doc as Record<string, unknown>;
  if (d.baselineVersion !== BASELINE_VERSION) return { ok: false, error: `unsupported baselineVersion ${JSON.stringify(d.baselineVersion)} (expected ${BASELINE_VERSION})` };
  if (!Array.isArray(d.entries)) return { ok: false, error: 'baseline entries must be a list' };
  const out = new Set<string>();
  for (const e of d.entries as unknown[]) {
    if (typeof e !== 'object' || e === null || typeof (e as Record<string, unknown>).fingerprint !== 'string') return { ok: false, error: 'every baseline entry needs a fingerprint' };
    out.add((e as { fingerprint: string }).fingerprint);
  }
  return { ok: true, fingerprints: out };
}
