/**
 * Check ids kspect no longer has, and what replaced them. A configuration, `--checks` or `kspect explain` naming one
 * gets a one-line pointer to the successors instead of "unknown check". An id is never reused for another check.
 */
import type { Component } from '../engines/node/snapshot.js';

export interface RetiredCheck {
  readonly id: string;
  /** Why it went and what to use instead (one sentence, without the successor ids). */
  readonly note: string;
  /** The ids that took over its findings. */
  readonly successors: () => Promise<readonly string[]>;
}

/**
 * The node controls decided by a component's flags alone: what a `*-insecure-flags` scan check grouped. The node
 * checks are loaded only when a retired id is named (option parsing imports this module; a run should not pay for them).
 */
async function flagControlsOf(component: Component): Promise<readonly string[]> {
  const [{ isNodeCheck }, { nodeChecks }] = await Promise.all([import('./node-controls/define.js'), import('./registry/node.js')]);
  return nodeChecks.filter((c) => isNodeCheck(c) && c.control.component === component && c.control.manifests).map((c) => c.id);
}

function insecureFlags(id: string, component: Component, name: string): RetiredCheck {
  return {
    id,
    note: `it grouped every flag control of ${name} in one check; each control is a check of its own now, run by kspect scan on static pod manifests and by kspect node`,
    successors: () => flagControlsOf(component),
  };
}

export const RETIRED_CHECKS: readonly RetiredCheck[] = [
  insecureFlags('apiserver-insecure-flags', 'apiserver', 'kube-apiserver'),
  insecureFlags('controller-manager-insecure-flags', 'controller-manager', 'kube-controller-manager'),
  insecureFlags('etcd-insecure-flags', 'etcd', 'etcd'),
  insecureFlags('scheduler-insecure-flags', 'scheduler', 'kube-scheduler'),
];

/** The one-line pointer for a retired id, or undefined when the id was never retired. */
export async function retiredCheckMessage(id: string): Promise<string | undefined> {
  const r = RETIRED_CHECKS.find((c) => c.id === id);
  if (!r) return undefined;
  const next = await r.successors();
  return `check "${id}" was retired: ${r.note} — use ${next.length === 1 ? '' : `these ${next.length}: `}${next.join(', ')}`;
}

/**
 * Ids that named two checks until issue 17's node unification: kspect node's controls had ids of their own, and two of
 * them were the ids of other commands' checks, so the node controls were renamed. A configuration written before
 * still names the old id meaning either check: its settings apply to both, with one warning naming the new id.
 */
export interface SharedOldId {
  readonly id: string;
  /** The node control's id now. */
  readonly now: string;
  /** What the old id also meant, for the warning. */
  readonly meant: string;
}

export const SHARED_OLD_IDS: readonly SharedOldId[] = [
  { id: 'pki-key-permissions', now: 'pki-key-file-permissions', meant: "kspect node's CIS 1.1.21 control (PKI key files have mode 600)" },
  { id: 'etcd-client-plaintext', now: 'etcd-listen-client-plaintext', meant: "kspect node's K.2 control (etcd --listen-client-urls over plain HTTP)" },
];

/** The warning for a configuration setting on a shared old id, applied to its node successor too. */
export function sharedOldIdWarning(id: string): string | undefined {
  const s = SHARED_OLD_IDS.find((x) => x.id === id);
  return s && `"${id}" also named ${s.meant} until it was renamed ${s.now}: the setting applies to ${s.now} too (name ${s.now} beside it to say so and silence this warning)`;
}

/** Old id → its node successor and the warning (for configuration loading). */
export function sharedOldIds(): ReadonlyMap<string, { readonly now: string; readonly warning: string }> {
  return new Map(SHARED_OLD_IDS.map((s) => [s.id, { now: s.now, warning: sharedOldIdWarning(s.id) ?? '' }]));
}

/** Every retired id with its pointer (for configuration validation). */
export async function retiredChecks(): Promise<ReadonlyMap<string, string>> {
  return new Map(await Promise.all(RETIRED_CHECKS.map(async (r) => [r.id, (await retiredCheckMessage(r.id)) ?? ''] as const)));
}
