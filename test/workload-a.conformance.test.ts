/**
 * The pod security-context and host-access checks against the upstream Pod Security Standards fixtures
 * (../shared/conformance/pod-security-admission, see its PROVENANCE.md). These checks are not the
 * admission controller — the `pss` engine is — but where a check covers a control, every fixture
 * that the standard rejects for that control must be flagged by the check, every fixture it allows
 * must not be, and each exception is one the checks' READMEs document, asserted here by its reason.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnyCheck } from '../src/framework/define.js';
import { runCheckOn, TEST_SETTINGS } from '../src/checks/support/tester.js';
import { podApparmorUnconfined } from '../src/checks/pod-apparmor-unconfined/check.js';
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
import { podSeccompUnconfined } from '../src/checks/pod-seccomp-unconfined/check.js';
import { podSelinuxCustom } from '../src/checks/pod-selinux-custom/check.js';
import { podUnsafeSysctls } from '../src/checks/pod-unsafe-sysctls/check.js';
import { podWritableRootFs } from '../src/checks/pod-writable-root-fs/check.js';
import { workloadChecks } from '../src/checks/registry/workload.js';
import { REPO_ROOT } from './support/cli.js';

/** The shared conformance folder: next to the repository or to one of its parents (worktrees live deeper). */
function conformanceDir(): string | undefined {
  for (let dir = REPO_ROOT; ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'conformance', 'pod-security-admission');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** PSS control (as in the fixture names) → the checks that cover it. */
const COVERAGE: Readonly<Record<string, readonly AnyCheck[]>> = {
  hostnamespaces: [podHostPid, podHostIpc, podHostNetwork],
  hostpathvolumes: [podHostPath],
  hostports: [podHostPort],
  capabilities_baseline: [podDangerousCapabilities],
  capabilities_restricted: [podCapabilitiesNotDropped, podDangerousCapabilities],
  allowprivilegeescalation: [podPrivilegeEscalation],
  runasnonroot: [podRunAsRoot],
  runasuser: [podRunAsRoot],
  seccompprofile_baseline: [podSeccompUnconfined],
  seccompprofile_restricted: [podSeccompUnconfined],
  apparmorprofile: [podApparmorUnconfined],
  selinuxoptions: [podSelinuxCustom],
  procmount: [podProcMountUnmasked],
  procmount_restricted: [podProcMountUnmasked],
  sysctls: [podUnsafeSysctls],
};

interface Fixture {
  readonly level: string;
  readonly version: number;
  readonly outcome: 'pass' | 'fail';
  readonly control: string;
  readonly file: string;
  readonly text: string;
}

function fixtures(root: string): Fixture[] {
  const out: Fixture[] = [];
  for (const level of ['baseline', 'restricted']) {
    for (const v of readdirSync(join(root, level))) {
      const version = Number(/^v1\.(\d+)$/.exec(v)?.[1]);
      for (const outcome of ['pass', 'fail'] as const) {
        const dir = join(root, level, v, outcome);
        for (const file of readdirSync(dir)) {
          const control = file.replace(/\d*\.yaml$/, '');
          out.push({ level, version, outcome, control, file: `${level}/${v}/${outcome}/${file}`, text: readFileSync(join(dir, file), 'utf8') });
        }
      }
    }
  }
  return out;
}

function flaggedBy(checks: readonly AnyCheck[], f: Fixture): string[] {
  const settings = { ...TEST_SETTINGS, k8sVersion: `1.${f.version}` };
  return checks.flatMap((c) => runCheckOn(c, f.text, f.file, undefined, settings).findings.map((x) => `${x.checkId} ${x.path ?? ''}`));
}

/**
 * Why a fixture the standard rejects is not flagged, when that is by design (see the checks' READMEs);
 * undefined means it should have been flagged.
 */
function documentedException(f: Fixture): string | undefined {
  if (f.control === 'capabilities_baseline' && /add:\s*\n\s*- (chown|CAP_CHOWN)\n/.test(f.text)) {
    return 'the runtimes read chown / CAP_CHOWN as CHOWN, a harmless default-set capability';
  }
  if (/hostUsers: false/.test(f.text) && ['procmount', 'procmount_restricted', 'runasnonroot', 'runasuser'].includes(f.control)) {
    return 'a user namespace maps root to an unprivileged host user (the standards relax this since v1.35)';
  }
  return undefined;
}

const root = conformanceDir();

describe.skipIf(root === undefined)('workload checks against the Pod Security Standards fixtures', () => {
  const all = root ? fixtures(root) : [];
  const covered = all.filter((f) => COVERAGE[f.control] !== undefined);

  it('finds the fixtures', () => {
    expect(all.length).toBe(4537);
    expect(covered.filter((f) => f.outcome === 'fail').length).toBeGreaterThan(1500);
  });

  it('flags every rejected fixture of a covered control, except the documented differences', () => {
    const missed: string[] = [];
    const exceptions = new Map<string, number>();
    for (const f of covered.filter((x) => x.outcome === 'fail')) {
      const flagged = flaggedBy(COVERAGE[f.control] ?? [], f);
      const why = documentedException(f);
      if (why !== undefined) {
        expect(flagged, `${f.file} is a documented exception and must not be flagged`).toEqual([]);
        exceptions.set(why, (exceptions.get(why) ?? 0) + 1);
      } else if (flagged.length === 0) missed.push(f.file);
    }
    expect(missed).toEqual([]);
    // Each documented difference really occurs (so none of them is a dead excuse).
    expect([...exceptions.keys()].sort()).toEqual([
      'a user namespace maps root to an unprivileged host user (the standards relax this since v1.35)',
      'the runtimes read chown / CAP_CHOWN as CHOWN, a harmless default-set capability',
    ]);
  });

  it('flags no allowed fixture of a covered control', () => {
    const wrong: string[] = [];
    for (const f of covered.filter((x) => x.outcome === 'pass')) {
      const flagged = flaggedBy(COVERAGE[f.control] ?? [], f);
      if (flagged.length > 0) wrong.push(`${f.file}: ${flagged.join('; ')}`);
    }
    expect(wrong).toEqual([]);
  });

  it('reports nothing but a writable root filesystem on pods the newest restricted standard allows', () => {
    const mine = workloadChecks.filter((c) => c.id !== 'pod-privileged' && Object.values(COVERAGE).some((cs) => cs.includes(c)));
    const wrong: string[] = [];
    for (const f of all.filter((x) => x.level === 'restricted' && x.version === 37 && x.outcome === 'pass')) {
      const flagged = flaggedBy(mine, f);
      if (flagged.length > 0) wrong.push(`${f.file}: ${flagged.join('; ')}`);
    }
    expect(wrong).toEqual([]);
    // The one control the standard lacks: the restricted base pod keeps a writable root filesystem.
    const base = all.find((x) => x.file === 'restricted/v1.37/pass/base.yaml');
    expect(base && flaggedBy([podWritableRootFs], base).length).toBe(2);
  });
});
