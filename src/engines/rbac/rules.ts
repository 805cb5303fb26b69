/**
 * Policy rules and the matching semantics of the Kubernetes RBAC authorizer: verbs, API groups,
 * resources with subresources, resource names and non-resource URLs; and "covers", the test the
 * API server uses to stop a user from granting permissions they do not hold.
 */

/** A PolicyRule as written in a Role or ClusterRole. */
export interface PolicyRule {
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

/** A request as the authorizer sees it: on a resource, or on a non-resource URL. */
export type Request = ResourceRequest | NonResourceRequest;

export interface ResourceRequest {
  readonly kind: 'resource';
  readonly verb: string;
  /** `` is the core group. */
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource?: string;
  /** Absent for cluster-scoped requests (and for requests across all namespaces). */
  readonly namespace?: string;
  /** Absent for create, list/watch without a `metadata.name` field selector, deletecollection. */
  readonly name?: string;
}

export interface NonResourceRequest {
  readonly kind: 'nonResource';
  readonly verb: string;
  /** URL path, starting with `/`. */
  readonly path: string;
}

/**
 * A rule compiled for fast matching. Keeps the rule and where it came from. Lists stay arrays (they are
 * short, and arrays cost far less to build than sets when tens of thousands of roles are indexed).
 */
export interface CompiledRule {
  readonly rule: PolicyRule;
  /** Index in the role's effective rule list (after aggregation). */
  readonly index: number;
  /** For aggregated ClusterRoles: the ClusterRole the rule was aggregated from and its index there. */
  readonly from: { readonly role: string; readonly index: number } | undefined;
  readonly allVerbs: boolean;
  readonly allGroups: boolean;
  readonly allResources: boolean;
  /** Subresources granted on any resource (a rule resource `*` + `/scale` gives `scale`). */
  readonly anySubresources: readonly string[];
  /** Undefined when the rule has no resourceNames (matches every name). */
  readonly names: readonly string[] | undefined;
  readonly allUrls: boolean;
  /** Prefixes of URL rules with a trailing `*`. */
  readonly urlPrefixes: readonly string[];
  readonly isResourceRule: boolean;
}

const NONE: readonly string[] = Object.freeze([]);

/** `strings.TrimRight(s, "*")`, without a regular expression (a backtracking one is quadratic on runs of `*`). */
export function trimStars(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 42) end--;
  return s.slice(0, end);
}

export function compileRule(rule: PolicyRule, index: number, from?: { role: string; index: number }): CompiledRule {
  let anySub: string[] | undefined;
  for (const r of rule.resources) if (r.startsWith('*/')) (anySub ??= []).push(r.slice(2));
  let prefixes: string[] | undefined;
  for (const u of rule.nonResourceURLs) if (u !== '*' && u.endsWith('*')) (prefixes ??= []).push(trimStars(u));
  // One fixed object shape for every rule (no conditional spread), so matching stays monomorphic.
  return {
    rule,
    index,
    from,
    allVerbs: rule.verbs.includes('*'),
    allGroups: rule.apiGroups.includes('*'),
    allResources: rule.resources.includes('*'),
    anySubresources: anySub ?? NONE,
    names: rule.resourceNames.length > 0 ? rule.resourceNames : undefined,
    allUrls: rule.nonResourceURLs.includes('*'),
    urlPrefixes: prefixes ?? NONE,
    isResourceRule: rule.resources.length > 0,
  };
}

export function verbMatches(r: CompiledRule, verb: string): boolean {
  return r.allVerbs || r.rule.verbs.includes(verb);
}

export function groupMatches(r: CompiledRule, group: string): boolean {
  return r.allGroups || r.rule.apiGroups.includes(group);
}

/** `*` matches everything including subresources; `pods` does not match `pods/exec`; a `*` + `/exec` entry matches any resource's exec. */
export function resourceMatches(r: CompiledRule, resource: string, subresource: string | undefined): boolean {
  if (r.allResources) return true;
  const combined = subresource ? `${resource}/${subresource}` : resource;
  if (r.rule.resources.includes(combined)) return true;
  return subresource !== undefined && subresource !== '' && r.anySubresources.includes(subresource);
}

/**
 * No resourceNames: any name. Otherwise the request's name must equal one of them — compared with `==` as the
 * authorizer does, so a request without a name (create, list, watch, deletecollection) has the name `""` and is
 * matched by `resourceNames: [""]`.
 */
export function nameMatches(r: CompiledRule, name: string | undefined): boolean {
  if (r.names === undefined) return true;
  return r.names.includes(name ?? '');
}

/** Exact, `*`, or a trailing `*` matching by prefix. */
export function urlMatches(r: CompiledRule, path: string): boolean {
  if (r.allUrls || r.rule.nonResourceURLs.includes(path)) return true;
  for (const p of r.urlPrefixes) if (path.startsWith(p)) return true;
  return false;
}

/** Does this one rule allow the request? */
export function ruleAllows(r: CompiledRule, req: Request): boolean {
  if (req.kind === 'nonResource') return verbMatches(r, req.verb) && urlMatches(r, req.path);
  return verbMatches(r, req.verb) && groupMatches(r, req.apiGroup) && resourceMatches(r, req.resource, req.subresource) && nameMatches(r, req.name);
}

/**
 * A matcher for one request, with the request's strings prepared once: the same answers as `ruleAllows`,
 * for evaluating one request against many rules (who-can).
 */
