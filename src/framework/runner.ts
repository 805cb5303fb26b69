/**
 * The runner: resolves which checks run with which options, visits every object once,
 * applies suppression, resolves locations and assembles the Report. Pure: no I/O.
 */
import type { Baseline } from '../core/baseline.js';
import type { KspectConfig } from '../core/config.js';
import { compareFindings, fingerprintOf, type FileLocation, type Finding, type NotEvaluated, type Problem, type References, type ResourceRef, type SuppressedFinding } from '../core/finding.js';
import { countBySeverity, REPORT_SCHEMA_VERSION, type CheckInfo, type CheckResult, type ControlsReport, type PkiSummary, type ProbeSummary, type EtcdSummary, type NetworkSection, type RbacPathsSection, type Report } from '../core/report.js';
import { worse } from '../core/severity.js';
import { buildInventory, inventoryView, readsCover, type Inventory } from '../model/inventory.js';
import { resourceOf, type K8sObject } from '../model/object.js';
import { formatMessage, type AnyCheck, type CheckContext, type CheckVisitor, type EngineFactory, type RunSettings } from './define.js';
import { annotationSuppressor, matchExemption } from './suppress.js';
import { appendAll } from '../core/arrays.js';
import { KeyNumbers, NumberSet } from '../core/distinct.js';
import { Extras, FindingColumns, RunFinding, type CheckShare, type Indexed } from './run-finding.js';
import { isInventoryNamespace, judgedFiles, knownObjects, readsByName, recordParts, type FindingFields, type JudgedFile, type KnownObject, type ParallelJudging, type WorkerJudging } from './parallel.js';

export interface ActiveCheck {
  readonly check: AnyCheck;
  readonly options: unknown;
  readonly severity: AnyCheck['meta']['severity'];
}

/**
 * Which checks run: recommended ones plus `enable`, minus `disable`; `only` (e.g. from `--checks`)
 * restricts to those ids. Option errors are returned as lines, not thrown.
 */
export function resolveChecks(registry: readonly AnyCheck[], config: KspectConfig, only?: readonly string[]): { active: ActiveCheck[]; errors: string[] } {
  const errors: string[] = [];
  const active: ActiveCheck[] = [];
  const enable = new Set(config.enable);
  const disable = new Set(config.disable);
  const onlySet = only ? new Set(only) : undefined;
  if (onlySet) for (const id of onlySet) if (!registry.some((c) => c.id === id)) errors.push(`unknown check "${id}"`);
  for (const check of registry) {
    const on = onlySet ? onlySet.has(check.id) : (check.meta.recommended || enable.has(check.id) || enable.has('*')) && !disable.has(check.id);
    const spec = check.meta.options;
    if (!on) {
      // Parameters of a check that is off are still validated: a typo must not wait until it is enabled.
      const given = config.parameters[check.id];
      if (given !== undefined) {
        if (!spec) errors.push(`parameters.${check.id}: this check takes no parameters`);
        else {
          const r = spec.parse(given);
          if (!r.ok) errors.push(`parameters.${check.id}: ${r.error}`);
        }
      }
      continue;
    }
    let options: unknown = undefined;
    if (spec) {
      const given = config.parameters[check.id];
      if (given === undefined) options = spec.defaults;
      else {
        const r = spec.parse(given);
        if (r.ok) options = r.value;
        else {
          errors.push(`parameters.${check.id}: ${r.error}`);
          continue;
        }
      }
    } else if (config.parameters[check.id] !== undefined) errors.push(`parameters.${check.id}: this check takes no parameters`);
    active.push({ check, options, severity: config.severity[check.id] ?? check.meta.severity });
  }
  return { active, errors };
}

export interface RunInput {
  readonly inventory: Inventory;
  readonly checks: readonly ActiveCheck[];
  readonly settings: RunSettings;
  readonly config: KspectConfig;
  readonly baseline?: Baseline;
  /** Problems found while loading the input; carried into the report. */
  readonly problems?: readonly Problem[];
  /** Not-evaluated items found while loading (e.g. forbidden lists on a cluster). */
  readonly notEvaluated?: readonly NotEvaluated[];
  readonly inputs: readonly string[];
  readonly toolVersion: string;
  /** Every check id kspect has (not only those run): `kspect.dev/ignore` naming another id is reported. */
  readonly knownCheckIds?: ReadonlySet<string>;
  /**
   * Domain sections of the report (the certificate list of a PKI run, the control view of a benchmark), computed
   * after the checks from the same engines and results: an engine the checks built is not built again.
   */
  readonly sections?: (view: RunView) => ReportSections;
  /** The kinds `sections` reads (default: every kind): a streaming run keeps their objects to the end. */
  readonly sectionReads?: readonly string[];
  /** Told of a read outside what a check (or engine) declared in `reads` before the check fails on it (for tests). */
  readonly onUndeclaredRead?: (who: string, what: string) => void;
  /**
   * Streaming: parse workers may judge the objects they parse with the registry's object-local checks
   * (src/framework/parallel.ts, `StreamingSession.workerJudging`); the Judgement is the same.
   */
  readonly parallel?: ParallelJudging;
}

/** What a `sections` hook can read: the run's engines, inventory and outcome. */
export interface RunView {
  readonly inventory: Inventory;
  readonly settings: RunSettings;
  engine<T>(factory: EngineFactory<T>): T;
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  readonly notEvaluated: readonly NotEvaluated[];
  readonly results: readonly CheckResult[];
}

/** Sections a domain adds to the Report. */
export interface ReportSections {
  readonly pki?: PkiSummary;
  readonly controls?: ControlsReport;
  readonly probe?: ProbeSummary;
  readonly etcd?: EtcdSummary;
  /** Pictures of the run for the HTML report: escalation paths, reachability by namespace and workload class. */
  readonly rbacPaths?: RbacPathsSection;
  readonly network?: NetworkSection;
  /** Problems an engine found in the input while building (e.g. certificate data that cannot be decoded). */
  readonly problems?: readonly Problem[];
}

export function checkInfo(check: AnyCheck, severity = check.meta.severity): CheckInfo {
  return {
    id: check.id,
    title: check.meta.title,
    description: check.meta.description,
    severity,
    category: check.meta.category,
    remediation: check.meta.remediation,
    references: check.meta.references,
  };
}

/**
 * What the checks concluded, before the report is assembled: findings after suppression and folding, and what
 * could not be evaluated. `judgeObjects` stops here (the admission webhook answers from it); `runChecks` goes on.
 */
export interface Judgement {
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
  readonly notEvaluated: NotEvaluated[];
  readonly problems: Problem[];
  /** Findings of each check folded into another check's finding. */
  readonly folded: ReadonlyMap<string, number>;
  /** Objects each check visited. */
  readonly visited: ReadonlyMap<string, number>;
  /** Not-evaluated items each check reported that are listed once for several checks (without a check id). */
  readonly sharedNotEvaluated: ReadonlyMap<string, number>;
  readonly engine: <T>(factory: EngineFactory<T>) => T;
}

/**
 * Whether parse workers could judge a check of the registry (`RunInput.parallel`): it visits objects of its kinds and
 * reads nothing, or Namespaces by name (the workers answer those lookups and the run checks the answers at finish).
 */
export function workerShaped(check: AnyCheck): boolean {
  const reads = check.meta.reads ?? [];
  return check.meta.kinds.length > 0 && (reads.length === 0 || readsByName(reads));
}

/** Run the checks over the inventory and assemble the report. */
export function runChecks(input: RunInput): Report {
  return assembleReport(input, judgeObjects(input), input.inventory, input.inventory.objects.length);
}

/** A run fed object by object (see `startStreaming`): `finish` returns the Report `runChecks` gives for the same objects. */
export interface StreamingRun {
  add(objects: Iterable<K8sObject>): void;
  /** What parse workers may judge of the objects they parse (see `StreamingSession.workerJudging`). */
  workerJudging(): WorkerJudging | undefined;
  /** The object-local checks judge each object as it is added (see `StreamingSession.judgeAsAdded`). */
  judgeAsAdded(): void;
  finish(end?: { readonly skipped?: number; readonly problems?: readonly Problem[]; readonly notEvaluated?: readonly NotEvaluated[] }): Report;
}

