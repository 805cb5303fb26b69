/**
 * How a node control is written: `defineNodeControl({ id, cis, section, component, title, severity, description,
 * remediation, evaluate })`, where `evaluate` is built from the templates of templates.ts / view.ts (a flag check, a
 * kubelet setting check, a file mode or owner check …). The result is an ordinary registered check: the runner
 * gives it the node engine, it reports a finding per failing file or flag, a not-evaluated item per thing it could
 * not judge, and — for manual CIS controls — one `manual` item with what kspect observed (never a pass).
 *
 * It runs in two places with one implementation: in `kspect node` on the whole node (the inventory holds a
 * NodeAudit), and — for controls decided by a control-plane component's flags alone — in `kspect scan` on every
 * static pod manifest of the input.
 */
import type { NotEvaluatedReason, References, ResourceRef } from '../../core/finding.js';
import type { Severity } from '../../core/severity.js';
import { nodeEngine, type NodeModel } from '../../engines/node/engine.js';
import { minorFromImage } from '../../engines/node/manifest.js';
import { displayPath, NODE_API_VERSION, NODE_AUDIT, NODE_CONFIG, NODE_FILE, NODE_KINDS } from '../../engines/node/objects.js';
import type { Component, ComponentInstance } from '../../engines/node/snapshot.js';
import { defineCheck, type Check, type CheckCategory, type CheckContext, type ReportDescriptor } from '../../framework/define.js';
import type { K8sObject } from '../../model/object.js';
import { componentView, makeView, type NodeView, type Outcome } from './view.js';

export const CIS_BENCHMARK_URL = 'https://www.cisecurity.org/benchmark/kubernetes';

/** What a node control is, besides being a check: where it sits in the benchmark. */
export interface NodeControlInfo {
  /** CIS Kubernetes Benchmark v1.12 id, for CIS controls. */
  readonly cis?: string;
  /** Benchmark section (`1.2`, `4.1`, `K.3` for kspect's own). */
  readonly section: string;
  /** False: a manual CIS check, listed as MANUAL with what kspect observed, never passed. */
  readonly automated: boolean;
  /** The component it judges, or `files` for file modes and owners. */
  readonly component: Component | 'files';
  /** Decided by a control-plane component's flags alone: also judges static pod manifests given to `kspect scan`. */
  readonly manifests: boolean;
}

export interface NodeControlSpec extends Partial<Pick<NodeControlInfo, 'automated' | 'manifests'>>, Pick<NodeControlInfo, 'section' | 'component'> {
  readonly id: string;
  readonly cis?: string;
  readonly title: string;
  readonly description: string;
  readonly severity: Severity;
  readonly remediation: string;
  /** Further references (the CIS id and the benchmark URL are added). */
  readonly references?: References;
  readonly evaluate: (view: NodeView) => readonly Outcome[];
}

export type NodeCheck = Check<'fail', undefined> & {
  readonly control: NodeControlInfo & { readonly evaluate: (view: NodeView) => readonly Outcome[] };
};

export function isNodeCheck(c: unknown): c is NodeCheck {
  return typeof c === 'object' && c !== null && 'control' in c && typeof (c as { control?: { evaluate?: unknown } }).control?.evaluate === 'function';
}

/** The view a node audit's controls evaluate (undefined in a manifest scan). */
export function nodeViewOf(model: NodeModel): NodeView | undefined {
  return model.snapshot ? makeView(model.snapshot, model.kubeletConfig) : undefined;
}

/** Evaluate a control, turning a crash into a not-evaluated outcome (a crashing control never passes). */
export function evaluateControl(check: NodeCheck, view: NodeView): Outcome[] {
  try {
    return [...check.control.evaluate(view)];
  } catch (e) {
    return [{ status: 'not-evaluated', reason: 'check-error', message: `internal error: ${e instanceof Error ? e.message : String(e)}` }];
  }
}

/** Manual controls: what kspect observed, problems first; long lists of fine files are counted, not listed. */
export function manualObservation(outcomes: readonly Outcome[]): string {
  const bad = outcomes.filter((o) => o.status !== 'pass').map((o) => o.message);
  const good = outcomes.filter((o) => o.status === 'pass').map((o) => o.message);
  const seen = outcomes.length <= 3 ? outcomes.map((o) => o.message) : [...bad.slice(0, 3), ...(bad.length > 3 ? [`${bad.length - 3} more like these`] : []), ...(good.length > 0 ? [`${good.length} ${bad.length > 0 ? 'others ' : ''}fine`] : [])];
  return `manual check${seen.length > 0 ? `; kspect observed: ${seen.join('; ')}` : ''}`;
}

type Where = Pick<ReportDescriptor<'fail'>, 'object' | 'path' | 'container' | 'resource' | 'source'>;

function nodeRef(kind: string, name: string): ResourceRef {
  return { apiVersion: NODE_API_VERSION, kind, name };
}

