/**
 * What a command's start reads: the CLI bundle (scripts/bundle-cli.js) loads a command's chunk and, statically, the
 * chunks it imports; anything else is loaded only when a run asks for it (`import()`). The rbac commands (and pss,
 * netpol) run one domain's checks, so their start must not read the whole check registry (~280 check modules, a third
 * of the CLI's code), the network engine, child_process or worker_threads (~30 ms of each start together). Read from
 * the built bundle (npm test builds first).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BUNDLE = join(import.meta.dirname, '..', 'dist', 'bundle');

interface Chunk {
  /** The compiled modules it holds (esbuild's `// dist/…` markers). */
  readonly modules: readonly string[];
  /** The chunks and node: modules it imports statically. */
  readonly imports: readonly string[];
}

function readBundle(): Map<string, Chunk> {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: npm run build makes it`);
  const chunks = new Map<string, Chunk>();
  for (const file of readdirSync(BUNDLE).filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(join(BUNDLE, file), 'utf8');
    const modules = [...text.matchAll(/^\/\/ (dist\/\S+)$/gm)].map((m) => m[1] as string);
    // Static imports only: `import … from "x"` and `import "x"` at the start of a line (dynamic ones are `import("x")`).
    const imports = [...text.matchAll(/^import(?:[^;]*?from)?\s*"([^"]+)";?$/gms)].map((m) => (m[1] as string).replace(/^\.\//, ''));
    chunks.set(file, { modules, imports });
  }
  return chunks;
}

/** The chunks and node: modules read when the chunk holding `module` is loaded. */
function loadedWith(chunks: ReadonlyMap<string, Chunk>, module: string): { modules: Set<string>; builtins: Set<string> } {
  const start = [...chunks].find(([, c]) => c.modules.includes(module))?.[0];
  if (start === undefined) throw new Error(`${module} is in no chunk of ${BUNDLE}`);
  const seen = new Set<string>([start, 'main.js']);
  const queue = [start, 'main.js'];
  const builtins = new Set<string>();
  const modules = new Set<string>();
  while (queue.length > 0) {
    const chunk = chunks.get(queue.pop() as string);
    if (!chunk) continue;
    for (const m of chunk.modules) modules.add(m);
    for (const i of chunk.imports) {
      if (i.startsWith('node:')) builtins.add(i);
      else if (chunks.has(i) && !seen.has(i)) {
        seen.add(i);
        queue.push(i);
      }
    }
  }
  return { modules, builtins };
}

describe('the CLI bundle loads what a command needs', () => {
  const chunks = readBundle();

  it('finds the modules and imports of the chunks (the reading itself works)', () => {
    const scan = loadedWith(chunks, 'dist/cli/commands/scan.js');
    expect(scan.modules.has('dist/cli/main.js')).toBe(true);
    // scan runs every check: its start reads the registry statically or when judging; either way the registry is a chunk.
    expect([...chunks.values()].some((c) => c.modules.includes('dist/checks/index.js'))).toBe(true);
    expect(loadedWith(chunks, 'dist/sources/parse-pool.js').builtins.has('node:worker_threads')).toBe(true);
  });

  for (const command of ['rbac', 'pss', 'netpol']) {
    it(`kspect ${command} does not read the whole registry, child_process or worker_threads at start`, () => {
      const { modules, builtins } = loadedWith(chunks, `dist/cli/commands/${command}.js`);
      expect(modules.has(`dist/cli/commands/${command}.js`)).toBe(true);
      expect(modules.has('dist/checks/index.js')).toBe(false);
      expect(modules.has('dist/sources/parse-pool.js')).toBe(false);
      expect(modules.has('dist/api/pictures.js')).toBe(false);
      expect(builtins.has('node:child_process')).toBe(false);
      expect(builtins.has('node:worker_threads')).toBe(false);
    });
  }

  it('kspect rbac does not read the network engine at start', () => {
    expect(loadedWith(chunks, 'dist/cli/commands/rbac.js').modules.has('dist/engines/netpol/engine.js')).toBe(false);
  });
});