export function runStreaming(input: Omit<RunInput, 'inventory' | 'problems'>): StreamingRun {
  // Report sections read engines after judging: over every object.
  const session = startStreaming({ ...input, ...(input.sections ? { keep: input.sectionReads ?? ['*'] } : {}) });
  return {
    add: (objects) => { session.add(objects); },
    workerJudging: () => session.workerJudging(),
    judgeAsAdded: () => { session.judgeAsAdded(); },
    finish(end) {
      const { judgement, inventory, scanned } = session.finish(end);
      return assembleReport({ ...input, inventory }, judgement, inventory, scanned);
    },
  };
}

function assembleReport(input: RunInput, judgement: Judgement, inventory: Inventory, scanned: number): Report {
  const { settings } = input;
  const { findings, suppressed, notEvaluated, problems, folded, visited, sharedNotEvaluated, engine } = judgement;
  const results = checkResults(input.checks, findings, suppressed, notEvaluated, folded, visited, sharedNotEvaluated);
  const sections = input.sections?.({ inventory, settings, engine, findings, suppressed, notEvaluated, results }) ?? {};
  appendAll(problems, (sections.problems ?? []));

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'kspect', version: input.toolVersion },
    generatedAt: settings.now.toISOString(),
    inputs: input.inputs,
    summary: {
      findings: findings.length,
      bySeverity: countBySeverity(findings),
      checksRun: input.checks.length,
      objectsScanned: scanned,
      skipped: inventory.skipped,
      suppressed: suppressed.length,
      notEvaluated: notEvaluated.length,
      manual: notEvaluated.filter((n) => n.reason === 'manual').length,
      problems: problems.length,
    },
    checks: input.checks.map((a) => checkInfo(a.check, a.severity)).sort((a, b) => (a.id < b.id ? -1 : 1)),
    findings,
    suppressed,
    notEvaluated,
    problems,
    results,
    ...(sections.pki ? { pki: sections.pki } : {}),
    ...(sections.controls ? { controls: sections.controls } : {}),
    ...(sections.probe ? { probe: sections.probe } : {}),
    ...(sections.etcd ? { etcd: sections.etcd } : {}),
    ...(sections.rbacPaths ? { rbacPaths: sections.rbacPaths } : {}),
    ...(sections.network ? { network: sections.network } : {}),
  };
}

/** The checks over the inventory, with suppression, locations and folding: everything but the report's assembly. */
export function judgeObjects(input: JudgeInput): Judgement {
  const session = startJudging(input);
  session.add(input.inventory.objects);
  return session.finish();
}

export type JudgeInput = Omit<RunInput, 'sections' | 'inputs' | 'toolVersion'>;

/**
 * Judging fed in pieces: `add` gives objects to every per-object check (in the order given, each object once: a file
 * or a page of a cluster list at a time), `finish` runs the checks' ends, suppression and folding. The checks are
 * created, and read the inventory, when judging starts: every object added must be in `input.inventory`.
 * `judgeObjects` is `add(inventory.objects)` then `finish()`.
 */
export interface JudgeSession {
  add(objects: Iterable<K8sObject>): void;
  finish(): Judgement;
}

/** Start judging: the checks are created (an engine a check asks for is built now, from the inventory). */
export function startJudging(input: JudgeInput): JudgeSession {
  const session = openSession(input, undefined);
  return { add: (objects) => { session.add(objects); }, finish: () => session.finish().judgement };
}

/**
 * Judging objects as they are read, before the inventory is complete (files one by one, a cluster page by page).
 * The object-local checks (no `meta.reads`) are created now and judge each object as it is added; the checks that
 * read the inventory are created at `finish`, over the objects of the kinds they visit and read (all objects when one
 * reads `'*'`; `keep` adds kinds a caller reads after judging, e.g. for report sections), and judge them then. When
 * every object is held anyway, every check waits for finish (one pass, as a whole run: less memory at the peak). The
 * Judgement is the one `judgeObjects` gives for the same objects in the same order: findings, not-evaluated items
 * and problems are put back in the order one pass over every object would have made them.
 */
export interface StreamingSession {
  /** Objects in input order (a file's, a page's): the object-local checks judge them now. */
  add(objects: Iterable<K8sObject>): void;
  /**
   * The checks parse workers may run over the objects they parse (src/framework/parallel.ts): the registry's
   * object-local checks, when every check would otherwise wait for finish (`input.parallel`, a check reads every
   * kind). Asked for when workers start: these checks judge the objects added before now, and from then on each
   * array of objects added, or replay what a worker said of it (`judgedFiles`). Undefined: none.
   */
  workerJudging(): WorkerJudging | undefined;
  /**
   * For parse workers that only parse (two threads: a worker parses while this thread judges): the same object-local
   * checks `workerJudging` would give the workers are created now and judge each object in this thread as it is added,
   * instead of at finish; the others wait for finish as without workers. Asked once, in place of `workerJudging`
   * (which then gives none). Nothing else changes: what they say is put in one pass's order by key at finish.
   */
  judgeAsAdded(): void;
  /**
   * Every object was added: build the inventory of what was kept, create and run the checks that read it, run every
   * check's end. `problems` (found while loading) go before those the checks raise, as `JudgeInput.problems` would;
   * so do `notEvaluated` (what the input's reading could not read), as `JudgeInput.notEvaluated` would.
   */
  finish(end?: { readonly skipped?: number; readonly problems?: readonly Problem[]; readonly notEvaluated?: readonly NotEvaluated[] }): StreamedJudgement;
}

export interface StreamedJudgement {
  readonly judgement: Judgement;
  /** The objects kept for the checks that read the inventory (every object when one reads `'*'`). */
  readonly inventory: Inventory;
  /** Objects added. */
  readonly scanned: number;
}

export type StreamInput = Omit<JudgeInput, 'inventory' | 'problems'> & { readonly keep?: readonly string[] };

export function startStreaming(input: StreamInput): StreamingSession {
  return openSession({ ...input, inventory: EMPTY_INVENTORY }, input.keep ?? []);
}

const EMPTY_INVENTORY = buildInventory([]);
/**
 * Messages of a check looked up in the table of equal strings before it is judged whether they repeat: a first short
 * trial (a check's messages repeat from the start or not at all, as measured on the scale and rbac inputs), then
 * windows of INTERN_TRIAL.
 */
const INTERN_FIRST_TRIAL = 256;
const INTERN_TRIAL = 4096;

/**
 * The one judging session. `stream` undefined: every check is created now over `input.inventory`. Otherwise the
 * inventory is built at finish from the objects added, and only object-local checks are created now.
 */
