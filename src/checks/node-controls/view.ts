/**
 * The evaluation toolkit of node controls: outcomes, and helpers that read a component's flags,
 * the kubelet's effective settings and file modes/owners from a NodeSnapshot. Pure.
 */
import type { NotEvaluatedReason } from '../../core/finding.js';
import { parseGoBool, parseGoInt, splitList } from '../../engines/node/flags.js';
import { kubeletSetting, type EffectiveSetting } from '../../engines/node/kubelet.js';
import { componentFlag, etcdEnvName } from '../../engines/node/paths.js';
import { COMPONENT_NAMES, type Component, type ComponentInstance, type NodeFile, type NodeSnapshot, type ParsedFile } from '../../engines/node/snapshot.js';

/** The result of one thing a control looked at. */
export interface Outcome {
  readonly status: 'pass' | 'fail' | 'not-evaluated';
  readonly message: string;
  readonly reason?: NotEvaluatedReason;
  /** The node file concerned. */
  readonly file?: string;
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
  /** The kubelet config document, when a config file is in use and parsed. */
  readonly kubeletConfig: unknown;
  readonly hasKubeletConfig: boolean;
  /** Why the kubelet config file in use could not be read, if it could not. */
  readonly kubeletConfigError?: string;
  /** Kubernetes minor version (34 for 1.34), when known. */
  readonly minor?: number;
}

export function makeView(snapshot: NodeSnapshot): NodeView {
  const cfgPath = snapshot.kubeletConfigPath;
  const cfg = cfgPath !== undefined ? snapshot.parsed.get(cfgPath) : undefined;
  const m = snapshot.k8sVersion !== undefined ? /^1\.(\d+)/.exec(snapshot.k8sVersion) : null;
  return {
    snapshot,
    component: (c) => snapshot.components.get(c),
    file: (p) => snapshot.files.get(p),
    parsed: (p) => snapshot.parsed.get(p),
    kubeletConfig: cfg?.value,
    hasKubeletConfig: cfg?.value !== undefined,
    ...(cfg?.error !== undefined && cfgPath !== undefined ? { kubeletConfigError: `kubelet config ${cfgPath}: ${cfg.error}` } : {}),
    ...(m?.[1] !== undefined ? { minor: Number(m[1]) } : {}),
  };
}

export function notFound(view: NodeView, c: Component): Outcome {
  const how =
    c === 'kubelet'
      ? 'no kubelet unit in systemd'
      : c === 'proxy'
        ? 'kube-proxy runs as a DaemonSet, not on the node files'
        : 'no static pod manifest in /etc/kubernetes/manifests';
  return notEvaluated('missing-input', `${COMPONENT_NAMES[c]} not found (${how}${view.snapshot.processesRead ? ', no process' : '; --processes reads running processes'})`, { component: c });
}

/** Run `fn` on a component's flags, or say why it cannot be evaluated. */
export function withComponent(view: NodeView, c: Component, fn: (ci: ComponentInstance) => Outcome | Outcome[]): Outcome[] {
  const ci = view.component(c);
  if (!ci) return [notFound(view, c)];
  if (ci.unusable !== undefined) return [notEvaluated('unsupported', ci.unusable, { component: c })];
  const r = fn(ci);
  return (Array.isArray(r) ? r : [r]).map((o) => ({ component: c, ...o }));
}

/** A flag's value (etcd: with its ETCD_* environment fallback). Empty values count as unset. */
export function flagValue(ci: ComponentInstance, flag: string): string | undefined {
  const v = componentFlag(ci, flag);
  return v === '' ? undefined : v;
}

function shown(ci: ComponentInstance, flag: string): string {
  if (ci.component === 'etcd' && !ci.flags.has(flag) && ci.env[etcdEnvName(flag)] !== undefined) return etcdEnvName(flag);
  return `--${flag}`;
}

