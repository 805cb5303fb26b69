/**
 * kspect's public API. Everything exported here is supported; anything else is internal.
 *
 * One verb per domain, one naming style — `check<Domain>(options)` returns the one Report, built by the one runner
 * (`judge`), so configuration, suppression, baselines and not-evaluated accounting are the same in all of them:
 * checkManifests (kspect scan), checkPodSecurity (pss check), checkRbac (rbac risks / paths),
 * checkNetworkPolicies (netpol check), checkPki (pki check), checkEtcd (etcd check), checkNode (node),
 * checkExposure (probe).
 * The query engines below keep answer shapes of their own.
 */
import { plainReports, plainReportsAsync } from './api/plain.js';
import { checkManifests as checkManifestsCompact } from './api/scan.js';
export type { CheckManifestsOptions } from './api/scan.js';
import { checkPodSecurity as checkPodSecurityCompact } from './api/pss.js';
export type { CheckPodSecurityOptions } from './api/pss.js';
import { checkRbac as checkRbacCompact } from './api/rbac.js';
export type { CheckRbacOptions } from './api/rbac.js';
import { checkNetworkPolicies as checkNetworkPoliciesCompact } from './api/netpol.js';
export type { CheckNetworkPoliciesOptions } from './api/netpol.js';
import { checkPki as checkPkiCompact } from './api/pki.js';
export type { CheckPkiOptions } from './api/pki.js';
import { checkEtcd as checkEtcdCompact } from './api/etcd.js';
export type { CheckEtcdOptions } from './api/etcd.js';
import { judge as judgeCompact, type JudgeOptions as RunJudgeOptions } from './api/run.js';
export type { JudgeCommonOptions } from './api/run.js';
import { allChecks } from './checks/index.js';
export { allChecks, findCheck } from './checks/index.js';
export { defineCheck, type Check, type AnyCheck, type CheckContext, type CheckMeta, type EngineFactory, type RunSettings } from './framework/define.js';
import { runChecks as runChecksCompact } from './framework/runner.js';
export { resolveChecks, type RunInput, type RunView, type ReportSections } from './framework/runner.js';
export type { Finding, NotEvaluated, Problem, ResourceRef, FileLocation, SourceRef, References, SuppressedFinding } from './core/finding.js';
export type { Report, Summary, CheckInfo, CheckResult, CheckOutcome } from './core/report.js';
// Reading a JSON report of any version kspect wrote (1, 2, 3): findings whole, as the Report held them.
export { readReportJson, type ReadReport, type ReadReportResult } from './core/report-json.js';
export { SEVERITIES, type Severity, type FailOn } from './core/severity.js';
export { parseConfig, type KspectConfig } from './core/config.js';
export { makeBaseline, type Baseline } from './core/baseline.js';
export { buildInventory, type Inventory } from './model/inventory.js';
export { toK8sObject, type K8sObject } from './model/object.js';
export { loadManifests } from './sources/files.js';
export { parseManifests } from './sources/yaml.js';
export { REPORTERS, WRITERS, FORMATS } from './reporters/index.js';
export {
  buildNetpolEngine,
  NetpolEngine,
  netpolEngineFactory,
  type NetpolOptions,
  type Reach,
  type Verdict,
  type Decision,
  type Party,
  type ExternalBlock,
  type ReachabilitySummary,
  type Endpoint,
  type NetworkPolicy,
  type PortSet,
  type Protocol,
  formatPorts,
  portsToJson,
  hasPort,
} from './engines/netpol/index.js';
export { reachMatrix, explainEndpoint, type ReachMatrix, type ExplainView } from './engines/netpol/matrix.js';
export {
  evaluateObject as evaluatePodSecurity,
  evaluatePod as evaluatePodSpecSecurity,
  checksInForce as podSecurityChecksInForce,
  policyFromLabels as podSecurityPolicyFromLabels,
  parsePssVersion,
  formatViolations as formatPodSecurityViolations,
  buildPssEngine,
  PSS_CHECKS,
  PSS_CHECK_IDS,
  PSS_LEVELS,
  PSS_NEWEST_MINOR,
  type PssEvaluation,
  type PssViolation,
  type PssPolicy,
  type PssLevel,
  type PssVersion,
  type PssCheckId,
  type PssJudgement,
  type PssEngine,
  type NamespacePolicy,
  type EvaluateOptions as PssEvaluateOptions,
  type PodInput as PssPodInput,
} from './engines/pss/index.js';
// Node audit (kspect node): read a node into inventory objects, run the node checks (CIS 1.12 controls and kspect's
// further checks) through the runner; the Report carries the benchmark view in `controls`.
import { checkNode as checkNodeCompact } from './api/node.js';
export type { CheckNodeOptions } from './api/node.js';
export { readNode, type ReadNodeOptions, type NodeRead } from './sources/node.js';
export { nodeSections, nodeCheckIds } from './checks/node-controls/audit.js';
export { BENCHMARK as NODE_BENCHMARK, SECTIONS as NODE_SECTIONS, findNodeControl } from './checks/node-controls/benchmark.js';
export { isNodeCheck, type NodeCheck, type NodeControlInfo } from './checks/node-controls/define.js';
export { nodeChecks } from './checks/registry/node.js';
export { NODE_API_VERSION, NODE_AUDIT, NODE_COMPONENT, NODE_CONFIG, NODE_FILE } from './engines/node/objects.js';
export { parseFlags, type FlagSet } from './engines/node/flags.js';
export type { NodeSnapshot, NodeFile, ComponentInstance, Component } from './engines/node/snapshot.js';
export type { ControlResult, ControlVerdict, ControlsReport } from './core/report.js';
// EncryptionConfiguration and audit Policy engines (shared with kspect etcd / kspect audit).
export {
  parseEncryptionConfig,
  auditEncryptionConfig,
  ruleFor as encryptionRuleFor,
  writeProviderFor as encryptionWriteProviderFor,
  decodeStdBase64,
  KeyMaterial,
  type EncryptionConfig,
  type EncryptionProvider,
  type EncryptionKey,
  type EncryptionIssue,
  type ParsedEncryptionConfig,
} from './engines/encryption/config.js';
export { parseAuditPolicy, auditPolicyIssues, levelFor as auditLevelFor, ruleMatches as auditRuleMatches, type AuditPolicy, type AuditRule, type AuditRequest, type AuditDecision, type AuditLevel, type AuditStage, type PolicyIssue } from './engines/audit-policy/policy.js';
// kspect audit: policies loaded exactly as kube-apiserver does, simulation, Falco k8saudit rules over logs.
import { checkAuditPolicy as checkAuditPolicyCompact } from './api/audit.js';
export { simulateAudit, analyzeAuditLog, auditCoverage, BUNDLED_RULES as FALCO_BUNDLED_RULES, type CheckAuditPolicyOptions, type SimulateAuditOptions, type AnalyzeAuditLogOptions, type AuditCoverageOptions, type AuditSimulation, type SimulatedRequest, type LogComparison } from './api/audit.js';
export type { AuditLogSummary, AuditCoverageSection } from './core/report.js';
export { loadFalcoRules, evaluate as evaluateFalcoRules, eventsOf as auditEventsOf, type FalcoRuleset, type RulesInput as FalcoRulesInput, type LoadResult as FalcoLoadResult } from './engines/falco/engine.js';
export { auditCoverage as falcoRuleCoverage, type RuleCoverage, type CoverageGap } from './engines/falco/coverage.js';
export { loadAuditPolicy, type LoadedPolicy, type PolicyProblem } from './engines/audit-policy/load.js';
export { lintAuditPolicy, type LintIssue } from './engines/audit-policy/lint.js';
export { simulateRequest as simulateAuditRequest, requestOfEvent as auditRequestOfEvent, type Simulation as AuditRequestSimulation } from './engines/audit-policy/simulate.js';
export {
  buildRbacIndex,
  RbacIndex,
  rbacEngine,
  bootstrapPolicyObjects,
  impersonatedUser,
  parseSubject,
  subjectDisplay,
  requestOf,
  requestDisplay,
  isNamespacedRequest,
  parseResourceArg,
  ruleAllows,
  ruleCovers,
  uncoveredRules,
  findDangers,
  allDangers,
  streamVerbs,
  escalationPaths,
  isAdmin as isClusterAdminEquivalent,
  type RbacOptions,
  type UserInfo,
  type SubjectRef,
  type Request as RbacRequest,
  type ResourceRequest as RbacResourceRequest,
  type NonResourceRequest as RbacNonResourceRequest,
  type PolicyRule,
  type Decision as RbacDecision,
  type Grant as RbacGrant,
  type WhoCanEntry,
  type RoleEntry as RbacRoleEntry,
  type BindingEntry as RbacBindingEntry,
  type DangerSpec,
  type DangerHit,
  type EscalationPath,
  type EscalationGraph,
  type Step as EscalationStep,
  type Question as RbacQuestion,
} from './engines/rbac/index.js';
export { pathsToDot, pathsToMermaid } from './reporters/rbac-graph.js';
// Exposure probe (kspect probe): which component ports answer without authentication; read-only.
import { checkExposure as checkExposureCompact } from './api/probe.js';
export { PROBE_RUN_CHECKS, type CheckExposureOptions } from './api/probe.js';
export { DEFAULT_PORTS as PROBE_DEFAULT_PORTS, SERVICE_NAMES as PROBE_SERVICE_NAMES, type ServiceId as ProbeServiceId, type KnownPort as ProbeKnownPort } from './engines/probe/catalog.js';
export { readProbedEndpoint, PROBED_ENDPOINT, type ProbedEndpointView } from './engines/probe/objects.js';
export type { ProbeSummary, ProbeEndpointSummary } from './core/report.js';
export type { CertificateSummary, EndpointSummary, PkiSummary } from './core/report.js';
export { parseCertificate, parseCsr, parsePrivateKey, type CertInfo, type CsrInfo, type PrivateKeyInfo } from './engines/x509/cert.js';
export { decodeBlob } from './engines/x509/material.js';
export { buildChain, chainIndex, type ChainResult } from './engines/x509/chain.js';
export { generateKeyPair, issueCertificate, createCsr, signCsr, privateKeyPem, importSigningKey, KEY_ALGORITHMS, type CertSpec, type KeyAlgorithm, type IssueEnv } from './engines/x509/issue.js';
export { probeEndpoint } from './sources/tls.js';
export { parseImageRef, effectiveTag, defaultPullPolicy, type ImageRef, type PullPolicy } from './model/image.js';
export { judgeLiteral, credentialShape, isCredentialName, type LiteralVerdict } from './engines/credentials/credentials.js';
// Image supply chain (kspect images verify, scan --vulns): references, signature policy, vulnerability import.
export { verifyImages, IMAGE_VERIFY_CHECKS, type VerifyImagesOptions } from './api/images.js';
export { parseReference, parseNormalizedNamed, referenceString, dockerRef, familiarName, digestOfImageId, runningDigestOfImageId, ReferenceError, type ParsedReference, type ReferenceErrorCode } from './model/image.js';
export { parseImagePolicy, DEFAULT_IMAGE_POLICY, type ImagePolicy, type SignatureRule, type KeylessIdentity } from './core/image-policy.js';
export { judgeImage, imageGlobMatches, rulesFor, type ImageDecision, type ImageEvidence, type LoadedRule, type RuleVerdict } from './engines/images/policy.js';
export { checkSignature, legacyAsBundle, parsePublicKey, parseTrustedRoot, type SignatureEvidence, type SignatureCheck, type TrustSet, type TrustedKey } from './engines/images/signatures.js';
export { gatherImage, gatherImages, type GatheredImage, type ImageSource } from './sources/registry/gather.js';
export { RegistryClient, RegistryError, type RegistryClientOptions } from './sources/registry/client.js';
export { OciLayout } from './sources/registry/layout.js';
export { loadRules as loadSignatureRules, requiresTlog } from './sources/registry/trust.js';
export { parseDockerConfig, loadDockerConfig, loadDockerConfigDoc, readDockerConfig, dockerConfigCredentials, runCredentialHelper, chainCredentials, credentialsFromMap, Keyring, keyringMatches, type Credentials, type CredentialSource, type DockerConfigDoc, type HelperRunner } from './sources/registry/auth.js';
export { loadRunningPods, loadRunningImages } from './sources/registry/pods.js';
export { loadVulnerabilityReports, parseScannerReport } from './sources/vulns.js';
export { summarize as summarizeVulnerabilities, type VulnPolicy, type VulnSummary } from './engines/images/vulns.js';
export type { Vulnerability, VulnerabilityReportView, ContainerImageView } from './engines/images/objects.js';
// Admission (kspect webhook serve) and PolicyReports (-f policyreport, scan --apply-reports).
export { decide as decideAdmission, parseAdmissionReview, admissionResponse, parseModePolicy, modePolicyOf, significantUpdate, checksForKind as admissionChecksForKind, CONTEXT_CHECKS, PARTIAL_AT_ADMISSION, notAtAdmission, MODE_LABEL, WEBHOOK_MODES, type AdmissionRequest, type ReviewContext, type ReviewDecision, type WebhookMode, type ModePolicy, type DefaultMode, type NotAtAdmission } from './sources/webhook/review.js';
export { reviewContext as webhookReviewContext, WEBHOOK_CHECKS, type WebhookSetup } from './sources/webhook/context.js';
export { reviewImages, IMAGE_REVIEW_CHECKS, type ImageReviewContext, type ImageReviewResult } from './sources/webhook/imagereview.js';
export { startWebhookServer, jsonLogger, MAX_BODY as WEBHOOK_MAX_BODY, type WebhookServer, type WebhookServerOptions } from './sources/webhook/server.js';
export { staticNamespaces, watchedNamespaces, type NamespaceSource } from './sources/webhook/namespaces.js';
export { ImageVerifier, pullSecretReader, type ImageVerifierOptions, type ImageToVerify } from './sources/webhook/signatures.js';
export { admissionImages, coveredImages, type AdmissionImages, type CoveredImage } from './sources/webhook/admission-images.js';
export { prepareReview as prepareAdmission, judgePrepared as judgePreparedAdmission, type PreparedReview as PreparedAdmission } from './sources/webhook/review.js';
export { parseImageReview, judgeImageReview, type ParsedImageReview } from './sources/webhook/imagereview.js';
export { webhookConfigurations, webhookManifests, type ManifestOptions as WebhookManifestOptions } from './sources/webhook/manifests.js';
export { policyReports, renderPolicyReport, REPORT_API_KINDS, REPORT_APIS, type PolicyReportObject, type PolicyReportOptions, type ReportApi } from './reporters/policyreport.js';
export { applyPolicyReports, servedReportApi, type ApplyReportsOptions, type ApplyReportsResult } from './sources/policyreports.js';

