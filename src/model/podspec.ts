/**
 * Kind groups and pod-spec extraction: where each workload kind keeps its pod template,
 * and a per-container iterator that knows each container's field path.
 */
import { getArray, getObject, getString, isObject, type JsonObject, type K8sObject } from './object.js';
import { joinPath } from './path.js';

/**
 * Kinds that run pods, and the path of their pod spec. Looked up by kinds that come from the input: the table has no
 * prototype, so `constructor`, `toString` or `__proto__` find nothing.
 */
export const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = Object.assign(Object.create(null) as Record<string, readonly string[]>, {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  PodTemplate: ['template', 'spec'],
});

/** Every kind that carries a pod spec (`DeploymentLike` and Pods). */
export const POD_SPEC_KINDS: readonly string[] = Object.keys(POD_SPEC_PATHS);

/** Workload controllers (pod-spec kinds other than Pod and PodTemplate). */
export const CONTROLLER_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob'];

export interface PodSpecView {
  /** The pod spec object. */
  readonly spec: JsonObject;
  /** Its path inside the object, e.g. `spec.template.spec`. */
  readonly path: string;
  /** The pod template's (or Pod's) metadata. */
  readonly metadata: JsonObject | undefined;
  /** Path of that metadata. */
  readonly metadataPath: string;
}

/**
 * The view of the object asked for last. The runner gives an object to every check before the next one, so this is
 * what the checks of an object share; a view is not kept for every object of the run (a large input holds views of
 * hundreds of thousands of workloads), an object asked for again later is read again (the same view, by value).
 */
let lastObject: K8sObject | undefined;
let lastView: PodSpecView | undefined;
let lastContainersOf: PodSpecView | undefined;
let lastContainers: readonly ContainerView[] = [];

/** Where a kind keeps its pod spec and the template's metadata: segments and paths, made once per kind. */
interface SpecPlace {
  readonly segments: readonly string[];
  readonly path: string;
  readonly metaSegments: readonly string[];
  readonly metadataPath: string;
}
const SPEC_PLACES = new Map<string, SpecPlace>(
  Object.entries(POD_SPEC_PATHS).map(([kind, segments]) => {
    const metaSegments = segments.length === 1 ? ['metadata'] : [...segments.slice(0, -1), 'metadata'];
    return [kind, { segments, path: segments.join('.'), metaSegments, metadataPath: metaSegments.join('.') }];
  }),
);

/**
 * The pod spec of a Pod or workload, or undefined when the object has none.
 * Memoised for the last object asked for (objects are never mutated).
 */
export function podSpecOf(obj: K8sObject): PodSpecView | undefined {
  const place = SPEC_PLACES.get(obj.kind);
  if (place === undefined) return undefined;
  if (obj !== lastObject) {
    lastObject = obj;
    lastView = computePodSpec(obj, place);
  }
  return lastView;
}

function computePodSpec(obj: K8sObject, place: SpecPlace): PodSpecView | undefined {
  // Only the core group's Pod/ReplicationController/PodTemplate and the apps/batch kinds qualify.
  let cur: unknown = obj.raw;
  for (const s of place.segments) cur = isObject(cur) ? cur[s] : undefined;
  if (!isObject(cur)) return undefined;
  let meta: unknown = obj.raw;
  for (const s of place.metaSegments) meta = isObject(meta) ? meta[s] : undefined;
  return Object.freeze({ spec: cur, path: place.path, metadata: isObject(meta) ? meta : undefined, metadataPath: place.metadataPath });
}

export type ContainerKind = 'containers' | 'initContainers' | 'ephemeralContainers';

export interface ContainerView {
  readonly container: JsonObject;
  readonly name: string;
  readonly kind: ContainerKind;
  readonly index: number;
  /** Path of the container inside the object, e.g. `spec.template.spec.containers[1]`. */
  readonly path: string;
}

/** Every container of a pod spec: init containers, containers, then ephemeral containers (memoised for the last view). */
export function containersOf(view: PodSpecView): readonly ContainerView[] {
  if (view === lastContainersOf) return lastContainers;
  const out: ContainerView[] = [];
  for (const kind of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    getArray(view.spec, kind).forEach((c, index) => {
      if (!isObject(c)) return;
      out.push({ container: c, name: getString(c, 'name') ?? `#${index}`, kind, index, path: joinPath(view.path, kind, index) });
    });
  }
  Object.freeze(out);
  lastContainersOf = view;
  lastContainers = out;
  return out;
}

/** The effective value of a securityContext field: the container's, else the pod's (for fields both have). */
export function effectiveSecurityField(view: PodSpecView, c: ContainerView, field: string): { value: unknown; path: string } | undefined {
  const csc = getObject(c.container, 'securityContext');
  if (csc && csc[field] !== undefined) return { value: csc[field], path: joinPath(c.path, 'securityContext', field) };
  const psc = getObject(view.spec, 'securityContext');
  if (psc && psc[field] !== undefined) return { value: psc[field], path: joinPath(view.path, 'securityContext', field) };
  return undefined;
}
