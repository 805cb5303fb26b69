/**
 * `checkPki()`: read certificate files, folders, kubeconfigs, manifests and TLS endpoints into the inventory, run the
 * PKI checks with the one runner and return the Report, with a `pki` section listing every certificate and endpoint.
 */
import { pkiChecks } from '../checks/registry/pki.js';
import { pkiEngine } from '../checks/support/pki-check.js';
import type { Report } from '../core/report.js';
import { pkiSummary } from '../engines/x509/describe.js';
import { loadPkiInputs } from '../sources/pki.js';
import type { ProbeOptions } from '../sources/tls.js';
import { judge, type JudgeCommonOptions } from './run.js';

export interface CheckPkiOptions extends JudgeCommonOptions {
  /** Files, folders, kubeconfigs, manifests, or HOST:PORT endpoints (see looksLikeFile in sources/pki.ts for the rule). */
  readonly inputs: readonly string[];
  /** HOST:PORT endpoints, never taken for files. */
  readonly endpoints?: readonly string[];
  /** Accept inputs that hold nothing to check (default false: the error `nothing-to-scan`). */
  readonly allowEmpty?: boolean;
  /** CA bundle to verify chains against; default: the self-signed CAs among the inputs. */
  readonly ca?: string;
  /** The clock (default: now); same as settings.now. */
  readonly now?: Date;
  /** Base of relative paths (default: process.cwd()). */
  readonly cwd?: string;
  readonly probe?: ProbeOptions;
  /** Progress lines (endpoints being probed). */
  readonly progress?: (line: string) => void;
}

/** Audit certificates, keys and endpoints. Throws UsageError only for invalid options. */
export async function checkPki(options: CheckPkiOptions): Promise<Report> {
  const { objects, problems } = await loadPkiInputs(options.inputs, options.ca, {
    cwd: options.cwd ?? process.cwd(),
    ...(options.endpoints ? { endpoints: options.endpoints } : {}),
    ...(options.probe ? { probe: options.probe } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.allowEmpty === true ? { allowEmpty: true } : {}),
  });
  const now = options.now ?? options.settings?.now;
  return judge({
    ...options,
    ...(now ? { settings: { ...options.settings, now } } : {}),
    objects,
    checks: pkiChecks,
    problems,
    inputs: [...options.inputs, ...(options.endpoints ?? [])],
    sections: (view) => {
      const { analysis, problems: undecodable } = view.engine(pkiEngine);
      return { pki: pkiSummary(analysis), problems: undecodable };
    },
  });
}
