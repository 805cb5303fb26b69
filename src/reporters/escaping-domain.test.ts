/**
 * The domain renderers (node benchmark table, certificate table, escalation graphs) escape what they quote from
 * input as the report formats do: no control character, bidi override or CI command reaches the output.
 */
import { describe, expect, it } from 'vitest';
import type { Report } from '../core/report.js';
import type { EscalationPath } from '../engines/rbac/paths.js';
import { renderControlsTable } from './controls.js';
import { FIXED_REPORT } from './fixed-report.testutil.js';
import { renderPkiTables } from './pki-table.js';
import { pathsToDot, pathsToMermaid } from './rbac-graph.js';

const P = 'x\u001b[2J\n::error::forged ##vso[task.complete]\u202e';

// eslint-disable-next-line no-control-regex
const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function expectHarmless(text: string): void {
  expect(RAW_UNSAFE.exec(text)?.[0]).toBeUndefined();
  for (const line of text.split('\n')) expect(line).not.toMatch(/^\s*::|##(?:\[|vso\[)/i);
}

describe('domain renderers', () => {
  it('node benchmark table', () => {
    const report: Report = {
      ...FIXED_REPORT,
      problems: [{ code: 'not-readable', severity: 'error', message: `m${P}`, file: `f${P}` }],
      controls: {
        benchmark: 'CIS',
        sections: [{ id: '1', title: 'Control plane' }],
        results: [
          { id: 'apiserver-x', cis: '1.2.1', section: '1', title: 'T', automated: true, verdict: 'FAIL', reason: `r${P}`, details: [`--flag=${P}`] },
          { id: 'apiserver-y', section: '1', title: 'T', automated: false, verdict: 'MANUAL', reason: `r${P}` },
        ],
      },
    };
    const out = renderControlsTable(report, { color: false });
    expectHarmless(out);
    expect(out).toContain('--flag=x\\x1b[2J\\n::error::forged #\\x23vso[task.complete]\\u202e');
  });
  it('certificate table', () => {
    const cert = { certificate: `c${P}`, source: { type: 'file', uri: 'c' }, subject: `CN=s${P}`, identity: { user: `u${P}`, groups: [`g${P}`] }, issuer: `CN=i${P}`, serial: '1', notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-01-01T00:00:00Z', residualDays: 200, role: 'client', ca: false, sans: [], publicKey: 'rsa 2048', signature: 'sha256WithRSAEncryption', sha256: 'ab' } as const;
    const report: Report = { ...FIXED_REPORT, pki: { certificates: [cert], endpoints: [{ endpoint: `e${P}`, protocols: {}, ciphers: [], error: 'x' }], anchors: 'none' } };
    expectHarmless(renderPkiTables(report, { color: false }));
  });
  it('escalation graphs (DOT and Mermaid)', () => {
    const paths: EscalationPath[] = [{ from: { kind: 'User', name: `alice${P}` }, steps: [{ from: `User:alice${P}`, to: 'cluster-admin', kind: 'bind', description: `d${P}` }] }] as unknown as EscalationPath[];
    const labels = new Map([[`User:alice${P}`, `alice${P}`]]);
    const dot = pathsToDot(paths, labels);
    expectHarmless(dot);
    expect(dot).toContain('alicex\\\\x1b[2J\\\\n::error::forged');
    expectHarmless(pathsToMermaid(paths, labels));
  });
});
