/**
 * `kspect pki check|init|issue|csr|sign`: audit every certificate of a cluster (files, kubeconfigs,
 * manifests, live endpoints) and issue sound ones. Private keys are written with mode 600 and never printed.
 */
import { webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { checkPki } from '../../api/pki.js';
import type { KspectConfig } from '../../core/config.js';
import type { CertificateSummary, Report } from '../../core/report.js';
import { UsageError } from '../../core/result.js';
import { escapeText } from '../../core/text.js';
import { parseCertificate, type CertInfo } from '../../engines/x509/cert.js';
import { certificateSummary } from '../../engines/x509/describe.js';
import { createCsr, generateKeyPair, importSigningKey, issueCertificate, KEY_ALGORITHMS, privateKeyPem, signCsr, type DnSpec, type IssueEnv, type IssueRole, type KeyAlgorithm, type San, type Signer } from '../../engines/x509/issue.js';
import { parsePem } from '../../engines/x509/pem.js';
import { renderPkiTables } from '../../reporters/pki-table.js';
import { safeJson } from '../../reporters/safe-json.js';
import { errnoText } from '../../sources/files.js';
import { choiceArg, guard, parse } from '../args.js';
import { packageVersion, type Io } from '../io.js';
import { OPTION_HELP, HELP_OPTION, REPORT_OPTIONS, REQUEST_TIMEOUT_OPTIONS, TIMEOUT_OPTIONS, checkReportFlags, requestTimeoutArg, requestTimeoutHelp, checksArg, loadRunFiles, optionHelp, outputFlags } from '../options.js';
import { emitReport } from '../report-output.js';
import { readRegularFile } from '../../sources/safe-read.js';
import { daysProblem, privilegedIdentity, sanProblem } from '../../engines/x509/issue-policy.js';

/** Largest CA certificate, key or CSR file read. */
const MAX_PKI_FILE = 16 * 1024 * 1024;

export const PKI_HELP = `Usage: kspect pki <subcommand> [options]

Subcommands:
  check PATH|HOST:PORT...   audit certificates, keys, CSRs, kubeconfigs, TLS Secrets, kubeadm's pki folder and live endpoints
  init DIR                  create a cluster CA, an etcd CA and a front-proxy CA in kubeadm's layout
  issue                     issue a key and a certificate for a role, signed by a CA
  csr                       create a key and a certificate signing request
  sign CSR                  sign a CSR with a CA (refuses CA:TRUE and system:masters unless --force)

Run \`kspect pki <subcommand> --help\` for its options.
`;

const CHECK_HELP = `Usage: kspect pki check PATH|HOST:PORT... [options]

Audit certificates (PEM/DER, bundles), private keys, CSRs, kubeconfigs (embedded and referenced),
manifests with kubernetes.io/tls Secrets, folders such as /etc/kubernetes/pki (kubeadm file names give
each certificate its role) and TLS endpoints (served chain, TLS 1.0-1.3, cipher suites, hostname,
client-certificate request).

An argument is an endpoint only when it is not an existing file or folder, is HOST:PORT, and HOST does not look
like a file (ca.crt:443 and an existing pki:443 are refused as likely typos); --endpoint HOST:PORT always probes.

Options:
      --endpoint HOST:PORT  a TLS endpoint to audit, never taken for a file (repeatable)
      --ca BUNDLE           verify chains against these CA certificates (default: the CAs among the inputs)
${optionHelp(Object.keys(REPORT_OPTIONS))}      --expiry-days N       report certificates expiring within N days (default 30)
      --cluster-domain D    cluster DNS domain for the API server SANs (default cluster.local)
      --service-cidr CIDR   service CIDR; its first IP must be an API server SAN (default 10.96.0.0/12)
      --advertise-address IP  API server advertise address, checked among its SANs
${requestTimeoutHelp('connection to an endpoint', '5s')}      --no-ciphers          do not enumerate cipher suites
${OPTION_HELP['allow-empty'] ?? ''}

The table lists every certificate and endpoint, then the findings; the default --fail-on is high.
`;

const ISSUE_HELP = `Usage: kspect pki issue --ca DIR/ca --role server|client|peer --cn CN --out PREFIX [options]

Reads DIR/ca.crt and DIR/ca.key, writes PREFIX.crt and PREFIX.key (mode 600).

Options:
      --ca PREFIX          the CA: PREFIX.crt and PREFIX.key (a folder means FOLDER/ca)
      --role ROLE          server (serverAuth), client (clientAuth) or peer (both)
      --cn CN              common name (for client certificates: the Kubernetes user)
      --o ORG              organization (for client certificates: a Kubernetes group); repeatable
      --san SAN            DNS:name, IP:addr, email:addr or URI:uri; repeatable
      --days N             validity in days (default 365, at most 398)
      --force              issue a privileged identity (system:masters, kubeadm:cluster-admins, system:nodes …)
      --key ALG            ${KEY_ALGORITHMS.join(', ')} (default ecdsa-p256)
      --out PREFIX         where to write PREFIX.crt and PREFIX.key
  -f, --format FORMAT      table (default) or json: what was issued
`;

const INIT_HELP = `Usage: kspect pki init DIR [options]

Creates DIR/ca.{crt,key} (kubernetes), DIR/etcd/ca.{crt,key} (etcd-ca) and
DIR/front-proxy-ca.{crt,key} (front-proxy-ca), as kubeadm lays them out. Keys get mode 600.
Existing files are never overwritten, and a failure leaves nothing behind: everything is written to a
temporary folder first and moved into place at the end.

Options:
      --days N             validity in days (default 3650, at most 3653)
      --key ALG            ${KEY_ALGORITHMS.join(', ')} (default ecdsa-p256)
  -f, --format FORMAT      table (default) or json
`;

const CSR_HELP = `Usage: kspect pki csr --cn CN --out PREFIX [options]

Writes PREFIX.csr and PREFIX.key (mode 600).

Options:
      --cn CN  --o ORG...  --ou UNIT...  --c COUNTRY  --st STATE  --l LOCALITY  --email ADDRESS
      --san SAN            DNS:name, IP:addr, email:addr or URI:uri; repeatable
      --key ALG            ${KEY_ALGORITHMS.join(', ')} (default ecdsa-p256)
      --out PREFIX
  -f, --format FORMAT      table (default) or json
`;

const SIGN_HELP = `Usage: kspect pki sign CSR --ca DIR/ca --role server|client|peer --out PREFIX [options]

Signs CSR with the CA and writes PREFIX.crt. Refuses requests for CA:TRUE or for the
system:masters group unless --force.

Options:
      --ca PREFIX  --role ROLE  --days N (default 365)  --force  --out PREFIX
  -f, --format FORMAT      table (default) or json
`;

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const [sub, ...rest] = argv;
    switch (sub) {
      case 'check':
        return check(rest, io);
      case 'init':
        return init(rest, io);
      case 'issue':
        return issue(rest, io);
      case 'csr':
        return csr(rest, io);
      case 'sign':
        return sign(rest, io);
      case undefined:
      case '--help':
      case '-h':
        io.stdout(PKI_HELP);
        return sub === undefined ? 2 : 0;
      default:
        throw new UsageError('usage', `unknown pki subcommand "${sub}" (check, init, issue, csr, sign)`);
    }
  });
}

