/**
 * The templates node controls are written with (kube-linter style): each helper evaluates one kind of requirement —
 * a component flag (set, unset, boolean, list membership, integer bound), a kubelet setting (flag over config file
 * over default), a file's mode or owner — on a NodeView and returns outcomes: pass, fail or not evaluated, each with
 * what was observed. Pure.
 */
import type { NotEvaluatedReason } from '../../core/finding.js';
import type { KubeletConfigModel } from '../../engines/node/engine.js';
import { parseGoBool, parseGoInt, splitList } from '../../engines/node/flags.js';
import { kubeletSetting, type EffectiveSetting } from '../../engines/node/kubelet.js';
import { componentFlag, etcdEnvName } from '../../engines/node/paths.js';
import { COMPONENT_NAMES, type Component, type ComponentInstance, type NodeFile, type NodeSnapshot, type ParsedFile } from '../../engines/node/snapshot.js';

/** The result of one thing a control looked at. */
export interface Outcome {
  readonly status: 'pass' | 'fail' | 'not-evaluated';
  readonly message: string;
  readonly reason?: NotEvaluatedReason;
  /** The node file concerned (its NodeFile). */
  readonly file?: string;
  /** The configuration file concerned (its NodeConfig), and the field inside it. */
  readonly config?: string;
  readonly field?: string;
  readonly component?: Component;
  /** The flag concerned (locates the finding in a manifest). */
  readonly flag?: string;
}

export const pass = (message: string, extra: Partial<Outcome> = {}): Outcome => ({ status: 'pass', message, ...extra });
export const fail = (message: string, extra: Partial<Outcome> = {}): Outcome => ({ status: 'fail', message, ...extra });
export const notEvaluated = (reason: NotEvaluatedReason, message: string, extra: Partial<Outcome> = {}): Outcome => ({ status: 'not-evaluated', reason, message, ...extra });

/** What a control reads. */
export interface NodeView {
  readonly snapshot: NodeSnapshot;
  component(c: Component): ComponentInstance | undefined;
  file(path: string): NodeFile | undefined;
  parsed(path: string): ParsedFile | undefined;
  /** The kubelet's effective config document (config file and drop-ins), when it uses one. */
  readonly kubeletConfig: unknown;
  readonly kubeletDefaults: 'config' | 'flag';
  /** Why the kubelet's config could not be read, if it could not. */
  readonly kubeletConfigError?: string;
  /** The config file that sets a kubelet config field. */
  kubeletConfigFile(field: string): string | undefined;
  /** Kubernetes minor version (34 for 1.34), when known. */
  readonly minor?: number;
}

export function makeView(snapshot: NodeSnapshot, kubeletConfig?: KubeletConfigModel): NodeView {
  const m = snapshot.k8sVersion !== undefined ? /^v?1\.(\d+)/.exec(snapshot.k8sVersion) : null;
  return {
    snapshot,
    component: (c) => snapshot.components.get(c),
    file: (p) => snapshot.files.get(p),
    parsed: (p) => snapshot.parsed.get(p),
    kubeletConfig: kubeletConfig?.document,
    kubeletDefaults: kubeletConfig?.defaults ?? 'flag',
    ...(kubeletConfig?.error !== undefined ? { kubeletConfigError: kubeletConfig.error } : {}),
    kubeletConfigFile: (field) => kubeletConfig?.fileOf(field),
    ...(m?.[1] !== undefined ? { minor: Number(m[1]) } : {}),
  };
}

/** A view of one component alone (a static pod manifest given to `kspect scan`). */
export function componentView(ci: ComponentInstance, k8sVersion: string | undefined): NodeView {
  return makeView({
    root: '/',
    components: new Map([[ci.component, ci]]),
    files: new Map(),
    parsed: new Map(),
    manifests: [],
    kubeletUnits: [],
    pki: [],
    processesRead: false,
    ...(k8sVersion !== undefined ? { k8sVersion } : {}),
    problems: [],
  });
}

