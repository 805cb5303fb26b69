/** pod-host-aliases: pods that rewrite their /etc/hosts with hostAliases, overriding DNS for the names given. */
import { getArray, getString } from '../../model/object.js';
import { joinPath } from '../../model/path.js';
import { POD_SPEC_KINDS } from '../../model/podspec.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

export const podHostAliases = defineCheck({
  id: 'pod-host-aliases',
  meta: {
    title: 'Pod overrides name resolution with hostAliases',
    description:
      '`hostAliases` writes entries into the pod\'s /etc/hosts, which win over DNS: the names given resolve to the addresses given, whatever DNS, service discovery or a NetworkPolicy reviewer believes. It is a quiet way to redirect a workload\'s traffic (to a look-alike API, registry or database) and to hide where it really connects.',
    severity: 'low',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: { aliases: 'pod maps {{names}} to {{ips}} in /etc/hosts, overriding DNS' },
    remediation: 'Publish the names in DNS (a Service, an ExternalName Service or the cluster DNS configuration) instead of hostAliases; review each alias that remains.',
    references: {
      urls: ['https://kubernetes.io/docs/tasks/network/customize-hosts-file-for-pods/'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      if (!view) return;
      const aliases = getArray(view.spec, 'hostAliases');
      if (aliases.length === 0) return;
      const names = aliases.flatMap((a) => getArray(a, 'hostnames').filter((h): h is string => typeof h === 'string'));
      const ips = aliases.map((a) => getString(a, 'ip')).filter((x): x is string => x !== undefined);
      const list = (xs: string[]) => xs.slice(0, 4).join(', ') + (xs.length > 4 ? ` and ${xs.length - 4} more` : '');
      ctx.report({ messageId: 'aliases', object: obj, path: joinPath(view.path, 'hostAliases'), data: { names: list(names) || '(no names)', ips: list(ips) || '(no address)' } });
    };
  },
});
