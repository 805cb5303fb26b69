/** `kspect node`: audit a node's control plane and kubelet against the CIS Kubernetes Benchmark and beyond. */
import { auditNodeObjects } from '../../checks/node-controls/audit.js';
import { compareControls } from '../../checks/node-controls/benchmark.js';
import { isNodeCheck, type NodeCheck } from '../../checks/node-controls/define.js';
import { allChecks } from '../../checks/index.js';
import { nodeChecks } from '../../checks/registry/node.js';
import { UsageError } from '../../core/result.js';
import { REPORTERS, FORMATS } from '../../reporters/index.js';
import { renderControlsTable } from '../../reporters/controls.js';
import { loadBaseline, loadConfig } from '../../sources/config.js';
import { readNode } from '../../sources/node.js';
import { guard, parse, severityArg } from '../args.js';
import { packageVersion, useColor, type Io } from '../io.js';
import { exitCodeOf, printProblems } from '../report-output.js';

export const NODE_HELP = `Usage: kspect node [options]

Audit a node like kube-bench, from its files: static pod manifests (/etc/kubernetes/manifests), the
kubelet's systemd units, config file and drop-ins, kubeconfigs, the PKI and CNI folders and every file a
flag names — with modes and owners — against CIS Kubernetes Benchmark v1.12 sections 1, 2 and 4, and further
checks (TLS, encryption at rest, audit policy, etcd). Every control is a check (kspect explain ID).
Verdicts: PASS, FAIL, WARN, MANUAL, NOT EVALUATED.

Options:
      --root DIR                 the node's root folder (default /)
      --processes                also read running processes (<root>/proc/*/cmdline); they override the files
      --encryption-config FILE   audit this EncryptionConfiguration (default: the one --encryption-provider-config names)
      --audit-policy FILE        audit this audit Policy (default: the one --audit-policy-file names)
      --k8s-version V            Kubernetes version of the node, e.g. 1.34 (default: from the kube-apiserver image)
      --checks IDS               evaluate only these controls (kspect or CIS ids, comma-separated)
      --list-checks              list every control, its CIS id and whether it is automated, and exit
  -f, --format FORMAT            table (default: the benchmark view), ${FORMATS.filter((f) => f !== 'table').join(', ')}
  -o, --output FILE              write the report to FILE instead of stdout
      --fail-on SEV              exit 1 when a finding is at or above SEV (default high)
      --fail-on-not-evaluated    exit 1 when a control could not be evaluated (manual controls do not count)
      --config FILE              configuration: severity overrides, exemptions, disabled checks (default ./.kspect.yaml)
      --baseline FILE            suppress the findings accepted in FILE (see kspect baseline)
      --show-suppressed          list suppressed findings too (json, sarif … formats)
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
  'fail-on-not-evaluated': { type: 'boolean' },
  config: { type: 'string' },
  baseline: { type: 'string' },
  'show-suppressed': { type: 'boolean' },
  'allow-invalid': { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
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
    const only = values.checks?.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const { config } = await loadConfig(values.config, io.cwd, new Set(allChecks.map((c) => c.id)));
    const baseline = values.baseline !== undefined ? await loadBaseline(values.baseline) : undefined;
    const failOn = severityArg(values['fail-on'], '--fail-on', config.failOn ?? 'high');
    const node = await readNode({
      root: values.root ?? '/',
      processes: values.processes ?? false,
      ...(values['encryption-config'] !== undefined ? { encryptionConfig: values['encryption-config'] } : {}),
      ...(values['audit-policy'] !== undefined ? { auditPolicy: values['audit-policy'] } : {}),
    });
    const k8sVersion = k8s?.split('.').slice(0, 2).join('.') ?? config.k8sVersion;
    const { report, errors } = auditNodeObjects({
      objects: node.objects,
      config,
      ...(baseline ? { baseline } : {}),
      ...(only ? { only } : {}),
      settings: { pss: { level: config.pss?.level ?? 'restricted', version: config.pss?.version ?? 'latest' }, now: io.now(), ...(k8sVersion !== undefined ? { k8sVersion } : {}) },
      problems: node.problems,
      inputs: [values.root ?? '/'],
      toolVersion: await packageVersion(),
    });
    if (errors.length > 0) throw new UsageError('usage', errors.join('; '));
    const showSuppressed = values['show-suppressed'] ?? false;
    const color = values.output === undefined && format === 'table' && useColor(io, true);
    const reporter = REPORTERS[format];
    const text = format === 'table' || !reporter ? renderControlsTable(report, { color, verbose: values.verbose ?? false }) : reporter(report, { color, showSuppressed });
    printProblems(report, io);
    if (values.output !== undefined) {
      try {
        await io.writeFile(values.output, text);
      } catch (e) {
        io.stderr(`kspect: cannot write ${values.output}: ${e instanceof Error ? e.message : String(e)}\n`);
        return 2;
      }
    } else io.stdout(text);
    const code = exitCodeOf(report, { format, failOn, allowInvalid: values['allow-invalid'] ?? false, showSuppressed });
    // Manual controls are listed as not evaluated by design; only what could not be judged fails the gate.
    if (code === 0 && (values['fail-on-not-evaluated'] ?? false) && report.notEvaluated.some((n) => n.reason !== 'manual')) return 1;
    return code;
  });
}
