/** RBAC checks. Sorted by id. */
import type { AnyCheck } from '../../framework/define.js';
import { rbacAnonymousAccess } from '../rbac-anonymous-access/check.js';
import { rbacAwsAuthWrite } from '../rbac-aws-auth-write/check.js';
import { rbacBind } from '../rbac-bind/check.js';
import { rbacClusterAdminBinding } from '../rbac-cluster-admin-binding/check.js';
import { rbacCsrApprove } from '../rbac-csr-approve/check.js';
import { rbacDefaultSaBound } from '../rbac-default-sa-bound/check.js';
import { rbacEscalate } from '../rbac-escalate/check.js';
import { rbacEscalationPath } from '../rbac-escalation-path/check.js';
import { rbacEventsDelete } from '../rbac-events-delete/check.js';
import { rbacImpersonate } from '../rbac-impersonate/check.js';
import { rbacKubeSystemSaReachable } from '../rbac-kube-system-sa-reachable/check.js';
import { rbacMissingRole } from '../rbac-missing-role/check.js';
import { rbacMissingSubject } from '../rbac-missing-subject/check.js';
import { rbacNamespaceUpdate } from '../rbac-namespace-update/check.js';
import { rbacNetpolWrite } from '../rbac-netpol-write/check.js';
import { rbacNodesProxy } from '../rbac-nodes-proxy/check.js';
import { rbacNodesSubresources } from '../rbac-nodes-subresources/check.js';
import { rbacPodCreate } from '../rbac-pod-create/check.js';
import { rbacPodExec } from '../rbac-pod-exec/check.js';
import { rbacPvCreate } from '../rbac-pv-create/check.js';
import { rbacSecretsCreate } from '../rbac-secrets-create/check.js';
import { rbacSecretsRead } from '../rbac-secrets-read/check.js';
import { rbacServiceWrite } from '../rbac-service-write/check.js';
import { rbacStatusPatch } from '../rbac-status-patch/check.js';
import { rbacTokenCreate } from '../rbac-token-create/check.js';
import { rbacWebhookWrite } from '../rbac-webhook-write/check.js';
import { rbacWildcard } from '../rbac-wildcard/check.js';

export const rbacChecks: readonly AnyCheck[] = [
  rbacAnonymousAccess,
  rbacAwsAuthWrite,
  rbacBind,
  rbacClusterAdminBinding,
  rbacCsrApprove,
  rbacDefaultSaBound,
  rbacEscalate,
  rbacEscalationPath,
  rbacEventsDelete,
  rbacImpersonate,
  rbacKubeSystemSaReachable,
  rbacMissingRole,
  rbacMissingSubject,
  rbacNamespaceUpdate,
  rbacNetpolWrite,
  rbacNodesProxy,
  rbacNodesSubresources,
  rbacPodCreate,
  rbacPodExec,
  rbacPvCreate,
  rbacSecretsCreate,
  rbacSecretsRead,
  rbacServiceWrite,
  rbacStatusPatch,
  rbacTokenCreate,
  rbacWebhookWrite,
  rbacWildcard,
];
