/**
 * A node audit as a Report: every control evaluated into a verdict (PASS / FAIL / WARN / MANUAL /
 * NOT_EVALUATED with the reason), a finding for each failing thing, not-evaluated items, problems.
 */
import { compareFindings, fingerprintOf, type FileLocation, type Finding, type NotEvaluated, type ResourceRef, type SourceRef } from '../../core/finding.js';
import { countBySeverity, REPORT_SCHEMA_VERSION, type CheckInfo, type ControlResult, type ControlVerdict, type Report } from '../../core/report.js';
import { atLeast } from '../../core/severity.js';
import { resourceOf } from '../../model/object.js';
import type { NodeSnapshot } from '../../engines/node/snapshot.js';
import { NODE_CONTROLS, SECTIONS, type NodeControl } from './controls.js';
import { makeView, type Outcome } from './view.js';
import { trimEndChar } from '../../core/text.js';

export const BENCHMARK = 'CIS Kubernetes Benchmark v1.12 (sections 1, 2, 4) + kspect';

export interface EvaluatedControl {
  readonly control: NodeControl;
  readonly result: ControlResult;
  readonly outcomes: readonly Outcome[];
}

/** A failing control is WARN when its severity is low or info, FAIL otherwise. */
function failVerdict(c: NodeControl): ControlVerdict {
  return atLeast(c.severity, 'medium') ? 'FAIL' : 'WARN';
}

export function verdictOf(control: NodeControl, outcomes: readonly Outcome[]): { verdict: ControlVerdict; reason: string } {
  if (!control.automated) {
    // Observations, problems first; long lists of fine files are counted, not listed.
    const bad = outcomes.filter((o) => o.status !== 'pass').map((o) => o.message);
    const good = outcomes.filter((o) => o.status === 'pass').map((o) => o.message);
    const seen = outcomes.length <= 3 ? outcomes.map((o) => o.message) : [...bad.slice(0, 3), ...(bad.length > 3 ? [`${bad.length - 3} more like these`] : []), ...(good.length > 0 ? [`${good.length} ${bad.length > 0 ? 'others ' : ''}fine`] : [])];
    return { verdict: 'MANUAL', reason: `manual check${seen.length > 0 ? `; kspect observed: ${seen.join('; ')}` : ''}` };
  }
  const fails = outcomes.filter((o) => o.status === 'fail');
  if (fails.length > 0) return { verdict: failVerdict(control), reason: fails.map((o) => o.message).join('; ') };
  const ne = outcomes.filter((o) => o.status === 'not-evaluated');
  if (ne.length > 0) return { verdict: 'NOT_EVALUATED', reason: ne.map((o) => o.message).join('; ') };
  if (outcomes.length === 0) return { verdict: 'NOT_EVALUATED', reason: 'nothing to examine on this node' };
  return { verdict: 'PASS', reason: outcomes.map((o) => o.message).join('; ') };
}

/** Evaluate every node control (or those `only` names, by kspect or CIS id) on a snapshot. */
export function evaluateNode(snapshot: NodeSnapshot, only?: ReadonlySet<string>): EvaluatedControl[] {
  const view = makeView(snapshot);
  const out: EvaluatedControl[] = [];
  for (const control of NODE_CONTROLS) {
    if (only && !only.has(control.id) && !(control.cis !== undefined && only.has(control.cis))) continue;
    let outcomes: Outcome[];
    try {
      outcomes = control.evaluate(view);
    } catch (e) {
      outcomes = [{ status: 'not-evaluated', reason: 'check-error', message: `internal error: ${e instanceof Error ? e.message : String(e)}` }];
    }
    const { verdict, reason } = verdictOf(control, outcomes);
    out.push({
      control,
      outcomes,
      result: {
        id: control.id,
        ...(control.cis !== undefined ? { cis: control.cis } : {}),
        section: control.section,
        title: control.title,
        automated: control.automated,
        verdict,
        reason,
        ...(outcomes.length > 1 ? { details: outcomes.map((o) => `${o.status}: ${o.message}`) } : {}),
      },
    });
  }
  return out;
}

function checkInfoOf(c: NodeControl): CheckInfo {
  return {
    id: c.id,
    title: c.title,
    description: `${c.cis !== undefined ? `CIS ${c.cis}: ` : 'Beyond CIS: '}${c.title}${c.automated ? '' : ' (manual)'}`,
    severity: c.severity,
    category: c.component === 'kubelet' || c.section.startsWith('4') ? 'node' : 'control-plane',
    remediation: c.remediation,
    references: c.cis !== undefined ? { cis: [c.cis] } : {},
  };
}

