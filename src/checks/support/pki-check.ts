/**
 * PKI checks: a PKI check evaluates the x509 engine's analysis and returns issues about items (certificates, keys,
 * CSRs, endpoints). It runs as an ordinary check of the one runner: in `kspect scan` over the material of the
 * manifests (TLS Secrets, kubeconfigs, CSR objects), in `kspect pki check` also over the files and endpoints the
 * source put in the inventory (PkiFile, TlsEndpoint); findings on those carry `source` refs.
 */
import type { NotEvaluatedReason } from '../../core/finding.js';
import type { Severity } from '../../core/severity.js';
import type { PkiAnalysis } from '../../engines/x509/analysis.js';
import { inventoryPki, type InventoryPki } from '../../engines/x509/inventory.js';
import type { ItemRef } from '../../engines/x509/material.js';
import { defineCheck, type AnyCheck, type Check, type CheckMeta, type EngineFactory } from '../../framework/define.js';

export interface PkiIssue<M extends string> {
  readonly messageId: M;
  readonly data?: Readonly<Record<string, string | number>>;
  readonly ref: ItemRef;
  readonly severity?: Severity;
  /** Redacted evidence; never key material. */
  readonly evidence?: string;
}

export interface PkiSkip {
  readonly skip: string;
  readonly reason: NotEvaluatedReason;
  readonly ref?: ItemRef;
}

export type PkiOutcome<M extends string> = PkiIssue<M> | PkiSkip;

export interface PkiCheckDefinition<M extends string, O> {
  readonly id: string;
  readonly meta: Omit<CheckMeta<M, O>, 'kinds' | 'category'>;
  readonly evaluate: (analysis: PkiAnalysis, options: O) => readonly PkiOutcome<M>[];
  /**
   * False for checks whose inputs never come from manifests (file modes, kubeadm's pki folder,
   * live endpoints): they cannot have scan fixtures and are tested on in-memory material instead.
   */
  readonly manifests?: false;
  /** How many items the check judges in this analysis (default: every certificate, key, CSR and endpoint read). */
  readonly judges?: (analysis: PkiAnalysis) => number;
}

/** Every item of PKI material the run read: a PKI check with none of them was not applicable. */
function materialItems(a: PkiAnalysis): number {
  const m = a.material;
  return m.certs.length + m.keys.length + m.publicKeys.length + m.csrs.length + m.endpoints.length + m.problems.length;
}

export type PkiCheck<M extends string = string, O = unknown> = Check<M, O> & {
  readonly evaluate: (analysis: PkiAnalysis, options: O) => readonly PkiOutcome<M>[];
  /** True when the check can fire on manifests (`kspect scan`). */
  readonly manifests: boolean;
};

/** The x509 engine of a run: the material of the inventory (manifests, files, endpoints), built once per run. */
export const pkiEngine: EngineFactory<InventoryPki> = {
  id: 'x509',
  reads: ['*'],
  build: (inventory, settings) => inventoryPki(inventory, settings.now),
};

export function definePkiCheck<M extends string, O = undefined>(def: PkiCheckDefinition<M, O>): PkiCheck<M, O> {
  const check = defineCheck<M, O>({
    id: def.id,
    meta: { ...def.meta, kinds: [], reads: ['*'], category: 'pki' },
    create(ctx, options) {
      return {
        end() {
          const { analysis } = ctx.engine(pkiEngine);
          ctx.judged(def.judges ? def.judges(analysis) : materialItems(analysis));
          for (const o of def.evaluate(analysis, options)) {
            if ('skip' in o) {
              ctx.notEvaluated({ reason: o.reason, message: o.skip, ...(o.ref?.object ? { object: o.ref.object } : o.ref ? { source: o.ref.source } : {}) });
              continue;
            }
            ctx.report({
              messageId: o.messageId,
              ...(o.data ? { data: o.data } : {}),
              ...(o.ref.object ? { object: o.ref.object } : { source: o.ref.source, ...(o.ref.holder ? { subject: o.ref.holder } : {}) }),
              ...(o.ref.path !== undefined ? { path: o.ref.path } : {}),
              ...(o.severity ? { severity: o.severity } : {}),
              ...(o.evidence !== undefined ? { evidence: o.evidence } : {}),
            });
          }
        },
      };
    },
  });
  return Object.freeze({ ...check, evaluate: def.evaluate, manifests: def.manifests ?? true });
}

export function isPkiCheck(c: AnyCheck): c is PkiCheck {
  return typeof (c as Partial<PkiCheck>).evaluate === 'function';
}

/** `2026-06-01`: dates in messages, UTC. */
export function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Options parser for PKI checks: only the keys of `defaults`, each a number, string or undefined as declared. */
export function parseOptions<O extends Record<string, number | string | undefined>>(defaults: O, value: unknown): { ok: true; value: O } | { ok: false; error: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'must be a mapping' };
  const out: Record<string, number | string | undefined> = { ...defaults };
  for (const [k, v] of Object.entries(value)) {
    if (!(k in defaults) && !(k in out)) return { ok: false, error: `unknown parameter "${k}"` };
    const d = defaults[k];
    if (typeof d === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return { ok: false, error: `${k} must be a non-negative number` };
    } else if (typeof v !== 'string') return { ok: false, error: `${k} must be a string` };
    out[k] = v;
  }
  return { ok: true, value: out as O };
}
