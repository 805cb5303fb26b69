/**
 * Conformance with the PodSecurity admission controller: every fixture of upstream's
 * k8s.io/pod-security-admission test data (../shared/conformance/pod-security-admission, see its
 * PROVENANCE.md), at its level and policy version. A pass fixture must be allowed; a fail fixture must be
 * denied with the check named by its file among the violations — or with the restricted check that
 * replaces that baseline check at that version (restricted never runs `capabilities_baseline` from v1.22,
 * `seccompProfile_baseline` from v1.19, `hostPathVolumes`, or `procMount` from v1.35; it runs their
 * stricter replacements) — and the verdict must contain the text upstream's integration test expects.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../sources/yaml.js';
import { checksInForce, evaluateObject, formatViolations, PSS_CHECK_IDS, type PssCheckId } from './index.js';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/** shared/ sits beside the repository (X/main and X/shared); a git worktree one level deeper (X/wt/name) finds it one more level up. */
function findFixtures(): string | undefined {
  for (const up of ['..', '../..']) {
    const dir = resolve(REPO_ROOT, up, 'shared/conformance/pod-security-admission');
    if (existsSync(join(dir, 'PROVENANCE.md'))) return dir;
  }
  return undefined;
}

const ROOT = findFixtures();

/** The substring upstream's integration test looks for in the rejection, per check (PROVENANCE.md). */
const EXPECTED_TEXT: Readonly<Record<PssCheckId, string>> = {
  allowPrivilegeEscalation: 'allowPrivilegeEscalation',
  appArmorProfile: 'forbidden AppArmor profile',
  capabilities_baseline: 'capabilities',
  capabilities_restricted: 'unrestricted capabilities',
  hostNamespaces: 'host namespaces',
  hostPathVolumes: 'hostPath',
  hostPorts: 'hostPort',
  hostProbesAndHostLifecycle: 'probe or lifecycle host',
  privileged: 'privileged',
  procMount: 'procMount',
  procMount_restricted: 'procMount',
  restrictedVolumes: 'restricted volume types',
  runAsNonRoot: 'runAsNonRoot',
  runAsUser: 'runAsUser',
  seLinuxOptions: 'seLinuxOptions',
  seccompProfile_baseline: 'seccompProfile',
  seccompProfile_restricted: 'seccompProfile',
  sysctls: 'forbidden sysctl',
  windowsHostProcess: 'hostProcess',
};

const BY_PREFIX = new Map<string, PssCheckId>(PSS_CHECK_IDS.map((id) => [id.toLowerCase(), id]));

/** `runasnonroot2` → `runAsNonRoot`; `base`, `base_linux`, `base_windows` → undefined. */
function checkOfFile(name: string): PssCheckId | undefined {
  const stem = name.replace(/\.yaml$/, '').replace(/\d+$/, '');
  if (stem === 'base' || stem === 'base_linux' || stem === 'base_windows') return undefined;
  const id = BY_PREFIX.get(stem);
  if (!id) throw new Error(`fixture ${name}: no check with prefix ${stem}`);
  return id;
}

function listYaml(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort() : [];
}

interface Folder {
  readonly level: 'baseline' | 'restricted';
  readonly minor: number;
  readonly pass: readonly string[];
  readonly fail: readonly string[];
}

function folders(root: string): Folder[] {
  const out: Folder[] = [];
  for (const level of ['baseline', 'restricted'] as const) {
    const versions = readdirSync(join(root, level))
      .filter((v) => /^v1\.\d+$/.test(v))
      .map((v) => Number(v.slice(3)))
      .sort((a, b) => a - b);
    for (const minor of versions) {
      const dir = join(root, level, `v1.${minor}`);
      out.push({ level, minor, pass: listYaml(join(dir, 'pass')), fail: listYaml(join(dir, 'fail')) });
    }
  }
  return out;
}

function judge(root: string, f: Folder, outcome: 'pass' | 'fail', file: string): string | undefined {
  const path = join(root, f.level, `v1.${f.minor}`, outcome, file);
  const text = readFileSync(path, 'utf8');
  const parsed = parseManifests(text, path, { type: 'file', uri: path });
  const where = `${f.level}/v1.${f.minor}/${outcome}/${file}`;
  if (parsed.problems.length > 0 || parsed.objects.length !== 1) return `${where}: does not parse into one object`;
  const obj = parsed.objects[0];
  if (!obj) return `${where}: no object`;
  const result = evaluateObject(obj, { level: f.level, version: { latest: false, minor: f.minor } });
  if (!result) return `${where}: no pod spec`;
  if (result.malformed.length > 0) return `${where}: malformed ${JSON.stringify(result.malformed)}`;
  if (outcome === 'pass') return result.allowed ? undefined : `${where}: denied: ${formatViolations(result.violations)}`;
  const expected = checkOfFile(file);
  if (!expected) return `${where}: a fail fixture names no check`;
  if (result.allowed) return `${where}: allowed, expected a ${expected} violation`;
  const { replaced } = checksInForce(f.level, { latest: false, minor: f.minor });
  const accepted = new Set<PssCheckId>([expected, ...(replaced.has(expected) ? [replaced.get(expected) as PssCheckId] : [])]);
  if (!result.violations.some((v) => accepted.has(v.check))) return `${where}: denied without ${[...accepted].join(' or ')}: ${formatViolations(result.violations)}`;
  const verdict = formatViolations(result.violations);
  if (!verdict.includes(EXPECTED_TEXT[expected])) return `${where}: verdict lacks "${EXPECTED_TEXT[expected]}": ${verdict}`;
  return undefined;
}

describe('Pod Security admission conformance (upstream fixtures)', () => {
  it('finds ../shared/conformance/pod-security-admission beside the repository', () => {
    expect(ROOT, `missing: ${resolve(REPO_ROOT, '../shared/conformance/pod-security-admission')} (clone shared/ beside the repository)`).toBeDefined();
  });
  if (!ROOT) return;
  const all = folders(ROOT);
  const passCount = all.reduce((n, f) => n + f.pass.length, 0);
  const failCount = all.reduce((n, f) => n + f.fail.length, 0);

  it(`covers all 4537 fixtures (${passCount} pass, ${failCount} fail) in 76 level/version folders`, () => {
    expect(all.length).toBe(76);
    expect(passCount + failCount).toBe(4537);
    expect(passCount).toBe(1051);
    expect(failCount).toBe(3486);
  });

  for (const level of ['baseline', 'restricted'] as const) {
    describe(level, () => {
      for (const f of all.filter((x) => x.level === level)) {
        it(`${level} v1.${f.minor}: ${f.pass.length} pass fixtures allowed, ${f.fail.length} fail fixtures denied with the named check`, () => {
          const mismatches = [...f.pass.map((p) => judge(ROOT, f, 'pass', p)), ...f.fail.map((p) => judge(ROOT, f, 'fail', p))].filter((m): m is string => m !== undefined);
          expect(mismatches, `${mismatches.length} of ${f.pass.length + f.fail.length} fixtures disagree with admission`).toEqual([]);
        });
      }
    });
  }
});
