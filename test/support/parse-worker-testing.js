// A parse worker for tests of the pool (test/jobs.e2e.test.ts): what the real one does (dist/sources/parse-worker.js; run
// `npm run build` first) behind a random delay per file, judging most files when asked, so workers finish in random orders; a file whose name
// contains `crash-exit` makes it exit, `crash-throw` makes it throw outside any handler (a worker dying on a file).
import { parentPort } from 'node:worker_threads';

const port = parentPort;
const { packFile, packJudged, parseJob } = await import(new URL('../../dist/sources/parse-pool.js', import.meta.url).href);
const { judgeFile } = await import(new URL('../../dist/sources/parse-judge.js', import.meta.url).href);
const { knownNamespaces } = await import(new URL('../../dist/framework/parallel.js', import.meta.url).href);
const known = knownNamespaces();

let chain = Promise.resolve();
port.on('message', (job) => {
  for (const k of job.known ?? []) known.add(k);
  chain = chain.then(async () => {
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 25)));
    if (job.file.includes('crash-exit')) process.exit(7);
    if (job.file.includes('crash-throw')) setTimeout(() => { throw new Error('a worker bug'); }, 0);
    if (job.file.includes('crash-throw')) return;
    const parsed = await parseJob(job);
    const { packed, transfer } = packFile(job.id, parsed);
    // Asked to judge: most files are judged, some (a random choice) are left to the main thread.
    const judged = job.judge && parsed.objects.length > 0 && Math.random() < 0.8 ? { judged: packJudged(judgeFile(job.judge, parsed.objects, known)) } : {};
    port.postMessage({ ...packed, ...judged }, transfer);
  });
});
port.postMessage({ ready: true });
