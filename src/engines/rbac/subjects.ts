/**
 * Identities as the API server sees them: a user name and groups, with the groups Kubernetes adds
 * implicitly (authenticated / unauthenticated, service-account groups) — named the way kubectl names
 * them (`--as alice`, `--as system:serviceaccount:NS:NAME`, `--as-group G`).
 */
import type { SubjectKind } from './objects.js';

export const SYSTEM_MASTERS = 'system:masters';
export const ALL_AUTHENTICATED = 'system:authenticated';
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS = 'system:anonymous';
export const ALL_SERVICE_ACCOUNTS = 'system:serviceaccounts';
const SA_PREFIX = 'system:serviceaccount:';

/** A request's user: name and every group it belongs to. */
export interface UserInfo {
  readonly name: string;
  readonly groups: readonly string[];
}

/**
 * `system:serviceaccount:NS:NAME` → { namespace, name }, as the API server's `serviceaccount.SplitUsername`
 * reads it: exactly two parts after the prefix, NS a valid namespace name (DNS-1123 label) and NAME a valid
 * service-account name (DNS-1123 subdomain). Anything else is not a service account — a plain user whose name
 * happens to start with the prefix (no service-account groups, impersonated as a user). Never throws.
 */
export function splitServiceAccountUser(user: string): { namespace: string; name: string } | undefined {
  if (!user.startsWith(SA_PREFIX)) return undefined;
  const parts = user.slice(SA_PREFIX.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace = '', name = ''] = parts;
  if (!isDns1123Label(namespace) || !isDns1123Subdomain(name)) return undefined;
  return { namespace, name };
}

/** A DNS-1123 label (a namespace name): 1–63 of [a-z0-9-], starting and ending with [a-z0-9]. No regular expression. */
export function isDns1123Label(s: string): boolean {
  if (s.length === 0 || s.length > 63) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const alnum = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (alnum) continue;
    if (c === 45 && i > 0 && i < s.length - 1) continue;
    return false;
  }
  return true;
}

/** A DNS-1123 subdomain (a service-account name): at most 253 characters, dot-separated labels of [a-z0-9-]. */
export function isDns1123Subdomain(s: string): boolean {
  if (s.length === 0 || s.length > 253) return false;
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    if (i === s.length || s.charCodeAt(i) === 46) {
      const label = s.slice(start, i);
      // Labels inside a subdomain have no 63-character limit of their own in this check (upstream uses one regexp for the whole name).
      if (label.length === 0) return false;
      for (let j = 0; j < label.length; j++) {
        const c = label.charCodeAt(j);
        const alnum = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
        if (alnum || (c === 45 && j > 0 && j < label.length - 1)) continue;
        return false;
      }
      start = i + 1;
    }
  }
  return true;
}

export function serviceAccountUser(namespace: string, name: string): string {
  return `${SA_PREFIX}${namespace}:${name}`;
}

/** `system:serviceaccounts:NS` once per namespace (the escalation graph makes the user of every service account). */
const namespaceGroups = new Map<string, string>();

export function serviceAccountGroups(namespace: string): string[] {
  let group = namespaceGroups.get(namespace);
  if (group === undefined) {
    group = `${ALL_SERVICE_ACCOUNTS}:${namespace}`;
    if (namespaceGroups.size >= 10_000) namespaceGroups.clear();
    namespaceGroups.set(namespace, group);
  }
  return [ALL_SERVICE_ACCOUNTS, group];
}

/**
 * The user a request impersonating `name` with `groups` acts as — as the API server's impersonation
 * filter builds it: a service account without explicit groups gets its service-account groups; every
 * user but `system:anonymous` gets `system:authenticated` unless `system:authenticated` or
 * `system:unauthenticated` was given; `system:anonymous` gets `system:unauthenticated`.
 */
