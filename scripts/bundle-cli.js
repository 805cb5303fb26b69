// The CLI as one bundle: esbuild joins the compiled modules of dist/cli/main.js and dist/cli/io.js (and everything
// they import) into dist/bundle/, with code loaded on demand (each command, the X.509 and sigstore libraries) split
// into chunks. Node then reads and compiles a few files instead of hundreds: `kspect` starts in about half the CPU
// time (npm run bench -- cli-start). Packages stay in node_modules. The bundle sits two folders below the package
// root like every module that finds a shipped file from its own URL (data/, dist/check-examples.json, bin/).
// The library (dist/index.js) is not bundled.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  // The parse worker of --jobs is an entry of its own: a worker thread starts from a file (src/cli/paths.ts names it).
  entryPoints: { main: 'dist/cli/main.js', io: 'dist/cli/io.js', 'parse-worker': 'dist/sources/parse-worker.js' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunk-[hash]',
  logLevel: 'warning',
});
