/**
 * The findings of the JSON report, both ways. Since schemaVersion 3 a finding in the JSON carries only what is its
 * own: its `title`, `remediation` and `references` are written only when they differ from its check's entry in the
 * report's `checks` (a finding folded with a Pod Security check has its controls merged into `references`: those are
 * written whole). Readers get full findings back from every version kspect wrote (1, 2 and 3): what a v3 finding
 * leaves out is restored from `checks`. In memory a Report always holds full findings; only the JSON is compact.
 */
import type { Finding, References, SuppressedFinding } from './finding.js';
import { READABLE_REPORT_VERSIONS, type CheckInfo, type Report } from './report.js';
import { SEVERITIES } from './severity.js';

/** A finding as a v3 JSON report holds it. */
export interface JsonFinding extends Omit<Finding, 'title' | 'remediation' | 'references'> {
  readonly title?: string;
  readonly remediation?: string;
  readonly references?: References;
}

/** The checks of a report by id (the first entry of an id, if a report ever listed one twice). */
export function checksById(checks: readonly CheckInfo[]): ReadonlyMap<string, CheckInfo> {
  const out = new Map<string, CheckInfo>();
  for (const c of checks) if (!out.has(c.id)) out.set(c.id, c);
  return out;
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether two References hold the same lists (fields present as undefined count as absent, as in JSON; the JSON holds only the five fields). */
export function sameReferences(a: References, b: References): boolean {
  if (a === b) return true;
  for (const k of REFERENCE_FIELDS) if (!sameList(a[k], b[k])) return false;
  return true;
}

/** Which of a finding's title, remediation and references the JSON leaves out (they equal its check's). */
export interface Omitted {
  readonly title: boolean;
  readonly remediation: boolean;
  readonly references: boolean;
}

const NOTHING_OMITTED: Omitted = { title: false, remediation: false, references: false };

/** What the JSON leaves out of `f`, given its check's entry in `checks` (nothing when the check is not listed). */
export function omittedOf(f: Finding, check: CheckInfo | undefined): Omitted {
  if (!check) return NOTHING_OMITTED;
  return { title: f.title === check.title, remediation: f.remediation === check.remediation, references: sameReferences(f.references, check.references) };
}

/** The fields of the objects in a finding, in the order the JSON writes them (the interfaces' order). */
export const RESOURCE_FIELDS = ['apiVersion', 'kind', 'namespace', 'name', 'container'] as const;
export const LOCATION_FIELDS = ['file', 'line', 'column'] as const;
export const SOURCE_FIELDS = ['type', 'uri'] as const;
export const REFERENCE_FIELDS = ['pss', 'cis', 'nsa', 'mitre', 'urls'] as const;

function pick<T extends object>(value: T, fields: readonly (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of fields) if (value[k] !== undefined) out[k] = value[k];
  return out;
}

/**
 * A finding as the v3 JSON writes it, with its fields in the order they are written. Read field by field from the
 * Finding interface (not from the object's own keys: the in-memory finding may be stored otherwise).
 */
export function jsonFinding(f: Finding, check: CheckInfo | undefined): JsonFinding {
  const o = omittedOf(f, check);
  const out: Record<string, unknown> = { checkId: f.checkId, severity: f.severity };
  if (!o.title) out.title = f.title;
  out.message = f.message;
  if (f.resource !== undefined) out.resource = pick(f.resource, RESOURCE_FIELDS);
  if (f.location !== undefined) out.location = pick(f.location, LOCATION_FIELDS);
  if (f.source !== undefined) out.source = pick(f.source, SOURCE_FIELDS);
  if (f.path !== undefined) out.path = f.path;
  if (f.evidence !== undefined) out.evidence = f.evidence;
  if (!o.remediation) out.remediation = f.remediation;
  if (!o.references) out.references = pick(f.references, REFERENCE_FIELDS);
  out.fingerprint = f.fingerprint;
  if (f.alsoReportedBy !== undefined) out.alsoReportedBy = f.alsoReportedBy;
  return out as unknown as JsonFinding;
}

/** A suppressed finding as the v3 JSON writes it: its fields in the interface's order. */
export function jsonSuppressed(s: SuppressedFinding, check: CheckInfo | undefined): Omit<SuppressedFinding, 'finding'> & { readonly finding: JsonFinding } {
  return { finding: jsonFinding(s.finding, check), by: s.by, reason: s.reason, ...(s.annotation !== undefined ? { annotation: s.annotation } : {}) };
}

/**
 * The Report as its JSON (schemaVersion 3) holds it, as a plain value: `JSON.stringify` of it, hardened, is the text
 * the JSON reporter writes (which streams it instead). Findings and suppressed findings compact; the rest as it is.
 */
export function reportJsonValue(report: Report, findings: readonly Finding[] = report.findings, suppressed: readonly SuppressedFinding[] = report.suppressed): Record<string, unknown> {
  const byId = checksById(report.checks);
  return { ...report, findings: findings.map((f) => jsonFinding(f, byId.get(f.checkId))), suppressed: suppressed.map((s) => jsonSuppressed(s, byId.get(s.finding.checkId))) };
}

/** A JSON report read back: the document with full findings. `schemaVersion` is the version it was written in. */
export type ReadReport = Omit<Report, 'schemaVersion'> & { readonly schemaVersion: number };

export type ReadReportResult = { readonly ok: true; readonly report: ReadReport } | { readonly ok: false; readonly error: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown): boolean {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function isReferences(v: unknown): v is References {
  return isRecord(v) && Object.values(v).every((x) => x === undefined || stringList(x));
}

/** A finding of a report of any version with what v3 leaves out restored from its check, or why it is not one. */
function restoreFinding(raw: unknown, checks: ReadonlyMap<string, CheckInfo>, where: string): Finding | string {
  if (!isRecord(raw)) return `${where} is not an object`;
  if (typeof raw.checkId !== 'string' || typeof raw.fingerprint !== 'string') return `${where} has no checkId or fingerprint`;
  if (typeof raw.message !== 'string') return `${where} has no message`;
  if (typeof raw.severity !== 'string' || !(SEVERITIES as readonly string[]).includes(raw.severity)) return `${where} has no severity`;
  const check = checks.get(raw.checkId);
  const title = raw.title ?? check?.title;
  const remediation = raw.remediation ?? check?.remediation;
  const references = raw.references ?? check?.references;
  if (typeof title !== 'string' || typeof remediation !== 'string' || !isReferences(references))
    return `${where} (${raw.checkId}) has no title, remediation or references, and its check is not in checks`;
  // The fields in the order of the Finding interface; those JSON leaves out when undefined are left out here too.
  const out: Record<string, unknown> = { checkId: raw.checkId, severity: raw.severity, title, message: raw.message };
  for (const k of ['resource', 'location', 'source', 'path', 'evidence'] as const) if (raw[k] !== undefined) out[k] = raw[k];
  out.remediation = remediation;
  out.references = references;
  out.fingerprint = raw.fingerprint;
  if (raw.alsoReportedBy !== undefined) out.alsoReportedBy = raw.alsoReportedBy;
  return out as unknown as Finding;
}

/**
 * Read a parsed JSON report of any version kspect reads (READABLE_REPORT_VERSIONS): its findings and suppressed
 * findings come back whole (v3's left-out title, remediation and references restored from `checks`), the rest as
 * written. Checks the parts that hold findings; the other sections are taken as they are.
 */
export function readReportJson(doc: unknown): ReadReportResult {
  if (!isRecord(doc)) return { ok: false, error: 'not a JSON object' };
  const version = doc.schemaVersion;
  if (typeof version !== 'number' || !READABLE_REPORT_VERSIONS.includes(version)) return { ok: false, error: `${version === undefined ? 'no schemaVersion' : `schemaVersion ${JSON.stringify(version)}`} (kspect reads ${READABLE_REPORT_VERSIONS.slice(0, -1).join(', ')} or ${String(READABLE_REPORT_VERSIONS.at(-1))})` };
  if (!Array.isArray(doc.findings)) return { ok: false, error: 'findings is not a list' };
  const checksRaw = doc.checks ?? [];
  if (!Array.isArray(checksRaw) || !checksRaw.every((c) => isRecord(c) && typeof c.id === 'string')) return { ok: false, error: 'checks is not a list of checks' };
  const checks = checksById(checksRaw as CheckInfo[]);
  const findings: Finding[] = [];
  for (let i = 0; i < doc.findings.length; i++) {
    const f = restoreFinding(doc.findings[i], checks, `findings[${i}]`);
    if (typeof f === 'string') return { ok: false, error: f };
    findings.push(f);
  }
  const suppressed: SuppressedFinding[] = [];
  const suppressedRaw = doc.suppressed ?? [];
  if (!Array.isArray(suppressedRaw)) return { ok: false, error: 'suppressed is not a list' };
  for (let i = 0; i < suppressedRaw.length; i++) {
    const s: unknown = suppressedRaw[i];
    if (!isRecord(s)) return { ok: false, error: `suppressed[${i}] is not an object` };
    const f = restoreFinding(s.finding, checks, `suppressed[${i}].finding`);
    if (typeof f === 'string') return { ok: false, error: f };
    suppressed.push({ ...(s as unknown as SuppressedFinding), finding: f });
  }
  return { ok: true, report: { ...(doc as unknown as ReadReport), findings, suppressed } };
}
