/**
 * The node engine: what the node controls read, built once per run from the inventory.
 *
 * A node audit (`kspect node`: the inventory holds a NodeAudit) is read back into a NodeSnapshot, with the kubelet's
 * effective configuration (config file and --config-dir drop-ins merged as the kubelet merges them). A manifest scan
 * (`kspect scan`: no NodeAudit) only has static pod manifests: every control-plane container of every Pod, so the
 * flag controls judge each manifest on its own.
 */
import type { EngineFactory } from '../../framework/define.js';
import { mergeKubeletConfig, type KubeletDefaults } from './kubelet.js';
import { componentsOfPod } from './manifest.js';
import { NODE_KINDS, nodeSnapshotOf } from './objects.js';
import type { ComponentInstance, NodeSnapshot } from './snapshot.js';

/** The kubelet's configuration document as it takes effect, or why it cannot be known. */
export interface KubeletConfigModel {
  /** The merged document; undefined when the kubelet reads neither --config nor --config-dir. */
  readonly document?: unknown;
  readonly defaults: KubeletDefaults;
  /** Why the document is unknown (a file not readable or not parsed): settings not given as flags are not evaluated. */
  readonly error?: string;
  /** The config file (node path) that sets a field last (`authentication.anonymous.enabled`), drop-ins included. */
  fileOf(field: string): string | undefined;
}

export interface NodeModel {
  /** A node audit: the node as its controls see it. */
  readonly snapshot?: NodeSnapshot;
  readonly kubeletConfig?: KubeletConfigModel;
  /** A manifest scan: every control-plane component of every Pod of the input, with its Pod. */
  readonly pods: readonly ComponentInstance[];
}

function has(doc: unknown, field: string): boolean {
  let cur: unknown = doc;
  for (const k of field.split('.')) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur) || !Object.hasOwn(cur, k)) return false;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur !== null && cur !== undefined;
}

/** The kubelet's effective config document: its config file, then each drop-in merged over it. */
export function kubeletConfigOf(snapshot: NodeSnapshot): KubeletConfigModel | undefined {
  const kubelet = snapshot.components.get('kubelet');
  if (!kubelet || kubelet.unusable !== undefined) return undefined;
  const configPath = snapshot.kubeletConfigPath;
  const dropIns = snapshot.kubeletDropIns;
  const defaults: KubeletDefaults = configPath !== undefined ? 'config' : 'flag';
  if (configPath === undefined && !dropIns) return { defaults, fileOf: () => undefined };
  const layers: { file: string; doc: unknown }[] = [];
  const errors: string[] = [];
  if (configPath !== undefined) {
    const p = snapshot.parsed.get(configPath);
    if (!p) errors.push(`kubelet config ${configPath} was not read`);
    else if (p.error !== undefined) errors.push(`kubelet config ${configPath}: ${p.error}`);
    else layers.push({ file: configPath, doc: p.value });
  }
  if (dropIns) {
    if (dropIns.error !== undefined) errors.push(`kubelet --config-dir ${dropIns.dir}: ${dropIns.error}`);
    for (const f of dropIns.files) {
      const p = snapshot.parsed.get(f);
      if (!p) errors.push(`kubelet config drop-in ${f} was not read`);
      else if (p.error !== undefined) errors.push(`kubelet config drop-in ${f}: ${p.error}`);
      else layers.push({ file: f, doc: p.value });
    }
  }
  if (errors.length > 0) return { defaults, error: errors.join('; '), fileOf: () => undefined };
  let document: unknown = undefined;
  for (const l of layers) document = document === undefined ? mergeKubeletConfig(undefined, l.doc) : mergeKubeletConfig(document, l.doc);
  return {
    document: document ?? Object.create(null),
    defaults,
    fileOf: (field) => [...layers].reverse().find((l) => has(l.doc, field))?.file,
  };
}

export const nodeEngine: EngineFactory<NodeModel> = {
  id: 'node',
  reads: ['Pod', ...NODE_KINDS],
  build(inventory, settings) {
    const snapshot = nodeSnapshotOf(inventory, settings.k8sVersion);
    if (snapshot) {
      const kubeletConfig = kubeletConfigOf(snapshot);
      return { snapshot, ...(kubeletConfig ? { kubeletConfig } : {}), pods: [] };
    }
    const pods: ComponentInstance[] = [];
    for (const pod of inventory.ofKind('Pod')) for (const ci of componentsOfPod(pod, pod.origin.source.uri)) pods.push({ ...ci, object: pod });
    return { pods };
  },
};
