/**
 * How a check is written: `defineCheck({ id, meta, create })`, the ESLint rule shape made type-safe.
 * Message ids are a type parameter, so a misspelt message id is a compile error.
 */
import type { FileLocation, NotEvaluatedReason, References, ResourceRef, SourceRef } from '../core/finding.js';
import type { Result } from '../core/result.js';
import type { Severity } from '../core/severity.js';
import type { Inventory } from '../model/inventory.js';
import type { K8sObject } from '../model/object.js';

export type CheckCategory =
  | 'workload'
  | 'pod-security'
  | 'rbac'
  | 'network'
  | 'control-plane'
  | 'node'
  | 'pki'
  | 'secrets'
  | 'audit'
  | 'exposure'
  | 'supply-chain'
  | 'reliability'
  | 'namespace';

/** Validates a check's parameters once, at set-up. */
export interface OptionsSpec<O> {
  readonly defaults: O;
  /** Validate user-given parameters (already merged over nothing: only the keys the user gave). */
  readonly parse: (value: unknown) => Result<O>;
  /** One line per parameter for `kspect explain`. */
  readonly docs: Readonly<Record<string, string>>;
}

export interface CheckMeta<M extends string, O> {
  readonly title: string;
  /** What the risk is and why it matters, a few sentences. */
  readonly description: string;
  readonly severity: Severity;
  readonly category: CheckCategory;
  /** Kinds whose objects the check visits; `['*']` for every object; empty when it only uses `end`. */
  readonly kinds: readonly string[];
  /**
   * Kinds of objects the check reads beyond the object it visits — through `ctx.inventory` or an engine (whose own
   * `reads` must be among them); `['*']` for any. Absent or empty: the check is object-local, it reads only the
   * object it is given, so it can judge each object as soon as it is parsed and the object can be dropped after.
   * The runner holds a check to it: a read outside what it declares fails the check (see `inventoryView`).
   */
  readonly reads?: readonly string[];
  readonly messages: Readonly<Record<M, string>>;
  readonly remediation: string;
  readonly references: References;
  /** Enabled by default. */
  readonly recommended: boolean;
  readonly options?: OptionsSpec<O>;
  /**
   * A standard-level check (pss-baseline, pss-restricted) whose findings restate more specific checks: when a
   * specific check reports the same object (and container) under the same Pod Security control (`references.pss`),
   * the runner folds this check's finding into that one instead of reporting it twice.
   */
  readonly umbrella?: boolean;
  /**
   * Checks whose finding on the same object, container and field already states this check's fact (image-no-digest
   * into image-latest-tag: an untagged image is unpinned by definition). The runner folds this check's finding into
   * that one — listed in its `alsoReportedBy`, at the more serious severity — instead of reporting the fact twice.
   */
  readonly restatedBy?: readonly string[];
}

/** Run-wide settings every check can read. */
export interface RunSettings {
  /** Default Pod Security level and version when a namespace has no labels. */
  readonly pss: { readonly level: 'privileged' | 'baseline' | 'restricted'; readonly version: string };
  /** Kubernetes version the input targets (e.g. `1.34`), when known. */
  readonly k8sVersion?: string;
  /** The clock, injected. */
  readonly now: Date;
}

/** An engine is built at most once per run, on first use, from the inventory. */
export interface EngineFactory<T> {
  readonly id: string;
  /** Kinds the engine reads from the inventory (`['*']` for any; absent: any). A check using it declares them. */
  readonly reads?: readonly string[];
  build(inventory: Inventory, settings: RunSettings): T;
}

