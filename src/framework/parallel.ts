/**
 * Judging in the parse workers (`--jobs N`): the part of a streaming run that can be split by object.
 *
 * A parse worker keeps the objects of the files it parsed (their values are also sent to the main thread, which needs
 * every object: checks that read every kind, suppression, locations, the report). When the streaming run finishes
 * (runner.ts), the main thread asks each worker to run the *splittable* checks over the objects it holds, while the
 * main thread runs the others over every object. A check is splittable when what it says of an object depends only
 * on that object and on the kinds it declares in `reads` (not `'*'`): it visits objects (`kinds`), has no `end`,
 * and is the registry's own check (a worker finds it by id). The worker gets the objects of those kinds (its own, and
 * the values of the others, in input order) as its inventory; it sends back what each check said of each object — a
 * finding with its message formatted and its location found, a not-evaluated item, a crash — with the key of its
 * place in one pass over every object ((object + 1) × slots + visitor place, as runner.ts keys streaming). The main
 * thread replays these through the same code that takes what a check says in one thread (resources, shared strings
 * and locations, shared not-evaluated items), in input order, file by file, and merges them by key with what the main
 * thread's checks said: the Judgement, hence the Report, is the one a single thread makes.
 *
 * Whatever a worker cannot do exactly as the main thread would makes the main thread do it, with the same checks:
 * slower, never different. A worker that died or a request that cannot be cloned: the main thread judges that
 * worker's files. A check that reads what it did not declare or the origin of an object the worker did not parse
 * (the audit policy checks' engine locates every policy file): the main thread runs that check over those files.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import type { FileLocation } from '../core/finding.js';
import { buildInventory, inventoryView, readsCover } from '../model/inventory.js';
import { toK8sObject, type K8sObject, type Origin } from '../model/object.js';
import { formatMessage, type AnyCheck, type CheckContext, type CheckVisitor, type EngineFactory, type NotEvaluatedDescriptor, type ReportDescriptor, type RunSettings } from './define.js';

/** One splittable check as a worker creates it. */
export interface PartCheck {
  /** Its place among the run's checks (the key of a visit). */
  readonly index: number;
  readonly id: string;
  readonly options: unknown;
}

/** What the main thread asks of a worker when the run finishes. */
export interface JudgeRequest {
  readonly checks: readonly PartCheck[];
  /** How many checks the run has (a visit's place: its index, plus this for a check of every kind). */
  readonly checkCount: number;
  readonly settings: RunSettings;
  /**
   * The worker's files to judge (job ids of the parse pool), in input order, with the input place of their first
   * object, and the objects of each to judge (`[from, to)`: the main thread may judge the rest itself).
   */
  readonly files: readonly { readonly job: number; readonly base: number; readonly from: number; readonly to: number }[];
  /**
   * The objects of the kinds the checks read, in input order: the worker's own (by input place) or another's value.
   */
  readonly inventory: readonly { readonly seq: number; readonly value?: unknown }[];
  readonly skipped: number;
}

/** What a check said of an object, in one pass's order. `k`: the key of its place; `c`: the check's index. */
export type PartRecord =
  | {
      readonly t: 'f';
      readonly k: number;
      readonly c: number;
      /** Input places of the finding's object and subject. */
      readonly o?: number;
      readonly s?: number;
      readonly m: string;
      /** The location the object's field gives (absent: the main thread locates it). */
      readonly l?: FileLocation;
      /** What the check gave (recorded in this thread: as it gave it, with its objects; from a worker: without them). */
      readonly d: FindingFields;
    }
  | { readonly t: 'n'; readonly k: number; readonly c: number; readonly o?: number; readonly d: NotEvaluatedDescriptor }
  | { readonly t: 'x'; readonly k: number; readonly c: number; readonly o?: number; readonly message: string };

/** What a check gives of a finding besides its message. */
export type FindingFields = Omit<ReportDescriptor<string>, 'messageId' | 'data'>;

/** What the checks said of one file's objects, and how many objects (or items) each judged: [check index, count]. */
export interface JudgedFile {
  readonly job: number;
  readonly records: readonly PartRecord[];
  readonly visited: readonly (readonly [number, number])[];
}

/** A worker's answer: per file, what the checks said. */
export type JudgedParts =
  | { readonly ok: true; readonly files: readonly JudgedFile[]; readonly unsplit: readonly number[] }
  | { readonly ok: false; readonly why: string };

