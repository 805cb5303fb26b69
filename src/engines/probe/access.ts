/**
 * What an anonymous client could do on a probed endpoint, read from its answers: a path was readable (2xx with
 * the body the service serves there), refused before authentication (401), refused by authorization (403, with
 * the user the server named), absent (404) or unknown. Checks judge these; this module only reads. Pure.
 */
import { refusedUser, type Answer, type Shape } from './answers.js';
import { answerTo } from './identify.js';
import type { ProbedEndpointView } from './objects.js';

export type Access =
  | { readonly verdict: 'readable'; readonly answer: Answer }
  | { readonly verdict: 'unauthenticated'; readonly answer: Answer }
  | { readonly verdict: 'forbidden'; readonly answer: Answer; readonly user?: string }
  | { readonly verdict: 'absent'; readonly answer: Answer }
  | { readonly verdict: 'unknown'; readonly answer?: Answer; readonly why: string };

/**
 * Access to `path`: readable only when the answer is 2xx *and* has one of the shapes the service serves there
 * (a login page answering 200 is not a readable pod list).
 */
export function accessTo(view: ProbedEndpointView, path: string, shapes: readonly Shape[]): Access {
  const a = answerTo(view.answers, path);
  if (!a) return { verdict: 'unknown', why: `GET ${path} was not sent` };
  if (a.status === undefined) return { verdict: 'unknown', answer: a, why: `GET ${path} failed: ${a.error ?? 'no answer'}` };
  if (a.status >= 200 && a.status < 300) {
    if (a.shape !== undefined && shapes.includes(a.shape)) return { verdict: 'readable', answer: a };
    return { verdict: 'unknown', answer: a, why: `GET ${path} answered ${a.status} with ${a.shape ?? 'an unrecognised body'}` };
  }
  if (a.status === 401) return { verdict: 'unauthenticated', answer: a };
  if (a.status === 403) {
    const user = refusedUser(a);
    return { verdict: 'forbidden', answer: a, ...(user !== undefined ? { user } : {}) };
  }
  if (a.status === 404) return { verdict: 'absent', answer: a };
  return { verdict: 'unknown', answer: a, why: `GET ${path} answered ${a.status}` };
}

/** `GET /pods → 200 (PodList with 3 items)`: evidence for findings. */
export function evidenceOf(a: Answer): string {
  return `GET ${a.path} → ${a.status ?? a.error ?? 'no answer'}${a.detail !== undefined ? ` (${a.detail})` : ''}`;
}

/** The users named by the endpoint's refusals (`system:anonymous`): anonymous authentication is on. */
export function anonymousUsers(view: ProbedEndpointView): string[] {
  const users = new Set<string>();
  for (const a of view.answers) {
    if (a.status !== 403) continue;
    const u = refusedUser(a);
    if (u !== undefined) users.add(u);
  }
  return [...users];
}

export const ANONYMOUS_USER = 'system:anonymous';
export const UNAUTHENTICATED_GROUP = 'system:unauthenticated';
