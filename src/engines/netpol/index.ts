/**
 * The NetworkPolicy reachability engine (networking.k8s.io/v1): public surface and the factory
 * checks use through `ctx.engine(netpolEngineFactory)`.
 */
import type { EngineFactory } from '../../framework/define.js';
import { buildNetpolEngine, type NetpolEngine } from './engine.js';

export { buildNetpolEngine, NetpolEngine, type NetpolOptions, type Reach, type Verdict, type Decision, type SideExplanation, type RuleMatch, type Party, type ExternalBlock, type ReachabilitySummary } from './engine.js';
export { collectEndpoints, NAMESPACE_NAME_LABEL, type Endpoint, type NamespaceInfo } from './endpoints.js';
export { parseNetworkPolicy, isCoreNetworkPolicy, describePeer, describePorts, DEFAULT_NAMESPACE, type NetworkPolicy, type PolicyRule, type Peer, type PolicyPort, type PolicyIssue, type Direction } from './policy.js';
export { formatPorts, portsToJson, hasPort, isEmptyPorts, isAllPorts, PROTOCOLS, ALL_PORTS, EMPTY_PORTS, type PortSet, type Protocol } from './ports.js';
export { parseSelector, selectorMatches, type Selector } from './selector.js';
export { parseCidr, parseIp, formatIp } from './addresses.js';

/** The engine as checks see it: built once per run, with default options (pod IPs not used). */
export const netpolEngineFactory: EngineFactory<NetpolEngine> = {
  id: 'netpol',
  reads: ['*'],
  build: (inventory) => buildNetpolEngine(inventory),
};
