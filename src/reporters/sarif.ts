/**
 * SARIF 2.1.0: one rule per check that ran (help, remediation, references), one result per finding with a
 * physical location when the finding points into a file, suppressed findings as suppressed results,
 * and input problems as tool execution notifications. Frameworks: each rule's properties name the controls its check
 * maps to (`frameworks`: cis, nsa, mitre, pss → [{id, title}]) and its outcome in this run (`outcome`: fail, pass,
 * not-applicable …), and tag them (`cis/5.2.2`); with `--framework` the run's
 * properties hold each view (score, and every control's verdict, findings and evidence).
 */
import type { Finding, References } from '../core/finding.js';
import type { CheckInfo, Report } from '../core/report.js';
import type { MappedControl } from '../engines/frameworks/data.js';
import type { Severity } from '../core/severity.js';
import { wellFormed } from '../core/text.js';
import { ChunkWriter, collect, type Sink } from './chunks.js';
import { hardenJson, LazyArray, Walk, writeJsonText } from './safe-json.js';
import { countsText, displayView } from './view.js';

const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub code scanning reads `security-severity` (0–10) to rank security results. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

function refsMarkdown(r: References): string {
  const lines: string[] = [];
  if (r.pss?.length) lines.push(`- Pod Security Standards: ${r.pss.map((x) => `\`${x}\``).join(', ')}`);
  if (r.cis?.length) lines.push(`- CIS Kubernetes Benchmark: ${r.cis.join(', ')}`);
  if (r.nsa?.length) lines.push(`- NSA-CISA Kubernetes Hardening Guide: ${r.nsa.join('; ')}`);
  if (r.mitre?.length) lines.push(`- MITRE ATT&CK: ${r.mitre.join(', ')}`);
  for (const u of r.urls ?? []) lines.push(`- <${u}>`);
  return lines.join('\n');
}

function tags(c: CheckInfo, mapped: readonly MappedControl[]): string[] {
  const r = c.references;
  const all = ['security', c.category, ...(r.pss ?? []).map((x) => `pss/${x}`), ...(r.cis ?? []).map((x) => `cis/${x}`), ...(r.mitre ?? []).map((x) => `mitre/${x}`)];
  for (const m of mapped) if (m.framework !== 'nsa') all.push(`${m.framework}/${m.id}`);
  return [...new Set(all)];
}

/** The controls a rule maps to, by framework: `{ cis: [{ id, title }], … }` (frameworks it does not bear on left out). */
function ruleFrameworks(mapped: readonly MappedControl[]): Record<string, { id: string; title: string }[]> {
  const out: Record<string, { id: string; title: string }[]> = {};
  for (const m of mapped) (out[m.framework] ??= []).push({ id: m.id, title: m.title });
  return out;
}

/** `--framework` views for the run's properties: the score and every control's verdict with its evidence. */
function runFrameworks(report: Report): Record<string, unknown>[] {
  return (report.frameworks ?? []).map((v) => ({
    framework: v.framework,
    name: v.name,
    version: v.version,
    summary: v.summary,
    controls: v.controls.map((c) => ({ id: c.id, title: c.title, section: c.section, verdict: c.verdict, checks: c.checks, findings: c.findings, evidence: c.evidence })),
    namespaces: v.namespaces,
  }));
}

function pascal(id: string): string {
  return id
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/** A relative file path as a URI reference (forward slashes, percent-encoded); absolute paths as file:// URIs. */
export function fileUri(file: string): { uri: string; uriBaseId?: string } {
  // encodeURIComponent throws on lone surrogates: make the name well-formed first.
  const norm = wellFormed(file).replaceAll('\\', '/');
  const enc = norm
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
  if (norm.startsWith('/')) return { uri: `file://${enc}` };
  return { uri: enc, uriBaseId: '%SRCROOT%' };
}

function logicalName(f: Finding): string | undefined {
  const r = f.resource;
  if (!r) return undefined;
  return `${r.kind}/${r.namespace !== undefined ? `${r.namespace}/` : ''}${r.name}${r.container !== undefined ? `/${r.container}` : ''}`;
}

function result(f: Finding, ruleIndex: Map<string, number>, suppression?: { kind: 'inSource' | 'external'; justification: string }): Record<string, unknown> {
  const logical = logicalName(f);
  const location: Record<string, unknown> = {};
  if (f.location && f.location.file !== '<stdin>') {
    location.physicalLocation = { artifactLocation: fileUri(f.location.file), region: { startLine: f.location.line, startColumn: f.location.column } };
  }
  if (logical !== undefined) location.logicalLocations = [{ fullyQualifiedName: logical, kind: 'resource' }];
  else if (f.source) location.logicalLocations = [{ fullyQualifiedName: `${f.source.type}:${f.source.uri}`, kind: 'module' }];
  const props: Record<string, unknown> = { severity: f.severity };
  if (f.path !== undefined) props.fieldPath = f.path;
  if (f.evidence !== undefined) props.evidence = f.evidence;
  if (f.location?.file === '<stdin>') props.stdinLine = f.location.line;
  return {
    ruleId: f.checkId,
    ...(ruleIndex.has(f.checkId) ? { ruleIndex: ruleIndex.get(f.checkId) } : {}),
    level: LEVEL[f.severity],
    message: { text: f.message },
    ...(Object.keys(location).length > 0 ? { locations: [location] } : {}),
    partialFingerprints: { 'kspect/v1': f.fingerprint },
    ...(suppression ? { suppressions: [suppression] } : {}),
    properties: props,
  };
}