export interface ReportDescriptor<M extends string> {
  readonly messageId: M;
  readonly data?: Readonly<Record<string, string | number>>;
  /** The object the finding is about: gives resource and location. */
  readonly object?: K8sObject;
  /** Field path inside the object. */
  readonly path?: string;
  /**
   * What identifies the finding within its object for baselines when the field path does not (default: `path`) —
   * e.g. an audit policy rule by its content, so that a rule inserted above does not change the fingerprints of the
   * findings about the rules below it.
   */
  readonly key?: string;
  readonly container?: string;
  /** Override the check's severity for this finding (e.g. an escalated combination). */
  readonly severity?: Severity;
  /** Redacted evidence. Never put a secret value here. */
  readonly evidence?: string;
  /** References of this finding, merged over the check's (e.g. the one PSS control it violates). */
  readonly references?: References;
  /**
   * The inventory object a finding comes from when it is not the finding's resource (a certificate file, a TLS
   * endpoint): annotations and exemptions (by kind, name, namespace, labels) apply to it; it gives no resource.
   */
  readonly subject?: K8sObject;
  /** For findings not tied to an object of the inventory. */
  readonly resource?: ResourceRef;
  readonly source?: SourceRef;
  readonly location?: FileLocation;
}

export interface NotEvaluatedDescriptor {
  readonly reason: NotEvaluatedReason;
  readonly message: string;
  readonly object?: K8sObject;
  readonly resource?: ResourceRef;
  readonly source?: SourceRef;
  /**
   * The same fact several checks cannot judge (a binding whose role is not in the input, for every RBAC check): the
   * report lists it once, without a check id, however many checks report it with the same reason, message and
   * object; each of them still counts it as not evaluated (its outcome, the framework views).
   */
  readonly shared?: boolean;
}

export interface CheckContext<M extends string> {
  readonly inventory: Inventory;
  readonly settings: RunSettings;
  /** The engine built from this run's inventory (memoised per run). */
  engine<T>(factory: EngineFactory<T>): T;
  report(descriptor: ReportDescriptor<M>): void;
  notEvaluated(descriptor: NotEvaluatedDescriptor): void;
  /**
   * Say the check judged `count` items (default 1) beyond the objects of its kinds the runner gave it: a check that
   * reads an engine in `end()` (kinds `[]`) counts what it looked at — policies, pods, namespaces, certificates.
   * A check that judged nothing is *not applicable* in the run's results, never passed.
   */
  judged(count?: number): void;
}

export interface CheckVisitor {
  /** Called for each object whose kind is in `meta.kinds`. */
  readonly object?: (obj: K8sObject) => void;
  /** Called once after every object was visited. */
  readonly end?: () => void;
}

export interface Check<M extends string = string, O = unknown> {
  readonly id: string;
  readonly meta: CheckMeta<M, O>;
  readonly create: (ctx: CheckContext<M>, options: O) => CheckVisitor | ((obj: K8sObject) => void);
}

/** Checks of any message and option types, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- variance: a registry holds checks of every M and O
export type AnyCheck = Check<any, any>;

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/;

/** Define a check. The id must be kebab-case with a domain prefix. */
export function defineCheck<M extends string, O = undefined>(check: Check<M, O>): Check<M, O> {
  if (!ID.test(check.id)) throw new Error(`check id ${check.id} is not kebab-case with a domain prefix`);
  return Object.freeze(check);
}

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** Message templates cut at their placeholders: literal text at even indexes, placeholder names at odd ones. */
const compiled = new Map<string, readonly string[]>();

function compile(template: string): readonly string[] {
  let parts = compiled.get(template);
  if (parts) return parts;
  const out: string[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    out.push(template.slice(last, m.index), m[1] as string);
    last = m.index + m[0].length;
  }
  out.push(template.slice(last));
  parts = out;
  // Templates are the checks' messages: a bounded set (the bound only guards a caller formatting generated text).
  if (compiled.size < 4096) compiled.set(template, parts);
  return parts;
}

/** Fill `{{name}}` placeholders of a message template. */
export function formatMessage(template: string, data: Readonly<Record<string, string | number>> | undefined): string {
  const parts = compile(template);
  if (parts.length === 1) return template;
  let out = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i] as string;
    const v = data?.[key];
    out += (v === undefined ? `{{${key}}}` : String(v)) + (parts[i + 1] as string);
  }
  return out;
}
