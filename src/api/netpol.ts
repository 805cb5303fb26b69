/**
 * `checkNetworkPolicies()`: the NetworkPolicy checks (pods not isolated, policies that select nothing, peers that
 * open everything, egress to the metadata service …) over manifests or a cluster's objects, as one Report.
 */
import { networkChecks } from '../checks/registry/network.js';
import type { Report } from '../core/report.js';
import { judgeInputs, type CheckManifestsOptions } from './scan.js';

export type CheckNetworkPoliciesOptions = Omit<CheckManifestsOptions, 'checks'>;

/** Judge the NetworkPolicies and the pods they select. Throws UsageError only for invalid options. */
export function checkNetworkPolicies(options: CheckNetworkPoliciesOptions): Promise<Report> {
  return judgeInputs(options, { checks: networkChecks });
}
