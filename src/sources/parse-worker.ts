/**
 * The entry point of a parse worker (parse-pool.ts): it reads and parses the files it is given (or parses the parts of
 * a large file's text it is given), one at a time, and sends back each one's objects, positions and problems. Asked
 * to (`judge`), it also runs the run's object-local checks over the objects and sends what they said
 * (src/framework/parallel.ts). It keeps nothing of a file once sent. The build ships it beside the CLI bundle (scripts/bundle-cli.js → dist/bundle/parse-worker.js).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { knownNamespaces } from '../framework/parallel.js';
import { packFile, packJudged, parseJob, type PackedFile, type ParseJob } from './parse-pool.js';

const port = parentPort;
if (port) {
  /** The judging module, loaded with the first file to judge. */
  let judging: Promise<typeof import('./parse-judge.js')> | undefined;
  // One file at a time, in the order given (the pool posts up to a few ahead; they wait here).
  let chain = Promise.resolve();
  /** The Namespaces of the files before, as the main thread sent them with the jobs. */
  const known = knownNamespaces();
  port.on('message', (job: ParseJob) => {
    // Taken with the job (every job after it is judged with them), whatever becomes of the job itself.
    for (const k of job.known ?? []) known.add(k);
    chain = chain.then(async () => {
      let packed: { packed: PackedFile; transfer: ArrayBuffer[] };
      try {
        const parsed = await parseJob(job);
        packed = packFile(job.id, parsed);
        if (job.judge && parsed.objects.length > 0) {
          try {
            const judged = (await (judging ??= import('./parse-judge.js'))).judgeFile(job.judge, parsed.objects, known);
            packed = { packed: { ...packed.packed, judged: packJudged(judged) }, transfer: packed.transfer };
          } catch {
            // The main thread judges the file (a check unknown here, a module that cannot load).
          }
        }
      } catch (e) {
        packed = { packed: { id: job.id, read: true, problems: [], skipped: 0, values: [], origins: new Int32Array(0), offsets: [], error: e instanceof Error ? e.message : String(e) }, transfer: [] };
      }
      try {
        port.postMessage(packed.packed, packed.transfer);
      } catch (e) {
        // A value that cannot be cloned would be a bug of the parser: the file gets one line, the worker goes on.
        port.postMessage({ id: job.id, read: true, problems: [], skipped: 0, values: [], origins: new Int32Array(0), offsets: [], error: e instanceof Error ? e.message : String(e) } satisfies PackedFile);
      }
    });
  });
  // Ready once what it needs is loaded: a file given before would wait for the judging module.
  if ((workerData as { judge?: boolean } | null)?.judge === true) {
    judging = import('./parse-judge.js');
    judging.then(() => { port.postMessage({ ready: true }); }, () => { port.postMessage({ ready: true }); });
  } else port.postMessage({ ready: true });
}
