/**
 * `kspect netpol check | matrix | can-reach SRC DST | explain WORKLOAD`: NetworkPolicy judgement and reachability.
 * `check` is a judging command (the network checks through the one runner, one Report); the others are queries
 * with answer shapes of their own. Reads → computes → prints. The inventory comes from an InventorySource
 * (positional PATHs, -i PATH where the positionals are a query, or --cluster).
 */
import { checkNetworkPolicies } from '../../api/netpol.js';
import type { Problem } from '../../core/finding.js';
import { UsageError } from '../../core/result.js';
import { escapeText } from '../../core/text.js';
import { buildNetpolEngine, NetpolEngine, type Party } from '../../engines/netpol/engine.js';
import type { Endpoint } from '../../engines/netpol/endpoints.js';
import { explainEndpoint, matrixNodes, reachMatrix, summarizeMatrix } from '../../engines/netpol/matrix.js';
import { isProtocol, type Protocol } from '../../engines/netpol/ports.js';
import type { Inventory } from '../../model/inventory.js';
import { renderDecisionJson, renderDecisionTable, renderExplainJson, renderExplainTable, renderMatrixCsv, renderMatrixDot, renderMatrixJson, renderMatrixSummaryJson, renderMatrixSummaryTable, renderMatrixTable, writeMatrixCsv } from '../../reporters/netpol.js';
import { guard, parse } from '../args.js';
import { loadClusterInputs, loadInputs, manifestRunOptions, problemLine } from '../inputs.js';
import type { Io } from '../io.js';
import {
  CLUSTER_OPTIONS,
  CLUSTER_READ_OPTIONS,
  DEFAULT_NAMESPACE_OPTIONS,
  FILE_OPTIONS,
  HELP_OPTION,
  K8S_VERSION_OPTIONS,
  REPORT_OPTIONS,
  checkReportFlags,
  checksArg,
  clusterArgs,
  formatArg,
  k8sVersionArg,
  loadRunFiles,
  optionHelp,
  outputArg,
  outputFlags,
  INPUT_OPTIONS,
  inputOptions,
} from '../options.js';
import { emitReport, streamText, writeOutput } from '../report-output.js';

export const NETPOL_HELP = `Usage: kspect netpol <command> [options]

NetworkPolicy (networking.k8s.io/v1), computed from manifests or a live cluster.

Commands:
  check [PATH|-]...      judge: pods not isolated, policies that select nothing, peers that open everything,
                         egress to the metadata service … (the netpol-* checks; a report in any format,
                         gated by --fail-on like scan)
  matrix [PATH|-]...     workload × workload reachability with the allowed ports
  can-reach SRC DST -i PATH
                         can SRC open a connection to DST, and which policies decide it
                         (exit 0 allowed, 1 denied or undecidable)
  explain WORKLOAD -i PATH
                         the policies selecting WORKLOAD and its effective ingress and egress

Workloads are NAMESPACE/NAME, or NAMESPACE/KIND/NAME where two kinds share a name.
SRC and DST may also be IP addresses (outside the cluster, or pods with --pod-ips).

Options:
${optionHelp(['file', 'cluster', 'context', 'kubeconfig', 'request-timeout', 'timeout', 'default-namespace', 'follow-symlinks', 'allow-remote', 'allow-empty', 'values', 'jobs'])}  -n, --namespace NS       matrix: only workloads of NS
      --external           matrix: add the address blocks outside the cluster that policies name
      --full               matrix -f csv: every pair whatever the size, written as it is computed (above \${MAX_MATRIX}
                           rows, table and json summarise by namespace and by equivalence class instead)
      --port PORT          can-reach: one port, e.g. 80, 53/UDP, 8000/SCTP or a named port (http, http/TCP)
      --pod-ips            match ipBlocks against pod IPs (status.podIPs) where known
${optionHelp(Object.keys(REPORT_OPTIONS))}${optionHelp(['k8s-version', 'help'])}
Query formats: matrix table, json, csv, dot; can-reach and explain table, json. check: every report format.
Exit codes: 0 done (can-reach: allowed); 1 can-reach: denied or undecidable, check: findings at or above
--fail-on (default high); 2 usage or input error.
`;

