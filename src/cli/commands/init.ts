/** `kspect init [FILE]`: write a commented `.kspect.yaml` that every command reads. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../../core/result.js';
import { guard, parse } from '../args.js';
import type { Io } from '../io.js';
import { HELP_OPTION } from '../options.js';

const HELP = `Usage: kspect init [FILE] [--force]

Write a commented configuration file (default ./.kspect.yaml, which every command reads when present; others are
given with --config FILE). Everything in it is commented out: as written it changes nothing. Uncomment what you
need; every key is validated, and a mistake is one line naming the file and line.

Options:
      --force              overwrite FILE if it exists
      --stdout             print the file instead of writing it
  -h, --help               this help
`;

/** The commented configuration. Parsed as is, it is the empty configuration (a test proves it). */
export const INIT_CONFIG = `# kspect configuration. Every command (scan, pss check, rbac risks/paths, netpol check, pki check, etcd check,
# node, probe …) reads ./.kspect.yaml when present, or the file given with --config FILE. Every key below is
# optional and commented out; uncomment what you need. \`kspect checks\` lists the check ids, \`kspect explain ID\`
# describes one.

# Which checks run: the recommended ones, plus \`enable\` (opt-in checks, or "*" for all), minus \`disable\`.
# checks:
#   enable: [image-registry-not-allowed]
#   disable: [image-no-digest]

# Severity overrides: critical, high, medium, low or info. Findings (and --fail-on) use the new severity.
# severity:
#   pod-host-network: medium

# Parameters of checks that take them (\`kspect explain ID\` lists them).
# parameters:
#   image-registry-not-allowed:
#     allowedRegistries: [ghcr.io/acme/, registry.k8s.io/]
#   image-vulnerabilities:
#     maxSeverity: high
#     ignoreUnfixed: true
#   image-too-old:
#     maxAgeDays: 180

# Exemptions — findings of these checks on matching objects are suppressed — counted in the summary, listed with
# --show-suppressed, never failing a run. Every field but checks and reason narrows the match; names take * globs.
# exemptions:
#   - checks: [pod-privileged, pod-host-path]
#     namespaces: [kube-system]
#     kinds: [DaemonSet]
#     names: [calico-*]
#     labels: {app.kubernetes.io/part-of: calico}
#     reason: the CNI plugin needs host access

# The exit-code gate: exit 1 when a finding is at or above this severity; none = report only (always exit 0).
# The --fail-on flag wins over it. Default: high.
# failOn: high

# Pod Security Standards that kspect scan applies to namespaces without pod-security.kubernetes.io labels.
# pss:
#   level: restricted        # privileged, baseline or restricted
#   version: latest          # latest or v1.N

# The Kubernetes version the manifests target (1.34, v1.34 or 1.34.2): removed APIs, Pod Security versions.
# k8sVersion: "1.34"

# Images — signatures, vulnerabilities, hygiene and registry access (used by the image checks).
# images:
#   signatures:
#     - name: our-images
#       images: ["ghcr.io/acme/**"]
#       keys: [cosign.pub]
#       mode: enforce          # enforce, warn or audit
#   hygiene:
#     distroless: ["ghcr.io/acme/**"]   # these images must be minimal: no shell, no package manager
# (The thresholds of the image checks are their parameters: parameters.image-vulnerabilities.maxSeverity and
# ignoreUnfixed, parameters.image-too-old.maxAgeDays — see the parameters section above.)
`;

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const { values, positionals } = parse(argv, { force: { type: 'boolean' }, stdout: { type: 'boolean' }, ...HELP_OPTION });
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    if (positionals.length > 1) throw new UsageError('usage', 'init takes one FILE');
    if (values.stdout) {
      if (positionals.length > 0) throw new UsageError('usage', 'give FILE or --stdout, not both');
      io.stdout(INIT_CONFIG);
      return 0;
    }
    const file = positionals[0] ?? '.kspect.yaml';
    try {
      await writeFile(resolve(io.cwd, file), INIT_CONFIG, { encoding: 'utf8', flag: values.force === true ? 'w' : 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError('usage', `${file} exists; kspect init does not overwrite it (--force does)`);
      const { errnoText } = await import('../../sources/files.js');
      io.stderr(`kspect: cannot write ${file}: ${errnoText(e)}\n`);
      return 2;
    }
    io.stderr(`kspect: wrote ${file}; every setting in it is commented out — uncomment what you need\n`);
    return 0;
  });
}
