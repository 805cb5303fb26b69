/** `kspect etcd check`: how Secrets are stored in etcd (plaintext, which provider and key), and etcd's own posture. */
import { parse as parseYaml } from 'yaml';
import type { Problem } from '../../core/finding.js';
import { UsageError } from '../../core/result.js';
import { parseEncryptionConfig, type EncryptionConfig } from '../../engines/encryption-at-rest/config.js';
import { checkEtcd } from '../../api/etcd.js';
import { EtcdError, loadTls } from '../../sources/etcd.js';
import { guard, parse } from '../args.js';
import { packageVersion, type Io } from '../io.js';
import { HELP_OPTION, REPORT_OPTIONS, REQUEST_TIMEOUT_OPTIONS, TIMEOUT_OPTIONS, checkReportFlags, requestTimeoutArg, requestTimeoutHelp, checksArg, loadRunFiles, optionHelp, outputFlags } from '../options.js';
import { emitReport } from '../report-output.js';
import { readErrorText, readRegularText } from '../../sources/safe-read.js';

export const ETCD_HELP = `Usage: kspect etcd check --endpoints URL[,URL] [--cacert F --cert F --key F] [options]

Read etcd (read-only) and report how kube-apiserver stored each Secret — and each other resource the
EncryptionConfiguration names — plaintext, or which provider and key encrypted it; with --encryption-config
every aescbc, aesgcm and secretbox value is decrypted to prove it (KMS values are recognised only). Also checks
etcd itself: a plaintext client listener, client-certificate auth not enforced, metrics open without a certificate.
No value is ever printed.

Options:
      --endpoints URLS          etcd client URLs, comma-separated (https://127.0.0.1:2379)
      --cacert FILE             CA bundle that signs etcd's serving certificate
      --cert FILE               client certificate (kube-apiserver's etcd client certificate works)
      --key FILE                its private key
      --encryption-config FILE  kube-apiserver's --encryption-provider-config, to verify and find stale keys
      --prefix PREFIX           kube-apiserver's --etcd-prefix (default /registry)
      --metrics-urls URLS       etcd metrics URLs to probe (its --listen-metrics-urls), comma-separated
${requestTimeoutHelp('request to etcd', '15s')}${optionHelp(Object.keys(REPORT_OPTIONS))}
Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage error or etcd unreadable.
`;

const OPTIONS = {
  endpoints: { type: 'string' },
  cacert: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  'encryption-config': { type: 'string' },
  prefix: { type: 'string' },
  'metrics-urls': { type: 'string' },
  ...REQUEST_TIMEOUT_OPTIONS,
  ...TIMEOUT_OPTIONS,
  ...REPORT_OPTIONS,
  ...HELP_OPTION,
} as const;

function urls(value: string | undefined, flag: string): string[] {
  if (value === undefined) return [];
  const out = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const u of out) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new UsageError('usage', `${flag}: "${u}" is not a URL (e.g. https://127.0.0.1:2379)`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError('usage', `${flag}: "${u}" must be http:// or https://`);
  }
  return out;
}

/** Read and parse an EncryptionConfiguration; problems name the file. Never echoes key material. */
async function readEncryptionConfig(file: string): Promise<{ config?: EncryptionConfig; problems: Problem[] }> {
  let text: string;
  try {
    text = await readRegularText(file, { max: 16 * 1024 * 1024 });
  } catch (e) {
    return { problems: [{ code: 'not-readable', severity: 'error', file, message: `cannot read: ${readErrorText(e)}` }] };
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    return { problems: [{ code: 'yaml-syntax', severity: 'error', file, ...(line !== undefined ? { line } : {}), message: `not valid YAML: ${e instanceof Error ? (e.message.split('\n')[0] ?? '') : ''}` }] };
  }
  const r = parseEncryptionConfig(doc);
  return { ...(r.config ? { config: r.config } : {}), problems: r.problems.map((m) => ({ code: 'encryption-config', severity: 'error' as const, file, message: m })) };
}

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      io.stdout(ETCD_HELP);
      return sub === undefined ? 2 : 0;
    }
    if (sub !== 'check') throw new UsageError('usage', `unknown etcd subcommand "${sub}" (try: kspect etcd check --help)`);
    const { values, positionals } = parse(rest, OPTIONS, false);
    if (values.help) {
      io.stdout(ETCD_HELP);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError('usage', `unexpected argument "${positionals[0] ?? ''}"`);
    await checkReportFlags(values);
    const endpoints = urls(values.endpoints, '--endpoints');
    if (endpoints.length === 0) throw new UsageError('usage', 'etcd check needs --endpoints URL (e.g. https://127.0.0.1:2379)');
    if ((values.cert === undefined) !== (values.key === undefined)) throw new UsageError('usage', '--cert and --key go together');
    const timeoutMs = requestTimeoutArg(values, 15_000);
    const prefix = values.prefix ?? '/registry';
    if (!prefix.startsWith('/')) throw new UsageError('usage', '--prefix must start with /');
    let tls;
    try {
      tls = await loadTls({
        ...(values.cacert !== undefined ? { cacert: values.cacert } : {}),
        ...(values.cert !== undefined ? { cert: values.cert } : {}),
        ...(values.key !== undefined ? { key: values.key } : {}),
      });
    } catch (e) {
      if (e instanceof EtcdError) throw new UsageError('usage', e.message);
      throw e;
    }
    const { config, baseline } = await loadRunFiles(values, io);
    const only = await checksArg(values.checks);
    const enc = values['encryption-config'] !== undefined ? await readEncryptionConfig(values['encryption-config']) : { problems: [] };
    const progress = io.stderrIsTTY ? (n: number) => { io.stderr(`\rkspect: read ${n} values from etcd`); } : undefined;
    const report = await checkEtcd({
      endpoints,
      tls,
      prefix,
      metricsUrls: urls(values['metrics-urls'], '--metrics-urls'),
      timeoutMs,
      config,
      ...(baseline ? { baseline } : {}),
      ...(only ? { only } : {}),
      now: io.now(),
      toolVersion: await packageVersion(),
      extraProblems: enc.problems,
      ...(enc.config && enc.problems.length === 0 ? { encryptionConfig: enc.config } : {}),
      ...(progress ? { onProgress: progress } : {}),
    });
    if (progress) io.stderr('\n');
    return emitReport(report, outputFlags(values, config, 'high'), io);
  });
}