export function impersonatedUser(name: string, groups: readonly string[] = []): UserInfo {
  let gs = [...groups];
  const sa = splitServiceAccountUser(name);
  if (sa && groups.length === 0) gs = serviceAccountGroups(sa.namespace);
  if (name !== ANONYMOUS) {
    if (!gs.includes(ALL_AUTHENTICATED) && !gs.includes(ALL_UNAUTHENTICATED)) gs.push(ALL_AUTHENTICATED);
  } else if (!gs.includes(ALL_UNAUTHENTICATED)) gs.push(ALL_UNAUTHENTICATED);
  return { name, groups: [...new Set(gs)] };
}

/** A subject of a binding, or a graph identity. */
export interface SubjectRef {
  readonly kind: SubjectKind;
  readonly name: string;
  readonly namespace?: string;
}

/** Parse `alice`, `system:serviceaccount:NS:NAME`, `group:NAME`, `User:alice`, `Group:devs`, `ServiceAccount:NS/NAME`. */
export function parseSubject(text: string): SubjectRef | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const lower = t.toLowerCase();
  if (lower.startsWith('group:')) return nonEmpty({ kind: 'Group', name: t.slice(6) });
  if (lower.startsWith('user:')) return nonEmpty({ kind: 'User', name: t.slice(5) });
  if (lower.startsWith('serviceaccount:')) {
    const rest = t.slice(15);
    const m = /^([^/:]+)[/:]([^/:]+)$/.exec(rest);
    return m?.[1] !== undefined && m[2] !== undefined ? { kind: 'ServiceAccount', namespace: m[1], name: m[2] } : undefined;
  }
  const sa = splitServiceAccountUser(t);
  if (sa) return { kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name };
  // Not a valid service-account name: the API server treats it as a plain user of that name, and so does kspect.
  return { kind: 'User', name: t };
}

function nonEmpty(s: SubjectRef): SubjectRef | undefined {
  return s.name === '' ? undefined : s;
}

/** The user a subject stands for; a Group stands for an unnamed member of that group. */
export function userOfSubject(s: SubjectRef): UserInfo {
  if (s.kind === 'ServiceAccount') {
    const ns = s.namespace ?? 'default';
    // What impersonatedUser makes of a valid service account's user (its groups, then system:authenticated), without
    // writing the user out and reading it back: the escalation graph makes the user of every service account.
    if (isDns1123Label(ns) && isDns1123Subdomain(s.name)) return { name: serviceAccountUser(ns, s.name), groups: [...serviceAccountGroups(ns), ALL_AUTHENTICATED] };
    return impersonatedUser(serviceAccountUser(ns, s.name));
  }
  if (s.kind === 'User') return impersonatedUser(s.name);
  // A member of the group: no user binding applies, only the group's (and, for real groups, system:authenticated).
  if (s.name === ALL_UNAUTHENTICATED) return { name: '', groups: [ALL_UNAUTHENTICATED] };
  return { name: '', groups: [...new Set([s.name, ALL_AUTHENTICATED])] };
}

/** `User alice`, `Group devs`, `ServiceAccount ns/name`. */
export function subjectDisplay(s: SubjectRef): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace ?? ''}/${s.name}` : `${s.kind} ${s.name}`;
}

/** A stable key for maps: `User:alice`, `Group:devs`, `ServiceAccount:ns/name`. */
export function subjectKey(s: SubjectRef): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount:${s.namespace ?? ''}/${s.name}` : `${s.kind}:${s.name}`;
}

/**
 * Subjects Kubernetes itself uses: `system:` users and groups (nodes, controllers, `system:masters`),
 * but not the catch-all groups (`system:authenticated`, `system:unauthenticated`, `system:anonymous`,
 * `system:serviceaccounts[:ns]`) nor service accounts — those are the input's own identities.
 */
export function isSystemSubject(s: SubjectRef): boolean {
  if (s.kind === 'ServiceAccount') return false;
  if (!s.name.startsWith('system:')) return false;
  if (s.name === ALL_AUTHENTICATED || s.name === ALL_UNAUTHENTICATED || s.name === ANONYMOUS) return false;
  if (s.name === ALL_SERVICE_ACCOUNTS || s.name.startsWith(`${ALL_SERVICE_ACCOUNTS}:`) || s.name.startsWith(SA_PREFIX)) return false;
  return true;
}
