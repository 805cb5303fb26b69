/** `kspect scan [PATH|-]...`: scan manifests and report findings. */
import { audit } from '../../api.js';
import { allChecks } from '../../checks/index.js';
import { UsageError } from '../../core/result.js';
import { loadBaseline, loadConfig } from '../../sources/config.js';
import { choiceArg, guard, parse, severityArg } from '../args.js';
import { packageVersion, type Io } from '../io.js';
import { checkFormat, emitReport } from '../report-output.js';

export const SCAN_HELP = `Usage: kspect scan [PATH|-]... [options]

Scan Kubernetes manifests: files, folders (recursive .yaml/.yml/.json), globs, and - for stdin.
Folders with a kustomization.yaml are rendered with \`kubectl kustomize\`.

Options:
  -f, --format FORMAT     table (default), json, sarif, junit, markdown
  -o, --output FILE       write the report to FILE instead of stdout
      --fail-on SEV       exit 1 when a finding is at or above SEV (default high): critical, high, medium, low, info
      --config FILE       configuration (default: ./.kspect.yaml when present)
      --baseline FILE     suppress the findings accepted in FILE (see kspect baseline)
      --show-suppressed   list suppressed findings too
      --allow-invalid     do not exit 2 because an input could not be read or parsed
      --checks IDS        run only these checks (comma-separated)
      --pss-level LEVEL   default Pod Security level for namespaces without labels (restricted)
      --pss-version V     default Pod Security version: latest or v1.N (latest)
      --k8s-version V     Kubernetes version the manifests target, e.g. 1.34
      --max-file-size MB  largest file read, in MiB (64)
`;

export const SCAN_OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  config: { type: 'string' },
  baseline: { type: 'string' },
  'show-suppressed': { type: 'boolean' },
  'allow-invalid': { type: 'boolean' },
  checks: { type: 'string' },
  'pss-level': { type: 'string' },
  'pss-version': { type: 'string' },
  'k8s-version': { type: 'string' },
  'max-file-size': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type ScanValues = ReturnType<typeof parse<typeof SCAN_OPTIONS>>['values'];

/** Parse scan-like flags and run the audit; shared with `baseline`. */
export async function scanFromArgs(values: ScanValues, positionals: string[], io: Io) {
  if (positionals.length === 0) throw new UsageError('usage', 'scan needs at least one PATH (or - for stdin)');
  const known = new Set(allChecks.map((c) => c.id));
  const { config } = await loadConfig(values.config, io.cwd, known);
  const baseline = values.baseline !== undefined ? await loadBaseline(values.baseline) : undefined;
  const level = choiceArg(values['pss-level'], '--pss-level', ['privileged', 'baseline', 'restricted'] as const, config.pss?.level ?? 'restricted');
  const version = values['pss-version'] ?? config.pss?.version ?? 'latest';
  if (!/^(latest|v1\.\d+)$/.test(version)) throw new UsageError('usage', '--pss-version must be latest or v1.N');
  const k8s = values['k8s-version']?.replace(/^v/, '');
  if (k8s !== undefined && !/^1\.\d+$/.test(k8s)) throw new UsageError('usage', '--k8s-version must look like 1.34');
  let maxFileSize: number | undefined;
  if (values['max-file-size'] !== undefined) {
    const n = Number(values['max-file-size']);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError('usage', '--max-file-size must be a positive number of MiB');
    maxFileSize = n * 1024 * 1024;
  }
  const only = values.checks?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const report = await audit({
    paths: positionals,
    config,
    ...(baseline ? { baseline } : {}),
    ...(only ? { only } : {}),
    settings: { pss: { level, version }, now: io.now(), ...(k8s !== undefined ? { k8sVersion: k8s } : {}) },
    readStdin: io.readStdin,
    cwd: io.cwd,
    ...(maxFileSize !== undefined ? { maxFileSize } : {}),
    toolVersion: await packageVersion(),
  });
  return { report, config };
}

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const { values, positionals } = parse(argv, SCAN_OPTIONS);
    if (values.help) {
      io.stdout(SCAN_HELP);
      return 0;
    }
    const format = checkFormat(values.format);
    const { report, config } = await scanFromArgs(values, positionals, io);
    return emitReport(
      report,
      {
        format,
        ...(values.output !== undefined ? { output: values.output } : {}),
        failOn: severityArg(values['fail-on'], '--fail-on', config.failOn ?? 'high'),
        allowInvalid: values['allow-invalid'] ?? false,
        showSuppressed: values['show-suppressed'] ?? false,
      },
      io,
    );
  });
}
