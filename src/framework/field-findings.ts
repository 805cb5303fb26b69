/**
 * One finding per field: checks that judge each container's *effective* setting (its own, or the
 * one inherited from the pod) collect their verdicts here, so that a pod-level field inherited by
 * several containers is reported once for the pod — naming the containers it affects — and a
 * container's own field once for that container.
 */
import type { Severity } from '../core/severity.js';
import { displayName, type K8sObject } from '../model/object.js';
import { POD_SPEC_PATHS, podSpecOf, type PodSpecView } from '../model/podspec.js';
import type { CheckContext } from './define.js';

export interface FieldVerdict<M extends string> {
  readonly messageId: M;
  /** The exact field path, or the container's path when the field is missing. */
  readonly path: string;
  /**
   * The container the verdict is about. For a pod-level field pass `pod: true`: the finding then
   * carries no container and `{{containers}}` lists every container that inherits it.
   */
  readonly container: string;
  readonly pod?: boolean;
  readonly severity?: Severity;
  readonly data?: Readonly<Record<string, string | number>>;
}

/** Quote and join names for messages: `"a", "b"`. */
export function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

/**
 * Collects verdicts for one object and reports each field once. Message templates get
 * `{{container}}`, `{{containers}}` (quoted list), `{{who}}` (`container "a"` / `containers "a", "b"`)
 * and `{{level}}` (`pod-level ` for an inherited pod field, else empty) besides their own data.
 */
export class FieldFindings<M extends string> {
  private readonly byPath = new Map<string, { verdict: FieldVerdict<M>; containers: string[] }>();

  add(verdict: FieldVerdict<M>): void {
    const key = `${verdict.pod === true ? 'pod' : `c:${verdict.container}`}\u0000${verdict.path}\u0000${verdict.messageId}`;
    const seen = this.byPath.get(key);
    if (seen) {
      if (!seen.containers.includes(verdict.container)) seen.containers.push(verdict.container);
      return;
    }
    this.byPath.set(key, { verdict, containers: [verdict.container] });
  }

  report(ctx: CheckContext<M>, object: K8sObject): void {
    for (const { verdict, containers } of this.byPath.values()) {
      const pod = verdict.pod === true;
      const data = {
        ...verdict.data,
        container: verdict.container,
        containers: quoteList(containers),
        who: `${containers.length > 1 ? 'containers' : 'container'} ${quoteList(containers)}`,
        level: pod ? 'pod-level ' : '',
      };
      ctx.report({
        messageId: verdict.messageId,
        object,
        path: verdict.path,
        data,
        ...(pod ? {} : { container: verdict.container }),
        ...(verdict.severity !== undefined ? { severity: verdict.severity } : {}),
      });
    }
  }
}

/**
 * The pod spec of a Pod or workload; when an object of a pod-spec kind has none (a Deployment without
 * `spec.template.spec`, a Pod without `spec`), records that the check could not evaluate it — such an
 * object must never count as passed.
 */
export function podSpecOrNotEvaluated(ctx: { notEvaluated: CheckContext<string>['notEvaluated'] }, object: K8sObject): PodSpecView | undefined {
  const view = podSpecOf(object);
  if (!view) {
    const where = (POD_SPEC_PATHS[object.kind] ?? ['spec', 'template', 'spec']).join('.');
    ctx.notEvaluated({ reason: 'missing-input', object, message: `${displayName(object)} has no pod spec at ${where}: its pods could not be checked` });
  }
  return view;
}