function openSession(input: JudgeInput, stream: readonly string[] | undefined): { add(objects: Iterable<K8sObject>): void; workerJudging(): WorkerJudging | undefined; judgeAsAdded(): void; finish(end?: { readonly skipped?: number; readonly problems?: readonly Problem[]; readonly notEvaluated?: readonly NotEvaluated[] }): StreamedJudgement } {
  const { settings } = input;
  let inventory = input.inventory;
  const problems: Problem[] = [...(input.problems ?? [])];
  const notEvaluated: NotEvaluated[] = [...(input.notEvaluated ?? [])];
  // Findings as the checks report them, before suppression and folding: columns of ids (run-finding.ts).
  const raw = new FindingColumns();
  // Which checks wait for the inventory (streaming only): those that read it.
  const readsInventory = (active: ActiveCheck): boolean => (active.check.meta.reads ?? []).length > 0;
  // Streaming: the objects the late checks visit or read are held until finish, every object when one of them reads
  // (or visits) every kind. Then nothing is dropped, and judging while reading would only keep the garbage of parsing
  // beside what the object-local checks found (measured: 2.54 against 2.33 GB peak at 200,000 objects): every check
  // waits for finish, one pass over the objects as a whole run makes.
  const keepAll = stream !== undefined && (stream.includes('*') || input.checks.some((a) => readsInventory(a) && (a.check.meta.kinds.includes('*') || (a.check.meta.reads ?? []).includes('*'))));
  const deferred = (active: ActiveCheck): boolean => stream !== undefined && (keepAll || readsInventory(active));
  const late = input.checks.filter(deferred);
  // With checks created late, what the checks report is put back in one pass's order at finish: each entry made while
  // visiting carries the key of its place in that pass (object, then the check's place among the object's visitors).
  let keyed = late.length > 0 && late.length < input.checks.length;
  const slots = input.checks.length * 2 + 1;
  let key = 0;
  const findingKeys: number[] = [];
  const notEvaluatedKeys: number[] = [];
  const problemKeys: number[] = [];
  const problemsBase = problems.length;
  const notEvaluatedBase = notEvaluated.length;
  const addProblem = (p: Problem): void => {
    problems.push(p);
    if (keyed) problemKeys.push(key);
  };
  const addNotEvaluated = (n: NotEvaluated): void => {
    notEvaluated.push(n);
    if (keyed) notEvaluatedKeys.push(key);
  };
  // Equal strings of findings (messages, paths, evidence) are one string (raw.text): a scan of 20,000 objects has
  // 179,000 findings but 53,000 distinct messages and 64 distinct paths. The values are the same, so is the output.
  // A check's messages are interned while they repeat: once fewer than one in eight of its first 256, or of 4,096 of
  // them in a row after, were said before (rbac risks: a binding's subjects are in each message — 86,000 findings, as
  // many distinct messages), its further messages are only flattened and kept apart: hashing them into the table cost
  // more than the sharing saves. The first trial is short: rbac risks has 26 checks of fewer than 4,096 findings each
  // (42,000 of its messages were hashed into the table, none said before); at 20,000 objects a scan's checks
  // repeat more than 280 of their first 512 messages or none. Identity only: the values, and so every output, are
  // the same.
  const internMessage = (text: string, said: { tries: number; hits: number; off: boolean; first: boolean }): number => {
    if (said.off) return raw.textApart(text);
    if (said.tries === (said.first ? INTERN_FIRST_TRIAL : INTERN_TRIAL)) {
      said.off = said.hits * 8 < said.tries;
      said.tries = said.hits = 0;
      said.first = false;
    }
    said.tries++;
    const hit = raw.knownText(text);
    if (hit !== undefined) {
      said.hits++;
      return hit;
    }
    return raw.text(text);
  };
  // One ResourceRef per object and container, shared by the findings on it (a large scan has ~9 per object); kept by
  // its id in `raw`. An object's refs are held as the id, a short list, or (many containers) a map by container: not
  // a map per object.
  const resources = new Map<K8sObject, number | number[] | Map<string | undefined, number>>();
  const containerOf = (id: number): string | undefined => raw.resourceOf(id)?.container;
  // The last answer kept: the checks visiting an object one after the other report on it in turn.
  let sharedObject: K8sObject | undefined;
  let sharedContainer: string | undefined;
  let sharedId = 0;
  const resourceOfShared = (obj: K8sObject, container: string | undefined): number => {
    if (obj === sharedObject && container === sharedContainer) return sharedId;
    const id = resourceOfObject(obj, container);
    sharedObject = obj;
    sharedContainer = container;
    sharedId = id;
    return id;
  };
  const resourceOfObject = (obj: K8sObject, container: string | undefined): number => {
    const held = resources.get(obj);
    if (held === undefined) {
      const id = raw.resource(resourceOf(obj, container));
      resources.set(obj, id);
      return id;
    }
    if (held instanceof Map) {
      let id = held.get(container);
      if (id === undefined) held.set(container, (id = raw.resource(resourceOf(obj, container))));
      return id;
    }
    if (!Array.isArray(held)) {
      if (containerOf(held) === container) return held;
      const id = raw.resource(resourceOf(obj, container));
      resources.set(obj, [held, id]);
      return id;
    }
    for (const r of held) if (containerOf(r) === container) return r;
    const id = raw.resource(resourceOf(obj, container));
    if (held.length < 8) held.push(id);
    else resources.set(obj, new Map([...held, id].map((r) => [containerOf(r), r])));
    return id;
  };
  // The location of an object's field, the last one kept: the checks visiting an object one after the other often
  // report the same field (each RBAC danger check a binding's roleRef).
  let locatedObject: K8sObject | undefined;
  let locatedPath: string | undefined;
  let locatedAt: FileLocation | undefined;
  const locate = (obj: K8sObject, path: string): FileLocation | undefined => {
    if (obj !== locatedObject || path !== locatedPath) {
      locatedAt = obj.origin.locate(path);
      locatedObject = obj;
      locatedPath = path;
    }
    return locatedAt;
  };
  const engines = new Map<string, unknown>();
  const engineReads = new Map<string, readonly string[]>();
  const engine = <T>(factory: EngineFactory<T>): T => {
    if (engines.has(factory.id)) return engines.get(factory.id) as T;
    // An engine sees only the kinds it declares (the checks using it declare them too).
    const reads = factory.reads ?? ['*'];
    const built = factory.build(inventoryView(inventory, reads, (what) => undeclared(`engine ${factory.id}`, reads, what)), settings);
    engines.set(factory.id, built);
    engineReads.set(factory.id, reads);
    return built;
  };

  /** A read outside what a check or engine declared: a bug of the check (its declaration is what streaming trusts). */
  const undeclared = (who: string, reads: readonly string[], what: string): never => {
    input.onUndeclaredRead?.(who, what);
    throw new Error(`${who} read ${what} from the inventory, but declares reads [${reads.join(', ')}]`);
  };
  const visited = new Map<string, number>();
  // Not-evaluated items several checks share (listed once, counted for each check that reported one).
  const sharedNotEvaluated = new Map<string, number>();
  /** Shared items listed, by key: their index in `notEvaluated` (streaming keeps the earliest place a check said it). */
  const sharedSeen = new Map<string, number>();
  const sharedByObject = new WeakMap<K8sObject, [string, string][]>();
  // The last object said of: every RBAC check says the same item of a binding one after the other (the runner gives an
  // object to all its visitors in turn), so all but the first find its list here, not in the WeakMap.
  let sharedLastObject: K8sObject | undefined;
  let sharedLastSaid: [string, string][] = [];
  /** `said`: what takes what the check says, for what a parse worker replays of it (parallel.ts). */
  type Said = { readonly emit: (d: FindingFields, object: K8sObject | undefined, subject: K8sObject | undefined, text: string, at: FileLocation | undefined) => void; readonly ctx: CheckContext<string> };
  /** `visits`: objects given to it, added to `visited` at finish (a count per visitor, not a map update per visit). */
  const visitors: { active: ActiveCheck; visitor: CheckVisitor; failed: boolean; index: number; said: Said; visits: number }[] = [];
  const crashed = (active: ActiveCheck, e: unknown, obj?: K8sObject): void => {
    const msg = e instanceof Error ? e.message : String(e);
    addNotEvaluated({
      checkId: active.check.id,
      reason: 'check-error',
      message: `check ${active.check.id} failed${obj ? ` on ${obj.kind} ${obj.metadata.name}` : ''}: ${msg}`,
      ...(obj ? { resource: resourceOf(obj) } : {}),
    });
    addProblem({ code: 'internal', severity: 'error', message: `internal error in check ${active.check.id}: ${msg}` });
  };

  /** What takes what a check says (findings, not-evaluated items), made without creating the check. */
  const sayer = (active: ActiveCheck): Said => {
    const { check } = active;
    const share: CheckShare = { checkId: check.id, title: check.meta.title, remediation: check.meta.remediation, references: check.meta.references, extras: new Extras() };
    // The references a finding gives merged over the check's: one object for equal ones (a Pod Security check gives
    // each finding the control it breaks — a handful of distinct ones).
    const ownReferences = new Map<string, References>();
    const referencesOf = (given: References): References => {
      const key = JSON.stringify(given);
      let merged = ownReferences.get(key);
      if (merged === undefined) {
        if (ownReferences.size >= 4096) ownReferences.clear();
        ownReferences.set(key, (merged = { ...check.meta.references, ...given }));
      }
      return merged;
    };
    const reads = check.meta.reads ?? [];
    const denied = (what: string): never => undeclared(`check ${check.id}`, reads, what);
    // The view of the inventory as it is (streaming: empty until finish, when the checks that read it are created).
    let viewOf = inventory;
    let view = inventoryView(inventory, reads, denied);
    /**
     * A finding as the runner keeps it: `text` is its message, `at` the location of the object's field (found here
     * when not given; a parse worker gives it for an object it parsed).
     */
    const messages = { tries: 0, hits: 0, off: false, first: true };
    const emit = (d: FindingFields, object: K8sObject | undefined, subject: K8sObject | undefined, text: string, at: FileLocation | undefined): void => {
      const resource = d.resource ? raw.resource(d.resource) : object ? resourceOfShared(object, d.container) : 0;
      // A finding without a location of its own is located by its object's field (or the object), written last.
      const located = d.location ?? (object ? (at ?? (d.path !== undefined ? locate(object, d.path) : undefined) ?? object.origin.location) : undefined);
      const severity = input.config.severity[check.id] ?? d.severity ?? active.severity;
      const message = internMessage(text, messages);
      const path = d.path !== undefined ? raw.text(d.path) : 0;
      const evidence = d.evidence !== undefined ? raw.textOf(raw.text(d.evidence)) : undefined;
      const source = d.source ?? object?.origin.source;
      const references = d.references ? referencesOf(d.references) : undefined;
      // The fingerprint is computed from these when read (fingerprintOf(check, resource, key ?? path, source)): the
      // source counts only without a resource, and then it is the one the check gave.
      raw.push(share.extras.of(share, severity, source, d.key, references, !!d.location, evidence, undefined), message, resource, located, path, object ?? subject);
      if (keyed) findingKeys.push(key);
    };
    const ctx: CheckContext<string> = {
      // What the check declared it reads, and nothing else (an object-local check sees no other object).
      get inventory() {
        if (viewOf !== inventory) view = inventoryView((viewOf = inventory), reads, denied);
        return view;
      },
      settings,
      engine: (factory) => (readsCover(reads, factory.reads ?? ['*']) ? engine(factory) : denied(`engine ${factory.id} (it reads ${(factory.reads ?? ['*']).join(', ')})`)),
      report(d) {
        emit(d, d.object, d.subject, formatMessage(check.meta.messages[d.messageId] as string, d.data), undefined);
      },
      judged(count = 1) {
        visited.set(check.id, (visited.get(check.id) ?? 0) + count);
      },
      notEvaluated(d) {
        if (d.shared === true && d.object && d.resource === undefined && d.source === undefined) {
          // Said of an object by many checks (a binding to a missing role, by every RBAC check): counted for each, the
          // item's key (below) worked out once per object and text — it is the same each time.
          // Compared as they are (no key string per call: the same message object is said by every check).
          let said = d.object === sharedLastObject ? sharedLastSaid : sharedByObject.get(d.object);
          if (!said) sharedByObject.set(d.object, (said = []));
          sharedLastObject = d.object;
          sharedLastSaid = said;
          for (const [reason, message] of said)
            if (reason === d.reason && message === d.message) {
              sharedNotEvaluated.set(check.id, (sharedNotEvaluated.get(check.id) ?? 0) + 1);
              return;
            }
          said.push([d.reason, d.message]);
        }
        const resource = d.resource ?? (d.object ? resourceOf(d.object) : undefined);
        const location = d.object?.origin.location;
        if (d.shared === true) {
          sharedNotEvaluated.set(check.id, (sharedNotEvaluated.get(check.id) ?? 0) + 1);
          const item = [d.reason, d.message, fingerprintOf('', resource, undefined, d.source), location?.file ?? '', location?.line ?? '', location?.column ?? ''].join('\u0000');
          const seen = sharedSeen.get(item);
          if (seen !== undefined) {
            // Said earlier in one pass's order by a check created late: the item takes that place.
            const at = seen - notEvaluatedBase;
            if (keyed && at >= 0 && key < (notEvaluatedKeys[at] ?? key)) notEvaluatedKeys[at] = key;
            return;
          }
          sharedSeen.set(item, notEvaluated.length);
          addNotEvaluated({ reason: d.reason, message: d.message, ...(resource ? { resource } : {}), ...(location ? { location } : {}), ...(d.source ? { source: d.source } : {}) });
          return;
        }
        addNotEvaluated({ checkId: check.id, reason: d.reason, message: d.message, ...(resource ? { resource } : {}), ...(location ? { location } : {}), ...(d.source ? { source: d.source } : {}) });
      },
    };
    return { emit, ctx };
  };
  const create = (active: ActiveCheck, index: number): void => {
    key = index;
    const said = sayer(active);
    try {
      const created = active.check.create(said.ctx, active.options);
      visitors.push({ active, visitor: typeof created === 'function' ? { object: created } : created, failed: false, index, said, visits: 0 });
    } catch (e) {
      crashed(active, e);
    }
  };
  input.checks.forEach((active, i) => {
    if (!deferred(active)) create(active, i);
  });

  // Dispatch each object once to the visitors of its kind, then to those of every kind.
  const dispatcher = (list: readonly (typeof visitors)[number][]): { readonly of: (kind: string) => typeof visitors } => {
    const wildcard = list.filter((v) => v.active.check.meta.kinds.includes('*') && v.visitor.object);
    const byKind = new Map<string, typeof visitors>();
    for (const v of list) {
      if (!v.visitor.object) continue;
      for (const k of v.active.check.meta.kinds) {
        if (k === '*') continue;
        let l = byKind.get(k);
        if (!l) byKind.set(k, (l = []));
        l.push(v);
      }
    }
    for (const l of byKind.values()) appendAll(l, wildcard);
    return { of: (kind) => byKind.get(kind) ?? wildcard };
  };
  const visit = (dispatch: { readonly of: (kind: string) => typeof visitors }, obj: K8sObject, seq: number): void => {
    for (const v of dispatch.of(obj.kind)) {
      if (v.failed) continue;
      // A visit's place in one pass: the object, then the check's place among its visitors (those of its kind, then
      // those of every kind, each in check order).
      if (keyed) key = (seq + 1) * slots + (v.active.check.meta.kinds.includes(obj.kind) ? 0 : input.checks.length) + v.index;
      v.visits++;
      try {
        v.visitor.object?.(obj);
      } catch (e) {
        v.failed = true;
        crashed(v.active, e, obj);
      }
    }
  };
  const early = dispatcher(visitors);
  // Streaming: the objects the late checks visit or read, and their place in the input.
  const keepKinds = new Set([...(stream ?? []), ...late.flatMap((a) => [...a.check.meta.kinds, ...(a.check.meta.reads ?? [])])]);
  const held: K8sObject[] = [];
  const heldSeq: number[] = [];
  let seq = 0;
  let finished = false;
  type Visitor = (typeof visitors)[number];
  /**
   * Judging in parse workers (parallel.ts), once asked for: the object-local checks, created then (those the workers
   * run, by index, to take what they said), how this thread visits the objects it parsed (every one of them) and those
   * a worker judged (the ones the workers do not run), and whether the entries made while adding left one pass's
   * order (said by a check visited here after a worker's records of the same file).
   */
  let inWorkers: {
    readonly judging: WorkerJudging;
    readonly made: readonly Visitor[];
    readonly byIndex: ReadonlyMap<number, Visitor>;
    readonly dispatch: ReturnType<typeof dispatcher>;
    readonly rest: ReturnType<typeof dispatcher>;
    unordered: boolean;
    /**
     * The checks that read Namespaces by name (parallel.ts `readsByName`), judged in the workers (and in this thread
     * as a worker would) with the Namespaces known then: not created here before finish, what they say taken by a
     * sayer of each. What they said of a file holds if the inventory answers each lookup as it was answered (checked
     * at finish, `settleNamed`).
     */
    readonly named: readonly Visitor[];
    /** Files whose named checks' records were replayed: the first object's place, how many, the lookups and visits. */
    readonly namedFiles: { readonly base: number; readonly count: number; readonly lookups: readonly (readonly [string, number])[]; readonly visited: readonly (readonly [number, number])[] }[];
    /** Files the named checks are to judge at finish (not judged in a worker, or not recorded there). */
    readonly namedLater: { readonly base: number; readonly count: number }[];
    /** A named check failed on an object: it is judged again at finish over every object. */
    namedCrashed: boolean;
    /** The Namespaces added, for the workers (`knownObjects`). */
    readonly known: KnownObject[];
  } | undefined;
  let workerJudgingAsked = false;
  /** `judgeAsAdded` was asked: the object-local checks judge here as objects come, the workers judge nothing. */
  let judgingHere = false;
  /**
   * `here`: the object-local checks are created now and judge each object in this thread as it is added (no check
   * for workers, none of Pod Security's named stand-ins): for parse workers that only parse (`judgeAsAdded`).
   */
  const earlyJudging = (here: boolean): WorkerJudging | undefined => {
    if (workerJudgingAsked || finished) return judgingHere ? undefined : inWorkers?.judging;
    workerJudgingAsked = true;
    judgingHere = here;
    const parallel = input.parallel;
    if (!parallel || !keepAll) return undefined;
    // The registry's checks that read nothing and visit objects of their kinds: created now, in check order, keyed.
    const candidates = input.checks.flatMap((active, index) => (parallel.registry.has(active.check) && (active.check.meta.reads ?? []).length === 0 && active.check.meta.kinds.length > 0 ? [{ active, index }] : []));
    // Those that read Namespaces by name: judged in workers too, checked at finish (not created here before).
    const byName = here ? [] : input.checks.flatMap((active, index) => (parallel.registry.has(active.check) && readsByName(active.check.meta.reads ?? []) && active.check.meta.kinds.length > 0 ? [{ active, index }] : []));
    if (candidates.length === 0 && byName.length === 0) return undefined;
    keyed = true;
    const before = visitors.length;
    for (const { active, index } of candidates) {
      create(active, index);
      earlyDone.add(index);
    }
    // Those a worker can run: no end (what they say of an object is said when visiting it). The others (and those
    // whose create failed, which said so now, keyed by their place) stay here.
    const made = visitors.slice(before);
    const mine = made.filter((v) => v.visitor.object !== undefined && v.visitor.end === undefined);
    // None a worker can run (each has an end, say): those created judge here as objects are added, as with `here` — not
    // left out (created now, they are not created again at finish).
    if (mine.length === 0 && byName.length === 0) judgingHere = true;
    // A named check's stand-in: a sayer, no visitor (counted with the rest at finish, or dropped there).
    const named: Visitor[] = byName.map(({ active, index }) => ({ active, visitor: {}, failed: false, index, said: sayer(active), visits: 0 }));
    appendAll(visitors, named);
    const sent = [...mine, ...named].sort((a, b) => a.index - b.index);
    const judging: WorkerJudging = { checks: sent.map((v) => ({ index: v.index, id: v.active.check.id, options: v.active.options })), checkCount: input.checks.length, settings };
    const dispatch = dispatcher(made);
    const known: KnownObject[] = [];
    inWorkers = { judging, made, byIndex: new Map(sent.map((v) => [v.index, v])), dispatch, rest: dispatcher(made.filter((v) => !mine.includes(v))), unordered: false, named, namedFiles: [], namedLater: [], namedCrashed: false, known };
    knownObjects.set(judging, () => known);
    // The objects added before are judged now, before any after them (a check that fails on an object says nothing
    // of the objects after it); the named checks judge them at finish.
    held.forEach((obj, i) => {
      visit(dispatch, obj, i);
      if (isInventoryNamespace(obj)) known.push({ seq: i, value: obj.raw });
    });
    if (held.length > 0 && named.length > 0) inWorkers.namedLater.push({ base: 0, count: held.length });
    return judgingHere ? undefined : judging;
  };
  const workerJudging = (): WorkerJudging | undefined => earlyJudging(false);
  const judgeAsAdded = (): void => {
    earlyJudging(true);
  };
  /** Checks created before finish for the workers' sake (or whose create failed then): not created again. */
  const earlyDone = new Set<number>();
  /** What a worker said of a file's objects (`base`: the input place of the first), through the checks' own contexts. */
  const replay = (w: NonNullable<typeof inWorkers>, judged: JudgedFile, objects: readonly K8sObject[], base: number, visitRest = true): void => {
    // The named checks' records: replayed now if the worker recorded every one of them (checked at finish), else
    // left out and the file judged by them at finish.
    const namedOut = w.named.length > 0 && w.named.some((v) => judged.unsplit.includes(v.index));
    const skip = (c: number): boolean => namedOut && w.named.some((v) => v.index === c);
    if (namedOut) w.namedLater.push({ base, count: objects.length });
    else if (w.named.length > 0) w.namedFiles.push({ base, count: objects.length, lookups: judged.lookups ?? [], visited: judged.visited.filter(([c]) => w.named.some((v) => v.index === c)) });
    // A check that failed on an earlier object says nothing of the objects after it, as in one pass.
    for (const [c, n] of judged.visited) {
      const v = w.byIndex.get(c);
      if (v && !v.failed && !skip(c)) v.visits += n;
    }
    const shift = base * slots;
    for (const r of judged.records) {
      const v = w.byIndex.get(r.c);
      if (!v || v.failed || skip(r.c)) continue;
      if (r.t === 'x' && w.named.includes(v)) w.namedCrashed = true;
      key = r.k + shift;
      const object = r.o !== undefined ? objects[r.o] : undefined;
      if (r.t === 'f') v.said.emit(r.d, object, r.s !== undefined ? objects[r.s] : undefined, judged.texts[r.m] as string, r.l);
      else if (r.t === 'n') v.said.ctx.notEvaluated(object ? { ...r.d, object } : r.d);
      else {
        v.failed = true;
        crashed(v.active, new Error(r.message), object);
      }
    }
    if (!visitRest) return;
    // The checks the workers do not run, and those the worker could not record: visited here, after the worker's
    // records (put in order at finish if they said anything).
    const said = raw.length + notEvaluated.length + problems.length;
    const rest = judged.unsplit.length === 0 ? w.rest : dispatcher(w.made.filter((v) => judged.unsplit.includes(v.index) || !w.byIndex.has(v.index)));
    objects.forEach((obj, i) => { visit(rest, obj, base + i); });
    if (raw.length + notEvaluated.length + problems.length !== said) w.unordered = true;
  };
  const add = (objects: Iterable<K8sObject>): void => {
    if (finished) throw new Error('objects added to judging that has finished');
    const base = seq;
    const w = inWorkers;
    const judged = w ? judgedFiles.get(objects as readonly K8sObject[]) : undefined;
    // Not kept with the array (the loader holds its files' arrays until it has read everything: at 200,000 objects
    // what the workers said of every file, ~150 MB, stayed alive until then).
    if (judged) judgedFiles.delete(objects as readonly K8sObject[]);
    const one = (obj: K8sObject): void => {
      visit(early, obj, seq);
      if (w && !judged) visit(w.dispatch, obj, seq);
      if (w && isInventoryNamespace(obj)) w.known.push({ seq, value: obj.raw });
      if (stream !== undefined && (keepAll || keepKinds.has(obj.kind))) {
        held.push(obj);
        if (!keepAll) heldSeq.push(seq);
      }
      seq++;
    };
    // An array (a file's objects, the inventory's) indexed: a for-of loop run by the interpreter (before it is
    // optimised) makes an iterator result per object.
    if (Array.isArray(objects)) for (let i = 0; i < objects.length; i++) one(objects[i] as K8sObject);
    else for (const obj of objects) one(obj);
    if (w && judged) replay(w, judged, objects as readonly K8sObject[], base);
    else if (w && w.named.length > 0 && seq > base) w.namedLater.push({ base, count: seq - base });
  };
  /** The check of an entry's key (its visitor's place: the check's index, or the check count more). */
  const checkOfKey = (k: number): number => {
    const place = k % slots;
    return place >= input.checks.length ? place - input.checks.length : place;
  };
  /** Drop what was said with the keys `drop` names (findings, not-evaluated items, problems: keyed since workers). */
  const dropSaid = (drop: (key: number) => boolean): void => {
    let n = 0;
    for (let i = 0; i < raw.length; i++) {
      const k = findingKeys[i] as number;
      if (drop(k)) continue;
      if (n !== i) {
        raw.move(i, n);
        findingKeys[n] = k;
      }
      n++;
    }
    raw.truncate(n);
    findingKeys.length = n;
    const moved = new Map<number, number>();
    n = notEvaluatedBase;
    for (let i = notEvaluatedBase; i < notEvaluated.length; i++) {
      const k = notEvaluatedKeys[i - notEvaluatedBase] as number;
      if (drop(k)) continue;
      moved.set(i, n);
      notEvaluated[n] = notEvaluated[i] as NotEvaluated;
      notEvaluatedKeys[n - notEvaluatedBase] = k;
      n++;
    }
    notEvaluated.length = n;
    notEvaluatedKeys.length = n - notEvaluatedBase;
    for (const [item, at] of sharedSeen) {
      if (at < notEvaluatedBase) continue;
      const to = moved.get(at);
      if (to === undefined) sharedSeen.delete(item);
      else sharedSeen.set(item, to);
    }
    n = problemsBase;
    for (let i = problemsBase; i < problems.length; i++) {
      const k = problemKeys[i - problemsBase] as number;
      if (drop(k)) continue;
      problems[n] = problems[i] as Problem;
      problemKeys[n - problemsBase] = k;
      n++;
    }
    problems.length = n;
    problemKeys.length = n - problemsBase;
  };
  /**
   * At finish, over the inventory (every object held): what the named checks said of a file holds if the inventory
   * answers each of its lookups with the object answered (or none when none was). A file where one differs (a
   * Namespace in a later file, two of one name, one not known yet when the file was judged) is judged again, as a
   * worker would but answered by the inventory, in place of what was said; so are the files they did not judge. If a
   * named check failed on an object, or cannot be recorded over a file, it is judged over every object as one pass
   * does. Either way, the entries are put in one pass's order by key after.
   */
  const settleNamed = (w: NonNullable<typeof inWorkers>): void => {
    const named = new Set(w.named.map((v) => v.index));
    const answer = (ref: number, base: number): K8sObject | undefined => (ref === -1 ? undefined : held[ref >= 0 ? ref : base - 2 - ref]);
    const wrong = w.namedCrashed ? [] : w.namedFiles.filter((f) => f.lookups.some(([name, ref]) => inventory.namespaces.get(name) !== answer(ref, f.base)));
    let again = w.namedCrashed;
    if (!again && (wrong.length > 0 || w.namedLater.length > 0)) {
      w.unordered = true;
      if (wrong.length > 0) {
        const redo = new Uint8Array(seq);
        for (const f of wrong) redo.fill(1, f.base, f.base + f.count);
        dropSaid((k) => named.has(checkOfKey(k)) && redo[Math.floor(k / slots) - 1] === 1);
        for (const f of wrong)
          for (const [c, n] of f.visited) {
            const v = w.byIndex.get(c);
            if (v) v.visits -= n;
          }
      }
      const checks = w.named.map((v) => ({ index: v.index, check: v.active.check, options: v.active.options }));
      const known = { complete: true, get: (name: string) => { const object = inventory.namespaces.get(name); return object ? { object, ref: 0 } : undefined; } };
      for (const f of [...wrong, ...w.namedLater].sort((a, b) => a.base - b.base)) {
        const objects = held.slice(f.base, f.base + f.count);
        const judged = recordParts({ checks, checkCount: input.checks.length, settings, objects, known });
        if (judged.unsplit.length > 0 || judged.records.some((r) => r.t === 'x')) {
          again = true;
          break;
        }
        replay(w, judged, objects, f.base, false);
      }
    }
    if (again) {
      // Created at finish with the other late checks, over the inventory; nothing they said before is kept.
      dropSaid((k) => named.has(checkOfKey(k)));
      const stale = new Set(w.named);
      let n = 0;
      for (const v of visitors) if (!stale.has(v)) visitors[n++] = v;
      visitors.length = n;
    } else for (const i of named) earlyDone.add(i);
  };
  const finish = (end: { readonly skipped?: number; readonly problems?: readonly Problem[]; readonly notEvaluated?: readonly NotEvaluated[] } = {}): StreamedJudgement => {
    if (finished) throw new Error('judging has finished');
    finished = true;
    if (stream !== undefined) inventory = buildInventory(held, end.skipped ?? 0);
    if (inWorkers && inWorkers.named.length > 0) settleNamed(inWorkers);
    if (end.problems && end.problems.length > 0) {
      // Problems of loading come first, as when they are given before judging.
      problems.splice(problemsBase, 0, ...end.problems);
      // (their keys: none — they are before the keyed part)
    }
    const keyedProblemsBase = problemsBase + (end.problems?.length ?? 0);
    if (late.length > 0) {
      // The late checks now: created over the inventory, then visiting the objects kept, in input order.
      const findingsMid = raw.length;
      const notEvaluatedMid = notEvaluated.length;
      const problemsMid = problems.length;
      const before = visitors.length;
      input.checks.forEach((active, i) => {
        if (deferred(active) && !earlyDone.has(i)) create(active, i);
      });
      const created = visitors.slice(before);
      const lateDispatch = dispatcher(created);
      const w = inWorkers;
      held.forEach((obj, i) => { visit(lateDispatch, obj, keepAll ? i : (heldSeq[i] as number)); });
      if (w?.unordered === true) sortByKey(raw.lists(), findingKeys, 0, raw.length);
      else mergeByKey(raw.lists(), findingKeys, 0, findingsMid, raw.length);
      if (w) {
        // A shared not-evaluated item takes the earliest place a check said it: either run may have moved.
        sortByKey([notEvaluated], notEvaluatedKeys, notEvaluatedBase, notEvaluated.length);
        sortByKey([problems], problemKeys, keyedProblemsBase, problems.length);
      } else {
        mergeByKey([notEvaluated], notEvaluatedKeys, notEvaluatedBase, notEvaluatedMid, notEvaluated.length);
        mergeByKey([problems], problemKeys, keyedProblemsBase, problemsMid, problems.length);
      }
      findingKeys.length = 0;
      keyed = false;
      visitors.sort((a, b) => a.index - b.index);
    }
    inWorkers = undefined;
    heldSeq.length = 0;
    for (const v of visitors) {
      if (v.visits === 0) continue;
      visited.set(v.active.check.id, (visited.get(v.active.check.id) ?? 0) + v.visits);
      v.visits = 0;
    }
    for (const v of visitors) {
      if (v.failed || !v.visitor.end) continue;
      try {
        v.visitor.end();
      } catch (e) {
        crashed(v.active, e);
      }
    }

    resources.clear();
    sharedObject = undefined;
    locatedObject = undefined;
    // Suppression, then locations; then findings that restate a more specific one are folded into it.
    const suppressor = annotationSuppressor(settings.now, problems, { ...(input.knownCheckIds ? { knownChecks: input.knownCheckIds } : {}), ...(input.config.annotations ? { policy: input.config.annotations } : {}) });
    const baseline = input.baseline ? new Set(input.baseline.entries.map((e) => e.fingerprint)) : undefined;
    raw.forgetTexts();
    // (An Array made by its constructor: the typecheck reads the bundled CLI's JavaScript, where a list pushed into
    // would take the type of the RunFindings pushed — a class with private fields, an error in its declarations.)
    const suppressed = new Array<SuppressedFinding>();
    // The same finding (fingerprint, message, file and line) reported twice is kept once. The findings seen are found
    // by a hash of their fingerprint in an open-addressed table of indexes (no fingerprint string per finding).
    const count = raw.length;
    const hashes = new Int32Array(count);
    let capacity = 16;
    while (capacity < count * 2) capacity *= 2;
    const mask = capacity - 1;
    /** Index + 1 of a finding seen (kept, suppressed or folded later), 0 for an empty slot. */
    const slots = new Int32Array(capacity);
    // Found in a first pass: the second drops findings from the lists in place (no second list of a million).
    const repeated = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const h = (hashes[i] = raw.hash(i));
      let slot = h & mask;
      let duplicate = false;
      let fingerprint: string | undefined;
      for (let at = slots[slot] ?? 0; at !== 0; slot = (slot + 1) & mask, at = slots[slot] ?? 0) {
        if (hashes[at - 1] !== h) continue;
        if (!raw.same(at - 1, i)) continue;
        if (raw.fingerprint(at - 1) !== (fingerprint ??= raw.fingerprint(i))) continue;
        duplicate = true;
        break;
      }
      if (duplicate) repeated[i] = 1;
      else slots[slot] = i + 1;
    }
    let w = 0;
    for (let i = 0; i < count; i++) {
      if (repeated[i] === 1) continue;
      const checkId = raw.checkId(i);
      const object = raw.objects[i];
      const byAnnotation = object ? suppressor.suppresses(object, checkId) : undefined;
      if (byAnnotation !== undefined) {
        suppressed.push({ finding: raw.finding(i), by: 'annotation', reason: byAnnotation.reason, annotation: byAnnotation.annotation });
        continue;
      }
      const exemption = matchExemption(input.config.exemptions, object, checkId);
      if (exemption) {
        suppressed.push({ finding: raw.finding(i), by: 'config', reason: exemption.reason });
        continue;
      }
      // Accepted in the baseline: still folded below with the rest, so that what restates an accepted fact (a Pod
      // Security control, image-no-digest …) is accepted with it rather than surfacing as a "new" finding.
      raw.move(i, w++);
    }
    raw.truncate(w);
    const umbrellaMeta = new Map(input.checks.filter((a) => a.check.meta.umbrella === true).map((a) => [a.check.id, a.check.meta.references.pss ?? []]));
    const restatedBy = new Map(input.checks.filter((a) => (a.check.meta.restatedBy ?? []).length > 0).map((a) => [a.check.id, new Set(a.check.meta.restatedBy)]));
    const sharing = new FoldSharing();
    // Folding Pod Security levels reads which object a finding is on: by number (1 + its place among the objects
    // findings are on, 0 for none), so that the objects can be let go first.
    const objectIds = umbrellaMeta.size > 0 ? numberObjects(raw.objects) : undefined;
    raw.objects.length = 0;
    // Streaming with every object held (a check read every kind): once the checks have judged and suppression has
    // read the objects, what follows reads only the kinds the caller keeps (`stream`: the report sections'). The other
    // objects, the engines built over them and the checks are let go before a large run's findings are made, folded,
    // sorted and made a report (200,000 objects: 330 MB that stayed alive to the end). An engine read later is built
    // over the kinds kept, as when only those were held.
    if (keepAll && !stream.includes('*')) {
      const kinds = new Set(stream);
      inventory = buildInventory(held.filter((o) => kinds.has(o.kind)), inventory.skipped);
      held.length = 0;
      for (const [id, reads] of engineReads) if (!readsCover(stream, reads)) engines.delete(id);
      visitors.length = 0;
    }
    // The folds drop findings from `findings` in place, and so does the baseline below: one list of the run's
    // findings at a time (a large scan has a million), which becomes the report's.
    const findings = raw.findings();
    const folded = new Map<string, number>();
    if (objectIds) foldUmbrellas(findings, objectIds, umbrellaMeta, sharing, folded);
    foldRestated(findings, restatedBy, folded, sharing);
    if (baseline) {
      let w = 0;
      for (const finding of findings) {
        if (baseline.has(finding.fingerprint)) suppressed.push({ finding, by: 'baseline', reason: 'accepted in the baseline' });
        else findings[w++] = finding;
      }
      findings.length = w;
    }
    findings.sort(compareFindings);
    suppressed.sort((a, b) => compareFindings(a.finding, b.finding));
    // Not-evaluated items known only once the input was read (lists of a cluster that failed) come first, after those
    // given when judging started, as when they are given before judging.
    const judged = end.notEvaluated && end.notEvaluated.length > 0 ? [...notEvaluated.slice(0, notEvaluatedBase), ...end.notEvaluated, ...notEvaluated.slice(notEvaluatedBase)] : notEvaluated;
    return { judgement: { findings, suppressed, notEvaluated: judged, problems, folded, visited, sharedNotEvaluated, engine }, inventory, scanned: seq };
  };
  return { add, workerJudging, judgeAsAdded, finish };
}

