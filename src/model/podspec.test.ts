import { describe, expect, it } from 'vitest';
import { undefault } from '../sources/cluster-defaults.js';
import { toK8sObject, type K8sObject } from './object.js';
import { POD_SPEC_KINDS, POD_SPEC_PATHS, podSpecOf } from './podspec.js';

describe('POD_SPEC_PATHS', () => {
  it('finds nothing for kinds named like Object.prototype members (kinds come from the input)', () => {
    for (const kind of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(POD_SPEC_PATHS[kind]).toBeUndefined();
      const obj = toK8sObject({ apiVersion: 'v1', kind, metadata: { name: 'x' }, spec: { containers: [{ name: 'c', image: 'i' }] } }, undefined) as K8sObject;
      expect(podSpecOf(obj)).toBeUndefined();
      expect(() => undefault({ apiVersion: 'v1', kind, metadata: { name: 'x' }, spec: {} })).not.toThrow();
    }
    expect(POD_SPEC_KINDS).toEqual(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'PodTemplate']);
  });
});
