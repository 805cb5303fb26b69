/**
 * The one vocabulary of kspect's commands: every shared option is declared, documented and validated here, so a
 * flag means the same in every command (`-f` is always the format, `-o` always the output file, inputs are always
 * positional paths, or `-i/--file` where a command's positionals are a query).
 *
 * A command spreads the groups it accepts into its node:util parseArgs options and reads them back with the
 * validators below; its help lists them with `optionHelp`.
 */
import { retiredCheckMessage } from '../checks/retired.js';
import type { Baseline } from '../core/baseline.js';
import type { KspectConfig } from '../core/config.js';
import { normalizeK8sVersion } from '../core/k8s-version.js';
import { FRAMEWORK_IDS, isFrameworkId, type FrameworkId } from '../engines/frameworks/data.js';
import { UsageError } from '../core/result.js';
import { escapeText } from '../core/text.js';
import { isFailOn, isSeverity, type FailOn, type Severity } from '../core/severity.js';
import { FORMATS as FORMAT_NAMES } from '../reporters/formats.js';

const FORMATS: readonly string[] = FORMAT_NAMES;
import type { Io } from './io.js';
import { PARSE_WORKER } from './paths.js';

/** Options of every command that returns a Report (scan, pss check, rbac risks, netpol check, pki check, etcd check, node …). */
export const REPORT_OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  'fail-on-not-evaluated': { type: 'boolean' },
  config: { type: 'string' },
  baseline: { type: 'string' },
  'show-suppressed': { type: 'boolean' },
  'allow-invalid': { type: 'boolean' },
  checks: { type: 'string' },
  severity: { type: 'string' },
  'group-by': { type: 'string' },
  framework: { type: 'string', multiple: true },
  history: { type: 'string', multiple: true },
  'report-api': { type: 'string' },
} as const;

/** `--k8s-version`: the Kubernetes version the input targets. */
export const K8S_VERSION_OPTIONS = { 'k8s-version': { type: 'string' } } as const;

/** `-n/--namespace` (repeatable where a command takes several). */
export const NAMESPACE_OPTIONS = { namespace: { type: 'string', short: 'n', multiple: true } } as const;

/** `--default-namespace`: where namespace-less namespaced objects land, as `kubectl apply -n NS` places them. */
export const DEFAULT_NAMESPACE_OPTIONS = { 'default-namespace': { type: 'string' } } as const;

