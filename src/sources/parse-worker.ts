/**
 * The entry point of a parse worker (parse-pool.ts): it reads and parses the files it is given, one at a time, and
 * sends back each file's objects, positions and problems. Asked to (`retain`), it keeps the objects it parsed, so that
 * the run's splittable checks judge them here when the run finishes (src/framework/parallel.ts). The build ships it
 * beside the CLI bundle (scripts/bundle-cli.js → dist/bundle/parse-worker.js).
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import type { JudgedParts, JudgeRequest } from '../framework/parallel.js';
import type { K8sObject } from '../model/object.js';
import { readManifestFile } from './manifest-file.js';
import { packFile, type PackedFile, type ParseJob } from './parse-pool.js';

/** A request to judge the files kept (parallel.ts), with the port and flag of the answer. */
interface JudgeMessage {
  readonly judge: JudgeRequest;
  readonly port: MessagePort;
  readonly flag: Int32Array;
}

const port = parentPort;
if (port) {
  /** The objects of the files kept, by job id. */
  const kept = new Map<number, readonly K8sObject[]>();
  /** The judging module, loaded when the first file to keep comes (while files are parsed, not when judging starts). */
  let judging: Promise<typeof import('./parse-judge.js')> | undefined;
  // One message at a time, in the order given (the pool sends the next file when this one is back).
  let chain = Promise.resolve();
  port.on('message', (message: ParseJob | JudgeMessage) => {
    chain = chain.then(async () => {
      if ('judge' in message) {
        let answer: JudgedParts;
        try {
          answer = (await (judging ??= import('./parse-judge.js'))).judgeParts(message.judge, kept);
        } catch (e) {
          answer = { ok: false, why: e instanceof Error ? e.message : String(e) };
        }
        kept.clear();
        try {
          message.port.postMessage(answer);
        } catch (e) {
          message.port.postMessage({ ok: false, why: e instanceof Error ? e.message : String(e) } satisfies JudgedParts);
        }
        message.port.close();
        Atomics.store(message.flag, 0, 1);
        Atomics.notify(message.flag, 0);
        return;
      }
      const job = message;
      let packed: { packed: PackedFile; transfer: ArrayBuffer[] };
      try {
        const parsed = await readManifestFile(job.abs, job.file, job);
        packed = packFile(job.id, parsed);
        if (job.retain === true) {
          kept.set(job.id, parsed.objects);
          judging ??= import('./parse-judge.js');
          judging.catch(() => undefined);
        }
      } catch (e) {
        kept.delete(job.id);
        packed = { packed: { id: job.id, read: true, problems: [], skipped: 0, values: [], origins: new Int32Array(0), offsets: [], error: e instanceof Error ? e.message : String(e) }, transfer: [] };
      }
      try {
        // The buffers of positions are copied, not moved, when the objects are kept: their origins still read them.
        port.postMessage(packed.packed, job.retain === true ? [] : packed.transfer);
      } catch (e) {
        // A value that cannot be cloned would be a bug of the parser: the file gets one line, the worker goes on.
        kept.delete(job.id);
        port.postMessage({ id: job.id, read: true, problems: [], skipped: 0, values: [], origins: new Int32Array(0), offsets: [], error: e instanceof Error ? e.message : String(e) } satisfies PackedFile);
      }
    });
  });
  port.postMessage({ ready: true });
}