export function notFound(view: NodeView, c: Component): Outcome {
  const how =
    c === 'kubelet'
      ? 'no kubelet unit in systemd'
      : c === 'proxy'
        ? 'kube-proxy runs as a DaemonSet, not on the node files'
        : 'no static pod manifest in /etc/kubernetes/manifests';
  const unread = c !== 'kubelet' && c !== 'proxy' ? (view.snapshot.manifestErrors ?? []) : [];
  if (unread.length > 0) return notEvaluated('not-readable', `${COMPONENT_NAMES[c]} not found, and ${unread.length === 1 ? 'a static pod manifest' : `${unread.length} static pod manifests`} could not be read (${unread.join('; ')})`, { component: c });
  return notEvaluated('missing-input', `${COMPONENT_NAMES[c]} not found (${how}${view.snapshot.processesRead ? ', no process' : '; --processes reads running processes'})`, { component: c });
}

/** Run `fn` on a component's flags, or say why it cannot be evaluated. */
export function withComponent(view: NodeView, c: Component, fn: (ci: ComponentInstance) => Outcome | Outcome[]): Outcome[] {
  const ci = view.component(c);
  if (!ci) return [notFound(view, c)];
  if (ci.unusable !== undefined) return [notEvaluated(ci.unusableReason ?? 'unsupported', ci.unusable, { component: c })];
  const r = fn(ci);
  return (Array.isArray(r) ? r : [r]).map((o) => ({ component: c, ...o }));
}

/**
 * Why a flag's value cannot be known: etcd takes a flag missing from its command line from its `ETCD_*`
 * environment, so an unreadable environment leaves it unknown.
 */
function unknownFlag(ci: ComponentInstance, flag: string): Outcome | undefined {
  if (ci.component === 'etcd' && ci.envUnreadable !== undefined && !ci.flags.has(flag)) return notEvaluated('not-readable', `--${flag} is not on etcd's command line and its ${etcdEnvName(flag)} variable is unknown: ${ci.envUnreadable}`, { flag });
  return undefined;
}

/** Like withComponent, for requirements on the given flags: unknown flags make the outcome not evaluated. */
export function withFlags(view: NodeView, c: Component, flags: readonly string[], fn: (ci: ComponentInstance) => Outcome | Outcome[]): Outcome[] {
  return withComponent(view, c, (ci) => {
    for (const f of flags) {
      const u = unknownFlag(ci, f);
      if (u) return u;
    }
    return fn(ci);
  });
}

/** A flag's value (etcd: with its ETCD_* environment fallback). Empty values count as unset. */
export function flagValue(ci: ComponentInstance, flag: string): string | undefined {
  const v = componentFlag(ci, flag);
  return v === '' ? undefined : v;
}

function shown(ci: ComponentInstance, flag: string): string {
  if (ci.component === 'etcd' && !ci.flags.has(flag) && Object.hasOwn(ci.env, etcdEnvName(flag))) return etcdEnvName(flag);
  return `--${flag}`;
}

/** The flags are all set. */
export function flagsSet(view: NodeView, c: Component, ...flags: string[]): Outcome[] {
  return withFlags(view, c, flags, (ci) => {
    const missing = flags.filter((f) => flagValue(ci, f) === undefined);
    if (missing.length === 0) return pass(`${flags.map((f) => shown(ci, f)).join(' and ')} ${flags.length > 1 ? 'are' : 'is'} set`, { flag: flags[0] ?? '' });
    return fail(`${missing.map((f) => `--${f}`).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`, { flag: missing[0] ?? '' });
  });
}

/** The flag is not set. */
export function flagUnset(view: NodeView, c: Component, flag: string, why: string): Outcome[] {
  return withFlags(view, c, [flag], (ci) => (flagValue(ci, flag) === undefined ? pass(`--${flag} is not set`, { flag }) : fail(`--${flag} is set: ${why}`, { flag })));
}

