/**
 * Reading a node: static pod manifests, the kubelet's systemd units and config file, running
 * processes (`/proc/<pid>/cmdline`, with `processes`), kubeconfigs, the PKI folder and every file a
 * flag references — each with mode and owner. Paths are node paths resolved under `root`, symlinks
 * included (an absolute link target stays inside `root`). Produces a NodeSnapshot; decides nothing.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink, open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { Problem } from '../core/finding.js';
import { parseFlags, splitWords } from '../engines/node/flags.js';
import { argvProblem, componentsOfPod, MAX_ARGV_BYTES, minorFromImage } from '../engines/node/manifest.js';
import { DEFAULTS, FILE_FLAGS, PARSED_FLAGS, etcdDataDir, kubeconfigOf, nodePath } from '../engines/node/paths.js';
import { componentOfBinary, type Component, type ComponentInstance, type NodeFile, type NodeSnapshot, type ParsedFile } from '../engines/node/snapshot.js';
import { errnoText } from './files.js';
import { parseManifests } from './yaml.js';

export interface ReadNodeOptions {
  /** The node's root folder (default `/`). */
  readonly root?: string;
  /** Read running processes from `<root>/proc`. */
  readonly processes?: boolean;
  /** An EncryptionConfiguration to audit, read from this machine's file system. */
  readonly encryptionConfig?: string;
  /** An audit Policy to audit, read from this machine's file system. */
  readonly auditPolicy?: string;
  /** Kubernetes version (`1.34`) when known; otherwise taken from the kube-apiserver image tag. */
  readonly k8sVersion?: string;
}

const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
const MAX_LINKS = 40;
const MAX_PKI_ENTRIES = 10_000;
const MANIFEST_EXT = /\.(ya?ml|json|manifest)$/i;

class Loop extends Error {
  readonly code = 'ELOOP';
}

/** Resolve a node path to a path on this machine, following symlinks inside `root`. */
async function resolveInRoot(root: string, node: string): Promise<{ host: string; node: string }> {
  let pending = nodePath(node).split('/').filter((s) => s !== '');
  let done: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const seg = pending.shift() ?? '';
    if (seg === '..') {
      done.pop();
      continue;
    }
    const candidate = [...done, seg];
    const host = join(root, ...candidate);
    let isLink: boolean;
    try {
      isLink = (await lstat(host)).isSymbolicLink();
    } catch {
      // Missing: the rest of the path cannot be resolved further.
      done = [...candidate, ...pending];
      break;
    }
    if (!isLink) {
      done = candidate;
      continue;
    }
    if (++hops > MAX_LINKS) throw new Loop('too many levels of symbolic links');
    const target = await readlink(host);
    const parts = target.split('/').filter((s) => s !== '' && s !== '.');
    if (target.startsWith('/')) done = [];
    pending = [...parts, ...pending];
  }
  return { host: join(root, ...done), node: `/${done.join('/')}` };
}

interface Names {
  users: Map<number, string>;
  groups: Map<number, string>;
}

async function readNames(root: string): Promise<Names> {
  const parse = (text: string): Map<number, string> => {
    const m = new Map<number, string>();
    for (const line of text.split('\n')) {
      const f = line.split(':');
      const id = Number(f[2]);
      if (f[0] && Number.isInteger(id) && !m.has(id)) m.set(id, f[0]);
    }
    return m;
  };
  const tryRead = async (p: string): Promise<string | undefined> => readFile(p, 'utf8').catch(() => undefined);
  // The node's own account files first; a tree built on this machine falls back to this machine's.
  const users = (await tryRead(join(root, 'etc/passwd'))) ?? (await tryRead('/etc/passwd')) ?? '';
  const groups = (await tryRead(join(root, 'etc/group'))) ?? (await tryRead('/etc/group')) ?? '';
  const u = parse(users);
  const g = parse(groups);
  if (!u.has(0)) u.set(0, 'root');
  if (!g.has(0)) g.set(0, 'root');
  return { users: u, groups: g };
}

export class NodeReader {
  readonly files = new Map<string, NodeFile>();
  readonly parsed = new Map<string, ParsedFile>();
  readonly problems: Problem[] = [];
  private names: Names | undefined;

