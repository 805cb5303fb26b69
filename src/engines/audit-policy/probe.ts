/**
 * Requests that stand for every request an audit policy can tell apart. Policy rules only test membership (users,
 * groups, verbs, namespaces, names, group/resource patterns, URL prefixes), so one value per mentioned value plus one
 * value no rule mentions covers every equivalence class; checking those requests is checking all requests.
 */
import type { AuditPolicy, AuditRequest, AuditRule } from './types.js';
import { trimEndChar } from '../../core/text.js';

export const OTHER_USER = 'kspect:any-other-user';
export const OTHER_GROUP = 'kspect:any-other-group';
export const OTHER_VERB = 'kspect-any-other-verb';
export const OTHER_API_GROUP = 'kspect-any-other.example.com';
export const OTHER_RESOURCE = 'kspect-any-other-resources';
export const OTHER_SUBRESOURCE = 'kspect-any-other-subresource';
export const OTHER_NAMESPACE = 'kspect-any-other-namespace';
export const OTHER_NAME = 'kspect-any-other-name';
export const OTHER_PATH = '/kspect-any-other-path';

/** Every verb a request can carry: API verbs of resource requests, lower-case HTTP methods of the others. */
export const RESOURCE_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'] as const;
export const NON_RESOURCE_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

/** An identity: no user (failed authentication), or a user with at most one group (enough for every class). */
export interface Identity {
  readonly user?: string;
  readonly groups: readonly string[];
}

export interface Mentioned {
  readonly users: readonly string[];
  readonly groups: readonly string[];
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly subresources: readonly string[];
  readonly namespaces: readonly string[];
  readonly names: readonly string[];
  readonly paths: readonly string[];
}

function uniq(xs: Iterable<string>): string[] {
  return [...new Set(xs)];
}

/** The values the rules of a policy mention, per dimension (patterns split into resource and subresource). */
export function mentioned(rules: readonly AuditRule[]): Mentioned {
  const users = new Set<string>();
  const groups = new Set<string>();
  const verbs = new Set<string>();
  const apiGroups = new Set<string>();
  const resources = new Set<string>();
  const subresources = new Set<string>();
  const namespaces = new Set<string>();
  const names = new Set<string>();
  const paths = new Set<string>();
  for (const r of rules) {
    r.users.forEach((u) => users.add(u));
    r.userGroups.forEach((g) => groups.add(g));
    r.verbs.forEach((v) => verbs.add(v));
    r.namespaces.forEach((n) => namespaces.add(n));
    for (const gr of r.resources) {
      if (gr.group !== '*') apiGroups.add(gr.group);
      gr.resourceNames.forEach((n) => names.add(n));
      for (const p of gr.resources) {
        const [res, sub] = splitPattern(p);
        if (res !== '*' && res !== '') resources.add(res);
        if (sub !== undefined && sub !== '*' && sub !== '') subresources.add(sub);
      }
    }
    for (const u of r.nonResourceURLs) {
      if (u === '*') continue;
      const lit = trimEndChar(u, '*');
      paths.add(lit);
      paths.add(`${lit}\uffff`);
    }
  }
  return {
    users: uniq(users),
    groups: uniq(groups),
    verbs: uniq(verbs),
    apiGroups: uniq(apiGroups),
    resources: uniq(resources),
    subresources: uniq(subresources),
    namespaces: uniq(namespaces),
    names: uniq(names),
    paths: uniq(paths),
  };
}

/** `pods/log` → [pods, log]; `pods` → [pods, undefined]. */
export function splitPattern(p: string): [string, string | undefined] {
  const i = p.indexOf('/');
  return i < 0 ? [p, undefined] : [p.slice(0, i), p.slice(i + 1)];
}

/** Identities to probe: no user, each mentioned user alone, each mentioned group, and someone no rule names. */
export function identities(m: Mentioned): Identity[] {
  const out: Identity[] = [];
  for (const u of [OTHER_USER, ...m.users]) out.push({ user: u, groups: [] });
  for (const g of [...m.groups, OTHER_GROUP]) out.push({ user: OTHER_USER, groups: [g] });
  out.push({ groups: [] });
  return out;
}

export function withIdentity(id: Identity, req: Omit<AuditRequest, 'user' | 'groups'>): AuditRequest {
  return { ...(id.user !== undefined ? { user: id.user } : {}), groups: id.groups, ...req };
}

/** Resource triples (group, resource, subresource) to probe for a set of rules. */
export function resourceTriples(m: Mentioned): { group: string; resource: string; subresource?: string }[] {
  const out: { group: string; resource: string; subresource?: string }[] = [];
  for (const group of [...m.apiGroups, OTHER_API_GROUP])
    for (const resource of [...m.resources, OTHER_RESOURCE]) {
      out.push({ group, resource });
      for (const sub of [...m.subresources, OTHER_SUBRESOURCE]) out.push({ group, resource, subresource: sub });
    }
  return out;
}

/** Does any rule of the policy match this request? The first that does decides. */
export function firstMatch(policy: AuditPolicy, req: AuditRequest, match: (r: AuditRule, q: AuditRequest) => boolean): AuditRule | undefined {
  for (const r of policy.rules) if (match(r, req)) return r;
  return undefined;
}
