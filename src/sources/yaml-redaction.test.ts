/** YAML error messages never quote the raw value of a key such as token, password, key or secret (issue 10 §3). */
import { describe, expect, it } from 'vitest';
import { parseManifests } from './yaml.js';

const S = 'hunter2PLANTEDs3cr3t';

describe('YAML problems do not quote secret values', () => {
  const cases = [
    `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  token: *${S}\n`,
    `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  password: !${S} x\n`,
    `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  key: !<tag:${S}> x\n`,
    `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {secret: *${S}}\n`,
    `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  api-token: &a x\n  b: *${S}\n  apiToken: ${S}\n`,
  ];
  it.each(cases)('%j', (text) => {
    const r = parseManifests(text, 'f.yaml', { type: 'file', uri: 'f.yaml' });
    for (const p of r.problems) expect(p.message).not.toContain(S);
  });
  it('still names what is wrong', () => {
    const r = parseManifests(`a: 1\ntoken: *${S}\n`, 'f.yaml', { type: 'file', uri: 'f.yaml' });
    expect(r.problems[0]?.message).toMatch(/alias.*\(document 1 skipped\)$/);
  });
});
