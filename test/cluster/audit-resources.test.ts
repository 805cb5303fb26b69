/**
 * The table of built-in API groups and resources (src/engines/audit-policy/resources.ts) that `audit policy-check`
 * uses to say "this group does not serve that resource" must be what kube-apiserver serves, with every alpha and
 * beta API switched on. This test reads discovery from the testbed kube-apiserver and compares; with
 * KSPECT_WRITE_AUDIT_RESOURCES=1 it rewrites the table instead.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES, BUILTIN_RESOURCES_VERSION } from '../../src/engines/audit-policy/resources.js';
import { kube } from '../testbed/kube.js';
import { startTestbed, testbedUnavailable, type Testbed } from '../testbed/testbed.js';

const skip = testbedUnavailable();

interface ResourceList {
  readonly resources?: readonly { readonly name: string }[];
}
interface GroupList {
  readonly groups?: readonly { readonly name: string; readonly versions: readonly { readonly groupVersion: string }[] }[];
}

async function discover(tb: Testbed): Promise<Record<string, string[]>> {
  const out: Record<string, Set<string>> = {};
  const add = (group: string, list: unknown): void => {
    const set = (out[group] ??= new Set());
    for (const r of (list as ResourceList).resources ?? []) set.add(r.name);
  };
  add('', (await kube(tb, 'GET', '/api/v1')).body);
  const groups = (await kube(tb, 'GET', '/apis')).body as GroupList;
  for (const g of groups.groups ?? []) for (const v of g.versions) add(g.name, (await kube(tb, 'GET', `/apis/${v.groupVersion}`)).body);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)).map(([g, s]) => [g, [...s].sort()]));
}

describe.skipIf(skip !== undefined)('built-in resources of the audit policy lint', () => {
  let tb: Testbed;
  beforeAll(async () => {
    tb = await startTestbed({ extraArgs: ['--runtime-config=api/all=true'] });
  });
  afterAll(async () => {
    await tb.stop();
  });

  it('match the discovery of the real kube-apiserver with every API enabled', async () => {
    const live = await discover(tb);
    if (process.env.KSPECT_WRITE_AUDIT_RESOURCES === '1') {
      const lines = Object.entries(live).map(([g, rs]) => `  ${JSON.stringify(g)}: [${rs.map((r) => JSON.stringify(r)).join(', ')}],`);
      writeFileSync(
        new URL('../../src/engines/audit-policy/resources.ts', import.meta.url),
        `/**
 * Built-in API groups and their resources (with subresources), as kube-apiserver ${BUILTIN_RESOURCES_VERSION} serves them with every alpha
 * and beta API enabled. Generated from discovery by test/cluster/audit-resources.test.ts
 * (KSPECT_WRITE_AUDIT_RESOURCES=1); the same test fails when the table drifts from the real server.
 */
export const BUILTIN_RESOURCES_VERSION = ${JSON.stringify(BUILTIN_RESOURCES_VERSION)};

export const BUILTIN_RESOURCES: Readonly<Record<string, readonly string[]>> = {
${lines.join('\n')}
};
`,
      );
    }
    expect(live).toEqual(BUILTIN_RESOURCES);
  });
});