/**
 * Put two runs of entries back in one order: `[start, mid)` and `[mid, end)` of each list are each in the order of
 * their keys (`keys[i - start]`); merged stably, the first run first on equal keys.
 */
function mergeByKey(lists: readonly Indexed[], keys: readonly number[], start: number, mid: number, end: number): void {
  if (mid === start || mid === end) return;
  const order: number[] = [];
  let a = start;
  let b = mid;
  while (a < mid && b < end) {
    if ((keys[b - start] as number) < (keys[a - start] as number)) order.push(b++);
    else order.push(a++);
  }
  while (a < mid) order.push(a++);
  while (b < end) order.push(b++);
  for (const list of lists) {
    const copy = order.map((i) => list[i]);
    for (let i = 0; i < copy.length; i++) list[start + i] = copy[i];
  }
}

/** Put entries `[start, end)` of each list in the order of their keys (`keys[i - start]`), stably. */
function sortByKey(lists: readonly Indexed[], keys: readonly number[], start: number, end: number): void {
  const order = Array.from({ length: end - start }, (_, i) => i);
  order.sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b);
  if (order.every((o, i) => o === i)) return;
  for (const list of lists) {
    const copy = order.map((i) => list[start + i]);
    for (let i = 0; i < copy.length; i++) list[start + i] = copy[i];
  }
}

