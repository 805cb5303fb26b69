/**
 * The worker's side of judging in parse workers (src/framework/parallel.ts): find the checks the main thread names in the registry
 * and record what they say of the files this worker kept.
 */
import { allChecks } from '../checks/index.js';
import type { K8sObject } from '../model/object.js';
import type { AnyCheck } from '../framework/define.js';
import { NotInWorker, recordParts, type JudgedParts, type JudgeRequest } from '../framework/parallel.js';

const byId = new Map<string, AnyCheck>(allChecks.map((c) => [c.id, c]));

/** Judge the worker's files (`own`: their objects by job id, as parsed here); `registry`: the checks by id. */
export function judgeParts(request: JudgeRequest, own: ReadonlyMap<number, readonly K8sObject[]>, registry: ReadonlyMap<string, AnyCheck> = byId): JudgedParts {
  try {
    const checks = request.checks.map((spec) => {
      const check = registry.get(spec.id);
      if (!check) throw new NotInWorker(`check ${spec.id} is not known here`);
      return { index: spec.index, check, options: spec.options };
    });
    const bySeq = new Map<number, K8sObject>();
    const files = request.files.map(({ job, base, from, to }) => {
      const objects = own.get(job);
      if (!objects) throw new NotInWorker(`file ${job} is not held`);
      objects.forEach((o, i) => bySeq.set(base + i, o));
      return { job, base: base + from, objects: objects.slice(from, to) };
    });
    const inventory = request.inventory.map(({ seq, value }) => {
      const object = bySeq.get(seq);
      return object ? { seq, object } : { foreign: true as const, seq, value };
    });
    return { ok: true, ...recordParts({ checks, checkCount: request.checkCount, settings: request.settings, files, inventory, skipped: request.skipped }) };
  } catch (e) {
    return { ok: false, why: e instanceof Error ? e.message : String(e) };
  }
}
