/**
 * PKI checks: one rule, two runs. A PKI check evaluates the x509 engine's analysis and returns
 * issues about items (certificates, keys, CSRs, endpoints). In `kspect scan` it runs as an ordinary
 * check over the material of the manifests (TLS Secrets, kubeconfigs, CSR objects); in
 * `kspect pki check` the same rule runs over files and endpoints and its findings carry `source` refs.
 */
import type { KspectConfig } from '../../core/config.js';
import { compareFindings, fingerprintOf, type Finding, type NotEvaluated, type NotEvaluatedReason, type Problem } from '../../core/finding.js';
import { countBySeverity, REPORT_SCHEMA_VERSION, type PkiSummary, type Report } from '../../core/report.js';
import type { Severity } from '../../core/severity.js';
import type { PkiAnalysis } from '../../engines/x509/analysis.js';
import { manifestPki, type ManifestPki } from '../../engines/x509/manifests.js';
import type { ItemRef } from '../../engines/x509/material.js';
import { resourceOf } from '../../model/object.js';
import { checkInfo, type ActiveCheck } from '../../framework/runner.js';
import { defineCheck, formatMessage, type AnyCheck, type Check, type CheckMeta, type EngineFactory, type RunSettings } from '../../framework/define.js';

export interface PkiIssue<M extends string> {
  readonly messageId: M;
  readonly data?: Readonly<Record<string, string | number>>;
  readonly ref: ItemRef;
  readonly severity?: Severity;
  /** Redacted evidence; never key material. */
  readonly evidence?: string;
}

export interface PkiSkip {
  readonly skip: string;
  readonly reason: NotEvaluatedReason;
  readonly ref?: ItemRef;
}

export type PkiOutcome<M extends string> = PkiIssue<M> | PkiSkip;

export interface PkiCheckDefinition<M extends string, O> {
  readonly id: string;
  readonly meta: Omit<CheckMeta<M, O>, 'kinds' | 'category'>;
  readonly evaluate: (analysis: PkiAnalysis, options: O) => readonly PkiOutcome<M>[];
  /**
   * False for checks whose inputs never come from manifests (file modes, kubeadm's pki folder,
   * live endpoints): they cannot have scan fixtures and are tested on in-memory material instead.
   */
  readonly manifests?: false;
}

export type PkiCheck<M extends string = string, O = unknown> = Check<M, O> & {
  readonly evaluate: (analysis: PkiAnalysis, options: O) => readonly PkiOutcome<M>[];
  /** True when the check can fire on manifests (`kspect scan`). */
  readonly manifests: boolean;
};

/** The engine of the PKI checks of `kspect scan`: the material of the manifests, built once per run. */
export const manifestPkiEngine: EngineFactory<ManifestPki> = {
  id: 'x509-manifests',
  build: (inventory, settings) => manifestPki(inventory, settings.now),
};

export function definePkiCheck<M extends string, O = undefined>(def: PkiCheckDefinition<M, O>): PkiCheck<M, O> {
  const check = defineCheck<M, O>({
    id: def.id,
    meta: { ...def.meta, kinds: [], category: 'pki' },
    create(ctx, options) {
      return {
        end() {
          const { analysis } = ctx.engine(manifestPkiEngine);
          for (const o of def.evaluate(analysis, options)) {
            if ('skip' in o) {
              ctx.notEvaluated({ reason: o.reason, message: o.skip, ...(o.ref?.object ? { object: o.ref.object } : {}) });
              continue;
            }
            ctx.report({
              messageId: o.messageId,
              ...(o.data ? { data: o.data } : {}),
              ...(o.ref.object ? { object: o.ref.object } : { source: o.ref.source }),
              ...(o.ref.path !== undefined ? { path: o.ref.path } : {}),
              ...(o.severity ? { severity: o.severity } : {}),
              ...(o.evidence !== undefined ? { evidence: o.evidence } : {}),
            });
          }
        },
      };
    },
  });
  return Object.freeze({ ...check, evaluate: def.evaluate, manifests: def.manifests ?? true });
}

