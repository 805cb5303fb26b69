/**
 * configmap-credential-keys: ConfigMaps that hold credentials — by key name, by the shape of a value,
 * or as credential lines inside an embedded configuration file. Values are never printed.
 */
import { credentialAssignments, credentialShape, isCredentialName, isPathLike } from '../../engines/credentials/credentials.js';
import { getObject } from '../../model/object.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';

const BOOLEAN = /^(?:true|false|yes|no|on|off)$/i;

export const configmapCredentialKeys = defineCheck({
  id: 'configmap-credential-keys',
  meta: {
    title: 'Credential stored in a ConfigMap',
    description:
      'ConfigMaps are meant for non-confidential data: they are not encrypted at rest by an EncryptionConfiguration that covers Secrets, are readable by far more roles (`view` includes them), and are printed freely by tools. A password, token or key in a ConfigMap is exposed to all of them.',
    severity: 'high',
    category: 'secrets',
    kinds: ['ConfigMap'],
    messages: {
      shape: 'key "{{key}}" holds a value that {{hint}}',
      name: 'key "{{key}}" is named like a credential and holds a value',
      file: 'key "{{key}}" is a configuration file that sets {{names}} to a literal value',
      binary: 'binary key "{{key}}" is named like a credential',
    },
    remediation: 'Move the credential into a Secret (or an external secret store), reference it from the pod, and rotate it.',
    references: {
      cis: ['5.4.1', '5.4.2'],
      nsa: ['Pod security: secrets'],
      mitre: ['T1552.001', 'T1552.007'],
      urls: ['https://kubernetes.io/docs/concepts/configuration/configmap/'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      if (obj.apiVersion !== 'v1') return;
      for (const [key, value] of Object.entries(getObject(obj.raw, 'data') ?? {})) {
        if (typeof value !== 'string') continue;
        const path = joinPath('data', key);
        const hint = credentialShape(value);
        if (hint !== undefined) {
          ctx.report({ messageId: 'shape', data: { key, hint }, object: obj, path, evidence: `data key ${key}: value withheld (${hint})` });
          continue;
        }
        const v = value.trim();
        if (isCredentialName(key) && v !== '' && !BOOLEAN.test(v) && !isPathLike(v)) {
          ctx.report({ messageId: 'name', data: { key }, object: obj, path, severity: 'medium', evidence: `data key ${key}: value withheld` });
          continue;
        }
        const names = credentialAssignments(value);
        if (names.length > 0) {
          const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
          ctx.report({ messageId: 'file', data: { key, names: shown }, object: obj, path, severity: 'medium', evidence: `data key ${key}: lines setting ${shown}, values withheld` });
        }
      }
      for (const key of Object.keys(getObject(obj.raw, 'binaryData') ?? {})) {
        if (isCredentialName(key)) ctx.report({ messageId: 'binary', data: { key }, object: obj, path: joinPath('binaryData', key), severity: 'medium' });
      }
    };
  },
});
