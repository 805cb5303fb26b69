/**
 * The node controls that a component's flags alone decide, as `kspect scan` checks: a static pod
 * manifest of kube-apiserver, kube-controller-manager, kube-scheduler or etcd given to `scan` gets the
 * same flag checks as `kspect node`, one finding per failing control, pointing at the flag.
 */
import { componentsOfPod } from '../../engines/node/manifest.js';
import { COMPONENT_NAMES, type Component, type ComponentInstance, type NodeSnapshot } from '../../engines/node/snapshot.js';
import { atLeast } from '../../core/severity.js';
import { defineCheck, type Check } from '../../framework/define.js';
import { NODE_CONTROLS } from './controls.js';
import { makeView } from './view.js';

function snapshotOf(ci: ComponentInstance, k8sVersion: string | undefined): NodeSnapshot {
  return {
    root: '/',
    components: new Map([[ci.component, ci]]),
    files: new Map(),
    parsed: new Map(),
    manifests: [],
    kubeletUnits: [],
    pki: [],
    processesRead: false,
    ...(k8sVersion !== undefined ? { k8sVersion } : {}),
    problems: [],
  };
}

/** The automated controls a component's flags decide. */
export function flagControlsOf(component: Component): typeof NODE_CONTROLS {
  return NODE_CONTROLS.filter((c) => c.component === component && c.flagsOnly === true && c.automated);
}

export function componentFlagsCheck(id: string, component: Component): Check<'control', undefined> {
  const controls = flagControlsOf(component);
  const name = COMPONENT_NAMES[component];
  const cis = controls.flatMap((c) => (c.cis !== undefined ? [c.cis] : []));
  return defineCheck({
    id,
    meta: {
      title: `${name} runs with insecure flags`,
      description: `A static pod manifest of ${name} whose command line fails a CIS Kubernetes Benchmark v1.12 control (${cis.join(', ')}) or one of kspect's further checks (TLS versions and ciphers, plaintext ports, audit policy). One finding per failing control, at the flag concerned; \`kspect node\` evaluates the same controls on a whole node, files included.`,
      severity: 'high',
      category: 'control-plane',
      kinds: ['Pod'],
      messages: { control: '{{control}}: {{message}}' },
      remediation: `Fix the flags of ${name} named in each finding (\`kspect node --list-checks\` lists every control and its remediation).`,
      references: { cis, urls: ['https://www.cisecurity.org/benchmark/kubernetes'] },
      recommended: true,
    },
    create(ctx) {
      return (obj) => {
        const file = obj.origin.source.uri;
        for (const ci of componentsOfPod(obj, file)) {
          if (ci.component !== component) continue;
          if (ci.unusable !== undefined) {
            ctx.notEvaluated({ reason: 'unsupported', message: ci.unusable, object: obj });
            continue;
          }
          const view = makeView(snapshotOf(ci, ctx.settings.k8sVersion));
          for (const control of controls) {
            for (const o of control.evaluate(view)) {
              if (o.status !== 'fail') continue;
              const occ = o.flag !== undefined ? ci.flags.last(o.flag) : undefined;
              const path = (occ !== undefined ? ci.argPaths?.[occ.index] : undefined) ?? `${ci.origin.type === 'manifest' ? ci.origin.containerPath : 'spec'}.command`;
              ctx.report({
                messageId: 'control',
                data: { control: `${control.id}${control.cis !== undefined ? ` [CIS ${control.cis}]` : ''}`, message: o.message },
                object: obj,
                container: ci.origin.type === 'manifest' ? ci.origin.container : name,
                path,
                severity: atLeast(control.severity, 'high') ? control.severity : control.severity,
                evidence: control.id,
              });
            }
          }
        }
      };
    },
  });
}