/** What the SARIF writer takes beside the report. */
export interface SarifOptions {
  readonly minSeverity?: Severity;
  /** The framework controls each check maps to (rule properties `frameworks`). */
  readonly frameworkControls?: ReadonlyMap<string, readonly MappedControl[]>;
}

export function renderSarif(report: Report, options: SarifOptions = {}): string {
  return collect((sink) => { writeSarif(report, options, sink); });
}

/** The results, made one at a time as they are written. */
function* results(view: ReturnType<typeof displayView>, ruleIndex: Map<string, number>): Generator<Record<string, unknown>> {
  for (const f of view.findings) yield result(f, ruleIndex);
  for (const s of view.suppressed) yield result(s.finding, ruleIndex, { kind: s.by === 'annotation' ? 'inSource' : 'external', justification: s.reason });
}

/** SARIF written in chunks (chunks.ts), results made as they are written. */
export function writeSarif(report: Report, options: SarifOptions, sink: Sink): void {
  const view = displayView(report, options.minSeverity);
  const ruleIndex = new Map(report.checks.map((c, i) => [c.id, i]));
  const outcomes = new Map((report.results ?? []).map((r) => [r.id, r.outcome]));
  const rules = report.checks.map((c) => {
    const mapped = options.frameworkControls?.get(c.id) ?? [];
    const outcome = outcomes.get(c.id);
    return {
    id: c.id,
    name: pascal(c.id),
    shortDescription: { text: c.title },
    fullDescription: { text: c.description },
    help: { text: c.remediation, markdown: `**Remediation:** ${c.remediation}\n\n${refsMarkdown(c.references)}`.trim() },
    ...(c.references.urls?.[0] !== undefined ? { helpUri: c.references.urls[0] } : {}),
    defaultConfiguration: { level: LEVEL[c.severity] },
    properties: { tags: tags(c, mapped), 'security-severity': SECURITY_SEVERITY[c.severity], precision: 'high', ...(outcome !== undefined ? { outcome } : {}), ...(mapped.length > 0 ? { frameworks: ruleFrameworks(mapped) } : {}) },
    };
  });
  const notifications = [
    ...report.problems.map((p) => ({
      level: p.severity === 'error' ? 'error' : 'warning',
      message: { text: `${p.code}: ${p.message}` },
      ...(p.file !== undefined && p.file !== '<stdin>'
        ? { locations: [{ physicalLocation: { artifactLocation: fileUri(p.file), ...(p.line !== undefined ? { region: { startLine: p.line, ...(p.column !== undefined ? { startColumn: p.column } : {}) } } : {}) } }] }
        : {}),
    })),
    ...report.notEvaluated.map((n) => ({
      level: 'note',
      message: { text: `not evaluated (${n.reason})${n.checkId !== undefined ? ` ${n.checkId}` : ''}: ${n.message}` },
      ...(n.checkId !== undefined && ruleIndex.has(n.checkId) ? { associatedRule: { id: n.checkId, index: ruleIndex.get(n.checkId) } } : {}),
    })),
  ];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: new LazyArray([
      new Walk({
        tool: {
          driver: {
            name: 'kspect',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: 'https://github.com/kspect/kspect',
            rules,
          },
        },
        invocations: new LazyArray([
          new Walk({
            executionSuccessful: !report.problems.some((p) => p.severity === 'error'),
            endTimeUtc: report.generatedAt,
            ...(notifications.length > 0 ? { toolExecutionNotifications: new LazyArray(notifications) } : {}),
          }),
        ]),
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The folder kspect was run from.' } } },
        results: new LazyArray(results(view, ruleIndex)),
        properties: {
          summary: report.summary,
          ...(report.frameworks && report.frameworks.length > 0 ? { frameworks: runFrameworks(report) } : {}),
          ...(view.minSeverity !== undefined && view.hidden.total > 0
            ? { displayFilter: { minSeverity: view.minSeverity, notListed: view.hidden.total, text: `${view.hidden.total} findings below ${view.minSeverity} not listed (${countsText(view.hidden.bySeverity)})` } }
            : {}),
        },
      }),
    ]),
  };
  const out = new ChunkWriter(sink, hardenJson);
  writeJsonText(sarif, out);
  out.end();
}
