/**
 * The query commands keep answer shapes of their own (rbac can-i, who-can, access; netpol matrix, can-reach,
 * explain): each JSON answer of the built CLI is compared with a golden file (test/golden/queries/, written by
 * `UPDATE_GOLDEN=1 npx vitest run test/queries-golden.e2e.test.ts`) and validated against its definition in the
 * shipped schema/queries.schema.json — so a shape never changes without the schema and the goldens saying so.
 * Their exit codes are part of the answer and pinned too.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './support/cli.js';

const E = 'examples/insecure';
const GOLDEN = new URL('./golden/queries/', import.meta.url);
const update = process.env.UPDATE_GOLDEN === '1';

interface Case {
  readonly name: string;
  readonly definition: string;
  readonly args: readonly string[];
  readonly code: number;
}

const CASES: readonly Case[] = [
  { name: 'can-i-denied', definition: 'rbacCanI', args: ['rbac', 'can-i', 'get', 'secrets', '--as', 'system:serviceaccount:shop:api', '-i', E], code: 1 },
  { name: 'can-i-allowed', definition: 'rbacCanI', args: ['rbac', 'can-i', 'create', 'pods/exec', '--as', 'system:serviceaccount:shop:api', '-n', 'shop', '-i', E], code: 0 },
  { name: 'who-can', definition: 'rbacWhoCan', args: ['rbac', 'who-can', 'get', 'secrets', '-n', 'shop', '-i', E], code: 0 },
  { name: 'access', definition: 'rbacAccess', args: ['rbac', 'access', 'system:serviceaccount:shop:api', '-i', E], code: 0 },
  { name: 'matrix', definition: 'netpolMatrix', args: ['netpol', 'matrix', E], code: 0 },
  { name: 'can-reach', definition: 'netpolCanReach', args: ['netpol', 'can-reach', 'shop/frontend', 'shop/api', '-i', E], code: 1 },
  { name: 'can-reach-port', definition: 'netpolCanReach', args: ['netpol', 'can-reach', 'data/redis', 'shop/api', '--port', '8080', '-i', E], code: 0 },
  { name: 'explain', definition: 'netpolExplain', args: ['netpol', 'explain', 'shop/api', '-i', E], code: 0 },
];

const schema = JSON.parse(readFileSync(new URL('../schema/queries.schema.json', import.meta.url), 'utf8')) as { definitions: Record<string, unknown> };
// Union types (`port` is a number or a named port; a side's subject may be null) are meant: allowUnionTypes.
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
ajv.addSchema(schema, 'queries');

describe('query answers: golden JSON, valid against schema/queries.schema.json', () => {
  for (const c of CASES) {
    it(`${c.args.slice(0, 2).join(' ')}: ${c.name}`, async () => {
      const r = await runCli([...c.args, '-f', 'json'], { cwd: REPO_ROOT });
      expect(r.code, r.stderr).toBe(c.code);
      const answer = JSON.parse(r.stdout) as unknown;
      const validate = ajv.getSchema(`queries#/definitions/${c.definition}`);
      expect(validate, c.definition).toBeDefined();
      expect(validate?.(answer), JSON.stringify(validate?.errors)).toBe(true);
      // The definition is not a blank cheque: an unknown field, or a required one missing, is refused.
      expect(validate?.({ ...(answer as object), unexpected: 1 })).toBe(false);
      const { schemaVersion: _v, ...unversioned } = answer as { schemaVersion: number };
      expect(validate?.(unversioned)).toBe(false);
      // The whole document is exactly one of the query shapes.
      expect(ajv.getSchema('queries')?.(answer), JSON.stringify(ajv.getSchema('queries')?.errors)).toBe(true);
      const file = new URL(`${c.name}.json`, GOLDEN);
      if (update || !existsSync(file)) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(file, r.stdout);
      }
      expect(r.stdout).toBe(readFileSync(file, 'utf8'));
    });
  }

  it('every definition of the schema is exercised by a golden answer', () => {
    const used = new Set(CASES.map((c) => c.definition));
    const answers = (schema as unknown as { oneOf: { $ref: string }[] }).oneOf.map((o) => o.$ref.replace('#/definitions/', ''));
    expect(answers.filter((a) => !used.has(a))).toEqual([]);
  });

  it('-o FILE writes the same answer, and -f json is the only JSON spelling', async () => {
    const r = await runCli(['rbac', 'who-can', 'get', 'secrets', '-n', 'shop', '-i', E, '-o', 'json'], { cwd: REPO_ROOT });
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe('kspect: -o is the output file now; for the json format use -f json (to write a file named "json", give -o ./json)\n');
  });
});
