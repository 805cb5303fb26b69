/**
 * The worker's side of judging in parse workers (src/framework/parallel.ts): find the checks the run names in the
 * registry and record what they say of the objects of the file just parsed.
 */
import { allChecks } from '../checks/index.js';
import type { K8sObject } from '../model/object.js';
import type { AnyCheck } from '../framework/define.js';
import { NotInWorker, readsByName, recordParts, type JudgedFile, type KnownNamespaces, type WorkerJudging } from '../framework/parallel.js';

const byId = new Map<string, AnyCheck>(allChecks.map((c) => [c.id, c]));

/**
 * What the run's worker checks say of a file's objects; `known`: the Namespaces of the files before it known so far;
 * `registry`: the checks by id; `namedOnly`: only the checks that read Namespaces by name judge, the others are left
 * to the caller (`unsplit`).
 */
export function judgeFile(judging: WorkerJudging, objects: readonly K8sObject[], known?: KnownNamespaces, registry: ReadonlyMap<string, AnyCheck> = byId, namedOnly = false): JudgedFile {
  const all = judging.checks.map((spec) => {
    const check = registry.get(spec.id);
    if (!check) throw new NotInWorker(`check ${spec.id} is not known here`);
    return { index: spec.index, check, options: spec.options };
  });
  const checks = namedOnly ? all.filter((c) => readsByName(c.check.meta.reads ?? [])) : all;
  // Nothing to record: the caller judges the file.
  if (checks.length === 0) throw new NotInWorker('no check to judge here');
  const judged = recordParts({ checks, checkCount: judging.checkCount, settings: judging.settings, objects, ...(known ? { known } : {}) });
  if (!namedOnly) return judged;
  return { ...judged, unsplit: [...judged.unsplit, ...all.filter((c) => !checks.includes(c)).map((c) => c.index)].sort((a, b) => a - b) };
}
