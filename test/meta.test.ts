/**
 * Meta-tests (as typescript-eslint does): every check has its folder, docs, tests and fixtures; ids are unique
 * and never renamed silently; registries are sorted; the generated check reference has not drifted.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../src/checks/index.js';
import { isNodeCheck } from '../src/checks/node-controls/define.js';
import { isPkiCheck } from '../src/checks/support/pki-check.js';
import { isSeverity } from '../src/core/severity.js';
import { renderChecksDoc } from '../src/reporters/check-docs.js';

const root = new URL('../', import.meta.url);
const at = (p: string) => new URL(p, root);

describe('check registry', () => {
  it('ids are unique', () => {
    const ids = allChecks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it('each domain registry file lists its checks sorted by id', () => {
    for (const f of readdirSync(at('src/checks/registry/'))) {
      const text = readFileSync(at(`src/checks/registry/${f}`), 'utf8');
      const folderOf = new Map([...text.matchAll(/import \{ (\w+) \} from '\.\.\/([^/]+)\/check\.js'/g)].map((m) => [m[1], m[2]]));
      const list = /=\s*\[([^\]]*)\]/s.exec(text)?.[1] ?? '';
      const ids = list.split(',').map((s) => s.trim()).filter((s) => s !== '').map((n) => folderOf.get(n) ?? n);
      expect(ids, f).toEqual([...ids].sort());
    }
  });
  for (const check of allChecks) {
    it(`${check.id}: folder, README, tests and fixtures`, () => {
      const dir = `src/checks/${check.id}/`;
      for (const f of ['check.ts', 'check.test.ts', 'README.md']) expect(existsSync(at(dir + f)), `${dir}${f}`).toBe(true);
      expect(readFileSync(at(`${dir}README.md`), 'utf8').startsWith(`# ${check.id}`), `${dir}README.md starts with "# ${check.id}"`).toBe(true);
      // PKI checks of files and endpoints only (file modes, kubeadm's pki folder, live TLS) cannot have manifest
      // fixtures: their tests evaluate them on in-memory material (and test/pki-*.test.ts against real openssl).
      if (isPkiCheck(check) && !check.manifests) {
        expect(readFileSync(at(`${dir}check.test.ts`), 'utf8'), `${dir}check.test.ts evaluates the check`).toMatch(/evaluate\(/);
      } else {
        // Node controls run the node tester: the shared tester's rules plus their benchmark verdicts (MANUAL controls have no findings).
        const tester = isNodeCheck(check) ? /testNodeControl\(/ : /testCheck\(/;
        expect(readFileSync(at(`${dir}check.test.ts`), 'utf8'), `${dir}check.test.ts runs the fixture tester`).toMatch(tester);
        for (const kind of ['pass', 'fail']) {
          const files = existsSync(at(`${dir}fixtures/${kind}/`)) ? readdirSync(at(`${dir}fixtures/${kind}/`)).filter((f) => /\.ya?ml$/.test(f)) : [];
          expect(files.length, `${dir}fixtures/${kind}`).toBeGreaterThan(0);
        }
      }
      expect(check.meta.title.length).toBeGreaterThan(3);
      expect(check.meta.description.length).toBeGreaterThan(20);
      expect(check.meta.remediation.length).toBeGreaterThan(10);
      expect(isSeverity(check.meta.severity)).toBe(true);
      expect(Object.keys(check.meta.messages).length).toBeGreaterThan(0);
    });
  }
  it('docs/checks.md is up to date (run `npm run docs`)', () => {
    expect(readFileSync(at('docs/checks.md'), 'utf8')).toBe(renderChecksDoc(allChecks));
  });
});