/** `--cluster [--context C] [--kubeconfig FILE]`: read a live cluster instead of (or besides) files. */
export const CLUSTER_OPTIONS = {
  cluster: { type: 'boolean' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
} as const;

/**
 * `--request-timeout D`: the limit of ONE request or connection, in every command that talks to a network (scan, pss,
 * rbac and netpol with --cluster, probe, etcd check, pki check's endpoints, images verify's registries, webhook serve's
 * API client). Its default depends on what is asked (an API list, a probe, a registry blob): see `requestTimeoutArg`.
 */
export const REQUEST_TIMEOUT_OPTIONS = { 'request-timeout': { type: 'string' } } as const;

/** `--timeout D`: the bound of a whole read (a cluster read: scan, pss, rbac, netpol with --cluster). */
export const TIMEOUT_OPTIONS = { timeout: { type: 'string' } } as const;

/** `--request-timeout D --timeout D`: the bounds of a whole-cluster read (scan, pss, rbac, netpol with --cluster). */
export const CLUSTER_READ_OPTIONS = { ...REQUEST_TIMEOUT_OPTIONS, ...TIMEOUT_OPTIONS } as const;

/** What a duration flag accepts, said once for help lines and errors (kubectl's --request-timeout syntax). */
export const DURATION_SYNTAX = '500ms, 30s, 2m, 1h or 1h30m; a bare number is seconds; 0 = no limit';

/** "No limit" as a timer value: the longest delay a Node.js timer takes (about 24.8 days). */
export const NO_LIMIT_MS = 2_147_483_647;

/** The help line of `--request-timeout` for a command: what one request is there, and its default. */
export function requestTimeoutHelp(what: string, fallback: string): string {
  return `      --request-timeout D  give up on one ${what} after D (${DURATION_SYNTAX}; default ${fallback})\n`;
}

/** `-i/--file PATH`: inputs of commands whose positional arguments are a query (can-i, who-can, can-reach …). */
export const FILE_OPTIONS = { file: { type: 'string', short: 'i', multiple: true } } as const;

/**
 * How manifest inputs are read: folder walking, kustomize rendering, whether inputs holding no Kubernetes object
 * are accepted, and how many threads parse them (every command that reads manifests).
 */
export const INPUT_OPTIONS = {
  'follow-symlinks': { type: 'boolean' },
  'allow-remote': { type: 'boolean' },
  'allow-empty': { type: 'boolean' },
  values: { type: 'string', multiple: true },
  jobs: { type: 'string' },
} as const;

/** The most threads `--jobs` takes. */
export const MAX_JOBS = 64;

/**
 * `--jobs N|auto`: threads that read and parse manifest files and judge them (framework/parallel.ts: with three or
 * more, the workers run the checks they can; with two, the worker parses while the main thread judges). Not given:
 * `auto` (one per core from 2 cores, when the inputs hold 64 MiB; below either one thread was faster). 1 = one thread.
 */
export function jobsArg(value: string | undefined): number | 'auto' {
  if (value === undefined || value === 'auto') return 'auto';
  if (!/^\d{1,3}$/.test(value) || Number(value) < 1 || Number(value) > MAX_JOBS) throw new UsageError('usage', `--jobs must be a whole number from 1 to ${MAX_JOBS}, or auto (got ${JSON.stringify(value)})`);
  return Number(value);
}

/** LoadOptions of the INPUT_OPTIONS given. */
export function inputOptions(values: {
  readonly 'follow-symlinks'?: boolean | undefined;
  readonly 'allow-remote'?: boolean | undefined;
  readonly 'allow-empty'?: boolean | undefined;
  readonly values?: readonly string[] | undefined;
  readonly jobs?: string | undefined;
}): {
  followSymlinks?: boolean;
  allowRemote?: boolean;
  allowEmpty?: boolean;
  helmValues?: readonly string[];
  jobs: number | 'auto';
  parseWorker: URL;
} {
  // helm fetches a values file given as a URL: kspect never goes to the network for its inputs.
  const remote = (values.values ?? []).find((v) => /^[a-z][a-z0-9+.-]*:\/\//i.test(v));
  if (remote !== undefined) throw new UsageError('usage', `--values takes local files (helm would fetch ${remote} from the network)`);
  return {
    ...(values['follow-symlinks'] ? { followSymlinks: true } : {}),
    ...(values['allow-remote'] ? { allowRemote: true } : {}),
    ...(values['allow-empty'] ? { allowEmpty: true } : {}),
    ...(values.values !== undefined && values.values.length > 0 ? { helmValues: values.values } : {}),
    jobs: jobsArg(values.jobs),
    parseWorker: PARSE_WORKER,
  };
}

/** `-f/--format` alone, for query commands with their own answer shapes. */
export const FORMAT_OPTIONS = { format: { type: 'string', short: 'f' }, output: { type: 'string', short: 'o' } } as const;

export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

export type GroupBy = 'check' | 'resource' | 'namespace';
export const GROUP_BY: readonly GroupBy[] = ['check', 'resource', 'namespace'];

/** One help line per shared option, in the order commands list them. */
export const OPTION_HELP: Readonly<Record<string, string>> = {
  format: `  -f, --format FORMAT      ${FORMATS.join(', ')} (default table)`,
  output: '  -o, --output FILE        write the output to FILE instead of stdout',
  'fail-on': '      --fail-on SEV|none   exit 1 when a finding is at or above SEV: critical, high, medium, low, info; none = report only',
  'fail-on-not-evaluated': '      --fail-on-not-evaluated  exit 1 when something could not be evaluated',
  config: '      --config FILE        configuration (default: ./.kspect.yaml when present; kspect init writes one)',
  baseline: '      --baseline FILE      suppress the findings accepted in FILE (see kspect baseline)',
  'show-suppressed': '      --show-suppressed    list suppressed findings too',
  'allow-invalid': '      --allow-invalid      do not exit 2 because an input could not be read or parsed',
  checks: '      --checks IDS         run only these checks (comma-separated; see kspect checks)',
  severity: '      --severity SEV       show only findings at or above SEV (display only: --fail-on still sees all)',
  'group-by': '      --group-by KEY       group findings by check, resource or namespace',
  framework: '      --framework F        add the per-control view of cis, nsa, mitre or pss (comma-separated or repeated; all): verdicts and scores',
  history: '      --history FILE       an earlier JSON report for the HTML history chart (repeatable)',
  'report-api': '      --report-api API     -f policyreport: wgpolicyk8s (PolicyReport, default), openreports (Report) or auto',
  'k8s-version': '      --k8s-version V      Kubernetes version the input targets: 1.34, v1.34 or 1.34.2',
  namespace: '  -n, --namespace NS       namespace',
  'default-namespace': '      --default-namespace NS  namespace of namespaced objects that name none (as kubectl apply -n NS)',
  cluster: '      --cluster            read the live cluster of the current kubeconfig context (read-only; Secrets as metadata)',
  context: '      --context C          kubeconfig context for --cluster',
  kubeconfig: '      --kubeconfig FILE    kubeconfig for --cluster (default: $KUBECONFIG, ~/.kube/config, or in-cluster)',
  'request-timeout': requestTimeoutHelp('API request', '30s').trimEnd(),
  timeout: `      --timeout D          give up reading the whole cluster after D (${DURATION_SYNTAX}; default: no limit)`,
  file: '  -i, --file PATH          input: file, folder, glob or - for stdin (repeatable)',
  'follow-symlinks': '      --follow-symlinks    follow symbolic links out of the folders given (default: reported, not followed)',
  'allow-remote': '      --allow-remote       let kustomize fetch remote bases and resources (default: refused, never on the network)',
  'allow-empty': '      --allow-empty        accept inputs that hold no Kubernetes object (default: "nothing to scan", exit 2)',
  values: '      --values FILE        values file for the Helm charts among the inputs, rendered with helm template (repeatable)',
  jobs: '      --jobs N|auto        threads that parse the input files and judge them (default auto: one per usable core, a container CPU limit counting, from 2 cores and 64 MiB of input; 1 = one thread)',
  help: '  -h, --help               this help',
};

/** Help lines for these options (shared ones from OPTION_HELP, in the order given). */
export function optionHelp(names: readonly string[]): string {
  return `${names.map((n) => OPTION_HELP[n] ?? '').filter((l) => l !== '').join('\n')}\n`;
}

/** The help lines of REPORT_OPTIONS. */
export const REPORT_OPTIONS_HELP = optionHelp(Object.keys(REPORT_OPTIONS));
export const CLUSTER_OPTIONS_HELP = optionHelp(Object.keys(CLUSTER_OPTIONS));

interface ReportValues {
  readonly format?: string | undefined;
  readonly output?: string | undefined;
  readonly 'fail-on'?: string | undefined;
  readonly 'fail-on-not-evaluated'?: boolean | undefined;
  readonly 'show-suppressed'?: boolean | undefined;
  readonly 'allow-invalid'?: boolean | undefined;
  readonly checks?: string | undefined;
  readonly severity?: string | undefined;
  readonly 'group-by'?: string | undefined;
  readonly framework?: readonly string[] | undefined;
  readonly history?: readonly string[] | undefined;
  readonly 'report-api'?: string | undefined;
}

/** How a Report is rendered, written and turned into an exit code. */
export interface OutputFlags {
  readonly format: string;
  readonly output?: string;
  readonly failOn: FailOn;
  readonly failOnNotEvaluated: boolean;
  readonly allowInvalid: boolean;
  readonly showSuppressed: boolean;
  /** Display filter: only findings at or above it are shown. */
  readonly severity?: Severity;
  readonly groupBy?: GroupBy;
  /** `--report-api` for `-f policyreport`. */
  readonly reportApi?: 'wgpolicyk8s' | 'openreports';
  /** `--framework`: the frameworks whose per-control views the report carries. */
  readonly frameworks?: readonly FrameworkId[];
  /** `--history`: earlier JSON reports for the HTML history chart. */
  readonly history?: readonly string[];
}

/** `--framework cis,nsa` (repeatable; `all` for every framework). */
export function frameworksArg(values: readonly string[] | undefined): FrameworkId[] | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const out = new Set<FrameworkId>();
  for (const v of values.flatMap((x) => x.split(',')).map((x) => x.trim()).filter((x) => x !== '')) {
    if (v === 'all') for (const f of FRAMEWORK_IDS) out.add(f);
    else if (isFrameworkId(v)) out.add(v);
    else throw new UsageError('usage', `--framework must be ${FRAMEWORK_IDS.join(', ')} or all`);
  }
  if (out.size === 0) throw new UsageError('usage', `--framework must be ${FRAMEWORK_IDS.join(', ')} or all`);
  return FRAMEWORK_IDS.filter((f) => out.has(f));
}

function looksLikePath(v: string): boolean {
  return v === '-' || /[/\\.*]/.test(v);
}

/**
 * `-f/--format`: one of `allowed` (default: every report format). A value that looks like a path is the old
 * spelling of the inputs: say so.
 */
export function formatArg(value: string | undefined, allowed: readonly string[] = FORMATS, fallback = 'table'): string {
  if (value === undefined) return fallback;
  if (allowed.includes(value)) return value;
  if (looksLikePath(value)) throw new UsageError('usage', `-f is the format now (${allowed.join(', ')}); give inputs as positional paths (or -i ${value} where the arguments are a query)`);
  throw new UsageError('usage', `--format must be one of ${allowed.join(', ')}`);
}

/**
 * `-o/--output FILE`. `-o json` without `-f` is almost certainly the old spelling of the format (it would
 * write a file named `json`): refuse it with the new spelling.
 */
export function outputArg(output: string | undefined, format: string | undefined, formats: readonly string[] = FORMATS): string | undefined {
  if (output === undefined) return undefined;
  if (format === undefined && (formats.includes(output) || FORMATS.includes(output)))
    throw new UsageError('usage', `-o is the output file now; for the ${output} format use -f ${output} (to write a file named "${output}", give -o ./${output})`);
  if (output === '') throw new UsageError('usage', '-o needs a file name');
  return output;
}

/** `--fail-on SEV|none`. */
export function failOnArg(value: string | undefined, fallback: FailOn): FailOn {
  if (value === undefined) return fallback;
  if (!isFailOn(value)) throw new UsageError('usage', '--fail-on must be one of critical, high, medium, low, info, none');
  return value;
}

/** A severity flag (`--severity`). */
export function severityArg(value: string | undefined, flag: string): Severity | undefined {
  if (value === undefined) return undefined;
  if (!isSeverity(value)) throw new UsageError('usage', `${flag} must be one of critical, high, medium, low, info`);
  return value;
}

export function choiceArg<C extends string>(value: string | undefined, flag: string, choices: readonly C[], fallback: C): C {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) throw new UsageError('usage', `${flag} must be one of ${choices.join(', ')}`);
  return value as C;
}