const SEP = '\u0000';

function containerKey(f: Finding): string {
  return f.resource?.container ?? '';
}

/**
 * Fold each finding of an umbrella check (a Pod Security level) into the findings of specific checks on the same
 * object that name the same Pod Security control — in the same container when the umbrella finding names one.
 * The specific finding keeps its message and location, takes the more serious severity, lists the umbrella check
 * in `alsoReportedBy` and merges its references. Umbrella findings no specific check restates are kept.
 */
function foldUmbrellas(findings: RunFinding[], objects: Int32Array, umbrellaLevels: ReadonlyMap<string, readonly string[]>, sharing: FoldSharing, folded: Map<string, number>): void {
  const isUmbrella = (f: Finding): boolean => umbrellaLevels.has(f.checkId);
  // The objects (by number, 0 for none) an umbrella finding is on: only their specific findings can take one in.
  const umbrellaObjects = new Set<number>();
  if (umbrellaLevels.size > 0) findings.forEach((f, i) => {
    const object = objects[i];
    if (object && isUmbrella(f)) umbrellaObjects.add(object);
  });
  if (umbrellaObjects.size === 0) return;
  // Specific findings naming a Pod Security control, per object.
  const byObject = new Map<number, number[]>();
  // Findings taking in an umbrella finding are updated in place (no copy per finding); which ones do is read from
  // the findings as reported: the controls of a finding before it took any in.
  const reported = new Map<number, readonly string[] | undefined>();
  const controlsOf = (j: number): readonly string[] | undefined => (reported.has(j) ? reported.get(j) : findings[j]?.references.pss);
  findings.forEach((f, i) => {
    const object = objects[i];
    if (!object || !umbrellaObjects.has(object) || isUmbrella(f)) return;
    const controls = f.references.pss;
    if (!controls || controls.length === 0) return;
    const list = byObject.get(object);
    if (list) list.push(i);
    else byObject.set(object, [i]);
  });
  umbrellaObjects.clear();
  const drop = new Set<number>();
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i] as Finding;
    if (!isUmbrella(finding) || !objects[i]) continue;
    const controls = finding.references.pss ?? [];
    const targets = new Set<number>();
    const container = containerKey(finding);
    for (const j of byObject.get(objects[i] as number) ?? []) {
      const other = findings[j];
      if (!other || !(controlsOf(j) ?? []).some((c) => controls.includes(c))) continue;
      if (container === '' || containerKey(other) === container) targets.add(j);
    }
    if (targets.size === 0) continue;
    drop.add(i);
    folded.set(finding.checkId, (folded.get(finding.checkId) ?? 0) + 1);
    const levels = umbrellaLevels.get(finding.checkId) ?? [];
    for (const j of targets) {
      const t = findings[j] as RunFinding;
      if (!reported.has(j)) reported.set(j, t.references.pss);
      const also = [...new Set([...(t.alsoReportedBy ?? []), finding.checkId])].sort();
      const pss = [...new Set([...(t.references.pss ?? []), ...controls, ...levels])];
      const note = `also denied by Pod Security ${levels.join('/') || finding.checkId} (${controls.join(', ')})`;
      t.severity = worse(t.severity, finding.severity);
      if (!t.message.includes(note)) t.message = `${t.message}; ${note}`;
      t.references = sharing.references(t.references, pss);
      t.alsoReportedBy = sharing.list(also);
    }
  }
  if (drop.size > 0) dropIndexes(findings, drop);
}