/** The flags are all set. */
export function flagsSet(view: NodeView, c: Component, ...flags: string[]): Outcome[] {
  return withComponent(view, c, (ci) => {
    const missing = flags.filter((f) => flagValue(ci, f) === undefined);
    if (missing.length === 0) return pass(`${flags.map((f) => shown(ci, f)).join(' and ')} ${flags.length > 1 ? 'are' : 'is'} set`, { flag: flags[0] ?? '' });
    return fail(`${missing.map((f) => `--${f}`).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`, { flag: missing[0] ?? '' });
  });
}

/** The flag is not set. */
export function flagUnset(view: NodeView, c: Component, flag: string, why: string): Outcome[] {
  return withComponent(view, c, (ci) => (flagValue(ci, flag) === undefined ? pass(`--${flag} is not set`, { flag }) : fail(`--${flag} is set: ${why}`, { flag })));
}

/** A boolean flag has the expected value; `defaultValue` applies when it is not set (undefined: unset fails). */
export function flagBool(view: NodeView, c: Component, flag: string, expected: boolean, defaultValue?: boolean): Outcome[] {
  return withComponent(view, c, (ci) => {
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
  return withComponent(view, c, (ci) => {
    const raw = flagValue(ci, flag);
    if (raw === undefined) return fail(`--${flag} is not set (must be at least ${min})`, { flag });
    const n = parseGoInt(raw.trim());
    if (n === undefined) return fail(`--${flag}=${raw} is not an integer`, { flag });
    return n >= min ? pass(`--${flag}=${n}`, { flag }) : fail(`--${flag}=${n} is below ${min}`, { flag });
  });
}

/** A string flag equals `expected`; unset passes when `unsetPasses`. */
export function flagEquals(view: NodeView, c: Component, flag: string, expected: string, unsetPasses: boolean): Outcome[] {
  return withComponent(view, c, (ci) => {
    const raw = flagValue(ci, flag);
    if (raw === undefined) return unsetPasses ? pass(`--${flag} is not set (defaults to ${expected})`, { flag }) : fail(`--${flag} is not set (must be ${expected})`, { flag });
    return raw === expected ? pass(`--${flag}=${raw}`, { flag }) : fail(`--${flag}=${raw} (must be ${expected})`, { flag });
  });
}

/** The kubelet's effective value of a setting (flag over config over default). */
export function kubelet(view: NodeView, flag: string): EffectiveSetting {
  return kubeletSetting(flag, view.component('kubelet')?.flags, view.kubeletConfig, view.hasKubeletConfig);
}

export function describeSetting(flag: string, s: EffectiveSetting): string {
  if (s.source === 'flag') return `--${flag}=${s.value ?? ''}`;
  if (s.source === 'config') return `${flag} from the config file: ${s.value ?? ''}`;
  if (s.source === 'default') return `--${flag} not set (default ${s.value ?? ''})`;
  return `--${flag} not set`;
}

export function kubeletCheck(view: NodeView, flag: string, ok: (s: EffectiveSetting) => boolean | 'unparseable', expectation: string): Outcome[] {
  return withComponent(view, 'kubelet', () => {
    const s = kubelet(view, flag);
    if (s.source !== 'flag' && view.kubeletConfigError !== undefined) return notEvaluated('not-readable', view.kubeletConfigError, { flag });
    const r = ok(s);
    if (r === 'unparseable') return fail(`${describeSetting(flag, s)} is not a valid value`, { flag });
    return r ? pass(describeSetting(flag, s), { flag }) : fail(`${describeSetting(flag, s)} (${expectation})`, { flag });
  });
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

/** Whether a file is owned by user:group (names when known, else uid/gid 0 for root). */
export function ownerIs(view: NodeView, path: string, user: string, group: string, what: string): Outcome {
  const f = fileState(view, path, what);
  if ('status' in f) return f;
  const u = f.user ?? String(f.uid ?? '?');
  const g = f.group ?? String(f.gid ?? '?');
  return u === user && g === group ? pass(`${what} ${path} is owned by ${u}:${g}`, { file: path }) : fail(`${what} ${path} is owned by ${u}:${g}, not ${user}:${group}`, { file: path });
}