// The library API returns Reports of plain Finding objects (every field an own property); the verbs above are the
// ones the CLI runs, whose findings are compact (src/api/plain.ts is the boundary).
/** Scan manifests and return the report (`kspect scan`). Throws UsageError only for invalid options. */
export const checkManifests = plainReportsAsync(checkManifestsCompact);
/** Pod Security Standards over manifests (`kspect pss check`). */
export const checkPodSecurity = plainReportsAsync(checkPodSecurityCompact);
/** RBAC risks over manifests (`kspect rbac risks`). */
export const checkRbac = plainReportsAsync(checkRbacCompact);
/** NetworkPolicy coverage over manifests (`kspect netpol check`). */
export const checkNetworkPolicies = plainReportsAsync(checkNetworkPoliciesCompact);
/** Certificates and keys (`kspect pki check`). */
export const checkPki = plainReportsAsync(checkPkiCompact);
/** etcd (`kspect etcd check`). */
export const checkEtcd = plainReportsAsync(checkEtcdCompact);
/** A node (`kspect node`). */
export const checkNode = plainReportsAsync(checkNodeCompact);
/** An audit policy (`kspect audit check`). */
export const checkAuditPolicy = plainReportsAsync(checkAuditPolicyCompact);
/** Endpoints probed (`kspect probe`). */
export const checkExposure = plainReportsAsync(checkExposureCompact);
/** What `judge` takes: the objects, and the checks of the domain (default: every check). */
export type JudgeOptions = Omit<RunJudgeOptions, 'checks'> & { readonly checks?: RunJudgeOptions['checks'] };
/** Run a domain's checks over objects and return the Report. Throws UsageError only for invalid options. */
export const judge = plainReports((options: JudgeOptions) => judgeCompact({ ...options, checks: options.checks ?? allChecks }));
/** Run the checks over the inventory and assemble the report. */
export const runChecks = plainReports(runChecksCompact);
