/**
 * A node as inventory objects, so its controls run through the one runner like every other check:
 *
 * - `NodeAudit`     one per audited node: the root, whether processes were read, what could not be read;
 * - `Pod`           each static pod manifest, as parsed (with lines, so findings point at the flag);
 * - `NodeComponent` a component found as a process (`/proc/<pid>/cmdline`) or a systemd unit (the kubelet);
 * - `NodeFile`      every file and folder kspect examined: type, mode, owner, or why it could not be examined;
 * - `NodeConfig`    every configuration file a component reads, parsed (kubelet config and drop-ins, encryption
 *                   configuration, audit policy, kube-proxy config …), or why it could not be read.
 *
 * The source writes them (`nodeObjects`), the node engine reads them back (`nodeSnapshotOf`) validating every field,
 * so a fixture or a library user can build a node from YAML. No I/O.
 */
import type { FileLocation } from '../../core/finding.js';
import { trimEndChar } from '../../core/text.js';
import type { Inventory } from '../../model/inventory.js';
import { getArray, getBool, getNumber, getObject, getString, isObject, toK8sObject, type JsonObject, type JsonValue, type K8sObject } from '../../model/object.js';
import { parseFlags } from './flags.js';
import { argvProblem, componentsOfPod, minorFromImage } from './manifest.js';
import { nodePath } from './paths.js';
import { COMPONENT_NAMES, COMPONENTS, type Component, type ComponentInstance, type NodeFile, type NodeSnapshot, type ParsedFile } from './snapshot.js';

export const NODE_API_VERSION = 'kspect.dev/v1alpha1';
export const NODE_AUDIT = 'NodeAudit';
export const NODE_FILE = 'NodeFile';
export const NODE_COMPONENT = 'NodeComponent';
export const NODE_CONFIG = 'NodeConfig';
/** Every kind of node object (static pods are ordinary `Pod`s). */
export const NODE_KINDS: readonly string[] = [NODE_AUDIT, NODE_FILE, NODE_COMPONENT, NODE_CONFIG];

/** Key of a configuration given on kspect's command line in `NodeSnapshot.parsed`. */
export function givenKey(role: string): string {
  return `<given>/${role}`;
}

/** How a node path is shown: under the root the user gave. */
export function displayPath(root: string, node: string): string {
  if (node.startsWith('<given>')) return node;
  return root === '/' || root === '' ? node : `${trimEndChar(root, '/')}${node}`;
}

function nodeObject(kind: string, name: string, spec: JsonObject, uri: string, locate?: (path: string) => FileLocation | undefined, location?: FileLocation): K8sObject {
  const obj = toK8sObject(
    { apiVersion: NODE_API_VERSION, kind, metadata: { name }, spec },
    { source: { type: 'node', uri }, ...(location ? { location } : {}), locate: locate ?? (() => undefined) },
  );
  if (!obj) throw new Error(`cannot build a ${kind} object`);
  return obj;
}

