/**
 * `checkPodSecurity()`: judge every Pod and workload pod template against one Pod Security Standards level and
 * version, as the PodSecurity admission controller decides — through the one runner (checks pss-baseline and
 * pss-restricted), so the answer is the one Report. Namespace labels do not apply here: the level asked for is
 * the policy of every object (`kspect scan` honours the labels).
 */
import { pssChecks } from '../checks/registry/pss.js';
import type { Problem } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { pssEngineFactory, type PssLevel } from '../engines/pss/index.js';
import { POD_SPEC_KINDS } from '../model/podspec.js';
import { displayName } from '../model/object.js';
import { judgeInputs, type CheckManifestsOptions } from './scan.js';

export interface CheckPodSecurityOptions extends Omit<CheckManifestsOptions, 'checks'> {
  /** The level (default restricted). */
  readonly level?: PssLevel;
  /** `latest` (default) or `v1.N`, as in pod-security.kubernetes.io/enforce-version. */
  readonly version?: string;
}

/** Judge Pods and workloads against one Pod Security level and version. Throws UsageError only for invalid options. */
export function checkPodSecurity(options: CheckPodSecurityOptions): Promise<Report> {
  const level = options.level ?? 'restricted';
  const version = options.version ?? 'latest';
  return judgeInputs(
    { ...options, settings: { ...options.settings, pss: { level, version } } },
    {
      checks: pssChecks,
      // The level asked for applies to every object: Namespace labels (which scan honours) are left out.
      objects: (objects) => objects.filter((o) => !(o.kind === 'Namespace' && o.apiVersion === 'v1')),
      sections: (view) => {
        // A field of the wrong type: the API server rejects the object before admission — an input error.
        const problems: Problem[] = [];
        if (level === 'privileged') return {};
        const engine = view.engine(pssEngineFactory);
        for (const obj of view.inventory.ofKinds(POD_SPEC_KINDS)) {
          for (const m of engine.malformed(obj)) {
            const loc = obj.origin.locate(m.path) ?? obj.origin.location;
            problems.push({
              code: 'pss-malformed',
              severity: 'error',
              message: `${displayName(obj)}: ${m.path} must be ${m.expected}; the API server would reject this object`,
              file: loc?.file ?? obj.origin.source.uri,
              ...(loc ? { line: loc.line, column: loc.column } : {}),
            });
          }
        }
        return { problems };
      },
    },
  );
}