/** A worker holding parsed files that can judge them. */
export interface PartHolder {
  /** Keep the worker (and the files it holds) until `release`, even when its pool is closed. */
  hold(): void;
  release(): void;
  /** Ask for a judgement; `wait` blocks until it is back (undefined: the worker cannot give it). */
  judge(request: JudgeRequest): { wait(): JudgedParts | undefined };
}

/** The objects of a file a worker parsed and holds (the array handed over by the loader). */
export interface HeldPart {
  readonly holder: PartHolder;
  readonly job: number;
}

/** Arrays of objects handed over by the loader that a worker holds too. */
export const heldParts = new WeakMap<readonly K8sObject[], HeldPart>();

/** What a run needs to split its checks: the registry the workers find checks in. */
export interface ParallelJudging {
  readonly registry: ReadonlySet<AnyCheck>;
}

/** Thrown in a worker when a check does what only the main thread can do exactly: the part is judged there. */
export class NotInWorker extends Error {}

/**
 * Post a request to a worker and wait for the answer synchronously (the run's `finish` is synchronous): the answer
 * comes on a port of its own, the worker wakes this thread through a shared flag. A worker that stops is seen by its
 * thread id (-1 once it no longer runs).
 */
export function judgeOn(worker: Worker, message: (port: MessagePort, flag: Int32Array) => unknown, transfer: (port: MessagePort) => MessagePort[]): { wait(): JudgedParts | undefined } {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  let posted = true;
  try {
    worker.postMessage(message(port2, flag), transfer(port2));
  } catch {
    posted = false;
  }
  return {
    wait(): JudgedParts | undefined {
      try {
        if (!posted) return undefined;
        for (;;) {
          const got = receiveMessageOnPort(port1);
          if (got) return got.message as JudgedParts;
          if (worker.threadId === -1) return undefined;
          Atomics.wait(flag, 0, 0, 50);
        }
      } finally {
        port1.close();
      }
    },
  };
}

/** The origin of an object another thread parsed: the worker cannot locate it, and says so if a check asks. */
const FOREIGN: Origin = {
  get source(): never {
    throw new NotInWorker('a check read the origin of an object parsed by another thread');
  },
  get location(): never {
    throw new NotInWorker('a check located an object parsed by another thread');
  },
  locate(): never {
    throw new NotInWorker('a check located an object parsed by another thread');
  },
};

/** The value of an object another thread parsed, at its input place. */
export interface ForeignValue {
  readonly foreign: true;
  readonly seq: number;
  readonly value: unknown;
}

/** What `recordParts` judges: the checks, the files to visit, the inventory (an object, or another's value). */
export interface PartWork {
  readonly checks: readonly { readonly index: number; readonly check: AnyCheck; readonly options: unknown }[];
  readonly checkCount: number;
  readonly settings: RunSettings;
  readonly files: readonly { readonly job: number; readonly base: number; readonly objects: readonly K8sObject[] }[];
  /** Objects parsed in this thread, or the values of others'. */
  readonly inventory: readonly ({ readonly seq: number; readonly object: K8sObject } | ForeignValue)[];
  readonly skipped: number;
  /**
   * The records stay in this thread: they keep what the checks gave as given (objects included). Otherwise they are
   * sent to another thread: objects are named by their input places.
   */
  readonly local?: boolean;
}

/** Keys of a report descriptor a record sent to another thread leaves out (objects by place, the message made). */
const NOT_SENT = new Set(['object', 'subject', 'messageId', 'data']);

/**
 * Create the checks over the inventory and visit the files' objects in input order as the runner does, recording what
 * the checks say (in a parse worker, or in the main thread for the files it parsed). A check that does what would not
 * be recorded exactly (NotInWorker: an undeclared read, the origin of an object parsed elsewhere) is `unsplit`: what it
 * said is dropped, and the main thread visits these files with it.
 */
