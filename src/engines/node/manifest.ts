/**
 * Static pod manifests as component command lines: which container runs kube-apiserver, etcd,
 * the controller manager or the scheduler, its argv (command then args) with each token's field
 * path, its flags and its literal environment.
 */
import { getArray, getObject, getString, isObject, type K8sObject } from '../../model/object.js';
import { joinPath } from '../../model/path.js';
import { containersOf, podSpecOf } from '../../model/podspec.js';
import { parseFlags } from './flags.js';
import { componentOfBinary, type ComponentInstance } from './snapshot.js';

/** Limits that keep a hostile command line bounded (Linux allows 128 KiB per argument, 2 MiB in all). */
export const MAX_ARG_BYTES = 128 * 1024;
export const MAX_ARGV_BYTES = 2 * 1024 * 1024;

/** Why a command line is unusable, or undefined when it is within the limits. */
export function argvProblem(argv: readonly string[]): string | undefined {
  let total = 0;
  for (const [i, a] of argv.entries()) {
    const n = Buffer.byteLength(a, 'utf8');
    if (n > MAX_ARG_BYTES) return `argument ${i} is ${n} bytes, over the ${MAX_ARG_BYTES}-byte limit of one argument`;
    total += n + 1;
  }
  if (total > MAX_ARGV_BYTES) return `the command line is ${total} bytes, over the ${MAX_ARGV_BYTES}-byte limit`;
  return undefined;
}

/** Every control-plane component a Pod (static pod manifest) runs, one per matching container. */
export function componentsOfPod(obj: K8sObject, file: string): ComponentInstance[] {
  if (obj.kind !== 'Pod') return [];
  const view = podSpecOf(obj);
  if (!view) return [];
  const out: ComponentInstance[] = [];
  for (const c of containersOf(view)) {
    if (c.kind !== 'containers') continue;
    const command = getArray(c.container, 'command');
    const args = getArray(c.container, 'args');
    const argv: string[] = [];
    const argPaths: string[] = [];
    command.forEach((t, i) => {
      argv.push(typeof t === 'string' ? t : JSON.stringify(t));
      argPaths.push(joinPath(c.path, 'command', i));
    });
    args.forEach((t, i) => {
      argv.push(typeof t === 'string' ? t : JSON.stringify(t));
      argPaths.push(joinPath(c.path, 'args', i));
    });
    const first = argv[0];
    if (first === undefined) continue;
    // A shell wrapper (`sh -c "kube-apiserver …"`) is not unwrapped: its flags are one string.
    const component = componentOfBinary(first, argv[1]);
    if (!component || component === 'kubelet') continue;
    // No prototype: a variable named __proto__ or constructor is just a variable.
    const env: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const e of getArray(c.container, 'env')) {
      const name = getString(e, 'name');
      const value = getString(e, 'value');
      if (name !== undefined && value !== undefined) Object.defineProperty(env, name, { value, enumerable: true, writable: true, configurable: true });
    }
    const problem = argvProblem(argv);
    const hyper = (first.split('/').at(-1) ?? first) === 'hyperkube';
    out.push({
      component,
      origin: { type: 'manifest', file, object: obj, container: c.name, containerPath: c.path },
      argv,
      flags: parseFlags(problem ? [first] : hyper ? argv.slice(1) : argv),
      env,
      argPaths: hyper ? argPaths.slice(1) : argPaths,
      ...(problem ? { unusable: `${file}: container "${c.name}": ${problem}; its flags were not evaluated` } : {}),
    });
  }
  return out;
}

/** The Kubernetes minor version in a component image tag (`registry.k8s.io/kube-apiserver:v1.34.2` → 34). */
export function minorFromImage(obj: K8sObject): number | undefined {
  const spec = getObject(obj.raw, 'spec');
  for (const c of getArray(spec, 'containers')) {
    if (!isObject(c)) continue;
    const m = /:v1\.(\d+)(?:\.\d+)?/.exec(getString(c, 'image') ?? '');
    if (m?.[1] !== undefined) return Number(m[1]);
  }
  return undefined;
}
