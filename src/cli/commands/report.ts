/**
 * `kspect report`: the combined run. Manifests (and/or the live cluster), a node's file tree, PKI files and audit
 * policies, each judged by its domain through the one runner and merged into one Report, rendered in any format —
 * with `-f html`, one file that shows the whole chain (docs/report.md).
 */
import { checkAuditPolicy } from '../../api/audit.js';
import { mergeReports } from '../../api/combined.js';
import { checkNode } from '../../api/node.js';
import { checkPki } from '../../api/pki.js';
import type { Report } from '../../core/report.js';
import { UsageError } from '../../core/result.js';
import { guard, parse } from '../args.js';
import { packageVersion, type Io } from '../io.js';
import { checkReportFlags, k8sVersionArg, loadRunFiles, optionHelp, outputFlags } from '../options.js';
import { emitReport } from '../report-output.js';
import { renderPicturesText } from '../../reporters/pictures-text.js';
import { SCAN_OPTIONS, scanFromArgs } from './scan.js';

export const REPORT_HELP = `Usage: kspect report [PATH|-]... [--cluster [--context C] [-n NS]...] [--node-root DIR] [--pki PATH]...
                     [--audit-policy FILE]... [options]

One report of everything given: manifests (files, folders, globs, - for stdin) and/or the live cluster (as kspect
scan), a node's file tree (as kspect node --root DIR), certificates, keys and kubeconfigs (as kspect pki check) and
audit policies (as kspect audit policy-check). Each is judged by its own checks; the findings, not-evaluated items,
problems, the certificate list, the node benchmark table, the escalation paths and the reachability heatmap go into
one Report. -f html writes it as one self-contained page (docs/report.md).

Inputs (at least one):
      --node-root DIR      a node's root folder (/ on the node itself): control plane, etcd and kubelet controls
      --pki PATH           certificate, key, kubeconfig file or folder (repeatable)
      --audit-policy FILE  an audit Policy file (repeatable)
${optionHelp(['cluster', 'context', 'kubeconfig'])}  -n, --namespace NS       only these namespaces of the cluster (repeatable)

Options:
${optionHelp(['format', 'output', 'fail-on', 'fail-on-not-evaluated', 'config', 'baseline', 'show-suppressed', 'allow-invalid', 'severity', 'group-by', 'framework', 'history', 'k8s-version', 'default-namespace', 'follow-symlinks', 'allow-remote', 'jobs', 'help'])}
The default --fail-on is high (or failOn in .kspect.yaml). --checks is not taken here (each domain runs its checks;
use scan, node, pki check or audit policy-check for a subset).
Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage, configuration, input or internal error.
`;

const REPORT_CMD_OPTIONS = {
  ...SCAN_OPTIONS,
  'node-root': { type: 'string' },
  pki: { type: 'string', multiple: true },
  'audit-policy': { type: 'string', multiple: true },
} as const;

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const { values, positionals } = parse(argv, REPORT_CMD_OPTIONS);
    if (values.help) {
      io.stdout(REPORT_HELP);
      return 0;
    }
    await checkReportFlags(values);
    if (values.checks !== undefined) throw new UsageError('usage', '--checks is not taken by report (each domain runs its checks); use scan, node, pki check or audit policy-check for a subset');
    const pki = values.pki ?? [];
    const policies = values['audit-policy'] ?? [];
    const cluster = values.cluster ?? false;
    if (positionals.length === 0 && !cluster && values['node-root'] === undefined && pki.length === 0 && policies.length === 0)
      throw new UsageError('usage', 'report needs at least one input: PATH, --cluster, --node-root DIR, --pki PATH or --audit-policy FILE');
    const { config, baseline } = await loadRunFiles(values, io);
    const k8sVersion = k8sVersionArg(values['k8s-version']);
    const common = { config, ...(baseline ? { baseline } : {}), toolVersion: await packageVersion() };
    const now = io.now();
    const reports: Report[] = [];
    // The escalation paths and the reachability by namespace come in every format (the HTML draws them, the table
    // lists them after the findings, the JSON holds them as rbacPaths and network).
    if (positionals.length > 0 || cluster) reports.push((await scanFromArgs(values, positionals, io, { pictures: true })).report);
    if (values['node-root'] !== undefined) reports.push(await checkNode({ ...common, root: values['node-root'], settings: { now, ...(k8sVersion !== undefined ? { k8sVersion } : {}) } }));
    if (pki.length > 0) reports.push(await checkPki({ ...common, inputs: pki, now, cwd: io.cwd }));
    if (policies.length > 0) reports.push(await checkAuditPolicy({ ...common, paths: policies, now, ...(k8sVersion !== undefined ? { k8sVersion } : {}), io: { cwd: io.cwd } }));
    const merged = mergeReports(reports);
    return emitReport(merged, outputFlags(values, config, 'high'), io, { after: (color) => renderPicturesText(merged, { color }) });
  });
}
