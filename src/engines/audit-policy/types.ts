/** The audit Policy types of audit.k8s.io/v1, as kube-apiserver evaluates them. */
export const AUDIT_LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type AuditLevel = (typeof AUDIT_LEVELS)[number];
export const AUDIT_STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export type AuditStage = (typeof AUDIT_STAGES)[number];

export interface GroupResources {
  readonly group: string;
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
}

export interface AuditRule {
  readonly index: number;
  readonly level: AuditLevel;
  readonly users: readonly string[];
  readonly userGroups: readonly string[];
  readonly verbs: readonly string[];
  readonly resources: readonly GroupResources[];
  readonly namespaces: readonly string[];
  readonly nonResourceURLs: readonly string[];
  readonly omitStages: readonly AuditStage[];
  readonly omitManagedFields?: boolean;
}

export interface AuditPolicy {
  readonly rules: readonly AuditRule[];
  readonly omitStages: readonly AuditStage[];
  readonly omitManagedFields: boolean;
}

/** A validation error of the policy file, with the field path it concerns. */
export interface PolicyError {
  readonly path: string;
  readonly message: string;
}

export interface ParsedPolicy {
  /** The policy as the API server would load it, when it is valid enough to evaluate. */
  readonly policy?: AuditPolicy;
  readonly errors: readonly PolicyError[];
}


/** The attributes of a request that audit policy rules look at. */
export interface AuditRequest {
  /** The authenticated user; undefined when the request was not authenticated. */
  readonly user?: string;
  readonly groups?: readonly string[];
  readonly verb: string;
  /** Resource requests: the resource (plural), its API group ('' for core), namespace ('' when cluster-scoped), subresource, name. */
  readonly resource?: { readonly group: string; readonly resource: string; readonly subresource?: string; readonly namespace?: string; readonly name?: string };
  /** Non-resource requests: the URL path, e.g. `/healthz`. */
  readonly path?: string;
}

export interface AuditDecision {
  readonly level: AuditLevel;
  readonly omitStages: readonly AuditStage[];
  /** The index of the rule that decided, or undefined when none matched (level None). */
  readonly ruleIndex?: number;
}

