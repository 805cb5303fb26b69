/**
 * A second opinion: the pod security-context and host-access checks against Polaris' own fixtures for its
 * matching checks (../shared/conformance/polaris-checks, see its PROVENANCE.md). Every Polaris failure must
 * be flagged and every Polaris success left alone, except where our semantics differ on purpose; each such
 * difference is listed with its reason and asserted to still occur.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnyCheck } from '../src/framework/define.js';
import { runCheckOn } from '../src/checks/support/tester.js';
import { podCapabilitiesNotDropped } from '../src/checks/pod-capabilities-not-dropped/check.js';
import { podDangerousCapabilities } from '../src/checks/pod-dangerous-capabilities/check.js';
import { podHostIpc } from '../src/checks/pod-host-ipc/check.js';
import { podHostNetwork } from '../src/checks/pod-host-network/check.js';
import { podHostPath } from '../src/checks/pod-host-path/check.js';
import { podHostPid } from '../src/checks/pod-host-pid/check.js';
import { podHostPort } from '../src/checks/pod-host-port/check.js';
import { podPrivilegeEscalation } from '../src/checks/pod-privilege-escalation/check.js';
import { podProcMountUnmasked } from '../src/checks/pod-proc-mount-unmasked/check.js';
import { podRunAsRoot } from '../src/checks/pod-run-as-root/check.js';
import { podWritableRootFs } from '../src/checks/pod-writable-root-fs/check.js';
import { REPO_ROOT } from './support/cli.js';

function polarisDir(): string | undefined {
  for (let dir = REPO_ROOT; ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'conformance', 'polaris-checks', 'checks');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

const MATCHING: Readonly<Record<string, AnyCheck>> = {
  hostIPCSet: podHostIpc,
  hostNetworkSet: podHostNetwork,
  hostPIDSet: podHostPid,
  hostPathSet: podHostPath,
  hostPortSet: podHostPort,
  notReadOnlyRootFilesystem: podWritableRootFs,
  privilegeEscalationAllowed: podPrivilegeEscalation,
  procMount: podProcMountUnmasked,
  runAsRootAllowed: podRunAsRoot,
  dangerousCapabilities: podDangerousCapabilities,
  insecureCapabilities: podCapabilitiesNotDropped,
};

/** `<folder>/<file>` → why we disagree with Polaris on purpose. */
const DROPS_DEFAULT_SET_BY_NAME =
  'drops every capability of the runtime default set by name, not ALL: the restricted standard requires ALL, and a runtime configured with a wider default set would keep the rest';
const DIFFERENCES: Readonly<Record<string, string>> = {
  'insecureCapabilities/success.yaml': DROPS_DEFAULT_SET_BY_NAME,
  'insecureCapabilities/success.case.yaml': DROPS_DEFAULT_SET_BY_NAME,
  'insecureCapabilities/success.pod.yaml': DROPS_DEFAULT_SET_BY_NAME,
};

const root = polarisDir();

describe.skipIf(root === undefined)('workload checks against the Polaris fixtures', () => {
  const cases = Object.entries(MATCHING).flatMap(([folder, check]) =>
    readdirSync(join(root ?? '', folder))
      .filter((f) => /^(success|failure)/.test(f))
      .map((f) => ({ name: `${folder}/${f}`, check, failure: f.startsWith('failure'), text: readFileSync(join(root ?? '', folder, f), 'utf8') })),
  );

  it('covers the fixtures of the matching checks', () => {
    expect(cases.length).toBeGreaterThan(30);
  });

  it('agrees with every Polaris verdict except the documented differences', () => {
    const disagreements: string[] = [];
    for (const c of cases) {
      const flagged = runCheckOn(c.check, c.text, c.name).findings.length > 0;
      if (flagged !== c.failure) disagreements.push(c.name);
    }
    expect(disagreements.sort()).toEqual(Object.keys(DIFFERENCES).sort());
  });
});
