/**
 * The benchmark view of a node audit, like kube-bench's: one verdict per control — PASS, FAIL, WARN, MANUAL (with
 * what kspect observed) or NOT EVALUATED (with why) — grouped by CIS section. It is derived from what the runner
 * produced for each node check, so severity overrides, exemptions, annotations and baselines mean the same here as
 * in the findings: a control with findings at medium or above FAILs, with only low or info findings WARNs; a
 * control whose findings were all suppressed keeps its verdict and says who accepted it; manual controls are never
 * passed. What a passing control looked at is read again from the same engine.
 */
import type { Finding, NotEvaluated, SuppressedFinding } from '../../core/finding.js';
import type { ControlResult, ControlVerdict, ControlsReport } from '../../core/report.js';
import { atLeast, type Severity } from '../../core/severity.js';
import type { AnyCheck } from '../../framework/define.js';
import { evaluateControl, isNodeCheck, manualObservation, type NodeCheck } from './define.js';
import type { NodeView } from './view.js';

export const BENCHMARK = 'CIS Kubernetes Benchmark v1.12 (sections 1, 2, 4) + kspect';

export interface NodeSection {
  readonly id: string;
  readonly title: string;
}

export const SECTIONS: readonly NodeSection[] = [
  { id: '1', title: 'Control plane (CIS 1)' },
  { id: '1.1', title: 'Control plane node files' },
  { id: '1.2', title: 'API server' },
  { id: '1.3', title: 'Controller manager' },
  { id: '1.4', title: 'Scheduler' },
  { id: '2', title: 'etcd (CIS 2)' },
  { id: '4', title: 'Worker node (CIS 4)' },
  { id: '4.1', title: 'Worker node files' },
  { id: '4.2', title: 'Kubelet' },
  { id: '4.3', title: 'kube-proxy' },
  { id: 'K', title: 'Beyond CIS (kspect)' },
  { id: 'K.1', title: 'API server' },
  { id: 'K.2', title: 'etcd' },
  { id: 'K.3', title: 'Kubelet' },
  { id: 'K.4', title: 'Secrets at rest, audit policy and key files' },
];

function cisKey(cis: string | undefined): number[] {
  return (cis ?? '').split('.').map((n) => Number(n) || 0);
}

/** Benchmark order: section, then CIS id numerically, then kspect id. */
export function compareControls(a: NodeCheck, b: NodeCheck): number {
  const sa = SECTIONS.findIndex((s) => s.id === a.control.section);
  const sb = SECTIONS.findIndex((s) => s.id === b.control.section);
  if (sa !== sb) return sa - sb;
  const ka = cisKey(a.control.cis);
  const kb = cisKey(b.control.cis);
  for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
    const d = (ka[i] ?? -1) - (kb[i] ?? -1);
    if (d !== 0) return d;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A node control by kspect id or CIS id. */
export function findNodeControl(checks: readonly AnyCheck[], id: string): NodeCheck | undefined {
  for (const c of checks) if (isNodeCheck(c) && (c.id === id || c.control.cis === id)) return c;
  return undefined;
}

function verdictFor(severities: readonly Severity[]): ControlVerdict {
  return severities.some((s) => atLeast(s, 'medium')) ? 'FAIL' : 'WARN';
}

export interface BenchmarkInput {
  /** The checks that ran (after configuration and --checks), with the severity they ran at. */
  readonly ran: readonly { readonly check: AnyCheck; readonly severity: Severity }[];
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  readonly notEvaluated: readonly NotEvaluated[];
  /** The node as the controls saw it; undefined when the run was not a node audit (no benchmark view then). */
  readonly view: NodeView | undefined;
}

/** The per-control view of a node audit; undefined when the run was not one. */
export function benchmarkView(input: BenchmarkInput): ControlsReport | undefined {
  const { view } = input;
  if (!view) return undefined;
  const byCheck = <T extends { readonly checkId?: string }>(items: readonly T[]): Map<string, T[]> => {
    const m = new Map<string, T[]>();
    for (const x of items) {
      if (x.checkId === undefined) continue;
      let l = m.get(x.checkId);
      if (!l) m.set(x.checkId, (l = []));
      l.push(x);
    }
    return m;
  };
  const findings = byCheck(input.findings);
  const suppressed = byCheck(input.suppressed.map((s) => ({ checkId: s.finding.checkId, s })));
  const notEvaluated = byCheck(input.notEvaluated);
  const controls = input.ran.map((r) => r.check).filter(isNodeCheck).sort(compareControls);
  const results: ControlResult[] = controls.map((check) => {
    const f = findings.get(check.id) ?? [];
    const s = (suppressed.get(check.id) ?? []).map((x) => x.s);
    const ne = notEvaluated.get(check.id) ?? [];
    const outcomes = evaluateControl(check, view);
    let verdict: ControlVerdict;
    let reason: string;
    if (!check.control.automated) {
      verdict = 'MANUAL';
      reason = manualObservation(outcomes);
    } else if (f.length > 0) {
      verdict = verdictFor(f.map((x) => x.severity));
      reason = [...new Set(f.map((x) => x.message.replace(/^\[CIS [^\]]+\] /, '')))].join('; ');
    } else if (s.length > 0) {
      verdict = verdictFor(s.map((x) => x.finding.severity));
      const by = [...new Set(s.map((x) => (x.by === 'baseline' ? 'the baseline' : x.by === 'config' ? `the configuration (${x.reason})` : `an annotation (${x.reason})`)))];
      reason = `accepted by ${by.join(' and ')}: ${[...new Set(s.map((x) => x.finding.message.replace(/^\[CIS [^\]]+\] /, '')))].join('; ')}`;
    } else if (ne.length > 0) {
      verdict = 'NOT_EVALUATED';
      reason = [...new Set(ne.map((n) => n.message))].join('; ');
    } else {
      verdict = 'PASS';
      reason = outcomes.filter((o) => o.status === 'pass').map((o) => o.message).join('; ');
    }
    return {
      id: check.id,
      ...(check.control.cis !== undefined ? { cis: check.control.cis } : {}),
      section: check.control.section,
      title: check.meta.title,
      automated: check.control.automated,
      verdict,
      reason,
      // Several things looked at: one line each (not when the findings were accepted: the reason says by whom).
      ...(outcomes.length > 1 && !(f.length === 0 && s.length > 0) ? { details: outcomes.map((o) => `${o.status}: ${o.message}`) } : {}),
    };
  });
  return { benchmark: BENCHMARK, sections: SECTIONS, results };
}
