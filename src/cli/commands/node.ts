/** `kspect node`: audit a node's control plane and kubelet against the CIS Kubernetes Benchmark and beyond. */
import { checkNode } from '../../api/node.js';
import { compareControls } from '../../checks/node-controls/benchmark.js';
import { isNodeCheck, type NodeCheck } from '../../checks/node-controls/define.js';
import { nodeChecks } from '../../checks/registry/node.js';
import { UsageError } from '../../core/result.js';
import { renderControlsTable } from '../../reporters/controls.js';
import { renderNodeCoverage } from './audit.js';
import { guard, parse } from '../args.js';
import { packageVersion, useColor, type Io } from '../io.js';
import { HELP_OPTION, K8S_VERSION_OPTIONS, OPTION_HELP, REPORT_OPTIONS, checkReportFlags, checksArg, k8sVersionArg, loadRunFiles, optionHelp, outputFlags } from '../options.js';
import { renderFrameworksText } from '../../reporters/frameworks.js';
import { enrichReport, exitCodeOf, printProblems, streamReport, writeOutput } from '../report-output.js';

export const NODE_HELP = `Usage: kspect node [options]

Audit a node like kube-bench, from its files: static pod manifests (/etc/kubernetes/manifests), the
kubelet's systemd units, config file and drop-ins, kubeconfigs, the PKI and CNI folders and every file a
flag names — with modes and owners — against CIS Kubernetes Benchmark v1.12 sections 1, 2 and 4, and further
checks (TLS, encryption at rest, audit policy, etcd). Every control is a check (kspect explain ID).
The table is the benchmark view: PASS, FAIL, WARN, MANUAL or NOT EVALUATED per control, with the fix;
--group-by and --severity show the findings table instead, grouped and filtered as kspect scan does.

Options:
      --root DIR           the node's root folder (default /)
      --processes          also read running processes (<root>/proc/*/cmdline); they override the files
      --encryption-config FILE  audit this EncryptionConfiguration (default: the one --encryption-provider-config names)
      --audit-policy FILE  audit this audit Policy (default: the one --audit-policy-file names)
${OPTION_HELP['k8s-version'] ?? ''} (default: from the kube-apiserver image)
      --allow-empty        accept a root holding nothing the controls read (default: "nothing to check", exit 2)
      --list-checks        list every control, its CIS id and whether it is automated, and exit
  -v, --verbose            show what each passing control saw
${optionHelp(Object.keys(REPORT_OPTIONS))}
--checks takes kspect ids and CIS ids (1.2.15). Manual controls are listed as not evaluated by design:
--fail-on-not-evaluated does not count them. Default --fail-on: high.
`;

const OPTIONS = {
  root: { type: 'string' },
  processes: { type: 'boolean' },
  'encryption-config': { type: 'string' },
  'audit-policy': { type: 'string' },
  'list-checks': { type: 'boolean' },
  'allow-empty': { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  ...K8S_VERSION_OPTIONS,
  ...REPORT_OPTIONS,
  ...HELP_OPTION,
} as const;

function listChecks(format: string): string {
  const controls = nodeChecks.filter(isNodeCheck).sort(compareControls);
  if (format === 'json')
    return `${JSON.stringify(
      controls.map((c: NodeCheck) => ({ id: c.id, cis: c.control.cis ?? null, section: c.control.section, title: c.meta.title, automated: c.control.automated, severity: c.meta.severity, remediation: c.meta.remediation })),
      null,
      2,
    )}\n`;
  const lines = ['CIS      AUTOMATED  ID                                                  TITLE'];
  for (const c of controls) lines.push(`${(c.control.cis ?? '-').padEnd(8)} ${(c.control.automated ? 'yes' : 'MANUAL').padEnd(10)} ${c.id.padEnd(51)} ${c.meta.title}`);
  const cis = controls.filter((c) => c.control.cis !== undefined);
  lines.push('', `${cis.length} CIS controls (${cis.filter((c) => c.control.automated).length} automated, ${cis.filter((c) => !c.control.automated).length} manual) and ${controls.length - cis.length} beyond CIS`);
  return `${lines.join('\n')}\n`;
}

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const { values, positionals } = parse(argv, OPTIONS, true);
    if (values.help) {
      io.stdout(NODE_HELP);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError('usage', `unexpected argument "${positionals[0] ?? ''}" (the node is --root DIR)`);
    await checkReportFlags(values);
    if (values['list-checks']) {
      const format = values.format ?? 'table';
      if (format !== 'table' && format !== 'json') throw new UsageError('usage', '--list-checks supports --format table or json');
      io.stdout(listChecks(format));
      return 0;
    }
    const k8sVersion = k8sVersionArg(values['k8s-version']);
    const only = await checksArg(values.checks);
    const { config, baseline } = await loadRunFiles(values, io);
    const flags = outputFlags(values, config, 'high');
    const judged = await checkNode({
      root: values.root ?? '/',
      processes: values.processes ?? false,
      ...(values['allow-empty'] === true ? { allowEmpty: true } : {}),
      ...(values['encryption-config'] !== undefined ? { encryptionConfig: values['encryption-config'] } : {}),
      ...(values['audit-policy'] !== undefined ? { auditPolicy: values['audit-policy'] } : {}),
      config,
      ...(baseline ? { baseline } : {}),
      ...(only ? { only } : {}),
      settings: { now: io.now(), ...(k8sVersion !== undefined ? { k8sVersion } : {}) },
      toolVersion: await packageVersion(),
    });
    const { report, extra } = await enrichReport(judged, flags, io);
    // The table of kspect node is the benchmark view; every other format renders the Report as every command does,
    // and so does the table when asked to group or filter findings (the benchmark view lists controls, not findings).
    const benchmark = flags.format === 'table' && flags.groupBy === undefined && flags.severity === undefined;
    printProblems(report, io);
    const written =
      benchmark
        ? await writeOutput(renderControlsTable(report, { color: flags.output === undefined && useColor(io, true), verbose: values.verbose ?? false }) + (report.audit?.kind === 'AuditCoverage' ? `\n${renderNodeCoverage(report.audit)}` : '') + renderFrameworksText(report, { color: flags.output === undefined && useColor(io, true) }), flags.output, io)
        : streamReport(report, flags, io, undefined, extra);
    if (written !== 0) return written;
    // Manual controls are listed as not evaluated by design; exitCodeOf does not count them for --fail-on-not-evaluated.
    return exitCodeOf(report, flags);
  });
}
