/**
 * The entry point of a parse worker (parse-pool.ts): it reads and parses the files it is given, one at a time, and
 * sends back each file's objects, positions and problems. The build ships it beside the CLI bundle
 * (scripts/bundle-cli.js → dist/bundle/parse-worker.js).
 */
import { parentPort } from 'node:worker_threads';
import { readManifestFile } from './manifest-file.js';
import { packFile, type PackedFile, type ParseJob } from './parse-pool.js';

const port = parentPort;
if (port) {
  // One file at a time, in the order given (the pool sends the next when this one is back).
  let chain = Promise.resolve();
  port.on('message', (job: ParseJob) => {
    chain = chain.then(async () => {
      let message: { packed: PackedFile; transfer: ArrayBuffer[] };
      try {
        message = packFile(job.id, await readManifestFile(job.abs, job.file, job));
      } catch (e) {
        message = { packed: { id: job.id, read: true, problems: [], skipped: 0, values: [], origins: new Int32Array(0), offsets: [], error: e instanceof Error ? e.message : String(e) }, transfer: [] };
      }
      try {
        port.postMessage(message.packed, message.transfer);
      } catch (e) {
        // A value that cannot be cloned would be a bug of the parser: the file gets one line, the worker goes on.
        port.postMessage({ id: job.id, read: true, problems: [], skipped: 0, values: [], origins: new Int32Array(0), offsets: [], error: e instanceof Error ? e.message : String(e) } satisfies PackedFile);
      }
    });
  });
  port.postMessage({ ready: true });
}