function positiveInt(v: string | undefined, flag: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError('usage', `${flag} must be a positive whole number`);
  return n;
}

/** `--days` of an issuing command: a whole number within the bound of a leaf or a CA (issue-policy.ts). */
function daysArg(v: string | undefined, isCA: boolean, fallback: number): number {
  if (v === undefined) return fallback;
  const n = /^\d{1,9}$/.test(v) ? Number(v) : NaN;
  const problem = daysProblem(n, isCA);
  if (problem !== undefined) throw new UsageError('usage', problem);
  return n;
}

/** Refuse a privileged Kubernetes identity without --force: one line, exit 1 (as a refused CSR). */
function refusePrivileged(io: Io, cn: string | undefined, groups: readonly string[], force: boolean): boolean {
  const why = privilegedIdentity(cn, groups);
  if (why.length === 0 || force) return false;
  io.stderr(`kspect: refused: the certificate would carry ${escapeText(why.join('; '))} (use --force to issue it anyway)\n`);
  return true;
}

function withParams(config: KspectConfig, extra: Record<string, Record<string, unknown>>): KspectConfig {
  const parameters: Record<string, unknown> = { ...config.parameters };
  for (const [id, p] of Object.entries(extra)) {
    if (Object.keys(p).length === 0) continue;
    const base = parameters[id];
    parameters[id] = { ...(typeof base === 'object' && base !== null ? base : {}), ...p };
  }
  return { ...config, parameters };
}