function json(v: unknown): JsonValue | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (Array.isArray(v)) return v.map((x) => json(x) ?? null);
  if (typeof v === 'object') {
    const out: Record<string, JsonValue> = Object.create(null) as Record<string, JsonValue>;
    for (const [k, x] of Object.entries(v)) {
      const j = json(x);
      if (j !== undefined) Object.defineProperty(out, k, { value: j, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return undefined;
}

/** `0644` for a mode. */
export function octalMode(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

/** A mode written as a number or as an octal string (`"0600"`, `"600"`). */
export function parseMode(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0o7777) return v;
  if (typeof v === 'string' && /^0?[0-7]{1,4}$/.test(v)) return parseInt(v, 8);
  return undefined;
}

// ---------------------------------------------------------------- writing

/** The inventory objects of a node snapshot (what `kspect node` hands to the runner). */
export function nodeObjects(snapshot: NodeSnapshot, manifestPods: readonly K8sObject[], locators?: ReadonlyMap<string, ConfigLocator>): K8sObject[] {
  const root = snapshot.root;
  const show = (p: string): string => displayPath(root, p);
  const out: K8sObject[] = [];
  const manifests: JsonObject[] = [];
  for (const path of snapshot.manifests) manifests.push({ path, file: show(path) });
  out.push(
    nodeObject(
      NODE_AUDIT,
      'node',
      {
        root,
        processesRead: snapshot.processesRead,
        ...(snapshot.k8sVersion !== undefined ? { k8sVersion: snapshot.k8sVersion } : {}),
        manifests,
        ...(snapshot.manifestErrors && snapshot.manifestErrors.length > 0 ? { manifestErrors: [...snapshot.manifestErrors] } : {}),
        ...(snapshot.accountsError !== undefined ? { accountsError: snapshot.accountsError } : {}),
        ...(snapshot.walkErrors && Object.keys(snapshot.walkErrors).length > 0 ? { walkErrors: json(snapshot.walkErrors) ?? {} } : {}),
        ...(snapshot.kubeletDropIns ? { kubeletDropIns: { dir: snapshot.kubeletDropIns.dir, files: [...snapshot.kubeletDropIns.files], ...(snapshot.kubeletDropIns.error !== undefined ? { error: snapshot.kubeletDropIns.error } : {}) } } : {}),
      },
      root,
    ),
  );
  out.push(...manifestPods);
  for (const ci of snapshot.components.values()) {
    if (ci.origin.type === 'manifest') continue;
    out.push(componentObject(ci, root));
  }
  for (const f of snapshot.files.values()) out.push(fileObject(f, show(f.path)));
  for (const p of snapshot.parsed.values()) out.push(configObject(p, p.given ? p.path : show(p.path), locators?.get(p.path)));
  return out;
}

export function componentObject(ci: ComponentInstance, root: string): K8sObject {
  const o = ci.origin;
  const origin: JsonObject = o.type === 'process' ? { type: 'process', pid: o.pid } : o.type === 'systemd' ? { type: 'systemd', units: [...o.units] } : { type: 'manifest', file: o.file };
  const uri = o.type === 'process' ? `${displayPath(root, '/proc')}/${o.pid}/cmdline` : o.type === 'systemd' ? o.units.map((u) => displayPath(root, u)).join(', ') || 'kubelet (systemd)' : displayPath(root, o.file);
  const env: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(ci.env)) Object.defineProperty(env, k, { value: v, enumerable: true, writable: true, configurable: true });
  return nodeObject(
    NODE_COMPONENT,
    COMPONENT_NAMES[ci.component],
    {
      component: ci.component,
      origin,
      argv: [...ci.argv],
      ...(Object.keys(env).length > 0 ? { env } : {}),
      ...(ci.envUnreadable !== undefined ? { envUnreadable: ci.envUnreadable } : {}),
      ...(ci.unusable !== undefined ? { unusable: ci.unusable, unusableReason: ci.unusableReason ?? 'unsupported' } : {}),
    },
    uri,
  );
}

export function fileObject(f: NodeFile, uri: string): K8sObject {
  return nodeObject(
    NODE_FILE,
    f.path,
    {
      path: f.path,
      exists: f.exists,
      ...(f.type !== undefined ? { type: f.type } : {}),
      ...(f.mode !== undefined ? { mode: octalMode(f.mode) } : {}),
      ...(f.uid !== undefined ? { uid: f.uid } : {}),
      ...(f.gid !== undefined ? { gid: f.gid } : {}),
      ...(f.user !== undefined ? { user: f.user } : {}),
      ...(f.group !== undefined ? { group: f.group } : {}),
      ...(f.error !== undefined ? { error: f.error } : {}),
      ...(f.target !== undefined ? { target: f.target } : {}),
      ...(f.sha256 !== undefined ? { sha256: f.sha256 } : {}),
    },
    uri,
  );
}

/** Where fields of a config document are: the locator of the parsed file, for `spec.document.*` paths. */
export interface ConfigLocator {
  readonly location?: FileLocation;
  locate(path: string): FileLocation | undefined;
}

const DOCUMENT = 'spec.document';

export function configObject(p: ParsedFile, uri: string, locator?: ConfigLocator): K8sObject {
  const doc = p.value === undefined ? undefined : json(p.value);
  const locate = locator
    ? (path: string): FileLocation | undefined => {
        if (path === DOCUMENT) return locator.location;
        if (path.startsWith(`${DOCUMENT}.`) || path.startsWith(`${DOCUMENT}[`)) return locator.locate(path.slice(DOCUMENT.length).replace(/^\./, '')) ?? locator.location;
        return locator.location;
      }
    : undefined;
  return nodeObject(
    NODE_CONFIG,
    p.path,
    {
      path: p.path,
      ...(p.role !== undefined ? { role: p.role } : {}),
      ...(p.given ? { given: true } : {}),
      ...(doc !== undefined ? { document: doc } : {}),
      ...(p.error !== undefined ? { error: p.error } : {}),
    },
    uri,
    locate,
    locator?.location,
  );
}

// ---------------------------------------------------------------- reading back

/** The NodeAudit object of an inventory (the first one), or undefined when this is not a node audit. */
export function nodeAuditOf(inventory: Inventory): K8sObject | undefined {
  return inventory.ofKind(NODE_AUDIT).find((o) => o.apiVersion === NODE_API_VERSION);
}

function strings(v: unknown, key: string): string[] {
  return getArray(v, key).filter((x): x is string => typeof x === 'string');
}

function readFileObject(obj: K8sObject): NodeFile | undefined {
  const spec = getObject(obj.raw, 'spec');
  const path = getString(spec, 'path') ?? obj.metadata.name;
  if (!path.startsWith('/')) return undefined;
  const exists = getBool(spec, 'exists');
  const type = getString(spec, 'type');
  const mode = parseMode(isObject(spec) ? spec.mode : undefined);
  const uid = getNumber(spec, 'uid');
  const gid = getNumber(spec, 'gid');
  const user = getString(spec, 'user');
  const group = getString(spec, 'group');
  const error = getString(spec, 'error');
  const target = getString(spec, 'target');
  const sha256 = getString(spec, 'sha256');
  const p = nodePath(path);
  // A file said to exist must say what it is: otherwise kspect cannot judge it.
  const malformed = exists === true && (mode === undefined || (type !== 'file' && type !== 'directory' && type !== 'other')) ? `the NodeFile object of ${p} has no valid type and mode` : undefined;
  return {
    path: p,
    exists: exists === true && malformed === undefined,
    ...(type === 'file' || type === 'directory' || type === 'other' ? { type } : {}),
    ...(mode !== undefined ? { mode } : {}),
    ...(uid !== undefined ? { uid } : {}),
    ...(gid !== undefined ? { gid } : {}),
    ...(user !== undefined ? { user } : {}),
    ...(group !== undefined ? { group } : {}),
    ...(error !== undefined || malformed !== undefined ? { error: error ?? malformed ?? '' } : {}),
    ...(target !== undefined ? { target } : {}),
    ...(sha256 !== undefined ? { sha256 } : {}),
    object: obj,
  };
}

function readConfigObject(obj: K8sObject): ParsedFile | undefined {
  const spec = getObject(obj.raw, 'spec');
  const path = getString(spec, 'path') ?? obj.metadata.name;
  const error = getString(spec, 'error');
  const role = getString(spec, 'role');
  const given = getBool(spec, 'given') === true;
  const document = isObject(spec) ? spec.document : undefined;
  if (!given && !path.startsWith('/')) return undefined;
  return {
    path: given ? path : nodePath(path),
    ...(document !== undefined && error === undefined ? { value: document } : {}),
    ...(error !== undefined ? { error } : document === undefined ? { error: 'the NodeConfig object has no document' } : {}),
    ...(role !== undefined ? { role } : {}),
    ...(given ? { given } : {}),
    object: obj,
  };
}

function isComponent(v: string | undefined): v is Component {
  return v !== undefined && (COMPONENTS as readonly string[]).includes(v);
}

function readComponentObject(obj: K8sObject): ComponentInstance | undefined {
  const spec = getObject(obj.raw, 'spec');
  const component = getString(spec, 'component');
  if (!isComponent(component)) return undefined;
  const o = getObject(spec, 'origin');
  const type = getString(o, 'type');
  const pid = getNumber(o, 'pid');
  const origin: ComponentInstance['origin'] = type === 'process' && pid !== undefined ? { type: 'process', pid } : { type: 'systemd', units: strings(o, 'units').map(nodePath) };
  const argv = strings(spec, 'argv');
  const env: Record<string, string> = Object.create(null) as Record<string, string>;
  const e = getObject(spec, 'env');
  if (e) for (const [k, v] of Object.entries(e)) if (typeof v === 'string') Object.defineProperty(env, k, { value: v, enumerable: true, writable: true, configurable: true });
  const problem = argvProblem(argv);
  const unusable = getString(spec, 'unusable') ?? (problem !== undefined ? `${COMPONENT_NAMES[component]}: ${problem}` : argv.length === 0 ? `${COMPONENT_NAMES[component]}: the NodeComponent object has no argv` : undefined);
  const reason = getString(spec, 'unusableReason');
  const envUnreadable = getString(spec, 'envUnreadable');
  const hyper = (argv[0]?.split('/').at(-1) ?? '') === 'hyperkube';
  return {
    component,
    origin,
    object: obj,
    argv,
    flags: parseFlags(unusable !== undefined ? [] : hyper ? argv.slice(1) : argv),
    env,
    argPaths: argv.map((_, i) => `spec.argv[${i}]`).slice(hyper ? 1 : 0),
    ...(unusable !== undefined ? { unusable, unusableReason: reason === 'not-readable' ? 'not-readable' : 'unsupported' } : {}),
    ...(envUnreadable !== undefined ? { envUnreadable } : {}),
  };
}

/**
 * Read a node audit back from the inventory, as the controls see it: the components in effect (a running process
 * over its systemd unit over its static pod manifest; the first of each), every file and configuration examined.
 * Undefined when the inventory holds no NodeAudit (a manifest scan).
 */
export function nodeSnapshotOf(inventory: Inventory, k8sVersion?: string): NodeSnapshot | undefined {
  const audit = nodeAuditOf(inventory);
  if (!audit) return undefined;
  const spec = getObject(audit.raw, 'spec');
  const root = getString(spec, 'root') ?? '/';
  const byFile = new Map<string, string>();
  for (const m of getArray(spec, 'manifests')) {
    const path = getString(m, 'path');
    const file = getString(m, 'file');
    if (path !== undefined && file !== undefined) byFile.set(file, nodePath(path));
  }
  const components = new Map<Component, ComponentInstance>();
  const rank = (ci: ComponentInstance): number => (ci.origin.type === 'process' ? 3 : ci.origin.type === 'systemd' ? 2 : 1);
  const consider = (ci: ComponentInstance): void => {
    const cur = components.get(ci.component);
    if (!cur || rank(ci) > rank(cur)) components.set(ci.component, ci);
  };
  let minor: number | undefined;
  for (const pod of inventory.ofKind('Pod')) {
    const uri = pod.origin.source.uri;
    for (const ci of componentsOfPod(pod, byFile.get(uri) ?? uri)) {
      consider({ ...ci, object: pod });
      if (ci.component === 'apiserver') minor ??= minorFromImage(pod);
    }
  }
  for (const obj of inventory.ofKind(NODE_COMPONENT)) {
    if (obj.apiVersion !== NODE_API_VERSION) continue;
    const ci = readComponentObject(obj);
    if (ci) consider(ci);
  }
  const files = new Map<string, NodeFile>();
  for (const obj of inventory.ofKind(NODE_FILE)) {
    if (obj.apiVersion !== NODE_API_VERSION) continue;
    const f = readFileObject(obj);
    if (f && !files.has(f.path)) files.set(f.path, f);
  }
  const parsed = new Map<string, ParsedFile>();
  for (const obj of inventory.ofKind(NODE_CONFIG)) {
    if (obj.apiVersion !== NODE_API_VERSION) continue;
    const p = readConfigObject(obj);
    if (!p) continue;
    const key = p.given && p.role !== undefined ? givenKey(p.role) : p.path;
    if (!parsed.has(key)) parsed.set(key, p);
  }
  const kubelet = components.get('kubelet');
  const config = kubelet?.unusable === undefined ? kubelet?.flags.get('config') : undefined;
  const dir = kubelet?.unusable === undefined ? kubelet?.flags.get('config-dir') : undefined;
  let kubeletDropIns: NodeSnapshot['kubeletDropIns'];
  if (dir !== undefined && dir !== '') {
    const d = nodePath(dir);
    const recorded = getObject(spec, 'kubeletDropIns');
    if (recorded && getString(recorded, 'dir') !== undefined && nodePath(getString(recorded, 'dir') ?? '') === d) {
      const error = getString(recorded, 'error');
      kubeletDropIns = { dir: d, files: strings(recorded, 'files').map(nodePath), ...(error !== undefined ? { error } : {}) };
    } else {
      // Not recorded (a hand-written inventory): the drop-ins are the configs under the folder, in the kubelet's walk order.
      kubeletDropIns = { dir: d, files: [...parsed.keys()].filter((p) => p.startsWith(`${d}/`) && p.endsWith('.conf')).sort(walkOrder) };
    }
  }
  const pki = [...files.keys()].filter((p) => p === '/etc/kubernetes/pki' || p.startsWith('/etc/kubernetes/pki/')).sort();
  const manifestErrors = strings(spec, 'manifestErrors');
  const accountsError = getString(spec, 'accountsError');
  const walkErrors: Record<string, string> = Object.create(null) as Record<string, string>;
  const we = getObject(spec, 'walkErrors');
  if (we) for (const [k, x] of Object.entries(we)) if (typeof x === 'string') Object.defineProperty(walkErrors, nodePath(k), { value: x, enumerable: true, writable: true, configurable: true });
  const imageVersion = getString(spec, 'k8sVersion') ?? (minor !== undefined ? `1.${minor}` : undefined);
  const version = k8sVersion ?? imageVersion;
  return {
    root,
    components,
    files,
    parsed,
    manifests: [...byFile.values()],
    ...(config !== undefined && config !== '' ? { kubeletConfigPath: nodePath(config) } : {}),
    ...(kubeletDropIns ? { kubeletDropIns } : {}),
    kubeletUnits: kubelet?.origin.type === 'systemd' ? kubelet.origin.units : [],
    pki,
    ...(Object.keys(walkErrors).length > 0 ? { walkErrors } : {}),
    ...(manifestErrors.length > 0 ? { manifestErrors } : {}),
    ...(accountsError !== undefined ? { accountsError } : {}),
    processesRead: getBool(spec, 'processesRead') === true,
    ...(version !== undefined ? { k8sVersion: version } : {}),
    problems: [],
  };
}

/**
 * Go's filepath.WalkDir order for paths under one folder: entries sorted by name within each folder, a folder's
 * contents right after it (so `a/b.conf` comes before `a.conf`, as `a` < `a.conf`).
 */
export function walkOrder(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x !== y) return Buffer.compare(Buffer.from(x, 'utf8'), Buffer.from(y, 'utf8'));
  }
  return pa.length - pb.length;
}