  constructor(
    readonly root: string,
    private readonly shownRoot: string = root,
  ) {}

  /** A node path as the user sees it: under the root they gave. */
  display(node: string): string {
    return this.shownRoot === '/' ? node : join(this.shownRoot, node);
  }

  async statFile(node: string, digest = false): Promise<NodeFile> {
    const path = nodePath(node);
    const known = this.files.get(path);
    if (known && (!digest || known.sha256 !== undefined || !known.exists)) return known;
    this.names ??= await readNames(this.root);
    let f: NodeFile;
    try {
      const r = await resolveInRoot(this.root, path);
      const st = await lstat(r.host);
      const type = st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other';
      let sha256: string | undefined;
      if (digest && type === 'file' && st.size <= 1024 * 1024) {
        try {
          sha256 = createHash('sha256').update(await readFile(r.host)).digest('hex');
        } catch {
          sha256 = undefined;
        }
      }
      const user = this.names.users.get(st.uid);
      const group = this.names.groups.get(st.gid);
      f = {
        path,
        exists: true,
        type,
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
        ...(user !== undefined ? { user } : {}),
        ...(group !== undefined ? { group } : {}),
        ...(r.node !== path ? { target: r.node } : {}),
        ...(sha256 !== undefined ? { sha256 } : {}),
      };
    } catch (e) {
      const code = e && typeof e === 'object' && 'code' in e ? String(e.code) : '';
      if (code === 'ENOENT' || code === 'ENOTDIR') f = { path, exists: false };
      else {
        f = { path, exists: false, error: errnoText(e) };
        this.problems.push({ code: 'not-readable', severity: 'error', file: this.display(path), message: `cannot examine: ${errnoText(e)}` });
      }
    }
    this.files.set(path, f);
    return f;
  }

  /** Read a node file's text (bounded); undefined when missing. Problems are recorded. */
  async readText(node: string, max = MAX_CONFIG_BYTES): Promise<{ text?: string; error?: string }> {
    const path = nodePath(node);
    try {
      const r = await resolveInRoot(this.root, path);
      const st = await lstat(r.host);
      if (st.isDirectory()) return { error: 'is a folder' };
      if (st.size > max) return { error: `is ${st.size} bytes, over the ${max}-byte limit` };
      return { text: await readFile(r.host, 'utf8') };
    } catch (e) {
      const code = e && typeof e === 'object' && 'code' in e ? String(e.code) : '';
      if (code === 'ENOENT' || code === 'ENOTDIR') return {};
      return { error: errnoText(e) };
    }
  }

  /** Parse a node file as one YAML/JSON document. */
  async parseFile(node: string, what: string): Promise<ParsedFile> {
    const path = nodePath(node);
    const known = this.parsed.get(path);
    if (known) return known;
    await this.statFile(path);
    const { text, error } = await this.readText(path);
    let p: ParsedFile;
    if (error !== undefined) {
      p = { path, error };
      this.problems.push({ code: 'not-readable', severity: 'error', file: this.display(path), message: `cannot read the ${what}: ${error}` });
    } else if (text === undefined) p = { path, error: 'does not exist' };
    else p = this.parseText(text, path, this.display(path), what);
    this.parsed.set(path, p);
    return p;
  }

  parseText(text: string, path: string, display: string, what: string): ParsedFile {
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
    const e = doc.errors[0];
    if (e) {
      // Position only: YAML error messages can quote the offending text, which may be key material.
      const line = e.linePos?.[0]?.line;
      this.problems.push({ code: 'yaml-syntax', severity: 'error', file: display, ...(line !== undefined ? { line } : {}), message: `the ${what} is not valid YAML/JSON (${e.code})` });
      return { path, error: `not valid YAML/JSON (${e.code}${line !== undefined ? ` at line ${line}` : ''})` };
    }
    try {
      return { path, value: doc.toJS({ maxAliasCount: 100 }) as unknown };
    } catch {
      this.problems.push({ code: 'yaml-unsafe', severity: 'error', file: display, message: `the ${what} expands too many aliases` });
      return { path, error: 'too many YAML aliases' };
    }
  }

