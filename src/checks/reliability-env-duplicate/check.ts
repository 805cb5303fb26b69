/** reliability-env-duplicate: environment variables defined twice in one container; the last one silently wins. */
import { getArray, getString } from '../../model/object.js';
import { joinPath } from '../../model/path.js';
import { containersOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

export const reliabilityEnvDuplicate = defineCheck({
  id: 'reliability-env-duplicate',
  meta: {
    title: 'Environment variable defined twice',
    description:
      'When a container\'s `env` lists the same name twice, the later entry silently wins; the earlier one — often the one someone just edited — has no effect. Server-side apply and strategic merge patches key `env` by name and may also drop one of them.',
    severity: 'low',
    category: 'reliability',
    kinds: POD_SPEC_KINDS,
    messages: { duplicate: 'container "{{container}}" defines environment variable {{name}} again (first at env[{{first}}]): only the last definition takes effect' },
    remediation: 'Keep one definition per variable name.',
    references: { urls: ['https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/'] },
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      if (!view) return;
      for (const c of containersOf(view)) {
        const first = new Map<string, number>();
        getArray(c.container, 'env').forEach((e, i) => {
          const name = getString(e, 'name');
          if (name === undefined) return;
          const f = first.get(name);
          if (f === undefined) first.set(name, i);
          else ctx.report({ messageId: 'duplicate', object: obj, container: c.name, path: joinPath(c.path, 'env', i), data: { container: c.name, name, first: f } });
        });
      }
    };
  },
});
