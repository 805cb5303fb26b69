/**
 * Judging in the parse workers (`--jobs N`): the object-local checks judge a file's objects in the worker that parsed
 * them, as soon as they are parsed.
 *
 * A streaming run in which some check reads every kind judges everything when the input is read (runner.ts): on the
 * main thread nothing would overlap with the workers' parsing. When the loader starts parse workers it asks the run
 * which checks a worker can run (`workerJudging`): the registry's checks that read nothing (no `meta.reads`), visit
 * objects of their kinds and have no `end` — what such a check says of an object depends on that object alone. The
 * worker parses a file, runs these checks over its objects (`recordParts`) and sends, with the objects, what each
 * check said of each one — a finding with its message formatted and its location found, a not-evaluated item, a
 * crash — keyed by its place in one pass over every object ((object + 1) × slots + visitor place, as runner.ts keys
 * streaming; object numbers are the file's, the main thread adds the file's place). The worker keeps nothing. The main
 * thread replays the records through the same code that takes what a check says in one thread (resources, shared
 * strings and locations, shared not-evaluated items) while the next file is parsed, and at finish runs only the
 * other checks, then puts every entry in one pass's order by key: the Judgement, hence the Report, is the one a single
 * thread makes.
 *
 * Whatever a worker cannot do exactly as the main thread would makes the main thread do it, with the same checks:
 * slower, never different. A file a worker did not judge (parsed here, or its worker failed) is visited here; a check
 * that did what a worker cannot record (NotInWorker: an undeclared read) is visited here over that file.
 */
import type { FileLocation } from '../core/finding.js';
import { buildInventory, inventoryView, readsCover, type Inventory } from '../model/inventory.js';
import { toK8sObject, type K8sObject, type Origin } from '../model/object.js';
import { formatMessage, type AnyCheck, type CheckContext, type CheckVisitor, type EngineFactory, type NotEvaluatedDescriptor, type ReportDescriptor, type RunSettings } from './define.js';

/** One check a worker runs, as it creates it. */
export interface PartCheck {
  /** Its place among the run's checks (the key of a visit). */
  readonly index: number;
  readonly id: string;
  readonly options: unknown;
}

/** What a run asks the parse workers to judge: the checks, and what keys their records. */
export interface WorkerJudging {
  readonly checks: readonly PartCheck[];
  /** How many checks the run has (a visit's place: its index, plus this for a check of every kind). */
  readonly checkCount: number;
  readonly settings: RunSettings;
}

/**
 * A Namespace the main thread has been given (kind Namespace, apiVersion v1: the inventory's `namespaces`): its place in
 * one pass (`seq`) and its value. Sent to the workers as they come (parse-pool.ts) so that a check reading Namespaces
 * by name is answered in a worker as the inventory will answer it.
 */
export interface KnownObject {
  readonly seq: number;
  readonly value: unknown;
}

/** The Namespaces a run has been given so far, in input order (appended to), for its WorkerJudging. */
export const knownObjects = new WeakMap<WorkerJudging, () => readonly KnownObject[]>();

/** A named lookup's answer: the object and its reference (`JudgedFile.lookups`). */
export interface Answer {
  readonly object: K8sObject;
  readonly ref: number;
}

/**
 * The Namespaces known in a worker, by name (the last of a name wins, as in the inventory). Their objects are made from
 * the values sent; their origin is not the file's: a check that reads it cannot be recorded (NotInWorker).
 */
export interface KnownNamespaces {
  /** Take the objects of `list` not taken yet (`list` is appended to, never changed). */
  update(list: readonly KnownObject[]): void;
  add(known: KnownObject): void;
  get(name: string): Answer | undefined;
}

export function knownNamespaces(): KnownNamespaces {
  const byName = new Map<string, Answer>();
  let count = 0;
  const add = (known: KnownObject): void => {
    const object = toK8sObject(known.value, ELSEWHERE);
    if (object && isInventoryNamespace(object)) byName.set(object.metadata.name, { object, ref: known.seq });
  };
  return {
    update(list) {
      for (; count < list.length; count++) add(list[count] as KnownObject);
    },
    add,
    get: (name) => byName.get(name),
  };
}

/** Whether the inventory takes the object as a Namespace (buildInventory's `namespaces`). */
export function isInventoryNamespace(o: K8sObject): boolean {
  return o.kind === 'Namespace' && o.apiVersion === 'v1';
}

