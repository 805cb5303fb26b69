/**
 * The library's PKI entry: `checkPki()` reads certificate files, folders, kubeconfigs, manifests and
 * TLS endpoints, runs the PKI checks and returns the same Report as `audit()`, with a `pki` section.
 */
import { allChecks } from '../checks/index.js';
import { isPkiCheck, runPkiChecks } from '../checks/support/pki-check.js';
import { resolveChecks } from '../framework/runner.js';
import type { Baseline } from '../core/baseline.js';
import { EMPTY_CONFIG, type KspectConfig } from '../core/config.js';
import type { Report } from '../core/report.js';
import { UsageError } from '../core/result.js';
import { analyze } from '../engines/x509/analysis.js';
import { pkiSummary } from '../engines/x509/describe.js';
import { loadPkiInputs } from '../sources/pki.js';
import type { ProbeOptions } from '../sources/tls.js';

export interface PkiCheckOptions {
  /** Files, folders, kubeconfigs, manifests, or HOST:PORT endpoints. */
  readonly inputs: readonly string[];
  /** CA bundle to verify chains against; default: the self-signed CAs among the inputs. */
  readonly ca?: string;
  readonly config?: KspectConfig;
  readonly baseline?: Baseline;
  /** Restrict to these check ids. */
  readonly only?: readonly string[];
  /** The clock (default: now). */
  readonly now?: Date;
  /** Base of relative paths (default: process.cwd()). */
  readonly cwd?: string;
  readonly probe?: ProbeOptions;
  readonly toolVersion?: string;
  /** Progress lines (endpoints being probed). */
  readonly progress?: (line: string) => void;
}

/** Audit certificates, keys and endpoints. Throws UsageError only for invalid options. */
export async function checkPki(options: PkiCheckOptions): Promise<Report> {
  const config = options.config ?? EMPTY_CONFIG;
  const { active, errors } = resolveChecks(allChecks.filter(isPkiCheck), config, options.only);
  if (errors.length > 0) throw new UsageError('config', errors.join('; '));
  const { material, problems } = await loadPkiInputs(options.inputs, options.ca, {
    cwd: options.cwd ?? process.cwd(),
    ...(options.probe ? { probe: options.probe } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
  });
  const now = options.now ?? new Date();
  const analysis = analyze(material, now, 'global');
  return runPkiChecks({
    analysis,
    checks: active,
    settings: { pss: { level: 'restricted', version: 'latest' }, now },
    config,
    inputs: options.inputs,
    toolVersion: options.toolVersion ?? '0.0.0',
    problems,
    summary: pkiSummary(analysis),
  });
}
