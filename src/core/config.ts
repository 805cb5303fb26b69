/**
 * The `.kspect.yaml` configuration: which checks run, severity overrides, check parameters,
 * exemptions and defaults. Validated from `unknown` into a frozen value; every problem is collected.
 */
import { wildcardMatch } from './glob.js';
import { normalizeK8sVersion } from './k8s-version.js';
import { isFailOn, isSeverity, type FailOn, type Severity } from './severity.js';
import { parseImagePolicy, type ImagePolicy } from './image-policy.js';

export interface Exemption {
  /** Check ids, or `*` for every check. */
  readonly checks: readonly string[];
  readonly namespaces?: readonly string[];
  readonly kinds?: readonly string[];
  /** Object names; `*` wildcards allowed. */
  readonly names?: readonly string[];
  /** Every label must match. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly reason: string;
}

/**
 * Who may suppress findings from inside a manifest (`kspect.dev/ignore`): the policy owner decides. `enabled: false`
 * turns annotation suppression off; `checks` and `namespaces` (globs) restrict it to those checks and namespaces.
 */
export interface AnnotationPolicy {
  readonly enabled: boolean;
  readonly checks?: readonly string[];
  readonly namespaces?: readonly string[];
}

export interface KspectConfig {
  readonly enable: readonly string[];
  readonly disable: readonly string[];
  readonly severity: Readonly<Record<string, Severity>>;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly exemptions: readonly Exemption[];
  /** `none`: report only, findings never fail the run. */
  readonly failOn?: FailOn;
  readonly pss?: { readonly level?: 'privileged' | 'baseline' | 'restricted'; readonly version?: string };
  readonly k8sVersion?: string;
  /** The `images:` section (signatures, vulnerabilities, hygiene, registries), when written. */
  readonly images?: ImagePolicy;
  /** `suppression.annotations`: whether and where `kspect.dev/ignore` annotations may suppress findings (default: on). */
  readonly annotations?: AnnotationPolicy;
  /** `webhook:` — what `kspect webhook serve` never judges (as PodSecurity admission's exemptions). */
  readonly webhook?: WebhookConfig;
}

/**
 * Requests the admission webhook lets through unjudged, as the PodSecurity admission configuration's `exemptions`:
 * by namespace (glob), by the requesting user's exact name, by the Pod's exact runtimeClassName.
 */
export interface WebhookConfig {
  readonly exemptions: { readonly namespaces: readonly string[]; readonly usernames: readonly string[]; readonly runtimeClasses: readonly string[] };
}

export const EMPTY_CONFIG: KspectConfig = Object.freeze({ enable: [], disable: [], severity: {}, parameters: {}, exemptions: [] });

const TOP_KEYS = new Set(['checks', 'severity', 'parameters', 'exemptions', 'failOn', 'pss', 'k8sVersion', 'images', 'suppression', 'webhook']);

function rec(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Where in the document a problem is: keys and list indexes from the root (the source turns it into a line). */
export type ConfigPath = readonly (string | number)[];

/** One problem of a configuration: its text (one line) and the path of the node it is about. */
export interface ConfigIssue {
  readonly path: ConfigPath;
  readonly message: string;
}

class Issues {
  readonly list: ConfigIssue[] = [];
  add(path: ConfigPath, message: string): void {
    this.list.push({ path, message });
  }
  get texts(): string[] {
    return this.list.map((i) => i.message);
  }
}

function strings(v: unknown, where: string, path: ConfigPath, issues: Issues): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
    issues.add(path, `${where} must be a list of strings`);
    return [];
  }
  return v;
}

/**
 * Validate a parsed config document. `knownChecks` lets unknown check ids be reported; `retired` maps ids kspect
 * no longer has to the pointer at their successors, reported instead.
 * Returns the config, the list of problems (each one line) and the same problems with the path of their node.
 */