/** Each entry's object by number: 1 + the place of its first entry among the distinct objects, 0 for none. */
function numberObjects(objects: readonly (K8sObject | undefined)[]): Int32Array {
  const ids = new Int32Array(objects.length);
  const seen = new Map<K8sObject, number>();
  objects.forEach((o, i) => {
    if (o === undefined) return;
    let id = seen.get(o);
    if (id === undefined) seen.set(o, (id = seen.size + 1));
    ids[i] = id;
  });
  return ids;
}

/** Remove the entries at `drop` from `list`, in place, keeping the order of the others. */
function dropIndexes(list: unknown[], drop: ReadonlySet<number>): void {
  let w = 0;
  for (let i = 0; i < list.length; i++) if (!drop.has(i)) list[w++] = list[i];
  list.length = w;
}

/**
 * What folding gives findings, shared: a large scan folds a Pod Security level into a fifth of its findings, but into
 * a handful of distinct `alsoReportedBy` lists and reference sets — one of each, not one per finding.
 */
class FoldSharing {
  readonly #lists = new Map<string, readonly string[]>();
  readonly #references = new WeakMap<References, Map<string, References>>();

  list(items: readonly string[]): readonly string[] {
    const key = items.join(SEP);
    const hit = this.#lists.get(key);
    if (hit) return hit;
    this.#lists.set(key, items);
    return items;
  }

