/**
 * The library's main entry: `audit()` loads inputs, runs the checks and returns the Report.
 * The CLI is a shell around this.
 */
import type { Baseline } from './core/baseline.js';
import { EMPTY_CONFIG, type KspectConfig } from './core/config.js';
import type { NotEvaluated, Problem } from './core/finding.js';
import type { Report } from './core/report.js';
import { UsageError } from './core/result.js';
import { allChecks } from './checks/index.js';
import type { AnyCheck, RunSettings } from './framework/define.js';
import { resolveChecks, runChecks } from './framework/runner.js';
import { buildInventory } from './model/inventory.js';
import type { K8sObject } from './model/object.js';
import { loadManifests, type LoadOptions } from './sources/files.js';

export interface AuditOptions extends LoadOptions {
  /** Files, folders, globs, or `-` for stdin. */
  readonly paths?: readonly string[];
  /** Objects already loaded (e.g. from a cluster), scanned alongside the paths. */
  readonly objects?: readonly K8sObject[];
  readonly config?: KspectConfig;
  readonly baseline?: Baseline;
  /** Restrict to these check ids. */
  readonly only?: readonly string[];
  /** Defaults: restricted / latest, now = current time. */
  readonly settings?: Partial<RunSettings>;
  readonly checks?: readonly AnyCheck[];
  readonly extraProblems?: readonly Problem[];
  readonly notEvaluated?: readonly NotEvaluated[];
  readonly toolVersion?: string;
  /** Further input names for the report (e.g. `cluster:<context>`), after the paths. */
  readonly inputs?: readonly string[];
}

/** Scan manifests and return the report. Throws UsageError only for invalid options. */
export async function audit(options: AuditOptions = {}): Promise<Report> {
  const config = options.config ?? EMPTY_CONFIG;
  const { active, errors } = resolveChecks(options.checks ?? allChecks, config, options.only);
  if (errors.length > 0) throw new UsageError('config', errors.join('; '));
  const loaded = options.paths && options.paths.length > 0 ? await loadManifests(options.paths, options) : { objects: [], problems: [], skipped: 0, files: [] };
  const objects = options.objects ? [...options.objects, ...loaded.objects] : loaded.objects;
  const settings: RunSettings = {
    pss: {
      level: options.settings?.pss?.level ?? config.pss?.level ?? 'restricted',
      version: options.settings?.pss?.version ?? config.pss?.version ?? 'latest',
    },
    now: options.settings?.now ?? new Date(),
    ...((options.settings?.k8sVersion ?? config.k8sVersion) !== undefined ? { k8sVersion: options.settings?.k8sVersion ?? config.k8sVersion } : {}),
  };
  return runChecks({
    inventory: buildInventory(objects, loaded.skipped),
    checks: active,
    settings,
    config,
    ...(options.baseline ? { baseline: options.baseline } : {}),
    problems: [...loaded.problems, ...(options.extraProblems ?? [])],
    notEvaluated: options.notEvaluated ?? [],
    inputs: [...(options.paths ?? []), ...(options.inputs ?? [])],
    toolVersion: options.toolVersion ?? '0.0.0',
  });
}