const elsewhere = (): never => {
  throw new NotInWorker('a check read where a Namespace of another file is');
};
/** The origin of a Namespace known from another file: reading it is not recorded. */
const ELSEWHERE: Origin = {
  get source(): never {
    return elsewhere();
  },
  get location(): never {
    return elsewhere();
  },
  get docIndex(): never {
    return elsewhere();
  },
  get listIndex(): never {
    return elsewhere();
  },
  locate: elsewhere,
};

/** What a check said of an object, in one pass's order. `k`: the key of its place; `c`: the check's index. */
export type PartRecord =
  | {
      readonly t: 'f';
      readonly k: number;
      readonly c: number;
      /** Places of the finding's object and subject in the file. */
      readonly o?: number;
      readonly s?: number;
      readonly m: string;
      /** The location the object's field gives. */
      readonly l?: FileLocation;
      /** What the check gave, without its objects. */
      readonly d: FindingFields;
    }
  | { readonly t: 'n'; readonly k: number; readonly c: number; readonly o?: number; readonly d: NotEvaluatedDescriptor }
  | { readonly t: 'x'; readonly k: number; readonly c: number; readonly o?: number; readonly message: string };

/** What a check gives of a finding besides its message. */
export type FindingFields = Omit<ReportDescriptor<string>, 'messageId' | 'data'>;

/** What the checks said of one file's objects. */
export interface JudgedFile {
  readonly records: readonly PartRecord[];
  /** How many objects (or items) each check judged: [check index, count]. */
  readonly visited: readonly (readonly [number, number])[];
  /** Checks that did what cannot be recorded in a worker: what they said is left out, the main thread visits the file. */
  readonly unsplit: readonly number[];
  /**
   * The Namespaces the checks that read them looked up by name, and the answer each got: [name, ref], ref the place
   * in one pass of the Namespace answered (`KnownObject.seq`), -1 for none, or -2 - i for the file's object i. What
   * they said holds if the run's inventory gives the same answers (runner.ts checks it at finish).
   */
  readonly lookups?: readonly (readonly [string, number])[];
}

/** Arrays of objects handed over by the loader that a worker judged: what the checks said of them. */
export const judgedFiles = new WeakMap<readonly K8sObject[], JudgedFile>();

/** What a run needs to judge in workers: the registry the workers find checks in. */
export interface ParallelJudging {
  readonly registry: ReadonlySet<AnyCheck>;
}

/** Thrown in a worker when a check does what only the main thread can do exactly: the file is judged there. */
export class NotInWorker extends Error {}

/** What `recordParts` judges. */
export interface PartWork {
  readonly checks: readonly { readonly index: number; readonly check: AnyCheck; readonly options: unknown }[];
  readonly checkCount: number;
  readonly settings: RunSettings;
  /** One file's objects, in input order. */
  readonly objects: readonly K8sObject[];
  /**
   * How a check that reads Namespaces (its only read: `reads: ['Namespace']`) is answered a name: the file's own
   * Namespaces first (the last of a name), then these. Absent: the file's only.
   */
  readonly known?: { get(name: string): Answer | undefined; readonly complete?: boolean };
}


const EMPTY = buildInventory([]);

/**
 * Create the checks (they read nothing) and visit the file's objects in order as the runner does, recording what the
 * checks say, with objects named by their places in the file. A check that does what would not be recorded exactly
 * (NotInWorker: an undeclared read, something of an object of no place) is `unsplit`: what it said is left out.
 */