export function parseConfig(
  doc: unknown,
  knownChecks: ReadonlySet<string>,
  retired: ReadonlyMap<string, string> = new Map(),
  shared: ReadonlyMap<string, { readonly now: string; readonly warning: string }> = new Map(),
): { config: KspectConfig; errors: string[]; issues: readonly ConfigIssue[]; warnings: readonly ConfigIssue[] } {
  const issues = new Issues();
  const warnings = new Issues();
  if (doc === null || doc === undefined) return { config: EMPTY_CONFIG, errors: [], issues: [], warnings: [] };
  if (!rec(doc)) return { config: EMPTY_CONFIG, errors: ['the configuration must be a mapping'], issues: [{ path: [], message: 'the configuration must be a mapping' }], warnings: [] };
  /**
   * An id that also named a node control before that control was renamed: the setting applies to the successor too
   * (unless the list already names it), with one warning at the old id.
   */
  const withSuccessors = (ids: readonly string[], where: string, path: (i: number) => ConfigPath): string[] => {
    const out = [...ids];
    ids.forEach((id, i) => {
      const s = shared.get(id);
      if (s === undefined || ids.includes(s.now)) return;
      out.push(s.now);
      warnings.add(path(i), `${where}: ${s.warning}`);
    });
    return out;
  };
  for (const k of Object.keys(doc)) if (!TOP_KEYS.has(k)) issues.add([k], `unknown key "${k}"`);
  const checkId = (id: string, where: string, path: ConfigPath): void => {
    if (id === '*' || knownChecks.has(id)) return;
    const pointer = retired.get(id);
    issues.add(path, pointer !== undefined ? `${where}: ${pointer}` : `${where}: unknown check "${id}"`);
  };

  const checks = doc.checks;
  let enable: string[] = [];
  let disable: string[] = [];
  if (checks !== undefined) {
    if (!rec(checks)) issues.add(['checks'], 'checks must be a mapping with enable/disable lists');
    else {
      for (const k of Object.keys(checks)) if (k !== 'enable' && k !== 'disable') issues.add(['checks', k], `checks: unknown key "${k}"`);
      enable = strings(checks.enable, 'checks.enable', ['checks', 'enable'], issues);
      disable = strings(checks.disable, 'checks.disable', ['checks', 'disable'], issues);
      enable.forEach((id, i) => { checkId(id, 'checks.enable', ['checks', 'enable', i]); });
      disable.forEach((id, i) => { checkId(id, 'checks.disable', ['checks', 'disable', i]); });
      enable = withSuccessors(enable, 'checks.enable', (i) => ['checks', 'enable', i]);
      disable = withSuccessors(disable, 'checks.disable', (i) => ['checks', 'disable', i]);
    }
  }

  const severity: Record<string, Severity> = {};
  if (doc.severity !== undefined) {
    if (!rec(doc.severity)) issues.add(['severity'], 'severity must map check ids to severities');
    else
      for (const [id, s] of Object.entries(doc.severity)) {
        checkId(id, 'severity', ['severity', id]);
        if (isSeverity(s)) severity[id] = s;
        else issues.add(['severity', id], `severity.${id}: "${String(s)}" is not one of critical, high, medium, low, info`);
      }
    for (const [id, s] of Object.entries(severity)) {
      const next = shared.get(id);
      if (next === undefined || Object.hasOwn(severity, next.now)) continue;
      severity[next.now] = s;
      warnings.add(['severity', id], `severity: ${next.warning}`);
    }
  }

  const parameters: Record<string, unknown> = {};
  if (doc.parameters !== undefined) {
    if (!rec(doc.parameters)) issues.add(['parameters'], 'parameters must map check ids to their parameters');
    else
      for (const [id, p] of Object.entries(doc.parameters)) {
        checkId(id, 'parameters', ['parameters', id]);
        parameters[id] = p;
      }
  }

  const exemptions: Exemption[] = [];
  if (doc.exemptions !== undefined) {
    if (!Array.isArray(doc.exemptions)) issues.add(['exemptions'], 'exemptions must be a list');
    else
      doc.exemptions.forEach((e: unknown, i) => {
        const where = `exemptions[${i}]`;
        const at = (...rest: (string | number)[]): ConfigPath => ['exemptions', i, ...rest];
        if (!rec(e)) {
          issues.add(at(), `${where} must be a mapping`);
          return;
        }
        for (const k of Object.keys(e)) if (!['checks', 'namespaces', 'kinds', 'names', 'labels', 'reason'].includes(k)) issues.add(at(k), `${where}: unknown key "${k}"`);
        const ids = strings(e.checks, `${where}.checks`, at('checks'), issues);
        if (ids.length === 0) issues.add(e.checks === undefined ? at() : at('checks'), `${where}.checks must name at least one check (or "*")`);
        ids.forEach((id, j) => { checkId(id, `${where}.checks`, at('checks', j)); });
        const checksOf = withSuccessors(ids, `${where}.checks`, (j) => at('checks', j));
        if (typeof e.reason !== 'string' || e.reason.trim() === '') issues.add(e.reason === undefined ? at() : at('reason'), `${where}.reason is required`);
        let labels: Record<string, string> | undefined;
        if (e.labels !== undefined) {
          if (!rec(e.labels) || !Object.values(e.labels).every((v) => typeof v === 'string')) issues.add(at('labels'), `${where}.labels must map strings to strings`);
          else labels = e.labels as Record<string, string>;
        }
        exemptions.push({
          checks: checksOf,
          ...(e.namespaces !== undefined ? { namespaces: strings(e.namespaces, `${where}.namespaces`, at('namespaces'), issues) } : {}),
          ...(e.kinds !== undefined ? { kinds: strings(e.kinds, `${where}.kinds`, at('kinds'), issues) } : {}),
          ...(e.names !== undefined ? { names: strings(e.names, `${where}.names`, at('names'), issues) } : {}),
          ...(labels ? { labels } : {}),
          reason: typeof e.reason === 'string' ? e.reason : '',
        });
      });
  }

  let failOn: FailOn | undefined;
  if (doc.failOn !== undefined) {
    if (isFailOn(doc.failOn)) failOn = doc.failOn;
    else issues.add(['failOn'], `failOn: ${JSON.stringify(doc.failOn)} is not a severity (or none)`);
  }

  let pss: KspectConfig['pss'];
  if (doc.pss !== undefined) {
    if (!rec(doc.pss)) issues.add(['pss'], 'pss must be a mapping with level and version');
    else {
      const level = doc.pss.level;
      const version = doc.pss.version;
      for (const k of Object.keys(doc.pss)) if (k !== 'level' && k !== 'version') issues.add(['pss', k], `pss: unknown key "${k}"`);
      if (level !== undefined && level !== 'privileged' && level !== 'baseline' && level !== 'restricted') issues.add(['pss', 'level'], `pss.level: ${JSON.stringify(level)} is not privileged, baseline or restricted`);
      if (version !== undefined && (typeof version !== 'string' || !/^(latest|v1\.\d+)$/.test(version))) issues.add(['pss', 'version'], `pss.version: ${JSON.stringify(version)} is not latest or v1.N`);
      pss = {
        ...(level === 'privileged' || level === 'baseline' || level === 'restricted' ? { level } : {}),
        ...(typeof version === 'string' ? { version } : {}),
      };
    }
  }

  let k8sVersion: string | undefined;
  if (doc.k8sVersion !== undefined) {
    const n = typeof doc.k8sVersion === 'string' ? normalizeK8sVersion(doc.k8sVersion) : undefined;
    if (n !== undefined) k8sVersion = n;
    else issues.add(['k8sVersion'], `k8sVersion: ${JSON.stringify(doc.k8sVersion)} is not a Kubernetes version (1.34, v1.34 or 1.34.2)`);
  }

  let annotations: AnnotationPolicy | undefined;
  if (doc.suppression !== undefined) {
    if (!rec(doc.suppression)) issues.add(['suppression'], 'suppression must be a mapping (annotations: true, false, or {checks, namespaces})');
    else {
      for (const k of Object.keys(doc.suppression)) if (k !== 'annotations') issues.add(['suppression', k], `suppression: unknown key "${k}"`);
      const a = doc.suppression.annotations;
      if (typeof a === 'boolean') annotations = { enabled: a };
      else if (rec(a)) {
        const at = (...rest: (string | number)[]): ConfigPath => ['suppression', 'annotations', ...rest];
        for (const k of Object.keys(a)) if (k !== 'checks' && k !== 'namespaces') issues.add(at(k), `suppression.annotations: unknown key "${k}"`);
        const ids = a.checks !== undefined ? strings(a.checks, 'suppression.annotations.checks', at('checks'), issues) : undefined;
        ids?.forEach((id, j) => {
          if (id === '*') issues.add(at('checks', j), 'suppression.annotations.checks: "*" is not a check id (leave checks out to allow every check)');
          else checkId(id, 'suppression.annotations.checks', at('checks', j));
        });
        const namespaces = a.namespaces !== undefined ? strings(a.namespaces, 'suppression.annotations.namespaces', at('namespaces'), issues) : undefined;
        const allowed = ids ? withSuccessors(ids, 'suppression.annotations.checks', (j) => at('checks', j)) : undefined;
        annotations = { enabled: true, ...(allowed ? { checks: allowed } : {}), ...(namespaces ? { namespaces } : {}) };
      } else if (a !== undefined) issues.add(['suppression', 'annotations'], 'suppression.annotations must be true, false, or a mapping with checks and namespaces');
    }
  }

  let webhook: WebhookConfig | undefined;
  if (doc.webhook !== undefined) {
    if (!rec(doc.webhook)) issues.add(['webhook'], 'webhook must be a mapping (exemptions: {namespaces, usernames, runtimeClasses})');
    else {
      for (const k of Object.keys(doc.webhook)) if (k !== 'exemptions') issues.add(['webhook', k], `webhook: unknown key "${k}"`);
      const ex = doc.webhook.exemptions;
      if (ex !== undefined && !rec(ex)) issues.add(['webhook', 'exemptions'], 'webhook.exemptions must be a mapping with namespaces, usernames and runtimeClasses lists');
      const e = rec(ex) ? ex : {};
      for (const k of Object.keys(e)) if (k !== 'namespaces' && k !== 'usernames' && k !== 'runtimeClasses') issues.add(['webhook', 'exemptions', k], `webhook.exemptions: unknown key "${k}"`);
      const list = (k: string): string[] => strings(e[k], `webhook.exemptions.${k}`, ['webhook', 'exemptions', k], issues);
      webhook = { exemptions: { namespaces: list('namespaces'), usernames: list('usernames'), runtimeClasses: list('runtimeClasses') } };
    }
  }

  const imageErrors: string[] = [];
  const images = doc.images !== undefined ? parseImagePolicy(doc.images, imageErrors) : undefined;
  for (const e of imageErrors) issues.add(pathOfMessage(e), e);

  return {
    config: Object.freeze({
      enable,
      disable,
      severity,
      parameters,
      exemptions,
      ...(failOn ? { failOn } : {}),
      ...(pss ? { pss } : {}),
      ...(k8sVersion ? { k8sVersion } : {}),
      ...(images ? { images } : {}),
      ...(annotations ? { annotations } : {}),
      ...(webhook ? { webhook } : {}),
    }),
    errors: issues.texts,
    issues: issues.list,
    warnings: warnings.list,
  };
}

/** `images.signatures[2].keyless: …` → ['images', 'signatures', 2, 'keyless']: the path a message starts with. */
function pathOfMessage(message: string): ConfigPath {
  const head = /^([\w-]+(?:\.[\w-]+|\[\d+\])*)/.exec(message)?.[1] ?? '';
  const out: (string | number)[] = [];
  for (const m of head.matchAll(/([\w-]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? ''));
  return out;
}

/** `*` glob match for exemption names. */
export function globMatch(pattern: string, value: string): boolean {
  return wildcardMatch(pattern, value);
}