export function recordParts(work: PartWork): { readonly files: JudgedFile[]; readonly unsplit: readonly number[] } {
  const seqOf = new Map<K8sObject, number>();
  for (const { base, objects } of work.files) objects.forEach((o, i) => seqOf.set(o, base + i));
  const ownObjects = new Set(seqOf.keys());
  const inventoryObjects = work.inventory.map((entry) => {
    if (!('foreign' in entry)) {
      seqOf.set(entry.object, entry.seq);
      ownObjects.add(entry.object);
      return entry.object;
    }
    const made = toK8sObject(entry.value, FOREIGN);
    if (!made) throw new NotInWorker('an inventory value is not an object');
    seqOf.set(made, entry.seq);
    return made;
  });
  const inventory = buildInventory(inventoryObjects, work.skipped);
  const denied = (what: string): never => {
    throw new NotInWorker(`a check read ${what}, which it did not declare`);
  };
  const engines = new Map<string, unknown>();
  const engine = <T>(factory: EngineFactory<T>): T => {
    if (engines.has(factory.id)) return engines.get(factory.id) as T;
    const built = factory.build(inventoryView(inventory, factory.reads ?? ['*'], denied), work.settings);
    engines.set(factory.id, built);
    return built;
  };
  const refOf = (obj: K8sObject | undefined): number | undefined => {
    if (obj === undefined) return undefined;
    const seq = seqOf.get(obj);
    if (seq === undefined) throw new NotInWorker('a check said something of an object not in its inventory');
    return seq;
  };

  let records: PartRecord[] = [];
  let counts = new Map<number, number>();
  let visiting = false;
  let key = 0;
  const visitors: { index: number; check: AnyCheck; visitor: CheckVisitor; failed: boolean }[] = [];
  /** Checks that did what cannot be done here: what they said is dropped, the main thread runs them over these files. */
  const unsplit = new Set<number>();
  for (const spec of work.checks) {
    const check = spec.check;
    const reads = check.meta.reads ?? [];
    const view = inventoryView(inventory, reads, denied);
    const index = spec.index;
    const ctx: CheckContext<string> = {
      inventory: view,
      settings: work.settings,
      engine: (factory) => (readsCover(reads, factory.reads ?? ['*']) ? engine(factory) : denied(`engine ${factory.id}`)),
      report(d) {
        if (!visiting) return;
        const object = d.object;
        // The field's location as the runner finds it, for an object parsed here.
        let located: FileLocation | undefined;
        if (!d.location && object && ownObjects.has(object)) located = (d.path !== undefined ? object.origin.locate(d.path) : undefined) ?? object.origin.location;
        const m = formatMessage(check.meta.messages[d.messageId] as string, d.data);
        if (work.local === true) {
          records.push(located ? { t: 'f', k: key, c: index, m, l: located, d } : { t: 'f', k: key, c: index, m, d });
          return;
        }
        const o = refOf(object);
        const s = refOf(d.subject);
        const rest: Record<string, unknown> = {};
        for (const k in d) if (!NOT_SENT.has(k) && (d as unknown as Record<string, unknown>)[k] !== undefined) rest[k] = (d as unknown as Record<string, unknown>)[k];
        records.push({ t: 'f', k: key, c: index, ...(o !== undefined ? { o } : {}), ...(s !== undefined ? { s } : {}), m, ...(located ? { l: located } : {}), d: rest });
      },
      judged(count = 1) {
        if (visiting) counts.set(index, (counts.get(index) ?? 0) + count);
      },
      notEvaluated(d) {
        if (!visiting) return;
        if (work.local === true) {
          records.push({ t: 'n', k: key, c: index, d });
          return;
        }
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
  // The runner's dispatch: the visitors of the object's kind, then those of every kind, each in check order.
  const wildcard = visitors.filter((v) => v.check.meta.kinds.includes('*'));
  const byKind = new Map<string, typeof visitors>();
  for (const v of visitors)
    for (const k of v.check.meta.kinds) {
      if (k === '*') continue;
      let l = byKind.get(k);
      if (!l) byKind.set(k, (l = []));
      l.push(v);
    }
  for (const l of byKind.values()) l.push(...wildcard);
  const slots = work.checkCount * 2 + 1;
  const out: { job: number; records: PartRecord[]; visited: (readonly [number, number])[] }[] = [];
  visiting = true;
  for (const file of work.files) {
    records = [];
    counts = new Map();
    file.objects.forEach((obj, i) => {
      const seq = file.base + i;
      for (const v of byKind.get(obj.kind) ?? wildcard) {
        if (v.failed) continue;
        key = (seq + 1) * slots + (v.check.meta.kinds.includes(obj.kind) ? 0 : work.checkCount) + v.index;
        counts.set(v.index, (counts.get(v.index) ?? 0) + 1);
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
    out.push({ job: file.job, records, visited: [...counts] as (readonly [number, number])[] });
  }
  if (unsplit.size === 0) return { files: out, unsplit: [] };
  return {
    files: out.map((f) => ({ job: f.job, records: f.records.filter((r) => !unsplit.has(r.c)), visited: f.visited.filter(([c]) => !unsplit.has(c)) })),
    unsplit: [...unsplit].sort((a, b) => a - b),
  };
}