/** A boolean flag has the expected value; `defaultValue` applies when it is not set (undefined: unset fails). */
export function flagBool(view: NodeView, c: Component, flag: string, expected: boolean, defaultValue?: boolean): Outcome[] {
  return withFlags(view, c, [flag], (ci) => {
    const raw = flagValue(ci, flag);
    if (raw === undefined) {
      if (defaultValue === undefined) return fail(`${shown(ci, flag)} is not set (must be ${expected})`, { flag });
      return defaultValue === expected ? pass(`--${flag} is not set (defaults to ${defaultValue})`, { flag }) : fail(`--${flag} is not set and defaults to ${defaultValue} (must be ${expected})`, { flag });
    }
    const b = parseGoBool(raw);
    if (b === undefined) return fail(`${shown(ci, flag)}=${raw} is not a boolean`, { flag });
    return b === expected ? pass(`${shown(ci, flag)}=${raw}`, { flag }) : fail(`${shown(ci, flag)}=${raw} (must be ${expected})`, { flag });
  });
}

/** A list flag includes an element (unset fails unless `unsetPasses`). */
export function listHas(view: NodeView, c: Component, flag: string, element: string, unsetPasses = false): Outcome[] {
  return withComponent(view, c, (ci) => {
    const list = ci.flags.list(flag);
    if (list === undefined) return unsetPasses ? pass(`--${flag} is not set`, { flag }) : fail(`--${flag} is not set (must include ${element})`, { flag });
    return list.includes(element) ? pass(`--${flag}=${list.join(',')} includes ${element}`, { flag }) : fail(`--${flag}=${list.join(',')} does not include ${element}`, { flag });
  });
}

/** A list flag lacks an element; unset passes when `unsetPasses`, else fails. */
export function listLacks(view: NodeView, c: Component, flag: string, element: string, unsetPasses: boolean, why: string): Outcome[] {
  return withComponent(view, c, (ci) => {
    const list = ci.flags.list(flag);
    if (list === undefined) return unsetPasses ? pass(`--${flag} is not set`, { flag }) : fail(`--${flag} is not set`, { flag });
    return list.includes(element) ? fail(`--${flag}=${list.join(',')} includes ${element}: ${why}`, { flag }) : pass(`--${flag}=${list.join(',')} does not include ${element}`, { flag });
  });
}

/** An integer flag is at least `min`; unset fails. */
export function intAtLeast(view: NodeView, c: Component, flag: string, min: number): Outcome[] {
  return withFlags(view, c, [flag], (ci) => {
    const raw = flagValue(ci, flag);
    if (raw === undefined) return fail(`--${flag} is not set (must be at least ${min})`, { flag });
    const n = parseGoInt(raw.trim());
    if (n === undefined) return fail(`--${flag}=${raw} is not an integer`, { flag });
    return n >= min ? pass(`--${flag}=${n}`, { flag }) : fail(`--${flag}=${n} is below ${min}`, { flag });
  });
}

/** A string flag equals `expected`; unset passes when `unsetPasses`. */
export function flagEquals(view: NodeView, c: Component, flag: string, expected: string, unsetPasses: boolean): Outcome[] {
  return withFlags(view, c, [flag], (ci) => {
    const raw = flagValue(ci, flag);
    if (raw === undefined) return unsetPasses ? pass(`--${flag} is not set (defaults to ${expected})`, { flag }) : fail(`--${flag} is not set (must be ${expected})`, { flag });
    return raw === expected ? pass(`--${flag}=${raw}`, { flag }) : fail(`--${flag}=${raw} (must be ${expected})`, { flag });
  });
}

/** The kubelet's effective value of a setting (flag over config over default). */
export function kubelet(view: NodeView, flag: string): EffectiveSetting {
  return kubeletSetting(flag, view.component('kubelet')?.flags, view.kubeletConfig, view.kubeletDefaults);
}

/** Where a kubelet setting came from, for locating its finding: the config file and field, or the flag. */
export function settingWhere(view: NodeView, flag: string, s: EffectiveSetting): Partial<Outcome> {
  if (s.source === 'config' && s.field !== undefined) {
    const file = view.kubeletConfigFile(s.field);
    if (file !== undefined) return { config: file, field: s.field };
  }
  return { flag };
}

