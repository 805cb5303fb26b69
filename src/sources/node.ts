/**
 * Reading a node: static pod manifests, the kubelet's systemd units and config file (with its --config-dir
 * drop-ins), running processes (`/proc/<pid>/cmdline`, with `processes`), kubeconfigs, the PKI and CNI folders and
 * every file a flag references — each with mode and owner. Paths are node paths resolved under `root`, symlinks
 * included (an absolute link target stays inside `root`; loops are errors). Produces the node's inventory objects
 * (engines/node/objects.ts); decides nothing.
 *
 * Never fails open: whatever could change a verdict and could not be read (a unit, an EnvironmentFile, a drop-in,
 * the account files, a folder listing, a process environment) is recorded, so the controls that depend on it are not
 * evaluated. Only regular files are read: FIFOs, devices and sockets are refused by type before reading (opened
 * non-blocking and checked again on the open handle, so a swap in between cannot hang kspect), every read is bounded.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { Problem } from '../core/finding.js';
import { parseFlags, splitWords } from '../engines/node/flags.js';
import { argvProblem, componentsOfPod, MAX_ARGV_BYTES, minorFromImage } from '../engines/node/manifest.js';
import { givenKey, nodeObjects, walkOrder, type ConfigLocator } from '../engines/node/objects.js';
import { DEFAULTS, FILE_FLAGS, PARSED_FLAGS, etcdDataDir, kubeconfigOf, nodePath } from '../engines/node/paths.js';
import { componentOfBinary, type Component, type ComponentInstance, type NodeFile, type NodeSnapshot, type ParsedFile } from '../engines/node/snapshot.js';
import type { K8sObject } from '../model/object.js';
import { errnoText } from './files.js';
import { parseManifests } from './yaml.js';
import { ReadRefusedError, readRegularFile } from './safe-read.js';
import { appendAll } from '../core/arrays.js';

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
  /** Accept a root holding nothing the node controls read (default: a "nothing to check" error problem). */
  readonly allowEmpty?: boolean;
}

const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
const MAX_LINKS = 40;
/** Entries examined per walked folder (PKI, CNI, kubelet drop-ins). */
const MAX_WALK_ENTRIES = 10_000;
const MANIFEST_EXT = /\.(ya?ml|json|manifest)$/i;

class Loop extends Error {
  readonly code = 'ELOOP';
}

/**
 * Read a regular file on this machine, at most `max` bytes, through the one safe reader (safe-read.ts) without
 * following a link named as the file itself: node paths resolve their links inside the node's root first.
 */
export async function readRegular(host: string, max: number): Promise<Buffer> {
  try {
    return await readRegularFile(host, { max, follow: false });
  } catch (e) {
    // The node's messages say "over the N-byte limit" (its limits are small and exact).
    if (e instanceof ReadRefusedError && e.code === 'EFBIG') throw new ReadRefusedError(`is over the ${max}-byte limit`, 'EFBIG');
    throw e;
  }
}

function readError(e: unknown): string {
  return errnoText(e);
}

function isMissing(e: unknown): boolean {
  const code = e && typeof e === 'object' && 'code' in e ? String(e.code) : '';
  return code === 'ENOENT' || code === 'ENOTDIR';
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
  /** Why the node's account files could not be read: owner names other than root are then unknown. */
  error?: string;
}

async function readNames(root: string): Promise<Names> {
  const parse = (text: string): Map<number, string> => {
    const m = new Map<number, string>();
    for (const line of text.split('\n')) {
      const f = line.split(':');
      const id = Number(f[2]);
      if (f[0] && f[2] !== undefined && f[2] !== '' && Number.isInteger(id) && !m.has(id)) m.set(id, f[0]);
    }
    return m;
  };
  const errors: string[] = [];
  // The node's own account files; only a tree that has none (built on this machine) falls back to this machine's.
  const read = async (node: string): Promise<string> => {
    try {
      return (await readRegular(join(root, node), MAX_CONFIG_BYTES)).toString('utf8');
    } catch (e) {
      if (!isMissing(e)) {
        errors.push(`${node} ${readError(e)}`);
        return '';
      }
      try {
        return (await readRegular(node, MAX_CONFIG_BYTES)).toString('utf8');
      } catch {
        return '';
      }
    }
  };
  const u = parse(await read('/etc/passwd'));
  const g = parse(await read('/etc/group'));
  if (!u.has(0)) u.set(0, 'root');
  if (!g.has(0)) g.set(0, 'root');
  return { users: u, groups: g, ...(errors.length > 0 ? { error: errors.join('; ') } : {}) };
}