async function check(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    ca: { type: 'string' },
    endpoint: { type: 'string', multiple: true },
    ...REPORT_OPTIONS,
    'expiry-days': { type: 'string' },
    'cluster-domain': { type: 'string' },
    'service-cidr': { type: 'string' },
    'advertise-address': { type: 'string' },
    ...REQUEST_TIMEOUT_OPTIONS,
    ...TIMEOUT_OPTIONS,
    'no-ciphers': { type: 'boolean' },
    'allow-empty': { type: 'boolean' },
    ...HELP_OPTION,
  });
  if (values.help) {
    io.stdout(CHECK_HELP);
    return 0;
  }
  await checkReportFlags(values);
  const timeoutMs = requestTimeoutArg(values, 5000);
  if (positionals.length === 0 && (values.endpoint ?? []).length === 0) throw new UsageError('usage', 'pki check needs at least one PATH, HOST:PORT or --endpoint HOST:PORT');
  const loaded = await loadRunFiles(values, io);
  const san: Record<string, unknown> = {};
  if (values['cluster-domain'] !== undefined) san.clusterDomain = values['cluster-domain'];
  if (values['service-cidr'] !== undefined) san.serviceCidr = values['service-cidr'];
  if (values['advertise-address'] !== undefined) san.advertiseAddress = values['advertise-address'];
  const expiry: Record<string, unknown> = {};
  if (values['expiry-days'] !== undefined) expiry.days = positiveInt(values['expiry-days'], '--expiry-days', 30);
  const config = withParams(loaded.config, { 'pki-apiserver-sans': san, 'cert-expiring': expiry });
  const only = await checksArg(values.checks);
  const report = await checkPki({
    inputs: positionals,
    ...(values.endpoint ? { endpoints: values.endpoint } : {}),
    ...(values['allow-empty'] ? { allowEmpty: true } : {}),
    ...(values.ca !== undefined ? { ca: values.ca } : {}),
    config,
    ...(loaded.baseline ? { baseline: loaded.baseline } : {}),
    ...(only ? { only } : {}),
    now: io.now(),
    cwd: io.cwd,
    probe: { timeoutMs, ciphers: !(values['no-ciphers'] ?? false) },
    toolVersion: await packageVersion(),
    progress: (l: string) => {
      if (io.stderrIsTTY) io.stderr(`kspect: ${escapeText(l)}\n`);
    },
  });
  return emitReport(report, outputFlags(values, config, 'high'), io, (color) => renderPkiTables(report, { color }));
}

function env(io: Io): IssueEnv {
  return { crypto: webcrypto, now: io.now() };
}

function keyAlg(v: string | undefined): KeyAlgorithm {
  return choiceArg(v, '--key', KEY_ALGORITHMS, 'ecdsa-p256');
}

