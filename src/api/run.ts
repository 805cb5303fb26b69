/**
 * The one way a judging verb of the library runs: pick the domain's checks (configuration, `--checks`), run them
 * over the inventory with the one runner, and return the one Report. Every facade verb (checkManifests, checkPki,
 * checkEtcd, checkRbac, checkNetworkPolicies, checkPodSecurity, and the node audit) ends here, so severity
 * overrides, exemptions, annotations, baselines and not-evaluated accounting behave the same in all of them.
 */
import { CHECK_IDS } from '../checks/ids.js';
import type { Baseline } from '../core/baseline.js';
import { EMPTY_CONFIG, type KspectConfig } from '../core/config.js';
import type { NotEvaluated, Problem } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { UsageError } from '../core/result.js';
import type { AnyCheck, RunSettings } from '../framework/define.js';
import { resolveChecks, runChecks, runStreaming, workerShaped, type RunInput, type RunView, type ReportSections, type StreamingRun } from '../framework/runner.js';
import { buildInventory, type Inventory } from '../model/inventory.js';
import type { K8sObject } from '../model/object.js';

/** What every judging verb accepts besides its own inputs. */
export interface JudgeCommonOptions {
  /** `.kspect.yaml`: enabled checks, severity overrides, parameters, exemptions, defaults. */
  readonly config?: KspectConfig;
  /** Accepted findings: reported as suppressed. */
  readonly baseline?: Baseline;
  /** Run only these check ids (`--checks`). */
  readonly only?: readonly string[];
  /** Run settings; defaults: Pod Security restricted/latest, now = the current time. */
  readonly settings?: Partial<RunSettings>;
  readonly toolVersion?: string;
}

export interface JudgeOptions extends JudgeCommonOptions {
  /** The objects to judge (or a built inventory). */
  readonly objects?: readonly K8sObject[];
  readonly inventory?: Inventory;
  /** Documents that were not Kubernetes objects. */
  readonly skipped?: number;
  /** The checks of the domain. */
  readonly checks: readonly AnyCheck[];
  /**
   * Which of the domain's checks run without configuration: the recommended ones (default), or all of them
   * (a command whose checks are all it is for, such as etcd check).
   */
  readonly defaultOn?: 'recommended' | 'all';
  readonly problems?: readonly Problem[];
  readonly notEvaluated?: readonly NotEvaluated[];
  /** Input names for the report. */
  readonly inputs?: readonly string[];
  readonly sections?: (view: RunView) => ReportSections;
  /** The kinds `sections` reads (default: every kind). */
  readonly sectionReads?: readonly string[];
}

/** The settings of a run: options over configuration over defaults. */
export function runSettings(config: KspectConfig, settings: Partial<RunSettings> | undefined): RunSettings {
  const k8sVersion = settings?.k8sVersion ?? config.k8sVersion;
  return {
    pss: {
      level: settings?.pss?.level ?? config.pss?.level ?? 'restricted',
      version: settings?.pss?.version ?? config.pss?.version ?? 'latest',
    },
    now: settings?.now ?? new Date(),
    ...(k8sVersion !== undefined ? { k8sVersion } : {}),
  };
}

/**
 * Resolve the domain's checks; configuration errors and `only` ids that are not the domain's are a UsageError
 * (one line naming each).
 */
export function domainChecks(domain: readonly AnyCheck[], config: KspectConfig, only: readonly string[] | undefined, defaultOn: 'recommended' | 'all' = 'recommended'): ReturnType<typeof resolveChecks>['active'] {
  const errors: string[] = [];
  if (only) {
    const ids = new Set(domain.map((c) => c.id));
    for (const id of only) if (!ids.has(id) && ALL_CHECK_IDS.has(id)) errors.push(`check "${id}" does not run in this command`);
  }
  const effective: KspectConfig = defaultOn === 'all' ? { ...config, enable: [...config.enable, ...domain.map((c) => c.id).filter((id) => !config.disable.includes(id))] } : config;
  const resolved = resolveChecks(domain, effective, only?.filter((id) => domain.some((c) => c.id === id) || !ALL_CHECK_IDS.has(id)));
  errors.push(...resolved.errors);
  if (errors.length > 0) throw new UsageError('config', errors.join('; '));
  return resolved.active;
}

const ALL_CHECK_IDS: ReadonlySet<string> = new Set(CHECK_IDS);

/** Run a domain's checks over objects and return the Report. Throws UsageError only for invalid options. */
export function judge(options: JudgeOptions): Report {
  return runChecks({
    ...runInput(options),
    inventory: options.inventory ?? buildInventory(options.objects ?? [], options.skipped ?? 0),
    problems: options.problems ?? [],
  });
}

/** What a run takes besides its objects: the domain's checks resolved against the configuration, settings, inputs. */
function runInput(options: Omit<JudgeOptions, 'objects' | 'inventory' | 'skipped' | 'problems'>): Omit<RunInput, 'inventory' | 'problems'> {
  const config = options.config ?? EMPTY_CONFIG;
  return {
    checks: domainChecks(options.checks, config, options.only, options.defaultOn),
    settings: runSettings(config, options.settings),
    config,
    ...(options.baseline ? { baseline: options.baseline } : {}),
    notEvaluated: options.notEvaluated ?? [],
    inputs: options.inputs ?? [],
    toolVersion: options.toolVersion ?? '0.0.0',
    knownCheckIds: ALL_CHECK_IDS,
    ...(options.sections ? { sections: options.sections } : {}),
    ...(options.sectionReads ? { sectionReads: options.sectionReads } : {}),
  };
}

/**
 * Judge objects as they are read (a file, a cluster page at a time): `add` them in input order, then `finish` with
 * what loading found. The Report is the one `judge` gives for the same objects; the object-local checks judge each
 * object when it is added, and only what the other checks read is kept until the end (see `startStreaming`).
 * `registry`: every check of kspect (checks/index.ts), for the parse workers, which judge the objects they hold with
 * the registry's checks that can be split by object (`inWorkers`); not needed when no check of the run is one.
 */
export function judgeStreaming(options: Omit<JudgeOptions, 'objects' | 'inventory' | 'skipped' | 'problems'>, registry?: readonly AnyCheck[]): StreamingRun {
  return runStreaming({ ...runInput(options), ...(registry ? { parallel: { registry: new Set(registry) } } : {}) });
}

/** Whether parse workers could judge any of `checks` (a check of the registry that reads nothing, or Namespaces by name). */
export function inWorkers(checks: readonly AnyCheck[]): boolean {
  return checks.some(workerShaped);
}