export function requestMatcher(req: Request): (r: CompiledRule) => boolean {
  const verb = req.verb;
  if (req.kind === 'nonResource') return (r) => (r.allVerbs || r.rule.verbs.includes(verb)) && urlMatches(r, req.path);
  const group = req.apiGroup;
  const sub = req.subresource !== undefined && req.subresource !== '' ? req.subresource : undefined;
  const combined = sub !== undefined ? `${req.resource}/${sub}` : req.resource;
  const name = req.name ?? '';
  return (r) =>
    (r.allVerbs || r.rule.verbs.includes(verb)) &&
    (r.allGroups || r.rule.apiGroups.includes(group)) &&
    (r.allResources || r.rule.resources.includes(combined) || (sub !== undefined && r.anySubresources.includes(sub))) &&
    (r.names === undefined || r.names.includes(name));
}

/** Parse kubectl's resource notation: `pods`, `pods/exec`, `deployments.apps`, `deployments.apps/scale`, `/healthz`. */
export function parseResourceArg(arg: string): { kind: 'resource'; resource: string; apiGroup: string; subresource?: string } | { kind: 'nonResource'; path: string } {
  if (arg.startsWith('/')) return { kind: 'nonResource', path: arg };
  const slash = arg.indexOf('/');
  const base = slash < 0 ? arg : arg.slice(0, slash);
  const sub = slash < 0 ? undefined : arg.slice(slash + 1);
  const dot = base.indexOf('.');
  const resource = dot < 0 ? base : base.slice(0, dot);
  const apiGroup = dot < 0 ? '' : base.slice(dot + 1);
  return { kind: 'resource', resource, apiGroup, ...(sub !== undefined ? { subresource: sub } : {}) };
}

/** kubectl's name for a resource of a group: `deployments.apps`, `pods/exec`. */
export function resourceDisplay(resource: string, group: string): string {
  const slash = resource.indexOf('/');
  const base = slash < 0 ? resource : resource.slice(0, slash);
  const sub = slash < 0 ? '' : resource.slice(slash);
  return `${base}${group === '' ? '' : `.${group}`}${sub}`;
}

/** One line for a rule: `get,list secrets` or `get /healthz`. */
export function ruleDisplay(rule: PolicyRule): string {
  const verbs = rule.verbs.join(',');
  if (rule.nonResourceURLs.length > 0 && rule.resources.length === 0) return `${verbs} ${rule.nonResourceURLs.join(',')}`;
  const res = rule.resources.flatMap((r) => rule.apiGroups.map((g) => resourceDisplay(r, g === '*' ? '*' : g)));
  const names = rule.resourceNames.length > 0 ? ` [${rule.resourceNames.join(',')}]` : '';
  return `${verbs} ${res.join(',')}${names}`;
}

/** A canonical key: two rules with the same key are semantically equal (as aggregation dedupes them). */
export function ruleKey(rule: PolicyRule): string {
  const s = (a: readonly string[]): string => [...a].sort().join('\u0001');
  return [s(rule.verbs), s(rule.apiGroups), s(rule.resources), s(rule.resourceNames), s(rule.nonResourceURLs)].join('\u0002');
}

// --- covers: the escalation check of the API server -------------------------------------------------

/** Split a rule into rules of one verb, one group, one resource, one name (or one URL), as the API server does. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const g of rule.apiGroups)
    for (const r of rule.resources)
      for (const v of rule.verbs) {
        if (rule.resourceNames.length > 0) for (const n of rule.resourceNames) out.push({ verbs: [v], apiGroups: [g], resources: [r], resourceNames: [n], nonResourceURLs: [] });
        else out.push({ verbs: [v], apiGroups: [g], resources: [r], resourceNames: [], nonResourceURLs: [] });
      }
  for (const u of rule.nonResourceURLs) for (const v of rule.verbs) out.push({ verbs: [v], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [u] });
  return out;
}

function hasAll(owner: readonly string[], wanted: readonly string[]): boolean {
  if (owner.includes('*')) return true;
  return wanted.every((w) => owner.includes(w));
}

function resourcesCover(owner: readonly string[], wanted: readonly string[]): boolean {
  if (owner.includes('*')) return true;
  return wanted.every((w) => {
    if (owner.includes(w)) return true;
    const slash = w.indexOf('/');
    if (slash < 0) return false;
    const sub = w.slice(slash + 1);
    return owner.some((o) => o.startsWith('*/') && o.slice(2) === sub);
  });
}

function urlsCover(owner: readonly string[], wanted: readonly string[]): boolean {
  return wanted.every((w) => owner.some((o) => o === '*' || o === w || (o.endsWith('*') && w.startsWith(trimStars(o)))));
}

/** Does owner rule cover the (broken-down) servant rule? */
export function ruleCovers(owner: PolicyRule, servant: PolicyRule): boolean {
  if (!hasAll(owner.verbs, servant.verbs)) return false;
  if (servant.nonResourceURLs.length > 0) {
    // A resource servant rule is never covered by URL owner rules and vice versa.
    return owner.nonResourceURLs.length > 0 && urlsCover(owner.nonResourceURLs, servant.nonResourceURLs);
  }
  if (!hasAll(owner.apiGroups, servant.apiGroups)) return false;
  if (!resourcesCover(owner.resources, servant.resources)) return false;
  if (owner.resourceNames.length === 0) return true;
  return servant.resourceNames.length > 0 && servant.resourceNames.every((n) => owner.resourceNames.includes(n));
}

/** Which parts of `servant` rules are not covered by `owner` rules (empty = fully covered). */
export function uncoveredRules(owner: readonly PolicyRule[], servant: readonly PolicyRule[]): PolicyRule[] {
  const missing: PolicyRule[] = [];
  for (const rule of servant) for (const part of breakdownRule(rule)) if (!owner.some((o) => ruleCovers(o, part))) missing.push(part);
  return missing;
}
