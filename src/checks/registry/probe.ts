/** Exposure checks: they judge what `kspect probe` saw on the network (ProbedEndpoint objects). Sorted by id. */
import type { AnyCheck } from '../../framework/define.js';
import { exposedApiserverAnonymousAuth } from '../exposed-apiserver-anonymous-auth/check.js';
import { exposedApiserverAnonymousRead } from '../exposed-apiserver-anonymous-read/check.js';
import { exposedApiserverPlainHttp } from '../exposed-apiserver-plain-http/check.js';
import { exposedComponentEndpoints } from '../exposed-component-endpoints/check.js';
import { exposedDashboard } from '../exposed-dashboard/check.js';
import { exposedDockerApi } from '../exposed-docker-api/check.js';
import { exposedKubeletAnonymousAuth } from '../exposed-kubelet-anonymous-auth/check.js';
import { exposedKubeletApi } from '../exposed-kubelet-api/check.js';
import { exposedKubeletReadonlyPort } from '../exposed-kubelet-readonly-port/check.js';

export const probeChecks: readonly AnyCheck[] = [
  exposedApiserverAnonymousAuth,
  exposedApiserverAnonymousRead,
  exposedApiserverPlainHttp,
  exposedComponentEndpoints,
  exposedDashboard,
  exposedDockerApi,
  exposedKubeletAnonymousAuth,
  exposedKubeletApi,
  exposedKubeletReadonlyPort,
];