export function describeSetting(flag: string, s: EffectiveSetting): string {
  if (s.source === 'flag') return `--${flag}=${s.value ?? ''}`;
  if (s.source === 'config') return `${s.field ?? flag} from the config file: ${s.value ?? ''}`;
  if (s.source === 'default') return `--${flag} not set (default ${s.value ?? ''})`;
  return `--${flag} not set`;
}

export function kubeletCheck(view: NodeView, flag: string, ok: (s: EffectiveSetting) => boolean | 'unparseable', expectation: string): Outcome[] {
  return withComponent(view, 'kubelet', () => {
    const s = kubelet(view, flag);
    if (s.source !== 'flag' && view.kubeletConfigError !== undefined) return notEvaluated('not-readable', view.kubeletConfigError, { flag });
    const where = settingWhere(view, flag, s);
    const r = ok(s);
    if (r === 'unparseable') return fail(`${describeSetting(flag, s)} is not a valid value`, where);
    return r ? pass(describeSetting(flag, s), where) : fail(`${describeSetting(flag, s)} (${expectation})`, where);
  });
}

/** Run `fn` on the kubelet's effective settings, or say why they cannot be known. */
export function withKubeletConfig(view: NodeView, fn: () => Outcome | Outcome[]): Outcome[] {
  return withComponent(view, 'kubelet', () => (view.kubeletConfigError !== undefined ? notEvaluated('not-readable', view.kubeletConfigError) : fn()));
}

export function boolOf(s: EffectiveSetting): boolean | undefined {
  return s.value === undefined ? undefined : parseGoBool(s.value);
}

export { splitList };

// ---------------------------------------------------------------- files

function octal(mode: number): string {
  return mode.toString(8).padStart(3, '0');
}

function fileState(view: NodeView, path: string, what: string): Outcome | NodeFile {
  const f = view.file(path);
  if (!f) return notEvaluated('missing-input', `${what} ${path} was not examined`, { file: path });
  if (f.error !== undefined) return notEvaluated('not-readable', `${what} ${path}: ${f.error}`, { file: path });
  if (!f.exists) return notEvaluated('missing-input', `${what} ${path} does not exist`, { file: path });
  return f;
}

/** The file's permissions are `max` or more restrictive (no bit outside `max`). */
export function modeAtMost(view: NodeView, path: string, max: number, what: string): Outcome {
  const f = fileState(view, path, what);
  if ('status' in f) return f;
  const mode = f.mode ?? 0;
  return (mode & ~max) === 0 ? pass(`${what} ${path} has mode ${octal(mode)}`, { file: path }) : fail(`${what} ${path} has mode ${octal(mode)}, more permissive than ${octal(max)}`, { file: path });
}

/** Whether a file is owned by user:group (names from the node's account files; uid and gid 0 are root). */
export function ownerIs(view: NodeView, path: string, user: string, group: string, what: string): Outcome {
  const f = fileState(view, path, what);
  if ('status' in f) return f;
  const u = f.user ?? (f.uid === 0 ? 'root' : undefined);
  const g = f.group ?? (f.gid === 0 ? 'root' : undefined);
  const shownOwner = `${u ?? String(f.uid ?? '?')}:${g ?? String(f.gid ?? '?')}`;
  if ((u !== undefined && u !== user) || (g !== undefined && g !== group)) return fail(`${what} ${path} is owned by ${shownOwner}, not ${user}:${group}`, { file: path });
  if (u === undefined || g === undefined) {
    // Names unknown: because the node's account files could not be read (not evaluated), or because they lack these ids.
    if (view.snapshot.accountsError !== undefined) return notEvaluated('not-readable', `${what} ${path} is owned by ${shownOwner}, whose names are unknown: ${view.snapshot.accountsError}`, { file: path });
    return fail(`${what} ${path} is owned by ${shownOwner}, not ${user}:${group}`, { file: path });
  }
  return pass(`${what} ${path} is owned by ${u}:${g}`, { file: path });
}
