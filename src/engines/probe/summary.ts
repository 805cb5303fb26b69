/** The `probe` section of a Report: every endpoint probed, what answered and how. Pure. */
import type { ProbeEndpointSummary, ProbeSummary } from '../../core/report.js';
import { SERVICE_NAMES } from './catalog.js';
import type { ProbedEndpointView } from './objects.js';

export function answerLine(a: ProbedEndpointView['answers'][number]): string {
  return `GET ${a.path} → ${a.status ?? `failed: ${a.error ?? 'no answer'}`}${a.detail !== undefined ? ` (${a.detail})` : a.location !== undefined ? ` (to ${a.location}, not followed)` : ''}`;
}

export function endpointSummary(v: ProbedEndpointView): ProbeEndpointSummary {
  return {
    endpoint: v.endpoint,
    target: v.target,
    state: v.state,
    ...(v.stateDetail !== undefined ? { detail: v.stateDetail } : {}),
    ...(v.transport !== undefined ? { transport: v.transport } : {}),
    ...(v.clientCertRequired === true ? { clientCertRequired: true } : {}),
    ...(v.service !== undefined ? { service: SERVICE_NAMES[v.service] } : {}),
    ...(v.identifiedBy !== undefined ? { identifiedBy: v.identifiedBy } : {}),
    answers: v.answers.map(answerLine),
  };
}

export function probeSummary(views: readonly ProbedEndpointView[]): ProbeSummary {
  const counts = { open: 0, closed: 0, filtered: 0, unreachable: 0 };
  for (const v of views) counts[v.state]++;
  const order = (v: ProbedEndpointView): string => `${v.host}\u0000${String(v.port).padStart(5, '0')}`;
  const endpoints = [...views].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0)).map(endpointSummary);
  return { endpoints, counts };
}