/** Where an outcome is: the NodeConfig field, the NodeFile, the flag in the component's Pod or NodeComponent. */
function whereOf(o: Outcome, view: NodeView | undefined, ci: ComponentInstance | undefined, audit: K8sObject | undefined): Where {
  const root = view?.snapshot.root ?? '/';
  if (o.config !== undefined) {
    const p = view?.parsed(o.config);
    const path = o.field !== undefined ? `spec.document.${o.field}` : undefined;
    if (p?.object) return { object: p.object, ...(path !== undefined ? { path } : {}) };
    return { resource: nodeRef(NODE_CONFIG, o.config), source: { type: 'node', uri: displayPath(root, o.config) }, ...(path !== undefined ? { path } : {}) };
  }
  if (o.file !== undefined) {
    const f = view?.file(o.file);
    if (f?.object) return { object: f.object };
    const p = view?.parsed(o.file);
    if (p?.object) return { object: p.object };
    return { resource: nodeRef(NODE_FILE, o.file), source: { type: 'node', uri: displayPath(root, o.file) } };
  }
  const c = o.component !== undefined ? (view?.component(o.component) ?? ci) : ci;
  if (c?.object) {
    const occ = o.flag !== undefined ? c.flags.last(o.flag) : undefined;
    const path = (occ !== undefined ? c.argPaths?.[occ.index] : undefined) ?? (c.origin.type === 'manifest' ? `${c.origin.containerPath}.command` : 'spec.argv');
    return { object: c.object, path, ...(c.origin.type === 'manifest' ? { container: c.origin.container } : {}) };
  }
  return audit ? { object: audit } : {};
}

/** Define a node control as a registered check. */
export function defineNodeControl(spec: NodeControlSpec): NodeCheck {
  const automated = spec.automated ?? true;
  const manifests = (spec.manifests ?? false) && automated && spec.component !== 'files' && spec.component !== 'kubelet' && spec.component !== 'proxy';
  const category: CheckCategory = spec.section.startsWith('4') || spec.component === 'kubelet' || spec.component === 'proxy' ? 'node' : 'control-plane';
  const evaluate = spec.evaluate;
  const check = defineCheck<'fail'>({
    id: spec.id,
    meta: {
      title: spec.title,
      description: spec.description,
      severity: spec.severity,
      category,
      kinds: manifests ? ['Pod', NODE_AUDIT] : [NODE_AUDIT],
      reads: ['Pod', ...NODE_KINDS],
      messages: { fail: spec.cis !== undefined ? `[CIS ${spec.cis}] {{observed}}` : '{{observed}}' },
      remediation: spec.remediation,
      references: {
        ...spec.references,
        ...(spec.cis !== undefined ? { cis: [spec.cis, ...(spec.references?.cis ?? [])] } : {}),
        ...(spec.cis !== undefined || spec.references?.urls ? { urls: [...(spec.cis !== undefined ? [CIS_BENCHMARK_URL] : []), ...(spec.references?.urls ?? [])] } : {}),
      },
      recommended: true,
    },
    create(ctx: CheckContext<'fail'>) {
      const model = ctx.engine(nodeEngine);
      const audit = model.snapshot ? (ctx.inventory.ofKind(NODE_AUDIT)[0] ?? undefined) : undefined;
      const emit = (outcomes: readonly Outcome[], view: NodeView | undefined, ci: ComponentInstance | undefined): void => {
        for (const o of outcomes) {
          if (o.status === 'pass') continue;
          const where = whereOf(o, view, ci, audit);
          if (o.status === 'fail') ctx.report({ messageId: 'fail', data: { observed: o.message }, ...where });
          else {
            const reason: NotEvaluatedReason = o.reason ?? 'missing-input';
            const { object, resource, source } = where;
            ctx.notEvaluated({ reason, message: o.message, ...(object ? { object } : {}), ...(resource ? { resource } : {}), ...(source ? { source } : {}) });
          }
        }
      };
      return {
        object(obj) {
          // A manifest scan: each static pod of this control's component, judged on its own flags.
          if (model.snapshot || !manifests || obj.kind !== 'Pod') return;
          for (const ci of model.pods) {
            if (ci.object !== obj || ci.component !== spec.component) continue;
            if (ci.unusable !== undefined) {
              ctx.notEvaluated({ reason: ci.unusableReason ?? 'unsupported', message: ci.unusable, object: obj });
              continue;
            }
            const minor = minorFromImage(obj);
            const view = componentView(ci, ctx.settings.k8sVersion ?? (minor !== undefined ? `1.${minor}` : undefined));
            emit(evaluateControl(nodeCheck, view), view, ci);
          }
        },
        end() {
          const view = nodeViewOf(model);
          if (!view) return;
          const outcomes = evaluateControl(nodeCheck, view);
          if (!automated) {
            const first = outcomes.find((o) => o.status !== 'pass') ?? outcomes[0];
            const where = first ? whereOf(first, view, undefined, audit) : audit ? { object: audit } : {};
            ctx.notEvaluated({ reason: 'manual', message: `${spec.cis !== undefined ? `CIS ${spec.cis} ` : ''}${spec.title}: ${manualObservation(outcomes)}`, ...(where.object ? { object: where.object } : {}), ...(where.resource ? { resource: where.resource } : {}), ...(where.source ? { source: where.source } : {}) });
            return;
          }
          if (outcomes.length === 0) {
            ctx.notEvaluated({ reason: 'missing-input', message: 'nothing to examine on this node', ...(audit ? { object: audit } : {}) });
            return;
          }
          emit(outcomes, view, undefined);
        },
      };
    },
  });
  const nodeCheck: NodeCheck = Object.freeze({ ...check, control: Object.freeze({ ...(spec.cis !== undefined ? { cis: spec.cis } : {}), section: spec.section, automated, component: spec.component, manifests, evaluate }) });
  return nodeCheck;
}
