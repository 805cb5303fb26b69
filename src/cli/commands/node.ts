/** `kspect node`: audit a node's control plane and kubelet against the CIS Kubernetes Benchmark and beyond. */
import { NODE_CONTROLS } from '../../checks/node-controls/controls.js';
import { buildNodeReport } from '../../checks/node-controls/report.js';
import { UsageError } from '../../core/result.js';
import { REPORTERS, FORMATS } from '../../reporters/index.js';
import { renderControlsTable } from '../../reporters/controls.js';
import { readNode } from '../../sources/node.js';
import { guard, parse, severityArg } from '../args.js';
import { packageVersion, useColor, type Io } from '../io.js';
import { exitCodeOf, printProblems } from '../report-output.js';

export const NODE_HELP = `Usage: kspect node [options]

Audit a node like kube-bench, from its files: static pod manifests (/etc/kubernetes/manifests), the
kubelet's systemd units and config file, kubeconfigs, the PKI folder and every file a flag names —
with modes and owners — against CIS Kubernetes Benchmark v1.12 sections 1, 2 and 4, and further
checks (TLS, encryption at rest, audit policy, etcd). Verdicts: PASS, FAIL, WARN, MANUAL, NOT EVALUATED.

Options:
      --root DIR                 the node's root folder (default /)
      --processes                also read running processes (<root>/proc/*/cmdline); they override the files
      --encryption-config FILE   audit this EncryptionConfiguration (default: the one --encryption-provider-config names)
      --audit-policy FILE        audit this audit Policy (default: the one --audit-policy-file names)
      --k8s-version V            Kubernetes version of the node, e.g. 1.34 (default: from the kube-apiserver image)
      --checks IDS               evaluate only these controls (kspect or CIS ids, comma-separated)
      --list-checks              list every control, its CIS id and whether it is automated, and exit
  -f, --format FORMAT            table (default), ${FORMATS.filter((f) => f !== 'table').join(', ')}
  -o, --output FILE              write the report to FILE instead of stdout
      --fail-on SEV              exit 1 when a finding is at or above SEV (default high)
      --allow-invalid            do not exit 2 because a file could not be read or parsed
  -v, --verbose                  show what each passing control saw
`;

const OPTIONS = {
  root: { type: 'string' },
  processes: { type: 'boolean' },
  'encryption-config': { type: 'string' },
  'audit-policy': { type: 'string' },
  'k8s-version': { type: 'string' },
  checks: { type: 'string' },
  'list-checks': { type: 'boolean' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  'allow-invalid': { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

function listChecks(format: string): string {
  if (format === 'json')
    return `${JSON.stringify(
      NODE_CONTROLS.map((c) => ({ id: c.id, cis: c.cis ?? null, section: c.section, title: c.title, automated: c.automated, severity: c.severity })),
      null,
      2,
    )}\n`;
  const lines = ['CIS      AUTOMATED  ID                                                  TITLE'];
  for (const c of NODE_CONTROLS) lines.push(`${(c.cis ?? '-').padEnd(8)} ${(c.automated ? 'yes' : 'MANUAL').padEnd(10)} ${c.id.padEnd(51)} ${c.title}`);
  const cis = NODE_CONTROLS.filter((c) => c.cis !== undefined);
  lines.push('', `${cis.length} CIS controls (${cis.filter((c) => c.automated).length} automated, ${cis.filter((c) => !c.automated).length} manual) and ${NODE_CONTROLS.length - cis.length} beyond CIS`);
  return `${lines.join('\n')}\n`;
}

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const { values } = parse(argv, OPTIONS, false);
    if (values.help) {
      io.stdout(NODE_HELP);
      return 0;
    }
    const format = values.format ?? 'table';
    if (format !== 'table' && !REPORTERS[format]) throw new UsageError('usage', `--format must be one of ${FORMATS.join(', ')}`);
    if (values['list-checks']) {
      if (format !== 'table' && format !== 'json') throw new UsageError('usage', '--list-checks supports --format table or json');
      io.stdout(listChecks(format));
      return 0;
    }
    const k8s = values['k8s-version']?.replace(/^v/, '');
    if (k8s !== undefined && !/^1\.\d+(\.\d+)?$/.test(k8s)) throw new UsageError('usage', '--k8s-version must look like 1.34');
    let only: Set<string> | undefined;
    if (values.checks !== undefined) {
      only = new Set(values.checks.split(',').map((s) => s.trim()).filter((s) => s !== ''));
      const unknown = [...only].filter((id) => !NODE_CONTROLS.some((c) => c.id === id || c.cis === id));
      if (unknown.length > 0) throw new UsageError('usage', `unknown control ${unknown.map((u) => `"${u}"`).join(', ')} (see kspect node --list-checks)`);
    }
    const failOn = severityArg(values['fail-on'], '--fail-on', 'high');
    const snapshot = await readNode({
      root: values.root ?? '/',
      processes: values.processes ?? false,
      ...(values['encryption-config'] !== undefined ? { encryptionConfig: values['encryption-config'] } : {}),
      ...(values['audit-policy'] !== undefined ? { auditPolicy: values['audit-policy'] } : {}),
      ...(k8s !== undefined ? { k8sVersion: k8s } : {}),
    });
    const report = buildNodeReport(snapshot, { now: io.now(), toolVersion: await packageVersion(), inputs: [values.root ?? '/'], ...(only ? { only } : {}) });
    const color = values.output === undefined && format === 'table' && useColor(io, true);
    const reporter = REPORTERS[format];
    const text = format === 'table' || !reporter ? renderControlsTable(report, { color, verbose: values.verbose ?? false }) : reporter(report, { color, showSuppressed: false });
    printProblems(report, io);
    if (values.output !== undefined) {
      try {
        await io.writeFile(values.output, text);
      } catch (e) {
        io.stderr(`kspect: cannot write ${values.output}: ${e instanceof Error ? e.message : String(e)}\n`);
        return 2;
      }
    } else io.stdout(text);
    return exitCodeOf(report, { format, failOn, allowInvalid: values['allow-invalid'] ?? false, showSuppressed: false });
  });
}
