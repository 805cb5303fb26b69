/** NetworkPolicy checks. Sorted by id. */
import type { AnyCheck } from '../../framework/define.js';
import { netpolEgressMetadata } from '../netpol-egress-metadata/check.js';
import { netpolEgressUnrestrictedToken } from '../netpol-egress-unrestricted-token/check.js';
import { netpolIngressUnisolated } from '../netpol-ingress-unisolated/check.js';
import { netpolNamedPortUndeclared } from '../netpol-named-port-undeclared/check.js';
import { netpolNamespaceNoDefaultDeny } from '../netpol-namespace-no-default-deny/check.js';
import { netpolNamespaceNoDefaultDenyEgress } from '../netpol-namespace-no-default-deny-egress/check.js';
import { netpolPeerAllNamespaces } from '../netpol-peer-all-namespaces/check.js';
import { netpolPeerAnyAddress } from '../netpol-peer-any-address/check.js';
import { netpolPolicyInvalid } from '../netpol-policy-invalid/check.js';
import { netpolPolicySelectsNothing } from '../netpol-policy-selects-nothing/check.js';
import { netpolSelectorNoMatch } from '../netpol-selector-no-match/check.js';

export const networkChecks: readonly AnyCheck[] = [netpolEgressMetadata, netpolEgressUnrestrictedToken, netpolIngressUnisolated, netpolNamedPortUndeclared, netpolNamespaceNoDefaultDeny, netpolNamespaceNoDefaultDenyEgress, netpolPeerAllNamespaces, netpolPeerAnyAddress, netpolPolicyInvalid, netpolPolicySelectsNothing, netpolSelectorNoMatch];