  /** `{ ...base, pss }`, the same object for the same base and controls. */
  references(base: References, pss: readonly string[]): References {
    let byPss = this.#references.get(base);
    if (!byPss) this.#references.set(base, (byPss = new Map<string, References>()));
    const key = pss.join(SEP);
    let made = byPss.get(key);
    if (!made) byPss.set(key, (made = { ...base, pss: this.list(pss) }));
    return made;
  }
}

/** The parts of a resource's key (kind, namespace, name), and of a source's for a finding without one. */
const resourceParts = (r: ResourceRef): readonly string[] => [r.kind, r.namespace ?? '', r.name];
const sourceParts = (f: Finding): readonly string[] => [f.source?.type ?? '', f.source?.uri ?? ''];

/**
 * The key of a finding's resource (kind, namespace, name; a finding without one: its source), and of its place
 * (the resource and the container): one string per ResourceRef, not per finding — the runner shares one ref among
 * an object's findings. Made for one use (counting, folding), not kept with the report.
 */
class ResourceKeys {
  readonly #resources = new Map<ResourceRef, string>();
  readonly #places = new Map<ResourceRef, string>();

  resource(f: Finding): string {
    const r = f.resource;
    if (!r) return sourceParts(f).join(SEP);
    let k = this.#resources.get(r);
    if (k === undefined) this.#resources.set(r, (k = resourceParts(r).join(SEP)));
    return k;
  }