const OPTIONS = {
  ...FILE_OPTIONS,
  ...REPORT_OPTIONS,
  namespace: { type: 'string', short: 'n' },
  external: { type: 'boolean' },
  full: { type: 'boolean' },
  port: { type: 'string' },
  'pod-ips': { type: 'boolean' },
  ...CLUSTER_OPTIONS,
  ...CLUSTER_READ_OPTIONS,
  ...DEFAULT_NAMESPACE_OPTIONS,
  ...K8S_VERSION_OPTIONS,
  ...INPUT_OPTIONS,
  ...HELP_OPTION,
} as const;

/** Largest matrix printed: rows (workloads and external blocks). */
const MAX_MATRIX = 1000;

type Values = ReturnType<typeof parse<typeof OPTIONS>>['values'];

/** Where an analysis command's objects come from. A cluster source adds its flags and itself here. */
export interface InventorySource {
  /** True when the parsed flags ask for this source. */
  readonly wanted: (values: Values) => boolean;
  readonly load: (values: Values, io: Io) => Promise<{ inventory: Inventory; problems: readonly Problem[]; failed: boolean }>;
}

/** Input paths: positional for check and matrix, -i for the queries whose positionals are workloads. */
function inputPaths(values: Values, positionals: readonly string[]): string[] {
  return [...positionals, ...(values.file ?? [])];
}

const FILES: InventorySource = {
  wanted: (v) => (v.file ?? []).length > 0,
  load: (v, io) => loadInputs(v.file ?? [], io, [], inputOptions(v)),
};

const CLUSTER: InventorySource = {
  wanted: (v) => v.cluster === true,
  load: (v, io) => loadClusterInputs(v, io, { keepPodIps: true }),
};

const SOURCES: readonly InventorySource[] = [FILES, CLUSTER];

async function inventoryOf(values: Values, io: Io): Promise<{ inventory: Inventory; failed: boolean }> {
  clusterArgs(values, values.file ?? []);
  const chosen = SOURCES.filter((s) => s.wanted(values));
  if (chosen.length === 0) throw new UsageError('usage', 'netpol needs input: PATH... for check and matrix, -i PATH for can-reach and explain (- for stdin), or --cluster');
  if (chosen.length > 1) throw new UsageError('usage', 'use one input source at a time');
  const loaded = await (chosen[0] as InventorySource).load(values, io);
  return { inventory: loaded.inventory, failed: loaded.failed };
}

/** `netpol check`: the network checks through the one runner. */
async function check(values: Values, positionals: readonly string[], io: Io): Promise<number> {
  await checkReportFlags(values);
  for (const flag of ['namespace', 'external', 'port', 'full'] as const) if (values[flag] !== undefined) throw new UsageError('usage', `--${flag} does not apply to netpol check`);
  const paths = inputPaths(values, positionals);
  const cluster = clusterArgs(values, paths);
  if (!cluster && paths.length === 0) throw new UsageError('usage', 'netpol check needs input: PATH... (file, folder, glob, or - for stdin), or --cluster');
  const k8s = k8sVersionArg(values['k8s-version']);
  const { config, baseline } = await loadRunFiles(values, io);
  const only = await checksArg(values.checks);
  const live = cluster ? await loadClusterInputs(values, io, { keepPodIps: true }) : undefined;
  const report = await checkNetworkPolicies({
    ...(await manifestRunOptions(values, io, { paths: paths, live, config, baseline, only, k8s })),
  });
  return emitReport(report, outputFlags(values, config, 'high'), io);
}

function warnAbout(engine: NetpolEngine, io: Io): void {
  for (const i of engine.issues) {
    const loc = i.object.origin.locate(i.path) ?? i.object.origin.location;
    io.stderr(
      problemLine({
        code: 'netpol-invalid',
        severity: 'warning',
        message: `NetworkPolicy ${i.object.metadata.namespace ?? 'default'}/${i.object.metadata.name} is invalid and left out: ${i.path}: ${i.message}`,
        ...(loc ? { file: loc.file, line: loc.line, column: loc.column } : {}),
      }),
    );
  }
  for (const n of engine.notes) io.stderr(`kspect: note: ${escapeText(n)}\n`);
}

