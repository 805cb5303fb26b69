/**
 * The set-up of a webhook run, done once at start: which checks run (the workload, Pod Security, RBAC, network and
 * image checks, resolved from `.kspect.yaml` like `kspect scan`), the default mode, and the failure mode. A
 * configuration error is a UsageError here, before the server listens — never a surprise on a request.
 */
import { domainChecks, runSettings } from '../../api/run.js';
import { allChecks } from '../../checks/index.js';
import { imageChecks } from '../../checks/registry/images.js';
import { networkChecks } from '../../checks/registry/network.js';
import { pssChecks } from '../../checks/registry/pss.js';
import { rbacChecks } from '../../checks/registry/rbac.js';
import { workloadChecks } from '../../checks/registry/workload.js';
import { EMPTY_CONFIG, type KspectConfig } from '../../core/config.js';
import type { Severity } from '../../core/severity.js';
import type { RunSettings } from '../../framework/define.js';
import type { AnyCheck } from '../../framework/define.js';
import type { ReviewContext, WebhookMode } from './review.js';

/** The checks that can judge an admission request: those of objects a request carries. */
export const WEBHOOK_CHECKS: readonly AnyCheck[] = [...workloadChecks, ...pssChecks, ...rbacChecks, ...networkChecks, ...imageChecks].sort((a, b) => (a.id < b.id ? -1 : 1));

export interface WebhookSetup {
  readonly config?: KspectConfig;
  /** The mode of namespaces without `kspect.dev/*` labels (default: none — they are not judged). */
  readonly defaultMode?: WebhookMode | 'none';
  /** The severity threshold of the default mode (default: high). */
  readonly failOn?: Severity;
  /** `--checks`: only these checks run. */
  readonly only?: readonly string[];
  readonly failureMode?: 'deny' | 'allow';
  readonly settings?: Partial<Omit<RunSettings, 'now'>>;
  readonly clock?: () => Date;
  readonly toolVersion?: string;
}

/** Resolve a webhook's checks and defaults once. Throws UsageError for an invalid configuration. */
export function reviewContext(setup: WebhookSetup = {}): ReviewContext {
  const config = setup.config ?? EMPTY_CONFIG;
  const checks = domainChecks(WEBHOOK_CHECKS, config, setup.only);
  const { now: _now, ...settings } = runSettings(config, { ...setup.settings, now: new Date(0) });
  const threshold = setup.failOn ?? (config.failOn !== undefined && config.failOn !== 'none' ? config.failOn : 'high');
  return {
    checks,
    config,
    settings,
    clock: setup.clock ?? (() => new Date()),
    defaults: { mode: setup.defaultMode ?? 'none', policy: { kind: 'severity', threshold, text: threshold } },
    knownChecks: new Set(allChecks.map((c) => c.id)),
    failureMode: setup.failureMode ?? 'deny',
    toolVersion: setup.toolVersion ?? '0.0.0',
  };
}