export class NodeReader {
  readonly files = new Map<string, NodeFile>();
  readonly parsed = new Map<string, ParsedFile>();
  /** Where the fields of each parsed config are, for findings that point into it. */
  readonly locators = new Map<string, ConfigLocator>();
  readonly problems: Problem[] = [];
  private names: Names | undefined;

  /** Why the node's /etc/passwd or /etc/group could not be read, once they were needed. */
  get accountsError(): string | undefined {
    return this.names?.error;
  }

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
    if (!this.names) {
      this.names = await readNames(this.root);
      if (this.names.error !== undefined) this.problems.push({ code: 'not-readable', severity: 'error', file: this.display('/etc/passwd'), message: `cannot read the node's account files (${this.names.error}): owners other than root are not evaluated` });
    }
    let f: NodeFile;
    try {
      const r = await resolveInRoot(this.root, path);
      const st = await lstat(r.host);
      const type = st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other';
      let sha256: string | undefined;
      if (digest && type === 'file' && st.size <= 1024 * 1024) {
        try {
          sha256 = createHash('sha256').update(await readRegular(r.host, 1024 * 1024)).digest('hex');
        } catch {
          // Not comparable: the control that compares contents says so (not evaluated).
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

  /** Read a node file's text (a regular file, bounded); neither text nor error when it does not exist. */
  async readText(node: string, max = MAX_CONFIG_BYTES): Promise<{ text?: string; error?: string }> {
    const path = nodePath(node);
    try {
      const r = await resolveInRoot(this.root, path);
      return { text: (await readRegular(r.host, max)).toString('utf8') };
    } catch (e) {
      if (isMissing(e)) return {};
      return { error: readError(e) };
    }
  }

  /** Parse a node file as one YAML/JSON document. */
  async parseFile(node: string, what: string, role?: string): Promise<ParsedFile> {
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
    if (role !== undefined) p = { ...p, role };
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
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    } catch {
      this.problems.push({ code: 'yaml-unsafe', severity: 'error', file: display, message: `the ${what} expands too many aliases` });
      return { path, error: 'too many YAML aliases' };
    }
    // Field locations, for findings that point into the file (a document with apiVersion and kind: every config kspect reads).
    const located = parseManifests(text, display, { type: 'node', uri: display });
    const only = located.objects.length === 1 && located.problems.length === 0 ? located.objects[0] : undefined;
    if (only) {
      // The manifest parser decodes scalars as the components' YAML library does; prefer its reading of the document.
      value = only.raw;
      this.locators.set(path, { ...(only.origin.location ? { location: only.origin.location } : {}), locate: (p: string) => only.origin.locate(p) });
    }
    return { path, value };
  }

  async list(nodeDir: string): Promise<{ entries: string[]; error?: string }> {
    try {
      const r = await resolveInRoot(this.root, nodeDir);
      const names = (await readdir(r.host)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      return { entries: names.map((n) => `${nodePath(nodeDir)}/${n}`.replace(/^\/\//, '/')) };
    } catch (e) {
      if (isMissing(e)) return { entries: [] };
      return { entries: [], error: errnoText(e) };
    }
  }

  /**
   * Every entry under a folder (the folder included), depth first in name order as Go's filepath.WalkDir visits
   * them. `error` says what could not be walked (a folder not listable, too many entries).
   */
  async walk(nodeDir: string, max = MAX_WALK_ENTRIES): Promise<{ entries: string[]; error?: string }> {
    const entries: string[] = [];
    const errors: string[] = [];
    const seen = new Set<string>();
    const visit = async (p: string): Promise<void> => {
      if (entries.length >= max) return;
      const f = await this.statFile(p);
      if (!f.exists) {
        if (f.error !== undefined) errors.push(`${p}: ${f.error}`);
        return;
      }
      entries.push(p);
      if (f.type !== 'directory') return;
      // A link back to a folder already walked is listed, not walked again.
      const real = f.target ?? p;
      if (seen.has(real)) return;
      seen.add(real);
      const l = await this.list(p);
      if (l.error !== undefined) errors.push(`cannot list ${p}: ${l.error}`);
      for (const e of l.entries) await visit(e);
    };
    await visit(nodePath(nodeDir));
    if (entries.length >= max) errors.push(`more than ${max} entries: the rest were not examined`);
    return { entries, ...(errors.length > 0 ? { error: errors.join('; ') } : {}) };
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

interface KubeletUnits {
  argv?: string[];
  /** The unit and drop-ins that define the kubelet's command line (for their modes and owners). */
  units: string[];
  /** Set when something that could change the command line could not be read: the kubelet's flags are unknown. */
  unknown?: string;
}

async function readKubeletUnits(reader: NodeReader): Promise<KubeletUnits> {
  const unit: Unit = { env: new Map(), envFiles: [] };
  const units: string[] = [];
  const unknown: string[] = [];
  let base: string | undefined;
  for (const p of DEFAULTS.kubeletUnits) {
    const f = await reader.statFile(p);
    if (f.exists || f.error !== undefined) base = p;
  }
  // Drop-ins of every folder, by file name (a later folder's file of the same name masks an earlier one).
  const dropIns = new Map<string, string>();
  for (const dir of DEFAULTS.kubeletDropInDirs) {
    const { entries, error } = await reader.list(dir);
    if (error !== undefined) {
      unknown.push(`cannot list ${reader.display(dir)}: ${error}`);
      reader.problems.push({ code: 'not-readable', severity: 'error', file: reader.display(dir), message: `cannot list the kubelet's systemd drop-ins: ${error}; the kubelet's flags are not evaluated` });
    }
    for (const e of entries) if (e.endsWith('.conf')) dropIns.set(e.split('/').at(-1) ?? e, e);
  }
  let execFrom: string | undefined;
  const files = [...(base !== undefined ? [base] : []), ...[...dropIns.keys()].sort().map((k) => dropIns.get(k) ?? '')];
  for (const f of files) {
    await reader.statFile(f);
    const { text, error } = await reader.readText(f);
    if (error !== undefined) {
      unknown.push(`${reader.display(f)} ${error}`);
      units.push(f);
      reader.problems.push({ code: 'not-readable', severity: 'error', file: reader.display(f), message: `cannot read the kubelet unit: ${error}; the kubelet's flags are not evaluated` });
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
    // `-` only makes a missing file acceptable to systemd; a file that exists but cannot be read, is a folder or is
    // too large could set any flag, so the kubelet's command line is unknown.
    const optional = ef.startsWith('-');
    const p = ef.replace(/^-/, '');
    const { text, error } = await reader.readText(p);
    if (text !== undefined) {
      parseEnvFile(text, unit.env);
      continue;
    }
    if (error === undefined && optional) continue;
    const why = error ?? 'does not exist (and is not optional: systemd does not start the unit)';
    unknown.push(`EnvironmentFile ${reader.display(p)} ${why}`);
    reader.problems.push({ code: 'not-readable', severity: 'error', file: reader.display(p), message: `cannot read the kubelet's EnvironmentFile: ${why}; the kubelet's flags are not evaluated` });
  }
  const out: KubeletUnits = { units, ...(unknown.length > 0 ? { unknown: unknown.join('; ') } : {}) };
  if (unit.execStart === undefined) return out;
  return { ...out, argv: expandExecStart(unit.execStart, unit.env) };
}

// ---------------------------------------------------------------- processes

async function readProcesses(reader: NodeReader): Promise<ComponentInstance[]> {
  const out: ComponentInstance[] = [];
  const procHost = join(reader.root, 'proc');
  let pids: string[];
  try {
    pids = (await readdir(procHost)).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
  } catch (e) {
    reader.problems.push({ code: 'not-readable', severity: 'error', file: reader.display('/proc'), message: `cannot list processes: ${errnoText(e)}` });
    return out;
  }
  const denied: string[] = [];
  for (const pid of pids) {
    const cmdline = join(procHost, pid, 'cmdline');
    let buf: Buffer;
    let truncated = false;
    try {
      buf = await readRegular(cmdline, MAX_ARGV_BYTES);
    } catch (e) {
      if (e instanceof ReadRefusedError && e.code === 'EFBIG') {
        truncated = true;
        buf = Buffer.alloc(0);
      } else if (e instanceof ReadRefusedError) {
        reader.problems.push({ code: 'not-readable', severity: 'error', file: reader.display(`/proc/${pid}/cmdline`), message: `cannot read: ${e.message}` });
        continue;
      } else {
        // A process that ended meanwhile is gone; one kspect may not read is counted (hidepid, another user's process).
        if (!isMissing(e) && !(e && typeof e === 'object' && 'code' in e && e.code === 'ESRCH')) denied.push(pid);
        continue;
      }
    }
    if (!truncated && buf.length === 0) continue; // a kernel thread
    const argv = truncated ? [] : buf.toString('utf8').replace(/\0$/, '').split('\0');
    if (truncated) {
      // Only the program name is needed to know what runs: read the first bytes again.
      const head = await readHead(cmdline, 4096);
      argv.push((head.split('\0')[0] ?? ''));
    }
    const component = componentOfBinary(argv[0] ?? '', argv[1]);
    if (!component) continue;
    const env: Record<string, string> = Object.create(null) as Record<string, string>;
    let envUnreadable: string | undefined;
    if (component === 'etcd') {
      try {
        const text = (await readRegular(join(procHost, pid, 'environ'), MAX_ARGV_BYTES)).toString('utf8');
        for (const kv of text.split('\0')) {
          const i = kv.indexOf('=');
          if (i > 0 && kv.startsWith('ETCD_')) Object.defineProperty(env, kv.slice(0, i), { value: kv.slice(i + 1), enumerable: true, writable: true, configurable: true });
        }
      } catch (e) {
        envUnreadable = `${reader.display(`/proc/${pid}/environ`)} ${readError(e)}`;
        reader.problems.push({ code: 'not-readable', severity: 'warning', file: reader.display(`/proc/${pid}/environ`), message: `cannot read etcd's environment (${readError(e)}): flags it may take from ETCD_* variables are not evaluated` });
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
      ...(envUnreadable !== undefined ? { envUnreadable } : {}),
      ...(problem ? { unusable: `process ${pid} (${component}): ${problem}; its flags were not evaluated` } : {}),
    });
    if (problem) reader.problems.push({ code: 'command-line-too-large', severity: 'error', file: reader.display(`/proc/${pid}/cmdline`), message: `${problem}; its flags were not evaluated` });
  }
  if (denied.length > 0)
    reader.problems.push({ code: 'not-readable', severity: 'warning', file: reader.display('/proc'), message: `${denied.length} process${denied.length === 1 ? '' : 'es'} could not be read (${denied.slice(0, 5).join(', ')}${denied.length > 5 ? ', …' : ''}): a component among them would be missed; run kspect as root` });
  return out;
}

/** The first bytes of a regular file (for a command line too long to read whole). */
async function readHead(host: string, n: number): Promise<string> {
  try {
    const fh = await open(host, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    try {
      if (!(await fh.stat()).isFile()) return '';
      const b = Buffer.alloc(n);
      const r = await fh.read(b, 0, n, 0);
      return b.subarray(0, r.bytesRead).toString('utf8');
    } finally {
      await fh.close();
    }
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------- the node

/** A node read from its files: its inventory objects, and what could not be read. */
export interface NodeRead {
  /** The objects to hand to the runner: NodeAudit, static Pods, NodeComponents, NodeFiles, NodeConfigs. */
  readonly objects: readonly K8sObject[];
  readonly problems: readonly Problem[];
  /** The snapshot the objects were written from (the node engine reads the objects back the same way). */
  readonly snapshot: NodeSnapshot;
}

/** Read a node. Never throws for bad input: problems are recorded, and what they hide is not evaluated. */
export async function readNode(options: ReadNodeOptions = {}): Promise<NodeRead> {
  const root = resolve(options.root ?? '/');
  const shownRoot = options.root ?? '/';
  const reader = new NodeReader(root, shownRoot);
  // A root that is not a folder is the user's mistake, said once: every control would otherwise be "not found".
  try {
    const st = await lstat(root);
    if (!st.isDirectory()) reader.problems.push({ code: 'not-readable', severity: 'error', file: shownRoot, message: `is not a folder: --root takes the node's root folder (/ on the node itself)` });
  } catch (e) {
    reader.problems.push({ code: 'not-readable', severity: 'error', file: shownRoot, message: `cannot read the node root: ${errnoText(e)}` });
  }
  const components = new Map<Component, ComponentInstance>();
  const manifests: string[] = [];
  const manifestErrors: string[] = [];
  const pods: K8sObject[] = [];
  let minor: number | undefined;

  // Static pod manifests.
  const dir = await reader.list(DEFAULTS.manifestsDir);
  if (dir.error !== undefined) {
    manifestErrors.push(`${reader.display(DEFAULTS.manifestsDir)} cannot be listed: ${dir.error}`);
    reader.problems.push({ code: 'not-readable', severity: 'error', file: reader.display(DEFAULTS.manifestsDir), message: `cannot list the manifests folder: ${dir.error}` });
  }
  for (const path of dir.entries) {
    if (!MANIFEST_EXT.test(path)) continue;
    const f = await reader.statFile(path);
    if (f.type === 'directory') continue;
    manifests.push(path);
    const display = reader.display(path);
    const { text, error } = await reader.readText(path);
    if (error !== undefined) {
      manifestErrors.push(`${display} ${error}`);
      reader.problems.push({ code: 'not-readable', severity: 'error', file: display, message: `cannot read the manifest: ${error}` });
      continue;
    }
    if (text === undefined) continue;
    const parsed = parseManifests(text, display, { type: 'node', uri: display });
    appendAll(reader.problems, parsed.problems);
    if (parsed.problems.some((p) => p.severity === 'error')) manifestErrors.push(`${display} is not valid YAML`);
    if (parsed.objects.length === 0 && parsed.problems.length === 0)
      reader.problems.push({ code: 'not-a-pod', severity: 'error', file: display, message: 'is not a Kubernetes object: a static pod manifest must be a Pod' });
    for (const obj of parsed.objects) {
      if (obj.kind !== 'Pod' || obj.apiVersion !== 'v1') {
        reader.problems.push({ code: 'not-a-pod', severity: 'error', file: display, ...(obj.origin.location ? { line: obj.origin.location.line } : {}), message: `is a ${obj.apiVersion} ${obj.kind}, not a v1 Pod: the kubelet ignores it` });
        continue;
      }
      pods.push(obj);
      for (const ci of componentsOfPod(obj, path)) {
        if (ci.unusable !== undefined) reader.problems.push({ code: 'command-line-too-large', severity: 'error', file: display, message: ci.unusable.replace(`${path}: `, '') });
        if (!components.has(ci.component)) components.set(ci.component, { ...ci, object: obj });
        if (ci.component === 'apiserver') minor ??= minorFromImage(obj);
      }
    }
  }

  // The kubelet, from systemd.
  const kubeletUnits = await readKubeletUnits(reader);
  if (kubeletUnits.argv || kubeletUnits.unknown !== undefined) {
    const argv = kubeletUnits.argv ?? [];
    const problem = kubeletUnits.unknown === undefined ? argvProblem(argv) : undefined;
    const unusable = kubeletUnits.unknown !== undefined ? `the kubelet's command line is unknown: ${kubeletUnits.unknown}` : problem !== undefined ? `the kubelet command line: ${problem}` : undefined;
    components.set('kubelet', {
      component: 'kubelet',
      origin: { type: 'systemd', units: kubeletUnits.units },
      argv,
      flags: parseFlags(unusable !== undefined ? [] : argv),
      env: Object.create(null) as Record<string, string>,
      ...(unusable !== undefined ? { unusable, unusableReason: kubeletUnits.unknown !== undefined ? 'not-readable' : 'unsupported' } : {}),
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
      components.set(p.component, p);
    }
  }

  // Files the components reference.
  for (const [c, ci] of components) {
    if (ci.unusable !== undefined) continue;
    for (const flag of FILE_FLAGS[c]) {
      const v = ci.flags.get(flag) ?? (c === 'etcd' ? componentEnv(ci, flag) : undefined);
      if (v === undefined || v === '') continue;
      const paths = flag === 'service-account-key-file' ? v.split(',') : [v];
      for (const p of paths) await reader.statFile(p, /ca|cert/.test(flag));
    }
    for (const flag of PARSED_FLAGS[c] ?? []) {
      const v = ci.flags.get(flag);
      if (v !== undefined && v !== '') await reader.parseFile(v, flag === 'config' ? `${c} config file` : `file of --${flag}`, ROLES[`${c}/${flag}`]);
    }
  }

  // The kubelet's config: --config (the kubelet reads no config file without it), then its --config-dir drop-ins.
  const kubelet = components.get('kubelet');
  let kubeletConfigPath: string | undefined;
  let kubeletDropIns: NodeSnapshot['kubeletDropIns'];
  if (kubelet && kubelet.unusable === undefined) {
    const flag = kubelet.flags.get('config');
    const docs: unknown[] = [];
    if (flag !== undefined && flag !== '') {
      kubeletConfigPath = nodePath(flag);
      docs.push((await reader.parseFile(kubeletConfigPath, 'kubelet config file', 'kubelet-config')).value);
    }
    const dropDir = kubelet.flags.get('config-dir');
    if (dropDir !== undefined && dropDir !== '') {
      const d = nodePath(dropDir);
      const walked = await reader.walk(d);
      const files = walked.entries.filter((e) => e !== d && e.endsWith('.conf') && reader.files.get(e)?.type !== 'directory').sort(walkOrder);
      for (const f of files) docs.push((await reader.parseFile(f, 'kubelet config drop-in', 'kubelet-drop-in')).value);
      if (walked.error !== undefined) reader.problems.push({ code: 'not-readable', severity: 'error', file: reader.display(d), message: `cannot walk the kubelet's --config-dir: ${walked.error}; its settings are not evaluated` });
      kubeletDropIns = { dir: d, files, ...(walked.error !== undefined ? { error: walked.error } : {}) };
    }
    // Files the kubelet's config names (later documents win, as they merge).
    for (const key of [['authentication', 'x509', 'clientCAFile'], ['tlsCertFile'], ['tlsPrivateKeyFile']]) {
      for (const doc of docs) {
        let cur: unknown = doc;
        for (const k of key) cur = cur !== null && typeof cur === 'object' && Object.hasOwn(cur, k) ? (cur as Record<string, unknown>)[k] : undefined;
        if (typeof cur === 'string' && cur !== '') await reader.statFile(cur, true);
      }
    }
  }

  // Kubeconfigs, the etcd data dir, the PKI and CNI folders.
  for (const p of DEFAULTS.adminConfs) await reader.statFile(p);
  for (const c of ['controller-manager', 'scheduler', 'kubelet', 'proxy'] as const) {
    const ci = components.get(c);
    if (ci?.unusable !== undefined) continue;
    const p = kubeconfigOf(c, ci);
    if (p !== undefined) await reader.statFile(p);
  }
  await reader.statFile(DEFAULTS.kubeletCaFile, true);
  const etcd = components.get('etcd');
  if (etcd?.unusable === undefined) await reader.statFile(etcdDataDir(etcd));
  const walkErrors: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const d of [DEFAULTS.pkiDir, DEFAULTS.cniConfDir]) {
    const w = await reader.walk(d);
    if (w.error !== undefined) {
      walkErrors[d] = w.error;
      reader.problems.push({ code: 'not-readable', severity: w.error.includes('more than') && !w.error.includes('cannot list') ? 'warning' : 'error', file: reader.display(d), message: `cannot examine the whole folder: ${w.error}` });
    }
  }

  // Files given on the command line (read from this machine, not from the node root).
  const given = async (file: string | undefined, role: string, what: string): Promise<void> => {
    if (file === undefined) return;
    const key = givenKey(role);
    try {
      const text = (await readRegular(resolve(file), MAX_CONFIG_BYTES)).toString('utf8');
      const p = reader.parseText(text, key, file, what);
      reader.parsed.set(key, { ...p, path: file, role, given: true });
      const loc = reader.locators.get(key);
      if (loc) reader.locators.set(file, loc);
    } catch (e) {
      reader.problems.push({ code: 'not-readable', severity: 'error', file, message: `cannot read the ${what}: ${readError(e)}` });
      reader.parsed.set(key, { path: file, role, given: true, error: readError(e) });
    }
  };
  await given(options.encryptionConfig, 'encryption-config', 'encryption configuration');
  await given(options.auditPolicy, 'audit-policy', 'audit policy');

  // Nothing found is not a clean node (as scan's "nothing to scan"): a gate must not pass on an empty or wrong root.
  // Said once, and only when no other error explains it already.
  const found = components.size > 0 || manifests.length > 0 || options.encryptionConfig !== undefined || options.auditPolicy !== undefined || [...reader.files.values()].some((f) => f.exists);
  if (!found && options.allowEmpty !== true && !reader.problems.some((p) => p.severity === 'error'))
    reader.problems.push({
      code: 'nothing-to-scan',
      severity: 'error',
      message: `nothing to check: ${shownRoot} held no static pod manifest (${DEFAULTS.manifestsDir}), no kubelet systemd unit${options.processes ? ', no running component' : ''} and none of the files the node controls read (--allow-empty accepts that)`,
    });
  const k8sVersion = options.k8sVersion ?? (minor !== undefined ? `1.${minor}` : undefined);
  const snapshot: NodeSnapshot = {
    root: shownRoot,
    components,
    files: reader.files,
    parsed: reader.parsed,
    manifests,
    ...(kubeletConfigPath !== undefined ? { kubeletConfigPath } : {}),
    ...(kubeletDropIns ? { kubeletDropIns } : {}),
    kubeletUnits: kubeletUnits.units,
    pki: [],
    ...(Object.keys(walkErrors).length > 0 ? { walkErrors } : {}),
    ...(manifestErrors.length > 0 ? { manifestErrors } : {}),
    ...(reader.accountsError !== undefined ? { accountsError: reader.accountsError } : {}),
    processesRead,
    ...(k8sVersion !== undefined ? { k8sVersion } : {}),
    problems: reader.problems,
  };
  return { objects: nodeObjects(snapshot, pods, reader.locators), problems: reader.problems, snapshot };
}

/** What each parsed file is to the component that reads it. */
const ROLES: Readonly<Record<string, string>> = {
  'apiserver/encryption-provider-config': 'encryption-config',
  'apiserver/audit-policy-file': 'audit-policy',
  'apiserver/admission-control-config-file': 'admission-config',
  'kubelet/config': 'kubelet-config',
  'proxy/config': 'proxy-config',
};

/** etcd's `ETCD_<FLAG>` variable (own properties only). */
function componentEnv(ci: ComponentInstance, flag: string): string | undefined {
  const name = `ETCD_${flag.toUpperCase().replace(/-/g, '_')}`;
  return Object.hasOwn(ci.env, name) ? ci.env[name] : undefined;
}