function resolveParty(engine: NetpolEngine, ref: string, role: string): { party: Party; label: string } {
  const addr = NetpolEngine.parseAddress(ref);
  if (addr) {
    const ep = engine.endpointByIp(addr.address);
    if (ep) return { party: { type: 'endpoint', endpoint: ep }, label: ep.id };
    return { party: { type: 'external', ...addr }, label: addr.text };
  }
  return { party: { type: 'endpoint', endpoint: findOne(engine, ref, role) }, label: ref };
}

function findOne(engine: NetpolEngine, ref: string, role: string): Endpoint {
  const parts = ref.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) throw new UsageError('usage', `${role} must be NAMESPACE/NAME or NAMESPACE/KIND/NAME (or an IP address), got "${ref}"`);
  const found = engine.findEndpoints(ref);
  if (found.length === 0) throw new UsageError('usage', `${role} ${ref}: no Pod or workload of that name in the input`);
  if (found.length > 1) throw new UsageError('usage', `${role} ${ref} is ambiguous: ${found.map((e) => e.id).join(', ')} (use NAMESPACE/KIND/NAME)`);
  return found[0] as Endpoint;
}

/** `80`, `80/TCP`, `53/udp`, `http`, `http/TCP` → protocol and number (named ports resolve on the destination). */
function parsePort(text: string, dst: Party): { protocol: Protocol; port: number } {
  const [p, protoText] = text.split('/');
  const protocol = (protoText ?? 'TCP').toUpperCase();
  if (!isProtocol(protocol)) throw new UsageError('usage', `--port ${text}: protocol must be TCP, UDP or SCTP`);
  if (p !== undefined && /^\d+$/.test(p)) {
    const n = Number(p);
    if (n < 1 || n > 65535) throw new UsageError('usage', `--port ${text}: port must be 1-65535`);
    return { protocol, port: n };
  }
  if (p === undefined || p === '') throw new UsageError('usage', `--port ${text}: give a port number or name`);
  if (dst.type !== 'endpoint') throw new UsageError('usage', `--port ${text}: a named port needs a pod or workload destination`);
  const nums = dst.endpoint.namedPorts.get(`${p}/${protocol}`) ?? [];
  if (nums.length === 0) throw new UsageError('usage', `--port ${text}: ${dst.endpoint.id} declares no ${protocol} port named "${p}"`);
  if (nums.length > 1) throw new UsageError('usage', `--port ${text}: "${p}" is ${nums.join(' and ')} on ${dst.endpoint.id}; give the number`);
  return { protocol, port: nums[0] as number };
}

const QUERY_ONLY = ['fail-on', 'fail-on-not-evaluated', 'config', 'baseline', 'show-suppressed', 'checks', 'severity', 'group-by'] as const;