interface Where {
  resource?: ResourceRef;
  location?: FileLocation;
  source?: SourceRef;
  path?: string;
}

function whereOf(snapshot: NodeSnapshot, o: Outcome): Where {
  const display = (p: string): string => (p.startsWith('<given>') ? p.replace('<given>/', '') : snapshot.root === '/' ? p : `${trimEndChar(snapshot.root, '/')}${p}`);
  if (o.file !== undefined) return { source: { type: 'node', uri: display(o.file) } };
  const ci = o.component !== undefined ? snapshot.components.get(o.component) : undefined;
  if (!ci) return {};
  if (ci.origin.type === 'manifest') {
    const { object, container, containerPath, file } = ci.origin;
    const occ = o.flag !== undefined ? ci.flags.last(o.flag) : undefined;
    const path = occ !== undefined && ci.argPaths?.[occ.index] !== undefined ? ci.argPaths[occ.index] : `${containerPath}.command`;
    const location = path !== undefined ? object.origin.locate(path) : undefined;
    return { resource: resourceOf(object, container), source: { type: 'node', uri: display(file) }, ...(path !== undefined ? { path } : {}), ...(location ? { location } : {}) };
  }
  if (ci.origin.type === 'process') return { source: { type: 'node', uri: `${display('/proc')}/${ci.origin.pid}/cmdline` } };
  return { source: { type: 'node', uri: ci.origin.units.map(display).join(', ') || 'kubelet (systemd)' } };
}

export interface NodeReportOptions {
  readonly now: Date;
  readonly toolVersion: string;
  readonly inputs?: readonly string[];
  readonly only?: ReadonlySet<string>;
}

/** The Report of a node audit, with per-control verdicts in `controls`. */
export function buildNodeReport(snapshot: NodeSnapshot, options: NodeReportOptions): Report {
  const evaluated = evaluateNode(snapshot, options.only);
  const findings: Finding[] = [];
  const notEvaluated: NotEvaluated[] = [];
  const seen = new Set<string>();
  for (const { control, result, outcomes } of evaluated) {
    if (result.verdict === 'MANUAL') {
      notEvaluated.push({ checkId: control.id, reason: 'manual', message: `${control.cis !== undefined ? `CIS ${control.cis} ` : ''}${control.title}: manual check` });
      continue;
    }
    for (const o of outcomes) {
      if (o.status === 'not-evaluated') {
        const w = whereOf(snapshot, o);
        notEvaluated.push({ checkId: control.id, reason: o.reason ?? 'missing-input', message: o.message, ...(w.source ? { source: w.source } : {}) });
        continue;
      }
      if (o.status !== 'fail') continue;
      const w = whereOf(snapshot, o);
      const f: Finding = {
        checkId: control.id,
        severity: control.severity,
        title: control.title,
        message: `${control.cis !== undefined ? `[CIS ${control.cis}] ` : ''}${o.message}`,
        ...(w.resource ? { resource: w.resource } : {}),
        ...(w.location ? { location: w.location } : {}),
        ...(w.source ? { source: w.source } : {}),
        ...(w.path !== undefined ? { path: w.path } : {}),
        remediation: control.remediation,
        references: control.cis !== undefined ? { cis: [control.cis] } : {},
        fingerprint: fingerprintOf(control.id, w.resource, w.path ?? o.file ?? o.flag, w.source),
      };
      const key = `${f.fingerprint}\u0000${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(f);
    }
  }
  findings.sort(compareFindings);
  const controls = evaluated.map((e) => e.control);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'kspect', version: options.toolVersion },
    generatedAt: options.now.toISOString(),
    inputs: options.inputs ?? [snapshot.root],
    summary: {
      findings: findings.length,
      bySeverity: countBySeverity(findings),
      checksRun: controls.length,
      objectsScanned: snapshot.components.size + snapshot.files.size,
      skipped: 0,
      suppressed: 0,
      notEvaluated: notEvaluated.length,
      problems: snapshot.problems.length,
    },
    checks: controls.map(checkInfoOf).sort((a, b) => (a.id < b.id ? -1 : 1)),
    findings,
    suppressed: [],
    notEvaluated,
    problems: snapshot.problems,
    controls: { benchmark: BENCHMARK, sections: SECTIONS, results: evaluated.map((e) => e.result) },
  };
}