  place(f: Finding): string {
    const r = f.resource;
    if (!r) return `${this.resource(f)}${SEP}`;
    let k = this.#places.get(r);
    if (k === undefined) this.#places.set(r, (k = `${this.resource(f)}${SEP}${containerKey(f)}`));
    return k;
  }
}

/** Per-check totals and outcome, sorted by id. */
function checkResults(
  checks: readonly ActiveCheck[],
  findings: readonly Finding[],
  suppressed: readonly SuppressedFinding[],
  notEvaluated: readonly NotEvaluated[],
  folded: ReadonlyMap<string, number>,
  visited: ReadonlyMap<string, number>,
  sharedNotEvaluated: ReadonlyMap<string, number>,
): CheckResult[] {
  const acc = new Map<string, { findings: number; suppressed: number; ne: number; manual: number; worst?: CheckResult['worst']; resources: NumberSet }>();
  // Distinct resources by number (core/distinct.ts): a resource's key looked up by its parts once per run of findings
  // on one ResourceRef, not a string added to a set per finding.
  const numbers = new KeyNumbers<ResourceRef>();
  const get = (id: string) => {
    let a = acc.get(id);
    if (!a) acc.set(id, (a = { findings: 0, suppressed: 0, ne: 0, manual: 0, resources: new NumberSet() }));
    return a;
  };
  // Indexed: a loop run once, partly by the interpreter (a for-of loop there makes an iterator result per finding).
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i] as Finding;
    const a = get(f.checkId);
    a.findings++;
    a.worst = a.worst ? worse(a.worst, f.severity) : f.severity;
    a.resources.add(f.resource ? numbers.ofRef(f.resource, resourceParts) : numbers.ofParts(sourceParts(f)));
  }
  for (const s of suppressed) get(s.finding.checkId).suppressed++;
  for (const n of notEvaluated) {
    if (n.checkId === undefined) continue;
    const a = get(n.checkId);
    a.ne++;
    if (n.reason === 'manual') a.manual++;
  }
  for (const [id, count] of sharedNotEvaluated) get(id).ne += count;
  return checks
    .map((active): CheckResult => {
      const id = active.check.id;
      const a = get(id);
      const objects = visited.get(id) ?? 0;
      const outcome: CheckResult['outcome'] =
        a.findings + a.suppressed + (folded.get(id) ?? 0) > 0
          ? 'fail'
          : a.ne > 0
            ? a.manual === a.ne
              ? 'manual'
              : 'not-evaluated'
            : objects === 0
              ? 'not-applicable'
              : 'pass';
      return {
        id,
        outcome,
        severity: active.severity,
        findings: a.findings,
        suppressed: a.suppressed,
        notEvaluated: a.ne,
        ...(a.worst ? { worst: a.worst } : {}),
        resources: a.resources.size,
        objects,
      };
    })
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/**
 * Fold each finding of a check that declares `restatedBy` into the finding of one of those checks on the same
 * object, container and field path: the fact is reported once, by the more specific check, which lists the other in
 * `alsoReportedBy` and takes the more serious severity. Findings without such a twin are kept.
 */
function foldRestated(findings: RunFinding[], restatedBy: ReadonlyMap<string, ReadonlySet<string>>, folded: Map<string, number>, sharing: FoldSharing): void {
  if (restatedBy.size === 0) return;
  // Indexed: the findings of a restating check at a place (resource and container, then field path) a restated finding
  // is — not every finding, and no key string per finding (the keys of a large scan were 55 MiB at their peak).
  const keys = new ResourceKeys();
  const restating = new Set<string>();
  for (const by of restatedBy.values()) for (const id of by) restating.add(id);
  const byPlace = new Map<string, Map<string, number[]>>();
  for (const f of findings) {
    if (!restatedBy.has(f.checkId)) continue;
    const place = keys.place(f);
    let paths = byPlace.get(place);
    if (!paths) byPlace.set(place, (paths = new Map<string, number[]>()));
    paths.set(f.path ?? '', EMPTY);
  }
  const at = (f: Finding): number[] | undefined => byPlace.get(keys.place(f))?.get(f.path ?? '');
  findings.forEach((f, i) => {
    if (!restating.has(f.checkId)) return;
    const list = at(f);
    if (list === undefined) return;
    if (list === EMPTY) byPlace.get(keys.place(f))?.set(f.path ?? '', [i]);
    else list.push(i);
  });
  // Updated in place; what a finding restates is read from it as reported (before it took any finding in).
  const reported = new Map<number, Pick<Finding, 'severity' | 'references' | 'alsoReportedBy'>>();
  const asReported = (i: number, f: Finding): Pick<Finding, 'severity' | 'references' | 'alsoReportedBy'> => reported.get(i) ?? f;
  const drop = new Set<number>();
  findings.forEach((f0, i) => {
    const by = restatedBy.get(f0.checkId);
    if (!by) return;
    const j = (at(f0) ?? EMPTY).find((x) => x !== i && !drop.has(x) && by.has(findings[x]?.checkId ?? ''));
    const t = j !== undefined ? findings[j] : undefined;
    if (j === undefined || !t) return;
    const f = asReported(i, f0);
    drop.add(i);
    folded.set(f0.checkId, (folded.get(f0.checkId) ?? 0) + 1);
    if (!reported.has(j)) reported.set(j, { severity: t.severity, references: t.references, alsoReportedBy: t.alsoReportedBy });
    const pss = [...new Set([...(t.references.pss ?? []), ...(f.references.pss ?? [])])];
    t.severity = worse(t.severity, f.severity);
    t.alsoReportedBy = sharing.list([...new Set([...(t.alsoReportedBy ?? []), f0.checkId, ...(f.alsoReportedBy ?? [])])].sort());
    if (pss.length > 0) t.references = sharing.references(t.references, pss);
  });
  byPlace.clear();
  if (drop.size > 0) dropIndexes(findings, drop);
}

/** A place no restating finding is at (yet): one empty list for all of them. */
const EMPTY: number[] = [];