/** An Io whose stdout is collected, for `-o FILE` of the queries. */
function collecting(io: Io): { io: Io; text: () => string } {
  const parts: string[] = [];
  return { io: { ...io, stdout: (t) => void parts.push(t) }, text: () => parts.join('') };
}

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const { values, positionals } = parse(argv, OPTIONS);
    const [sub, ...rest] = positionals;
    if (values.help || sub === undefined || sub === 'help') {
      io.stdout(NETPOL_HELP);
      return values.help || sub === 'help' ? 0 : 2;
    }
    if (sub !== 'check' && sub !== 'matrix' && sub !== 'can-reach' && sub !== 'explain') throw new UsageError('usage', `unknown netpol command "${sub}" (check, matrix, can-reach, explain)`);
    if (sub === 'check') return check(values, rest, io);
    for (const flag of QUERY_ONLY) if (values[flag] !== undefined) throw new UsageError('usage', `--${flag} applies to netpol check`);
    const formats = sub === 'matrix' ? (['table', 'json', 'csv', 'dot'] as const) : (['table', 'json'] as const);
    const format = formatArg(values.format, formats) as (typeof formats)[number];
    const output = outputArg(values.output, values.format, formats);
    if (sub !== 'matrix' && (values.namespace !== undefined || values.external === true || values.full === true)) throw new UsageError('usage', '-n, --external and --full apply to netpol matrix');
    if (sub !== 'can-reach' && values.port !== undefined) throw new UsageError('usage', '--port applies to netpol can-reach');
    // matrix takes its inputs as positional paths; can-reach and explain take workloads there and inputs with -i.
    const args = sub === 'matrix' ? [] : rest;
    const want = sub === 'matrix' ? 0 : sub === 'explain' ? 1 : 2;
    if (args.length !== want) throw new UsageError('usage', sub === 'explain' ? `netpol explain needs one WORKLOAD (inputs go with -i PATH)` : `netpol can-reach needs SRC and DST (inputs go with -i PATH)`);
    const withInputs: Values = sub === 'matrix' ? { ...values, file: inputPaths(values, rest) } : values;

    const { inventory, failed } = await inventoryOf(withInputs, io);
    const placed = values['default-namespace'] !== undefined ? (await import('../../api/namespaces.js')).withDefaultNamespace(inventory.objects, values['default-namespace']) : undefined;
    const engine = buildNetpolEngine(placed ? (await import('../../model/inventory.js')).buildInventory(placed) : inventory, { podIps: values['pod-ips'] === true });
    const inputCode = failed ? 2 : 0;
    const out = collecting(io);
    const finish = async (code: number): Promise<number> => {
      const written = await writeOutput(out.text(), output, io);
      return written !== 0 ? written : code;
    };

    if (sub === 'matrix') {
      if (values.namespace !== undefined && !engine.namespaces.has(values.namespace)) io.stderr(`kspect: warning: namespace ${escapeText(values.namespace)} has no pods or workloads in the input\n`);
      const count = engine.endpoints.filter((e) => values.namespace === undefined || e.namespace === values.namespace).length + (values.external === true ? engine.externalBlocks.length : 0);
      const scope = { ...(values.namespace !== undefined ? { namespace: values.namespace } : {}), external: values.external === true };
      if (values.full === true) {
        if (format !== 'csv') throw new UsageError('usage', '--full writes the pair-by-pair matrix as CSV: add -f csv');
        const { nodes, rows } = matrixNodes(engine, scope);
        warnAbout(engine, io);
        const written = streamText((sink) => { writeMatrixCsv(nodes, rows(), sink); }, output, io);
        return written !== 0 ? written : inputCode;
      }
      if (count > MAX_MATRIX) {
        if (format === 'csv' || format === 'dot') throw new UsageError('usage', `the matrix has ${count} rows (more than ${MAX_MATRIX}): -f table or json summarise it by namespace and equivalence class; --full -f csv writes every pair`);
        const summary = summarizeMatrix(engine, values.namespace !== undefined ? { namespace: values.namespace } : {});
        warnAbout(engine, io);
        out.io.stdout(format === 'json' ? renderMatrixSummaryJson(summary) : renderMatrixSummaryTable(summary, MAX_MATRIX));
        return finish(inputCode);
      }
      const m = reachMatrix(engine, { ...(values.namespace !== undefined ? { namespace: values.namespace } : {}), external: values.external === true });
      warnAbout(engine, io);
      const render = { table: renderMatrixTable, json: renderMatrixJson, csv: renderMatrixCsv, dot: renderMatrixDot }[format];
      out.io.stdout(render(m));
      return finish(inputCode);
    }
    if (sub === 'explain') {
      const ep = findOne(engine, args[0] ?? '', 'WORKLOAD');
      const view = explainEndpoint(engine, ep);
      warnAbout(engine, io);
      out.io.stdout(format === 'json' ? renderExplainJson(view) : renderExplainTable(view));
      return finish(inputCode);
    }
    const src = resolveParty(engine, args[0] ?? '', 'SRC');
    const dst = resolveParty(engine, args[1] ?? '', 'DST');
    const probe = values.port !== undefined ? parsePort(values.port, dst.party) : undefined;
    const decision = engine.decide(src.party, dst.party, probe);
    warnAbout(engine, io);
    out.io.stdout(format === 'json' ? renderDecisionJson(decision, src.label, dst.label) : renderDecisionTable(decision, src.label, dst.label));
    if (inputCode !== 0) return finish(inputCode);
    return finish(decision.verdict === 'allowed' ? 0 : 1);
  });
}
