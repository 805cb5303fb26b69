/**
 * `checkManifests()`: load manifests (files, folders, globs, stdin, kustomize) and/or objects read elsewhere (a live
 * cluster), run every check and return the Report — what `kspect scan` prints. `judgeInputs()` is the same path for
 * the domain verbs (checkRbac, checkNetworkPolicies, checkPodSecurity): one loader, one runner.
 */
import type { Report } from '../core/report.js';
import type { AnyCheck } from '../framework/define.js';
import type { NotEvaluated, Problem } from '../core/finding.js';
import type { K8sObject } from '../model/object.js';
import { loadManifests, type LoadOptions } from '../sources/files.js';
import { withDefaultNamespace } from './namespaces.js';
import { rbacEngine } from '../engines/rbac/index.js';
import type { ReportSections, RunView } from '../framework/runner.js';
import { inWorkers, judge, judgeStreaming, type JudgeCommonOptions, type JudgeOptions } from './run.js';

export interface CheckManifestsOptions extends LoadOptions, JudgeCommonOptions {
  /** Files, folders, globs, or `-` for stdin. */
  readonly paths?: readonly string[];
  /** Objects already loaded (e.g. from a cluster), judged alongside the paths. */
  readonly objects?: readonly K8sObject[];
  /** Namespace of namespaced objects that name none (as `kubectl apply -n NS`). */
  readonly defaultNamespace?: string;
  /** The checks to choose from (default: every check). */
  readonly checks?: readonly AnyCheck[];
  readonly extraProblems?: readonly Problem[];
  readonly notEvaluated?: readonly NotEvaluated[];
  /** Further input names for the report (e.g. `cluster:<context>`), after the paths. */
  readonly inputs?: readonly string[];
  /** Add what the HTML report draws: escalation paths and reachability by namespace and workload class. */
  readonly pictures?: boolean;
}

/** What a verb judges its inputs with: its checks (default: every check), and what its report adds. */
type JudgeDomain = Partial<Pick<JudgeOptions, 'checks'>> & Pick<JudgeOptions, 'defaultOn' | 'sections' | 'sectionReads'> & { readonly objects?: (objects: readonly K8sObject[]) => readonly K8sObject[] };

/** Load the inputs of a manifest-based verb and judge them with the domain's checks. */
export async function judgeInputs(options: CheckManifestsOptions, domain: JudgeDomain = {}): Promise<Report> {
  // Judged file by file as they are read, unless every object must be seen first (a default namespace depends on the
  // CustomResourceDefinitions of the whole input; a domain's filter on all of them).
  const checks = options.checks ?? domain.checks ?? (await registry());
  if (domain.objects === undefined && options.defaultNamespace === undefined) return judgeStreamed(options, { ...domain, checks });
  const loaded = options.paths && options.paths.length > 0 ? await loadManifests(options.paths, options) : { objects: [], problems: [], skipped: 0, files: [] };
  const all = options.objects ? [...options.objects, ...loaded.objects] : loaded.objects;
  const placed = options.defaultNamespace !== undefined ? withDefaultNamespace(all, options.defaultNamespace) : all;
  return judge({
    ...options,
    checks,
    ...(domain.defaultOn ? { defaultOn: domain.defaultOn } : {}),
    ...(domain.sections ? { sections: domain.sections } : {}),
    ...(domain.sectionReads ? { sectionReads: domain.sectionReads } : {}),
    objects: domain.objects ? domain.objects(placed) : placed,
    skipped: loaded.skipped,
    problems: [...loaded.problems, ...(options.extraProblems ?? [])],
    notEvaluated: options.notEvaluated ?? [],
    inputs: [...(options.paths ?? []), ...(options.inputs ?? [])],
  });
}

/** Scan manifests and return the report. Throws UsageError only for invalid options. */
export async function checkManifests(options: CheckManifestsOptions = {}): Promise<Report> {
  if (options.pictures !== true) return judgeInputs(options, { sections: rbacInputErrors, sectionReads: RBAC_KINDS });
  // Loaded only for the HTML report's pictures (the network picture's engine is not otherwise read by rbac or pss).
  const { pictureSections } = await import('./pictures.js');
  return judgeInputs(options, { sections: (view) => withProblems(pictureSections(view), rbacInputErrors(view)) });
}

const RBAC_KINDS: readonly string[] = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];

/** What the RBAC engine could not read of the run's RBAC objects, as input problems (nothing without such objects). */
export function rbacEngineProblems(view: RunView, only?: Problem['severity']): ReportSections {
  if (view.inventory.ofKinds(RBAC_KINDS).length === 0) return {};
  const problems = view.engine(rbacEngine).problems.filter((p) => only === undefined || p.severity === only);
  return problems.length > 0 ? { problems } : {};
}

/**
 * The RBAC objects the RBAC engine could not read (a rule that is not a list, a binding without roleRef): input
 * errors, as `kspect rbac` reports them — a scan does not pass a role it could not read (exit 2 unless
 * --allow-invalid). Its warnings (a binding to a missing role: a finding and a not-evaluated item in a scan; a
 * Role without a namespace) stay with the rbac commands.
 */
const rbacInputErrors = (view: RunView): ReportSections => rbacEngineProblems(view, 'error');

function withProblems(sections: ReportSections, more: ReportSections): ReportSections {
  return more.problems ? { ...sections, problems: [...(sections.problems ?? []), ...more.problems] } : sections;
}

/**
 * Every check of kspect (checks/index.ts), loaded when a run needs it: `scan` runs them all, and parse workers judge
 * with them; a run of one domain's checks (rbac, pss, netpol) does not read the other ~250 check modules.
 */
async function registry(): Promise<readonly AnyCheck[]> {
  return (await import('../checks/index.js')).allChecks;
}

async function judgeStreamed(options: CheckManifestsOptions, domain: JudgeDomain & Pick<JudgeOptions, 'checks'>): Promise<Report> {
  const { checks } = domain;
  const run = judgeStreaming({
    ...options,
    checks,
    ...(domain.defaultOn ? { defaultOn: domain.defaultOn } : {}),
    ...(domain.sections ? { sections: domain.sections } : {}),
    ...(domain.sectionReads ? { sectionReads: domain.sectionReads } : {}),
    notEvaluated: options.notEvaluated ?? [],
    inputs: [...(options.paths ?? []), ...(options.inputs ?? [])],
  }, inWorkers(checks) ? await registry() : undefined);
  if (options.objects) run.add(options.objects);
  const loaded = options.paths && options.paths.length > 0 ? await loadManifests(options.paths, { ...options, onObjects: (objects) => { run.add(objects); }, workerJudging: () => run.workerJudging(), judgeAsAdded: () => { run.judgeAsAdded(); } }) : { problems: [], skipped: 0 };
  return run.finish({ skipped: loaded.skipped, problems: [...loaded.problems, ...(options.extraProblems ?? [])] });
}