export function recordParts(work: PartWork): JudgedFile {
  const seqOf = new Map<K8sObject, number>();
  work.objects.forEach((o, i) => seqOf.set(o, i));
  const denied = (what: string): never => {
    throw new NotInWorker(`a check read ${what}, which it did not declare`);
  };
  // Named lookups of Namespaces: answered from the file (the last of a name), then from what is known; each recorded.
  let local: Map<string, number> | undefined;
  const lookups = new Map<string, number>();
  const lookup = (name: string): K8sObject | undefined => {
    // The inventory's answers (`complete`): the file's own Namespaces are among them, perhaps not last of their name.
    if (work.known?.complete === true) return work.known.get(name)?.object;
    if (local === undefined) {
      local = new Map();
      work.objects.forEach((o, i) => {
        if (isInventoryNamespace(o)) local?.set(o.metadata.name, i);
      });
    }
    const i = local.get(name);
    if (i !== undefined) {
      lookups.set(name, -2 - i);
      return work.objects[i];
    }
    const known = work.known?.get(name);
    lookups.set(name, known ? known.ref : -1);
    return known?.object;
  };
  const named = namedView(lookup, denied);
  const viewFor = (reads: readonly string[]): Inventory => (readsByName(reads) ? named : inventoryView(EMPTY, reads, denied));
  const engines = new Map<string, unknown>();
  const engine = <T>(factory: EngineFactory<T>): T => {
    if (engines.has(factory.id)) return engines.get(factory.id) as T;
    const built = factory.build(viewFor(factory.reads ?? ['*']), work.settings);
    engines.set(factory.id, built);
    return built;
  };
  const refOf = (obj: K8sObject | undefined): number | undefined => {
    if (obj === undefined) return undefined;
    const seq = seqOf.get(obj);
    if (seq === undefined) throw new NotInWorker('a check said something of an object not in its file');
    return seq;
  };

  const records: PartRecord[] = [];
  /** Visits (and what checks counted) by check index. */
  const counts: number[] = [];
  let visiting = false;
  let key = 0;
  // The object visited and its place (most findings are on it: no map lookup).
  let current: K8sObject | undefined;
  let currentSeq = 0;
  const visitors: { index: number; check: AnyCheck; visitor: CheckVisitor; failed: boolean }[] = [];
  const unsplit = new Set<number>();
  for (const spec of work.checks) {
    const check = spec.check;
    const reads = check.meta.reads ?? [];
    const view = viewFor(reads);
    const byName = readsByName(reads);
    const index = spec.index;
    const ctx: CheckContext<string> = {
      inventory: view,
      settings: work.settings,
      engine: (factory) => (readsCover(reads, factory.reads ?? ['*']) ? engine(factory) : denied(`engine ${factory.id}`)),
      report(d) {
        if (!visiting) throw new NotInWorker('a check reported while it was created');
        const object = d.object;
        // The field's location as the runner finds it.
        const o = object === undefined ? undefined : object === current ? currentSeq : refOf(object);
        const located = !d.location && object && o !== undefined ? ((d.path !== undefined ? object.origin.locate(d.path) : undefined) ?? object.origin.location) : undefined;
        const m = formatMessage(check.meta.messages[d.messageId] as string, d.data);
        const s = refOf(d.subject);
        const record: { t: 'f'; k: number; c: number; o?: number; s?: number; m: string; l?: FileLocation; d: FindingFields } = { t: 'f', k: key, c: index, m, d: findingFields(d) };
        if (o !== undefined) record.o = o;
        if (s !== undefined) record.s = s;
        if (located) record.l = located;
        records.push(record);
      },
      judged(count = 1) {
        if (!visiting) throw new NotInWorker('a check counted while it was created');
        counts[index] = (counts[index] ?? 0) + count;
      },
      notEvaluated(d) {
        if (!visiting) throw new NotInWorker('a check said something while it was created');
        // (A shared item of a check that reads Namespaces could not be taken back were a lookup's answer wrong.)
        if (byName && d.shared === true) throw new NotInWorker('a check that reads Namespaces said a shared item');
        const o = refOf(d.object);
        records.push({
          t: 'n',
          k: key,
          c: index,
          ...(o !== undefined ? { o } : {}),
          d: { reason: d.reason, message: d.message, ...(d.resource !== undefined ? { resource: d.resource } : {}), ...(d.source !== undefined ? { source: d.source } : {}), ...(d.shared !== undefined ? { shared: d.shared } : {}) },
        });
      },
    };
    let created: ReturnType<AnyCheck['create']>;
    try {
      created = check.create(ctx, spec.options);
    } catch {
      // It was created in the main thread: here it did what cannot be done here (or failed differently).
      unsplit.add(index);
      continue;
    }
    const visitor = typeof created === 'function' ? { object: created } : created;
    if (!visitor.object || visitor.end) unsplit.add(index);
    else visitors.push({ index, check, visitor, failed: false });
  }
  // The runner's dispatch: the visitors of the object's kind, then those of every kind, each in check order; with
  // each, its place among an object's visits (its index, plus the check count when it visits every kind).
  type Placed = { readonly v: (typeof visitors)[number]; readonly place: number };
  const placed = (v: (typeof visitors)[number], kind: string | undefined): Placed => ({ v, place: (kind !== undefined && v.check.meta.kinds.includes(kind) ? 0 : work.checkCount) + v.index });
  const wildcardOf = visitors.filter((v) => v.check.meta.kinds.includes('*'));
  const wildcard = wildcardOf.map((v) => placed(v, undefined));
  const byKind = new Map<string, Placed[]>();
  for (const v of visitors)
    for (const k of v.check.meta.kinds) {
      if (k === '*') continue;
      let l = byKind.get(k);
      if (!l) byKind.set(k, (l = []));
      l.push(placed(v, k));
    }
  for (const [k, l] of byKind) for (const v of wildcardOf) l.push(placed(v, k));
  const slots = work.checkCount * 2 + 1;
  visiting = true;
  work.objects.forEach((obj, seq) => {
    current = obj;
    currentSeq = seq;
    for (const { v, place } of byKind.get(obj.kind) ?? wildcard) {
      if (v.failed) continue;
      key = (seq + 1) * slots + place;
      counts[v.index] = (counts[v.index] ?? 0) + 1;
      try {
        v.visitor.object?.(obj);
      } catch (e) {
        v.failed = true;
        if (e instanceof NotInWorker) {
          unsplit.add(v.index);
          continue;
        }
        records.push({ t: 'x', k: key, c: v.index, o: seq, message: e instanceof Error ? e.message : String(e) });
      }
    }
  });
  current = undefined;
  const looked = lookups.size > 0 ? { lookups: [...lookups] } : {};
  const visited = counts.flatMap((n, c): [number, number][] => (unsplit.has(c) ? [] : [[c, n]]));
  if (unsplit.size === 0) return { records, visited, unsplit: [], ...looked };
  return { records: records.filter((r) => !unsplit.has(r.c)), visited, unsplit: [...unsplit].sort((a, b) => a - b), ...looked };
}