export function parseSan(s: string): San {
  const m = /^(DNS|IP|email|URI):(.+)$/i.exec(s);
  if (!m) throw new UsageError('usage', `--san "${escapeText(s)}" must look like DNS:name, IP:addr, email:addr or URI:uri`);
  const kind = (m[1] ?? '').toLowerCase();
  const value = m[2] ?? '';
  const type = kind === 'ip' ? 'ip' : kind === 'dns' ? 'dns' : kind === 'email' ? 'email' : 'uri';
  const problem = sanProblem(type, value);
  if (problem !== undefined) throw new UsageError('usage', `--san "${escapeText(s)}": ${escapeText(problem)}`);
  return { type, value };
}

/** Write a file, refusing to overwrite; keys get mode 600. */
async function writeNew(path: string, data: string, mode: number): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (e) {
    throw new UsageError('output', `cannot create the folder of ${path}: ${errnoText(e) === 'EEXIST' ? 'a part of the path is a file' : errnoText(e)}`);
  }
  try {
    await writeFile(path, data, { mode, flag: 'wx' });
  } catch (e) {
    throw new UsageError('output', `cannot write ${path}: ${errnoText(e) === 'EEXIST' ? 'it exists (kspect never overwrites keys or certificates)' : errnoText(e)}`);
  }
}

interface Written {
  readonly files: readonly string[];
  readonly certificates: readonly CertificateSummary[];
  readonly csr?: { readonly subject: string; readonly sans: readonly string[] };
}

function emitWritten(w: Written, format: string, io: Io): number {
  if (format === 'json') {
    io.stdout(safeJson(w));
    return 0;
  }
  const lines: string[] = [];
  for (const c of w.certificates) {
    lines.push(`certificate ${c.certificate}`);
    lines.push(`  subject:   ${c.subject}`);
    lines.push(`  issuer:    ${c.issuer}`);
    lines.push(`  serial:    ${c.serial}`);
    lines.push(`  validity:  ${c.notBefore} to ${c.notAfter}`);
    lines.push(`  key:       ${c.publicKey}, signed with ${c.signature}`);
    lines.push(`  CA:        ${c.ca ? 'TRUE' : 'FALSE'}`);
    if (c.keyUsage) lines.push(`  key usage: ${c.keyUsage.join(', ')}`);
    if (c.extKeyUsage) lines.push(`  ext. key usage: ${c.extKeyUsage.join(', ')}`);
    if (c.sans.length > 0) lines.push(`  SANs:      ${c.sans.join(', ')}`);
    if (c.identity) lines.push(`  identity:  user "${c.identity.user}", groups [${c.identity.groups.join(', ')}]`);
  }
  if (w.csr) {
    lines.push(`certificate request`);
    lines.push(`  subject:   ${w.csr.subject}`);
    if (w.csr.sans.length > 0) lines.push(`  SANs:      ${w.csr.sans.join(', ')}`);
  }
  lines.push(`wrote ${w.files.join(', ')}`);
  // Subjects and SANs may come from a CSR someone else wrote: one escaped line each.
  io.stdout(`${lines.map(escapeText).join('\n')}\n`);
  return 0;
}

function summary(cert: CertInfo, name: string, role: string, now: Date): CertificateSummary {
  return certificateSummary({ ref: { source: { type: 'file', uri: name }, name }, cert, origin: 'file', role: role as 'ca', index: 0, slot: role === 'ca' ? 'ca' : 'leaf', anchorCandidate: false }, now);
}