/** `--k8s-version`: `1.34`, `v1.34` and `1.34.2` all mean minor 34; returns `1.34`. */
export function k8sVersionArg(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = normalizeK8sVersion(value);
  if (v === undefined) throw new UsageError('usage', `--k8s-version must be a Kubernetes version such as 1.34, v1.34 or 1.34.2 (got "${value}")`);
  return v;
}

/** `--checks a,b`: the ids, or undefined; a retired id is a usage error naming its successors. */
export async function checksArg(value: string | undefined): Promise<string[] | undefined> {
  if (value === undefined) return undefined;
  const ids = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (ids.length === 0) throw new UsageError('usage', '--checks needs at least one check id');
  for (const id of ids) {
    const pointer = await retiredCheckMessage(id);
    if (pointer !== undefined) throw new UsageError('usage', `--checks: ${pointer}`);
  }
  return ids;
}

/** `-n NS` where a command takes one namespace. */
export function oneNamespace(values: { readonly namespace?: readonly string[] | undefined }): string | undefined {
  const n = values.namespace ?? [];
  if (n.length > 1) throw new UsageError('usage', '-n takes one namespace here');
  return n[0];
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration flag, as kubectl reads `--request-timeout`: a bare whole number is seconds, else Go's duration syntax
 * (`500ms`, `30s`, `2m`, `1h30m`; units ns, us, ms, s, m, h). Returns milliseconds (a fraction of one rounds up to
 * 1, so only `0` means no limit); `0` → NO_LIMIT_MS. Negative, unitless fractions, unknown units and anything above
 * NO_LIMIT_MS fail with one line naming the flag.
 */
export function durationArg(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const bad = (why: string): UsageError => new UsageError('usage', `${flag} ${JSON.stringify(value)}: ${why} (${DURATION_SYNTAX})`);
  const v = value.trim();
  if (v.startsWith('-')) throw bad('must not be negative');
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else {
    // Go's time.ParseDuration: one or more NUMBER UNIT pairs and nothing else, read in one pass.
    ms = 0;
    let at = 0;
    while (at < v.length) {
      const start = at;
      while (at < v.length && /[\d.]/.test(v[at] ?? '')) at++;
      const number = v.slice(start, at);
      const unitStart = at;
      while (at < v.length && /[a-zµ]/.test(v[at] ?? '')) at++;
      const factor = DURATION_UNITS[v.slice(unitStart, at)];
      if (!/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(number) || factor === undefined) throw bad('is not a duration');
      ms += Number(number) * factor;
    }
    if (v === '') throw bad('is not a duration');
  }
  if (!Number.isFinite(ms) || ms > NO_LIMIT_MS) throw bad('is too long (at most 596h; 0 = no limit)');
  if (ms === 0) return NO_LIMIT_MS;
  return Math.max(1, Math.ceil(ms));
}

/**
 * `--request-timeout D` of a command (milliseconds; `fallback` when not given). Where the limit per connection used
 * to be `--timeout` (probe, etcd check, pki check, images verify), `--timeout` now fails with one line naming it.
 */
export function requestTimeoutArg(values: { readonly 'request-timeout'?: string | undefined; readonly timeout?: string | undefined }, fallback: number): number {
  if (values.timeout !== undefined) throw new UsageError('usage', `--timeout bounds a whole cluster read (scan --cluster); the limit per request or connection is --request-timeout D now (${DURATION_SYNTAX})`);
  return durationArg(values['request-timeout'], '--request-timeout') ?? fallback;
}

/**
 * Refuse --context/--kubeconfig (and the cluster read's timeouts) without --cluster, and paths together with --cluster
 * when a command cannot mix them. `network`: the command talks to a network without --cluster too (probe, images
 * verify), so `--request-timeout` is its own. `clusterOnly`: the command's other flags that mean something only
 * with --cluster (scan's --namespace and --keep-defaults).
 */
export function clusterArgs(
  values: { readonly cluster?: boolean | undefined; readonly context?: string | undefined; readonly kubeconfig?: string | undefined; readonly 'request-timeout'?: string | undefined; readonly timeout?: string | undefined } & Readonly<Record<string, unknown>>,
  paths: readonly string[],
  options: { mix?: boolean; network?: boolean; clusterOnly?: readonly string[] } = {},
): boolean {
  const cluster = values.cluster === true;
  if (!cluster) {
    for (const flag of ['context', 'kubeconfig', ...(options.clusterOnly ?? [])]) if (values[flag] !== undefined) throw new UsageError('usage', `--${flag} needs --cluster`);
    if (options.network !== true) {
      if (values['request-timeout'] !== undefined) throw new UsageError('usage', '--request-timeout needs --cluster');
      if (values.timeout !== undefined) throw new UsageError('usage', '--timeout needs --cluster');
    }
  } else if (paths.length > 0 && options.mix !== true) throw new UsageError('usage', 'give input PATHs or --cluster, not both');
  // Bad durations are usage errors before anything is read.
  durationArg(values['request-timeout'], '--request-timeout');
  if (options.network !== true) durationArg(values.timeout, '--timeout');
  return cluster;
}

/**
 * The output flags of a Report command. `defaultFailOn` applies when neither `--fail-on` nor the configuration's
 * `failOn` says otherwise.
 */
export function outputFlags(values: ReportValues, config: KspectConfig | undefined, defaultFailOn: FailOn): OutputFlags {
  const format = formatArg(values.format);
  const output = outputArg(values.output, values.format);
  const severity = severityArg(values.severity, '--severity');
  const groupBy = values['group-by'] !== undefined ? choiceArg(values['group-by'], '--group-by', GROUP_BY, 'resource') : undefined;
  const frameworks = frameworksArg(values.framework);
  // `auto` (whichever the cluster serves) is for scan --apply-reports; a file gets wgpolicyk8s.
  const reportApiArg = values['report-api'] !== undefined ? choiceArg(values['report-api'], '--report-api', ['wgpolicyk8s', 'openreports', 'auto'] as const, 'auto') : undefined;
  const reportApi = reportApiArg === 'auto' ? undefined : reportApiArg;
  return {
    format,
    ...(output !== undefined ? { output } : {}),
    failOn: failOnArg(values['fail-on'], config?.failOn ?? defaultFailOn),
    failOnNotEvaluated: values['fail-on-not-evaluated'] ?? false,
    allowInvalid: values['allow-invalid'] ?? false,
    showSuppressed: values['show-suppressed'] ?? false,
    ...(severity ? { severity } : {}),
    ...(groupBy ? { groupBy } : {}),
    ...(frameworks ? { frameworks } : {}),
    ...(values.history !== undefined && values.history.length > 0 ? { history: values.history } : {}),
    ...(reportApi ? { reportApi } : {}),
  };
}

/** Validate the report flags before any input is read, so usage errors come first. */
export async function checkReportFlags(values: ReportValues): Promise<void> {
  outputFlags(values, undefined, 'high');
  await checksArg(values.checks);
}

/** The configuration and baseline of a run (`--config`, `./.kspect.yaml`, `--baseline`); ids are checked against the registry. */
export async function loadRunFiles(values: { readonly config?: string | undefined; readonly baseline?: string | undefined }, io: Io): Promise<{ config: KspectConfig; baseline?: Baseline }> {
  const { loadConfig, loadBaseline } = await import('../sources/config.js');
  // The registry is loaded for the ids only when there is a configuration to check against it.
  const { config, warnings } = await loadConfig(values.config, io.cwd, async () => new Set((await import('../checks/index.js')).allChecks.map((c) => c.id)));
  for (const w of warnings) io.stderr(`kspect: warning: ${escapeText(w)}\n`);
  const baseline = values.baseline !== undefined ? await loadBaseline(values.baseline) : undefined;
  return { config, ...(baseline ? { baseline } : {}) };
}
