/**
 * `-f PATH` inputs for the analysis commands (rbac, netpol, pss): load manifests into an inventory,
 * printing each load problem as one line on stderr.
 */
import type { NotEvaluated, Problem } from '../core/finding.js';
import { UsageError } from '../core/result.js';
import { escapeText } from '../core/text.js';
import { buildInventory, type Inventory } from '../model/inventory.js';
import type { K8sObject } from '../model/object.js';
import { resolve } from 'node:path';
import { readErrorText, readRegularFile } from '../sources/safe-read.js';
import type { Baseline } from '../core/baseline.js';
import type { KspectConfig } from '../core/config.js';
import { packageVersion, type Io } from './io.js';
import { durationArg, inputOptions } from './options.js';

export interface LoadedInputs {
  readonly inventory: Inventory;
  readonly problems: readonly Problem[];
  /** True when some input could not be read or parsed (the command should exit 2 unless --allow-invalid). */
  readonly failed: boolean;
}

export function problemLine(p: Problem): string {
  const where = p.file !== undefined ? `${p.file}${p.line !== undefined ? `:${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : ''}: ` : '';
  // File names and messages come from input: escaped, so a problem line is always one harmless line.
  return `kspect: ${p.severity === 'warning' ? 'warning: ' : ''}${escapeText(`${where}${p.message}`)}\n`;
}

export async function loadInputs(paths: readonly string[], io: Io, extra: readonly K8sObject[] = [], options: { followSymlinks?: boolean; allowRemote?: boolean; jobs?: number | 'auto'; parseWorker?: URL } = {}): Promise<LoadedInputs> {
  // The loader (and its YAML parsers) is loaded when manifests are read: `--cluster` alone does not need it.
  const { loadManifests } = await import('../sources/files.js');
  const loaded = await loadManifests(paths, { readStdin: io.readStdin, cwd: io.cwd, ...options });
  for (const p of loaded.problems) io.stderr(problemLine(p));
  return {
    inventory: buildInventory([...extra, ...loaded.objects], loaded.skipped),
    problems: loaded.problems,
    failed: loaded.problems.some((p) => p.severity === 'error'),
  };
}


export interface ClusterFlagValues {
  readonly cluster?: boolean;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly 'request-timeout'?: string;
  readonly timeout?: string;
}

/** What a progress line needs of the cluster read (sources/cluster.ts ClusterProgress). */
interface Progress {
  readonly resourcesDone: number;
  readonly resourcesTotal: number;
  readonly objects: number;
  readonly byKind: ReadonlyMap<string, number>;
}

/** `12/40 lists · 3456 objects (Pod 1200, Deployment 300, Service 210, …) · 4.2 s`: the kinds with most objects first. */
export function progressText(p: Progress, elapsedMs: number, maxKinds = 3): string {
  const kinds = [...p.byKind].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = kinds.slice(0, maxKinds).map(([k, n]) => `${k} ${n}`);
  if (kinds.length > maxKinds) shown.push('…');
  return `${p.resourcesDone}/${p.resourcesTotal} lists · ${p.objects} objects${shown.length > 0 ? ` (${shown.join(', ')})` : ''} · ${(elapsedMs / 1000).toFixed(1)} s`;
}

/**
 * The options of a cluster read from the shared flags: the request timeout, the overall --timeout, and on a terminal
 * a progress line on stderr (rewritten at most ten times a second; `done()` ends it).
 */
export function clusterReadOptions(values: ClusterFlagValues, io: Io): { options: { timeoutMs?: number; overallTimeoutMs?: number; onProgress?: (p: Progress) => void }; done: () => void } {
  const timeoutMs = durationArg(values['request-timeout'], '--request-timeout');
  const overallTimeoutMs = durationArg(values.timeout, '--timeout');
  const start = Date.now();
  let last = 0;
  let shown = false;
  const onProgress = (p: Progress): void => {
    const now = Date.now();
    if (now - last < 100 && p.resourcesDone < p.resourcesTotal) return;
    last = now;
    shown = true;
    io.stderr(`\r\u001b[Kkspect: reading the cluster: ${escapeText(progressText(p, now - start))}`);
  };
  return {
    options: { ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...(overallTimeoutMs !== undefined ? { overallTimeoutMs } : {}), ...(io.stderrIsTTY ? { onProgress } : {}) },
    done: () => {
      if (shown) io.stderr('\n');
      shown = false;
    },
  };
}

/**
 * Read a live cluster as the input (see sources/cluster.ts). What could not be read is printed as one warning line
 * each and returned, so the command can say its answer may be incomplete; a connection failure is a usage error.
 */
export async function loadClusterInputs(values: ClusterFlagValues, io: Io, options: { keepPodIps?: boolean } = {}): Promise<LoadedInputs & { readonly notEvaluated: readonly NotEvaluated[] }> {
  const read = clusterReadOptions(values, io);
  const { loadCluster, ClusterError } = await import('../sources/cluster.js');
  try {
    const live = await loadCluster({
      ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}),
      ...(values.context !== undefined ? { context: values.context } : {}),
      ...(options.keepPodIps ? { keepPodIps: true } : {}),
      ...read.options,
    });
    read.done();
    for (const n of live.notEvaluated) io.stderr(`kspect: warning: not evaluated: ${escapeText(n.message)}\n`);
    return { inventory: buildInventory(live.objects), problems: live.problems, failed: false, notEvaluated: live.notEvaluated };
  } catch (e) {
    read.done();
    if (e instanceof ClusterError) throw new UsageError('cluster', e.message);
    throw e;
  }
}

/**
 * What every judging command over manifests or a live cluster (pss check, netpol check, rbac risks|paths) passes to
 * its api function: the paths or the cluster's objects with what could not be read, the run files, the checks chosen,
 * the input options and the settings.
 */
export async function manifestRunOptions(
  values: Parameters<typeof inputOptions>[0] & { readonly 'default-namespace'?: string | undefined },
  io: Io,
  run: {
    readonly paths: readonly string[];
    readonly live: (LoadedInputs & { readonly notEvaluated: readonly NotEvaluated[] }) | undefined;
    readonly config: KspectConfig;
    readonly baseline: Baseline | undefined;
    readonly only: readonly string[] | undefined;
    readonly k8s: string | undefined;
  },
) {
  const { live } = run;
  return {
    paths: run.paths,
    ...(live ? { objects: live.inventory.objects, notEvaluated: live.notEvaluated, extraProblems: live.problems, inputs: ['cluster'] } : {}),
    config: run.config,
    ...(run.baseline ? { baseline: run.baseline } : {}),
    ...(run.only ? { only: run.only } : {}),
    ...(values['default-namespace'] !== undefined ? { defaultNamespace: values['default-namespace'] } : {}),
    settings: { now: io.now(), ...(run.k8s !== undefined ? { k8sVersion: run.k8s } : {}) },
    readStdin: io.readStdin,
    cwd: io.cwd,
    ...inputOptions(values),
    toolVersion: await packageVersion(),
  };
}

/**
 * The CA bundle that registries' TLS certificates are verified with: `--registry-ca FILE`, else the configuration's
 * `images.registries.ca` (relative to the configuration file's folder). One line naming the file when it cannot be read.
 */
export async function registryCa(flag: string | undefined, configured: string | undefined, configDir: string): Promise<Buffer | undefined> {
  const file = flag ?? (configured !== undefined ? resolve(configDir, configured) : undefined);
  if (file === undefined) return undefined;
  try {
    return await readRegularFile(file, { max: 16 * 1024 * 1024 });
  } catch (e) {
    throw new UsageError('input', `${file}: cannot read the registry CA: ${readErrorText(e)}`);
  }
}