async function init(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, { days: { type: 'string' }, key: { type: 'string' }, format: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout(INIT_HELP);
    return 0;
  }
  const format = choiceArg(values.format, '--format', ['table', 'json'] as const, 'table');
  const dir = positionals[0];
  if (dir === undefined || positionals.length > 1) throw new UsageError('usage', 'pki init needs exactly one DIR');
  const e = env(io);
  const days = daysArg(values.days, true, 3650);
  const alg = keyAlg(values.key);
  const cas: readonly [string, string][] = [
    ['ca', 'kubernetes'],
    ['etcd/ca', 'etcd-ca'],
    ['front-proxy-ca', 'front-proxy-ca'],
  ];
  const files: string[] = [];
  const certs: CertificateSummary[] = [];
  // Everything is made in memory, written to a temporary folder, and moved into place only when all is written:
  // an error (a full disk, a file that exists) never leaves a half-written CA behind.
  const made: { file: string; data: string; mode: number }[] = [];
  for (const [file, cn] of cas) {
    const keys = await generateKeyPair(alg, e);
    const issued = await issueCertificate({ subject: { cn }, role: 'ca', days }, keys.publicKey, { selfKey: keys.privateKey }, e);
    made.push({ file: `${file}.key`, data: await privateKeyPem(keys.privateKey, e), mode: 0o600 }, { file: `${file}.crt`, data: issued.certPem, mode: 0o644 });
    files.push(`${dir}/${file}.crt`, `${dir}/${file}.key`);
    certs.push(summary(issued.cert, `${dir}/${file}.crt`, 'ca', e.now));
  }
  await writeAllOrNothing(resolve(io.cwd, dir), made);
  return emitWritten({ files, certificates: certs }, format, io);
}

/**
 * Write `files` under `target` all together or not at all. When `target` does not exist, they are written to a
 * temporary sibling folder renamed to `target` at the end (atomic); when it does, to a temporary folder inside it,
 * then each is linked into place, and the ones already placed are removed again if one fails.
 */
