/**
 * The `.kspect.yaml` configuration: which checks run, severity overrides, check parameters,
 * exemptions and defaults. Validated from `unknown` into a frozen value; every problem is collected.
 */
import { isSeverity, type Severity } from './severity.js';
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

export interface KspectConfig {
  readonly enable: readonly string[];
  readonly disable: readonly string[];
  readonly severity: Readonly<Record<string, Severity>>;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly exemptions: readonly Exemption[];
  readonly failOn?: Severity;
  readonly pss?: { readonly level?: 'privileged' | 'baseline' | 'restricted'; readonly version?: string };
  readonly k8sVersion?: string;
  /** The `images:` section (signatures, vulnerabilities, hygiene, registries), when written. */
  readonly images?: ImagePolicy;
}

export const EMPTY_CONFIG: KspectConfig = Object.freeze({ enable: [], disable: [], severity: {}, parameters: {}, exemptions: [] });

const TOP_KEYS = new Set(['checks', 'severity', 'parameters', 'exemptions', 'failOn', 'pss', 'k8sVersion', 'images']);

function rec(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown, where: string, errors: string[]): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
    errors.push(`${where} must be a list of strings`);
    return [];
  }
  return v;
}

/**
 * Validate a parsed config document. `knownChecks` lets unknown check ids be reported.
 * Returns the config and the list of problems (each one line).
 */
export function parseConfig(doc: unknown, knownChecks: ReadonlySet<string>): { config: KspectConfig; errors: string[] } {
  const errors: string[] = [];
  if (doc === null || doc === undefined) return { config: EMPTY_CONFIG, errors };
  if (!rec(doc)) return { config: EMPTY_CONFIG, errors: ['the configuration must be a mapping'] };
  for (const k of Object.keys(doc)) if (!TOP_KEYS.has(k)) errors.push(`unknown key "${k}"`);
  const checkId = (id: string, where: string): void => {
    if (id !== '*' && !knownChecks.has(id)) errors.push(`${where}: unknown check "${id}"`);
  };

  const checks = doc.checks;
  let enable: string[] = [];
  let disable: string[] = [];
  if (checks !== undefined) {
    if (!rec(checks)) errors.push('checks must be a mapping with enable/disable lists');
    else {
      for (const k of Object.keys(checks)) if (k !== 'enable' && k !== 'disable') errors.push(`checks: unknown key "${k}"`);
      enable = strings(checks.enable, 'checks.enable', errors);
      disable = strings(checks.disable, 'checks.disable', errors);
      enable.forEach((id) => { checkId(id, 'checks.enable'); });
      disable.forEach((id) => { checkId(id, 'checks.disable'); });
    }
  }

  const severity: Record<string, Severity> = {};
  if (doc.severity !== undefined) {
    if (!rec(doc.severity)) errors.push('severity must map check ids to severities');
    else
      for (const [id, s] of Object.entries(doc.severity)) {
        checkId(id, 'severity');
        if (isSeverity(s)) severity[id] = s;
        else errors.push(`severity.${id}: "${String(s)}" is not one of critical, high, medium, low, info`);
      }
  }

  const parameters: Record<string, unknown> = {};
  if (doc.parameters !== undefined) {
    if (!rec(doc.parameters)) errors.push('parameters must map check ids to their parameters');
    else
      for (const [id, p] of Object.entries(doc.parameters)) {
        checkId(id, 'parameters');
        parameters[id] = p;
      }
  }

  const exemptions: Exemption[] = [];
  if (doc.exemptions !== undefined) {
    if (!Array.isArray(doc.exemptions)) errors.push('exemptions must be a list');
    else
      doc.exemptions.forEach((e: unknown, i) => {
        const where = `exemptions[${i}]`;
        if (!rec(e)) {
          errors.push(`${where} must be a mapping`);
          return;
        }
        for (const k of Object.keys(e)) if (!['checks', 'namespaces', 'kinds', 'names', 'labels', 'reason'].includes(k)) errors.push(`${where}: unknown key "${k}"`);
        const ids = strings(e.checks, `${where}.checks`, errors);
        if (ids.length === 0) errors.push(`${where}.checks must name at least one check (or "*")`);
        ids.forEach((id) => { checkId(id, `${where}.checks`); });
        if (typeof e.reason !== 'string' || e.reason.trim() === '') errors.push(`${where}.reason is required`);
        let labels: Record<string, string> | undefined;
        if (e.labels !== undefined) {
          if (!rec(e.labels) || !Object.values(e.labels).every((v) => typeof v === 'string')) errors.push(`${where}.labels must map strings to strings`);
          else labels = e.labels as Record<string, string>;
        }
        exemptions.push({
          checks: ids,
          ...(e.namespaces !== undefined ? { namespaces: strings(e.namespaces, `${where}.namespaces`, errors) } : {}),
          ...(e.kinds !== undefined ? { kinds: strings(e.kinds, `${where}.kinds`, errors) } : {}),
          ...(e.names !== undefined ? { names: strings(e.names, `${where}.names`, errors) } : {}),
          ...(labels ? { labels } : {}),
          reason: typeof e.reason === 'string' ? e.reason : '',
        });
      });
  }

  let failOn: Severity | undefined;
  if (doc.failOn !== undefined) {
    if (isSeverity(doc.failOn)) failOn = doc.failOn;
    else errors.push(`failOn: ${JSON.stringify(doc.failOn)} is not a severity`);
  }

  let pss: KspectConfig['pss'];
  if (doc.pss !== undefined) {
    if (!rec(doc.pss)) errors.push('pss must be a mapping with level and version');
    else {
      const level = doc.pss.level;
      const version = doc.pss.version;
      if (level !== undefined && level !== 'privileged' && level !== 'baseline' && level !== 'restricted') errors.push(`pss.level: ${JSON.stringify(level)} is not privileged, baseline or restricted`);
      if (version !== undefined && (typeof version !== 'string' || !/^(latest|v1\.\d+)$/.test(version))) errors.push(`pss.version: ${JSON.stringify(version)} is not latest or v1.N`);
      pss = {
        ...(level === 'privileged' || level === 'baseline' || level === 'restricted' ? { level } : {}),
        ...(typeof version === 'string' ? { version } : {}),
      };
    }
  }

  let k8sVersion: string | undefined;
  if (doc.k8sVersion !== undefined) {
    if (typeof doc.k8sVersion === 'string' && /^v?1\.\d+$/.test(doc.k8sVersion)) k8sVersion = doc.k8sVersion.replace(/^v/, '');
    else errors.push(`k8sVersion: ${JSON.stringify(doc.k8sVersion)} is not 1.N`);
  }

  const images = doc.images !== undefined ? parseImagePolicy(doc.images, errors) : undefined;

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
    }),
    errors,
  };
}

/** `*` glob match for exemption names. */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(value);
}