  async list(nodeDir: string): Promise<{ entries: string[]; error?: string }> {
    try {
      const r = await resolveInRoot(this.root, nodeDir);
      const names = (await readdir(r.host)).sort();
      return { entries: names.map((n) => `${nodePath(nodeDir)}/${n}`.replace(/^\/\//, '/')) };
    } catch (e) {
      const code = e && typeof e === 'object' && 'code' in e ? String(e.code) : '';
      if (code === 'ENOENT' || code === 'ENOTDIR') return { entries: [] };
      return { entries: [], error: errnoText(e) };
    }
  }
}

// ---------------------------------------------------------------- systemd

interface Unit {
  env: Map<string, string>;
  envFiles: string[];
  execStart?: string;
}

function unitLines(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (cur === '' && /^\s*[#;]/.test(line)) continue;
    if (line.endsWith('\\')) {
      cur += `${line.slice(0, -1)} `;
      continue;
    }
    out.push(cur + line);
    cur = '';
  }
  if (cur !== '') out.push(cur);
  return out;
}

/** Apply one unit file (or drop-in) on top of `u`: only the [Service] section matters. */
function applyUnit(u: Unit, text: string): void {
  let section = '';
  for (const line of unitLines(text)) {
    const t = line.trim();
    const sec = /^\[(.+)\]$/.exec(t);
    if (sec) {
      section = sec[1] ?? '';
      continue;
    }
    if (section !== 'Service') continue;
    const eq = t.indexOf('=');
    if (eq < 0) continue;
    const key = t.slice(0, eq).trim();
    const value = t.slice(eq + 1).trim();
    if (key === 'Environment') {
      for (const w of splitWords(value)) {
        const i = w.indexOf('=');
        if (i > 0) u.env.set(w.slice(0, i), w.slice(i + 1));
      }
    } else if (key === 'EnvironmentFile') {
      if (value === '') u.envFiles = [];
      else u.envFiles.push(value);
    } else if (key === 'ExecStart') {
      if (value === '') delete u.execStart;
      else u.execStart = value;
    }
  }
}

function parseEnvFile(text: string, env: Map<string, string>): void {
  for (const line of unitLines(text)) {
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const i = t.indexOf('=');
    if (i <= 0) continue;
    const key = t.slice(0, i).trim();
    const words = splitWords(t.slice(i + 1));
    env.set(key, words.join(' '));
  }
}

/** Expand an ExecStart line: `$VAR` splits into words, `${VAR}` stays one word (systemd semantics). */
export function expandExecStart(line: string, env: ReadonlyMap<string, string>): string[] {
  const cmd = line.replace(/^[-@+!:]+/, '');
  const out: string[] = [];
  for (const w of splitWords(cmd)) {
    const whole = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(w);
    if (whole) {
      out.push(...splitWords(env.get(whole[1] ?? '') ?? ''));
      continue;
    }
    out.push(w.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, a?: string, b?: string) => env.get(a ?? b ?? '') ?? ''));
  }
  return out;
}

async function readKubeletUnits(reader: NodeReader): Promise<{ argv?: string[]; units: string[] }> {
  const unit: Unit = { env: new Map(), envFiles: [] };
  const units: string[] = [];
  let base: string | undefined;
  for (const p of DEFAULTS.kubeletUnits) if ((await reader.statFile(p)).exists) base = p;
  const dropIns = new Map<string, string>();
  for (const dir of DEFAULTS.kubeletDropInDirs) {
    const { entries } = await reader.list(dir);
    for (const e of entries) if (e.endsWith('.conf')) dropIns.set(e.split('/').at(-1) ?? e, e);
  }
  let execFrom: string | undefined;
  const files = [...(base !== undefined ? [base] : []), ...[...dropIns.keys()].sort().map((k) => dropIns.get(k) ?? '')];
  for (const f of files) {
    const { text, error } = await reader.readText(f);
    await reader.statFile(f);
    if (error !== undefined) {
      reader.problems.push({ code: 'not-readable', severity: 'error', file: reader.display(f), message: `cannot read the kubelet unit: ${error}` });
      continue;
    }
    if (text === undefined) continue;
    applyUnit(unit, text);
    // `[ \t]`, not `\s`: with /m, `^\s*` would run across blank lines from every line start (quadratic).
    if (/^[ \t]*ExecStart=[ \t]*\S/m.test(text)) execFrom = f;
    if (/^[ \t]*(Environment|EnvironmentFile)=/m.test(text)) units.push(f);
  }
  if (execFrom !== undefined && !units.includes(execFrom)) units.unshift(execFrom);
  for (const ef of unit.envFiles) {
    const optional = ef.startsWith('-');
    const p = ef.replace(/^-/, '');
    const { text, error } = await reader.readText(p);
    if (text !== undefined) parseEnvFile(text, unit.env);
    else if (!optional) reader.problems.push({ code: 'not-readable', severity: 'warning', file: reader.display(p), message: `kubelet EnvironmentFile ${error ?? 'does not exist'}` });
  }
  if (unit.execStart === undefined) return { units };
  return { argv: expandExecStart(unit.execStart, unit.env), units };
}

// ---------------------------------------------------------------- processes

async function readProcesses(reader: NodeReader): Promise<ComponentInstance[]> {
  const out: ComponentInstance[] = [];
  const procHost = join(reader.root, 'proc');
  let pids: string[];
  try {
    pids = (await readdir(procHost)).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
  } catch (e) {
    reader.problems.push({ code: 'not-readable', severity: 'error', file: procHost, message: `cannot list processes: ${errnoText(e)}` });
    return out;
  }
  for (const pid of pids) {
    let buf: Buffer;
    try {
      const fh = await open(join(procHost, pid, 'cmdline'), 'r');
      try {
        const b = Buffer.alloc(MAX_ARGV_BYTES + 1);
        let n = 0;
        for (;;) {
          const r = await fh.read(b, n, b.length - n, null);
          if (r.bytesRead === 0) break;
          n += r.bytesRead;
          if (n >= b.length) break;
        }
        buf = b.subarray(0, n);
      } finally {
        await fh.close();
      }
    } catch {
      continue; // a process that ended, or a kernel thread we may not read
    }
    if (buf.length === 0) continue;
    const truncated = buf.length > MAX_ARGV_BYTES;
    const argv = buf.toString('utf8').replace(/\0$/, '').split('\0');
    const component = componentOfBinary(argv[0] ?? '', argv[1]);
    if (!component) continue;
    const env: Record<string, string> = {};
    if (component === 'etcd') {
      const text = await readFile(join(procHost, pid, 'environ'), 'utf8').catch(() => '');
      for (const kv of text.split('\0')) {
        const i = kv.indexOf('=');
        if (i > 0 && kv.startsWith('ETCD_')) env[kv.slice(0, i)] = kv.slice(i + 1);
      }
    }
    const problem = truncated ? `the command line is over ${MAX_ARGV_BYTES} bytes` : argvProblem(argv);
    const hyper = (argv[0]?.split('/').at(-1) ?? '') === 'hyperkube';
    out.push({
      component,
      origin: { type: 'process', pid: Number(pid) },
      argv: problem ? [argv[0] ?? ''] : argv,
      flags: parseFlags(problem ? [] : hyper ? argv.slice(1) : argv),
      env,
      ...(problem ? { unusable: `process ${pid} (${component}): ${problem}; its flags were not evaluated` } : {}),
    });
    if (problem) reader.problems.push({ code: 'command-line-too-large', severity: 'error', file: join(procHost, pid, 'cmdline'), message: `${problem}; its flags were not evaluated` });
  }
  return out;
}

// ---------------------------------------------------------------- the node

/** Read a node into a snapshot. Never throws for bad input: problems are recorded. */
export async function readNode(options: ReadNodeOptions = {}): Promise<NodeSnapshot> {
  const root = resolve(options.root ?? '/');
  const shownRoot = options.root ?? '/';
  const reader = new NodeReader(root, shownRoot);
  const components = new Map<Component, ComponentInstance>();
  const manifests: string[] = [];
  let minor: number | undefined;

  // Static pod manifests.
  const dir = await reader.list(DEFAULTS.manifestsDir);
  if (dir.error !== undefined) reader.problems.push({ code: 'not-readable', severity: 'error', file: reader.display(DEFAULTS.manifestsDir), message: `cannot list the manifests folder: ${dir.error}` });
  for (const path of dir.entries) {
    if (!MANIFEST_EXT.test(path)) continue;
    const f = await reader.statFile(path);
    if (f.type === 'directory') continue;
    manifests.push(path);
    const display = reader.display(path);
    const { text, error } = await reader.readText(path);
    if (error !== undefined) {
      reader.problems.push({ code: 'not-readable', severity: 'error', file: display, message: `cannot read the manifest: ${error}` });
      continue;
    }
    if (text === undefined) continue;
    const parsed = parseManifests(text, display, { type: 'node', uri: display });
    reader.problems.push(...parsed.problems);
    if (parsed.objects.length === 0 && parsed.problems.length === 0)
      reader.problems.push({ code: 'not-a-pod', severity: 'error', file: display, message: 'is not a Kubernetes object: a static pod manifest must be a Pod' });
    for (const obj of parsed.objects) {
      if (obj.kind !== 'Pod' || obj.apiVersion !== 'v1') {
        reader.problems.push({ code: 'not-a-pod', severity: 'error', file: display, ...(obj.origin.location ? { line: obj.origin.location.line } : {}), message: `is a ${obj.apiVersion} ${obj.kind}, not a v1 Pod: the kubelet ignores it` });
        continue;
      }
      for (const ci of componentsOfPod(obj, path)) {
        if (ci.unusable !== undefined) reader.problems.push({ code: 'command-line-too-large', severity: 'error', file: display, message: ci.unusable.replace(`${path}: `, '') });
        if (!components.has(ci.component)) components.set(ci.component, ci);
        if (ci.component === 'apiserver') minor ??= minorFromImage(obj);
      }
    }
  }

  // The kubelet, from systemd.
  const kubeletUnits = await readKubeletUnits(reader);
  if (kubeletUnits.argv) {
    const argv = kubeletUnits.argv;
    const problem = argvProblem(argv);
    components.set('kubelet', {
      component: 'kubelet',
      origin: { type: 'systemd', units: kubeletUnits.units },
      argv,
      flags: parseFlags(problem ? [] : argv),
      env: {},
      ...(problem ? { unusable: `the kubelet command line: ${problem}` } : {}),
    });
  }

  // Running processes override what the files say.
  let processesRead = false;
  if (options.processes) {
    processesRead = true;
    const seen = new Set<Component>();
    for (const p of await readProcesses(reader)) {
      if (seen.has(p.component)) continue;
      seen.add(p.component);
      const fromFile = components.get(p.component);
      components.set(p.component, fromFile?.origin.type === 'manifest' && p.unusable === undefined ? { ...p, argPaths: [] } : p);
    }
  }

  // Files the components reference.
  for (const [c, ci] of components) {
    for (const flag of FILE_FLAGS[c]) {
      const v = ci.flags.get(flag) ?? (c === 'etcd' ? ci.env[`ETCD_${flag.toUpperCase().replace(/-/g, '_')}`] : undefined);
      if (v === undefined || v === '') continue;
      const paths = flag === 'service-account-key-file' ? v.split(',') : [v];
      for (const p of paths) await reader.statFile(p, /ca|cert/.test(flag));
    }
    for (const flag of PARSED_FLAGS[c] ?? []) {
      const v = ci.flags.get(flag);
      if (v !== undefined && v !== '') await reader.parseFile(v, flag === 'config' ? `${c} config file` : `file of --${flag}`);
    }
  }

  // Kubelet config: --config, else the kubeadm default when it exists.
  const kubelet = components.get('kubelet');
  let kubeletConfigPath: string | undefined;
  if (kubelet) {
    const flag = kubelet.flags.get('config');
    if (flag !== undefined && flag !== '') kubeletConfigPath = nodePath(flag);
    else if ((await reader.statFile(DEFAULTS.kubeletConfig)).exists) kubeletConfigPath = DEFAULTS.kubeletConfig;
    if (kubeletConfigPath !== undefined) {
      const p = await reader.parseFile(kubeletConfigPath, 'kubelet config file');
      if (p.value !== undefined) {
        for (const key of [['authentication', 'x509', 'clientCAFile'], ['tlsCertFile'], ['tlsPrivateKeyFile']]) {
          let cur: unknown = p.value;
          for (const k of key) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
          if (typeof cur === 'string' && cur !== '') await reader.statFile(cur, true);
        }
      }
      const dropDir = kubelet.flags.get('config-dir');
      if (dropDir !== undefined && dropDir !== '') {
        const merged = await mergeConfigDir(reader, dropDir, p.value);
        reader.parsed.set(kubeletConfigPath, { ...p, ...(merged !== undefined ? { value: merged } : {}) });
      }
    }
  }

  // Kubeconfigs, the etcd data dir, the PKI folder.
  for (const p of DEFAULTS.adminConfs) await reader.statFile(p);
  for (const c of ['controller-manager', 'scheduler', 'kubelet', 'proxy'] as const) {
    const p = kubeconfigOf(c, components.get(c));
    if (p !== undefined) await reader.statFile(p);
  }
  await reader.statFile(DEFAULTS.kubeletCaFile, true);
  await reader.statFile(etcdDataDir(components.get('etcd')));
  const pki: string[] = [];
  const walk = async (p: string): Promise<void> => {
    if (pki.length >= MAX_PKI_ENTRIES) return;
    const f = await reader.statFile(p);
    if (!f.exists) return;
    pki.push(p);
    if (f.type === 'directory') for (const e of (await reader.list(p)).entries) await walk(e);
  };
  await walk(DEFAULTS.pkiDir);
  if (pki.length >= MAX_PKI_ENTRIES) reader.problems.push({ code: 'too-many-files', severity: 'warning', file: reader.display(DEFAULTS.pkiDir), message: `more than ${MAX_PKI_ENTRIES} entries: the rest were not examined` });

  // Files given on the command line (read from this machine, not from the node root).
  const given = async (file: string | undefined, key: string, what: string): Promise<void> => {
    if (file === undefined) return;
    try {
      const text = await readFile(file, 'utf8');
      reader.parsed.set(key, reader.parseText(text, key, file, what));
    } catch (e) {
      reader.problems.push({ code: 'not-readable', severity: 'error', file, message: `cannot read the ${what}: ${errnoText(e)}` });
      reader.parsed.set(key, { path: key, error: errnoText(e) });
    }
  };
  await given(options.encryptionConfig, '<given>/encryption-config', 'encryption configuration');
  await given(options.auditPolicy, '<given>/audit-policy', 'audit policy');

  const k8sVersion = options.k8sVersion ?? (minor !== undefined ? `1.${minor}` : undefined);
  return {
    root: shownRoot,
    components,
    files: reader.files,
    parsed: reader.parsed,
    manifests,
    ...(kubeletConfigPath !== undefined ? { kubeletConfigPath } : {}),
    kubeletUnits: kubeletUnits.units,
    pki,
    processesRead,
    ...(k8sVersion !== undefined ? { k8sVersion } : {}),
    problems: reader.problems,
  };
}

/** kubelet --config-dir: `*.conf` drop-ins, sorted, merged over the config file (maps merge, the rest replaces). */
async function mergeConfigDir(reader: NodeReader, dir: string, base: unknown): Promise<unknown> {
  const merge = (a: unknown, b: unknown): unknown => {
    if (a !== null && typeof a === 'object' && !Array.isArray(a) && b !== null && typeof b === 'object' && !Array.isArray(b)) {
      const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
      for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = merge(out[k], v);
      return out;
    }
    return b === undefined ? a : b;
  };
  let cur = base;
  for (const e of (await reader.list(dir)).entries.filter((x) => x.endsWith('.conf'))) {
    const p = await reader.parseFile(e, 'kubelet config drop-in');
    if (p.value !== undefined) cur = merge(cur, p.value);
  }
  return cur;
}