/** What a finding gives besides its message and objects, as the runner reads it (emit). */
function findingFields(d: ReportDescriptor<string>): FindingFields {
  const f: { -readonly [K in keyof FindingFields]: FindingFields[K] } = {};
  if (d.path !== undefined) f.path = d.path;
  if (d.key !== undefined) f.key = d.key;
  if (d.container !== undefined) f.container = d.container;
  if (d.severity !== undefined) f.severity = d.severity;
  if (d.evidence !== undefined) f.evidence = d.evidence;
  if (d.references !== undefined) f.references = d.references;
  if (d.resource !== undefined) f.resource = d.resource;
  if (d.source !== undefined) f.source = d.source;
  if (d.location !== undefined) f.location = d.location;
  return f;
}

/** Whether a check (or engine) that declares `reads` reads Namespaces only, which a worker answers by name. */
export function readsByName(reads: readonly string[]): boolean {
  return reads.length > 0 && reads.every((k) => k === 'Namespace');
}

/**
 * The inventory as a worker shows a reader of Namespaces: `namespaces.get` / `has` answered by `lookup` (which records
 * the answer); anything else of it cannot be recorded (NotInWorker), and other kinds are not declared (`denied`).
 */
function namedView(lookup: (name: string) => K8sObject | undefined, denied: (what: string) => never): Inventory {
  const unrecorded = (): never => {
    throw new NotInWorker('a check read the Namespaces other than by name');
  };
  const namespaces = {
    get: (name: string) => lookup(name),
    has: (name: string) => lookup(name) !== undefined,
    get size(): never {
      return unrecorded();
    },
    forEach: unrecorded,
    keys: unrecorded,
    values: unrecorded,
    entries: unrecorded,
    [Symbol.iterator]: unrecorded,
  } as unknown as ReadonlyMap<string, K8sObject>;
  return {
    get objects() {
      return denied('every object');
    },
    ofKind: (k) => (k === 'Namespace' ? unrecorded() : denied(`objects of kind ${k}`)),
    ofKinds: (kinds) => (kinds.every((k) => k === 'Namespace') ? unrecorded() : denied(`objects of kinds ${kinds.join(', ')}`)),
    namespaces,
    get namespaceNames() {
      return denied('the namespace names of every object');
    },
    get skipped() {
      return unrecorded();
    },
  };
}