async function writeAllOrNothing(target: string, files: readonly { file: string; data: string; mode: number }[]): Promise<void> {
  const { chmod, link, lstat, mkdtemp, rename, rm, unlink } = await import('node:fs/promises');
  const exists = await lstat(target).then((st) => st, () => undefined);
  if (exists && !exists.isDirectory()) throw new UsageError('output', `cannot create ${target}: it exists and is not a folder`);
  for (const f of files) if (exists && (await lstat(join(target, f.file)).then(() => true, () => false))) throw new UsageError('output', `cannot write ${join(target, f.file)}: it exists (kspect never overwrites keys or certificates)`);
  const parent = exists ? target : dirname(target);
  try {
    await mkdir(parent, { recursive: true });
  } catch (e) {
    throw new UsageError('output', `cannot create the folder of ${target}: ${errnoText(e) === 'EEXIST' ? 'a part of the path is a file' : errnoText(e)}`);
  }
  let tmp: string;
  try {
    tmp = await mkdtemp(join(parent, '.kspect-init-'));
  } catch (e) {
    throw new UsageError('output', `cannot create a temporary folder in ${parent}: ${errnoText(e)}`);
  }
  const moved: string[] = [];
  try {
    for (const f of files) await writeNew(join(tmp, f.file), f.data, f.mode);
    if (!exists) {
      await chmod(tmp, 0o755); // as mkdir would make it (mkdtemp makes 0700); the keys in it are 0600
      await rename(tmp, target);
      return;
    }
    for (const f of files) {
      await mkdir(dirname(join(target, f.file)), { recursive: true });
      // A hard link never replaces a file that appeared meanwhile (EEXIST), where a rename would.
      await link(join(tmp, f.file), join(target, f.file));
      moved.push(join(target, f.file));
    }
  } catch (e) {
    for (const m of moved) await unlink(m).catch(() => undefined);
    throw e instanceof UsageError ? e : new UsageError('output', `cannot write ${target}: ${errnoText(e)}`);
  } finally {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function loadSigner(prefix: string, io: Io, e: IssueEnv): Promise<Signer> {
  let base = resolve(io.cwd, prefix);
  const { stat } = await import('node:fs/promises');
  if ((await stat(base).catch(() => undefined))?.isDirectory()) base = resolve(base, 'ca');
  base = base.replace(/\.(crt|key)$/, '');
  let certPem: string;
  let keyPem: string;
  try {
    certPem = (await readRegularFile(`${base}.crt`, { max: MAX_PKI_FILE })).toString('latin1');
    keyPem = (await readRegularFile(`${base}.key`, { max: MAX_PKI_FILE })).toString('latin1');
  } catch (err) {
    throw new UsageError('input', `cannot read the CA ${base}.crt / ${base}.key: ${errnoText(err)}`);
  }
  const block = parsePem(certPem).blocks.find((b) => b.label === 'CERTIFICATE');
  if (!block) throw new UsageError('input', `${base}.crt: no PEM certificate`);
  const parsed = parseCertificate(block.der);
  if (!parsed.ok) throw new UsageError('input', `${base}.crt: ${parsed.error}`);
  if (!parsed.value.isCA) throw new UsageError('input', `${base}.crt is not a CA certificate (CA:FALSE)`);
  const key = await importSigningKey(keyPem, e);
  if (!key.ok) throw new UsageError('input', `${base}.key: ${key.error}`);
  return { cert: parsed.value, key: key.value };
}

function dnFlags(values: { cn?: string | undefined; o?: string[] | undefined; ou?: string[] | undefined; c?: string | undefined; st?: string | undefined; l?: string | undefined; email?: string | undefined }): DnSpec {
  return {
    ...(values.cn !== undefined ? { cn: values.cn } : {}),
    o: values.o ?? [],
    ou: values.ou ?? [],
    ...(values.c !== undefined ? { c: values.c } : {}),
    ...(values.st !== undefined ? { st: values.st } : {}),
    ...(values.l !== undefined ? { l: values.l } : {}),
    ...(values.email !== undefined ? { email: values.email } : {}),
  };
}

async function issue(argv: string[], io: Io): Promise<number> {
  const { values } = parse(
    argv,
    {
      ca: { type: 'string' },
      role: { type: 'string' },
      cn: { type: 'string' },
      o: { type: 'string', multiple: true },
      san: { type: 'string', multiple: true },
      days: { type: 'string' },
      key: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
      format: { type: 'string', short: 'f' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help) {
    io.stdout(ISSUE_HELP);
    return 0;
  }
  const format = choiceArg(values.format, '--format', ['table', 'json'] as const, 'table');
  if (values.ca === undefined) throw new UsageError('usage', 'pki issue needs --ca DIR/ca');
  if (values.cn === undefined || values.cn === '') throw new UsageError('usage', 'pki issue needs --cn');
  if (values.out === undefined) throw new UsageError('usage', 'pki issue needs --out PREFIX');
  if (values.role === undefined) throw new UsageError('usage', 'pki issue needs --role server|client|peer');
  const role = choiceArg(values.role, '--role', ['server', 'client', 'peer'] as const, 'client') as IssueRole;
  const sans = (values.san ?? []).map(parseSan);
  const days = daysArg(values.days, false, 365);
  if (role !== 'client' && !sans.some((x) => x.type === 'dns' || x.type === 'ip')) throw new UsageError('usage', `a ${role} certificate needs a DNS or IP --san (TLS clients match the host against the SANs, never the CN)`);
  if (refusePrivileged(io, values.cn, values.o ?? [], values.force ?? false)) return 1;
  const alg = keyAlg(values.key);
  const e = env(io);
  const signer = await loadSigner(values.ca, io, e);
  const keys = await generateKeyPair(alg, e);
  const issued = await issueCertificate({ subject: { cn: values.cn, o: values.o ?? [] }, role, sans, days }, keys.publicKey, signer, e);
  const out = resolve(io.cwd, values.out);
  await writeNew(`${out}.key`, await privateKeyPem(keys.privateKey, e), 0o600);
  await writeNew(`${out}.crt`, issued.certPem, 0o644);
  return emitWritten({ files: [`${values.out}.crt`, `${values.out}.key`], certificates: [summary(issued.cert, `${values.out}.crt`, role, e.now)] }, format, io);
}

async function csr(argv: string[], io: Io): Promise<number> {
  const { values } = parse(
    argv,
    {
      cn: { type: 'string' },
      o: { type: 'string', multiple: true },
      ou: { type: 'string', multiple: true },
      c: { type: 'string' },
      st: { type: 'string' },
      l: { type: 'string' },
      email: { type: 'string' },
      san: { type: 'string', multiple: true },
      key: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
      format: { type: 'string', short: 'f' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help) {
    io.stdout(CSR_HELP);
    return 0;
  }
  const format = choiceArg(values.format, '--format', ['table', 'json'] as const, 'table');
  if (values.cn === undefined || values.cn === '') throw new UsageError('usage', 'pki csr needs --cn');
  if (values.out === undefined) throw new UsageError('usage', 'pki csr needs --out PREFIX');
  if (values.c !== undefined && !/^[A-Za-z]{2}$/.test(values.c)) throw new UsageError('usage', '--c must be a two-letter country code');
  const sans = (values.san ?? []).map(parseSan);
  if (values.email !== undefined) {
    const problem = sanProblem('email', values.email);
    if (problem !== undefined) throw new UsageError('usage', `--email "${escapeText(values.email)}": ${escapeText(problem)}`);
  }
  if (refusePrivileged(io, values.cn, values.o ?? [], values.force ?? false)) return 1;
  const e = env(io);
  const keys = await generateKeyPair(keyAlg(values.key), e);
  const dn = dnFlags(values);
  const pem = await createCsr({ subject: dn, sans }, keys, e);
  const out = resolve(io.cwd, values.out);
  await writeNew(`${out}.key`, await privateKeyPem(keys.privateKey, e), 0o600);
  await writeNew(`${out}.csr`, pem, 0o644);
  const { parseCsr } = await import('../../engines/x509/cert.js');
  const block = parsePem(pem).blocks[0];
  const parsed = block ? parseCsr(block.der) : undefined;
  const subject = parsed?.ok ? parsed.value.subject.text : '';
  return emitWritten({ files: [`${values.out}.csr`, `${values.out}.key`], certificates: [], csr: { subject, sans: sans.map((s) => `${s.type === 'dns' ? 'DNS' : s.type === 'ip' ? 'IP' : s.type === 'uri' ? 'URI' : 'email'}:${s.value}`) } }, format, io);
}

async function sign(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    ca: { type: 'string' },
    role: { type: 'string' },
    days: { type: 'string' },
    force: { type: 'boolean' },
    out: { type: 'string' },
    format: { type: 'string', short: 'f' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(SIGN_HELP);
    return 0;
  }
  const format = choiceArg(values.format, '--format', ['table', 'json'] as const, 'table');
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) throw new UsageError('usage', 'pki sign needs exactly one CSR file');
  if (values.ca === undefined) throw new UsageError('usage', 'pki sign needs --ca DIR/ca');
  if (values.out === undefined) throw new UsageError('usage', 'pki sign needs --out PREFIX');
  if (values.role === undefined) throw new UsageError('usage', 'pki sign needs --role server|client|peer');
  const role = choiceArg(values.role, '--role', ['server', 'client', 'peer'] as const, 'client');
  const days = daysArg(values.days, false, 365);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readRegularFile(resolve(io.cwd, file), { max: MAX_PKI_FILE }));
  } catch (err) {
    throw new UsageError('input', `${file}: cannot read: ${errnoText(err)}`);
  }
  const e = env(io);
  const signer = await loadSigner(values.ca, io, e);
  const r = await signCsr(bytes, signer, { role, days, force: values.force ?? false }, e);
  if (!r.ok) {
    io.stderr(`kspect: ${escapeText(`${file}: ${r.error}`)}\n`);
    return 'refused' in r ? 1 : 2;
  }
  const out = resolve(io.cwd, values.out);
  await writeNew(`${out}.crt`, r.value.certPem, 0o644);
  return emitWritten({ files: [`${values.out}.crt`], certificates: [summary(r.value.cert, `${values.out}.crt`, r.value.cert.isCA ? 'ca' : role, e.now)] }, format, io);
}

export type { Report };