export function isPkiCheck(c: AnyCheck): c is PkiCheck {
  return typeof (c as Partial<PkiCheck>).evaluate === 'function';
}

export interface PkiRunInput {
  readonly analysis: PkiAnalysis;
  readonly checks: readonly ActiveCheck[];
  readonly settings: RunSettings;
  readonly config: KspectConfig;
  readonly inputs: readonly string[];
  readonly toolVersion: string;
  readonly problems?: readonly Problem[];
  readonly notEvaluated?: readonly NotEvaluated[];
  readonly summary: PkiSummary;
}

/** Run PKI checks over files and endpoints and assemble the same Report as scan. */
export function runPkiChecks(input: PkiRunInput): Report {
  const problems: Problem[] = [...(input.problems ?? [])];
  const notEvaluated: NotEvaluated[] = [...(input.notEvaluated ?? [])];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const active of input.checks) {
    const check = active.check;
    if (!isPkiCheck(check)) continue;
    let outcomes: readonly PkiOutcome<string>[];
    try {
      outcomes = check.evaluate(input.analysis, active.options);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      notEvaluated.push({ checkId: check.id, reason: 'check-error', message: `check ${check.id} failed: ${msg}` });
      problems.push({ code: 'internal', severity: 'error', message: `internal error in check ${check.id}: ${msg}` });
      continue;
    }
    for (const o of outcomes) {
      if ('skip' in o) {
        notEvaluated.push({ checkId: check.id, reason: o.reason, message: o.skip, ...(o.ref ? { source: o.ref.source } : {}) });
        continue;
      }
      const resource = o.ref.object ? resourceOf(o.ref.object) : undefined;
      const finding: Finding = {
        checkId: check.id,
        severity: o.severity ?? active.severity,
        title: check.meta.title,
        message: formatMessage(check.meta.messages[o.messageId] as string, o.data),
        ...(resource ? { resource } : {}),
        source: o.ref.source,
        ...(o.ref.path !== undefined ? { path: o.ref.path } : {}),
        ...(o.evidence !== undefined ? { evidence: o.evidence } : {}),
        remediation: check.meta.remediation,
        references: check.meta.references,
        fingerprint: fingerprintOf(check.id, resource, o.ref.path, o.ref.source),
      };
      const key = `${finding.fingerprint}\u0000${finding.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(finding);
    }
  }
  findings.sort(compareFindings);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'kspect', version: input.toolVersion },
    generatedAt: input.settings.now.toISOString(),
    inputs: input.inputs,
    summary: {
      findings: findings.length,
      bySeverity: countBySeverity(findings),
      checksRun: input.checks.length,
      objectsScanned: input.summary.certificates.length,
      skipped: 0,
      suppressed: 0,
      notEvaluated: notEvaluated.length,
      problems: problems.length,
    },
    checks: input.checks.map((a) => checkInfo(a.check, a.severity)).sort((a, b) => (a.id < b.id ? -1 : 1)),
    findings,
    suppressed: [],
    notEvaluated,
    problems,
    pki: input.summary,
  };
}

/** `2026-06-01`: dates in messages, UTC. */
export function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Options parser for PKI checks: only the keys of `defaults`, each a number, string or undefined as declared. */
export function parseOptions<O extends Record<string, number | string | undefined>>(defaults: O, value: unknown): { ok: true; value: O } | { ok: false; error: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'must be a mapping' };
  const out: Record<string, number | string | undefined> = { ...defaults };
  for (const [k, v] of Object.entries(value)) {
    if (!(k in defaults) && !(k in out)) return { ok: false, error: `unknown parameter "${k}"` };
    const d = defaults[k];
    if (typeof d === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return { ok: false, error: `${k} must be a non-negative number` };
    } else if (typeof v !== 'string') return { ok: false, error: `${k} must be a string` };
    out[k] = v;
  }
  return { ok: true, value: out as O };
}
