/**
 * What kspect knows about a node: the components it found (from static pod manifests, systemd units
 * or running processes) with their flags, and every file it looked at with mode and owner.
 * Built by sources/node.ts; read by the node controls. Plain data, no I/O.
 */
import type { NotEvaluatedReason, Problem } from '../../core/finding.js';
import type { K8sObject } from '../../model/object.js';
import type { FlagSet } from './flags.js';

export const COMPONENTS = ['apiserver', 'controller-manager', 'scheduler', 'etcd', 'kubelet', 'proxy'] as const;
export type Component = (typeof COMPONENTS)[number];

/** The binary names that identify a component (argv[0] basename, or a container's command[0]). */
export const COMPONENT_BINARIES: Readonly<Record<Component, readonly string[]>> = {
  apiserver: ['kube-apiserver'],
  'controller-manager': ['kube-controller-manager'],
  scheduler: ['kube-scheduler'],
  etcd: ['etcd'],
  kubelet: ['kubelet'],
  proxy: ['kube-proxy'],
};

export const COMPONENT_NAMES: Readonly<Record<Component, string>> = {
  apiserver: 'kube-apiserver',
  'controller-manager': 'kube-controller-manager',
  scheduler: 'kube-scheduler',
  etcd: 'etcd',
  kubelet: 'kubelet',
  proxy: 'kube-proxy',
};

/** Which component a binary path (or a `hyperkube kubelet`-style pair) runs. */
export function componentOfBinary(argv0: string, argv1?: string): Component | undefined {
  const base = argv0.split('/').at(-1) ?? argv0;
  const name = base === 'hyperkube' && argv1 !== undefined ? argv1 : base;
  for (const c of COMPONENTS) {
    const bins = COMPONENT_BINARIES[c];
    if (bins.includes(name) || (base === 'hyperkube' && (name === c || bins.includes(`kube-${name}`)))) return c;
  }
  return undefined;
}

/** A file (or directory) on the node, by its path on the node (not on the machine that reads it). */
export interface NodeFile {
  /** Absolute path on the node, e.g. `/etc/kubernetes/admin.conf`. */
  readonly path: string;
  readonly exists: boolean;
  readonly type?: 'file' | 'directory' | 'other';
  /** Permission bits (mode & 0o7777). */
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  /** User and group names when known (from the node's /etc/passwd and /etc/group). */
  readonly user?: string;
  readonly group?: string;
  /** Why it could not be read (permission denied, symlink loop …), one line. */
  readonly error?: string;
  /** When the path is a symlink: where it finally points (node path). */
  readonly target?: string;
  /** SHA-256 of the content (hex), for small regular files kspect compares (CA bundles). */
  readonly sha256?: string;
  /** The NodeFile object of the inventory, when the snapshot was read back from one. */
  readonly object?: K8sObject;
}

/** Where a component's command line came from. */
export type ComponentOrigin =
  | { readonly type: 'manifest'; readonly file: string; readonly object: K8sObject; readonly container: string; readonly containerPath: string }
  | { readonly type: 'process'; readonly pid: number }
  | { readonly type: 'systemd'; readonly units: readonly string[] };

export interface ComponentInstance {
  readonly component: Component;
  readonly origin: ComponentOrigin;
  /** The inventory object it came from: the static Pod, or the NodeComponent of a process or systemd unit. */
  readonly object?: K8sObject;
  /** The command line: command then args. */
  readonly argv: readonly string[];
  readonly flags: FlagSet;
  /** Environment variables of the container or process (values of `valueFrom` are unknown and absent). */
  readonly env: Readonly<Record<string, string>>;
  /** For manifests: argv index → field path of that token inside the object. */
  readonly argPaths?: readonly string[];
  /** Set when the command line could not be used (too large, unreadable unit or environment file …): its flag checks are not evaluated. */
  readonly unusable?: string;
  /** Why it is unusable (default `unsupported`). */
  readonly unusableReason?: NotEvaluatedReason;
  /** Set when the process environment could not be read: flags that etcd may take from `ETCD_*` variables are unknown. */
  readonly envUnreadable?: string;
}

/** A configuration file a component reads, parsed. */
export interface ParsedFile {
  readonly path: string;
  /** The parsed document (YAML/JSON), unknown until a control validates it. */
  readonly value?: unknown;
  /** Why it could not be read or parsed. */
  readonly error?: string;
  /** What the component uses it for (`kubelet-config`, `encryption-config` …). */
  readonly role?: string;
  /** Given on kspect's command line (read from this machine), not found on the node. */
  readonly given?: boolean;
  /** The NodeConfig object of the inventory, when the snapshot was read back from one. */
  readonly object?: K8sObject;
}

export interface NodeSnapshot {
  /** The folder read as the node's root, as given. */
  readonly root: string;
  /** Components found; `processes` ones override manifest ones. */
  readonly components: ReadonlyMap<Component, ComponentInstance>;
  /** Every file kspect stat-ed, by node path. */
  readonly files: ReadonlyMap<string, NodeFile>;
  /** Files parsed as YAML/JSON: kubelet config, encryption config, audit policy, kubeconfigs. */
  readonly parsed: ReadonlyMap<string, ParsedFile>;
  /** The static pod manifests found, by node path. */
  readonly manifests: readonly string[];
  /** The kubelet config file in effect (node path): its --config flag. */
  readonly kubeletConfigPath?: string;
  /** The kubelet's --config-dir drop-ins, in the order the kubelet merges them; `error` when the folder could not be walked. */
  readonly kubeletDropIns?: { readonly dir: string; readonly files: readonly string[]; readonly error?: string };
  /** Unit files that define the kubelet's command line. */
  readonly kubeletUnits: readonly string[];
  /** Every entry under the PKI folder (recursive, the folder included). */
  readonly pki: readonly string[];
  /** Folders walked (the PKI folder, the CNI configuration) that could not be walked completely, with why. */
  readonly walkErrors?: Readonly<Record<string, string>>;
  /** Static pod manifests that could not be read or parsed (node paths, with why): a component may be hidden in them. */
  readonly manifestErrors?: readonly string[];
  /** Set when the node's /etc/passwd or /etc/group could not be read: owner names other than root are unknown. */
  readonly accountsError?: string;
  /** Whether running processes were read. */
  readonly processesRead: boolean;
  /** Kubernetes minor version, when known (from --k8s-version or an image tag). */
  readonly k8sVersion?: string;
  readonly problems: readonly Problem[];
}
