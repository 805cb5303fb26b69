/**
 * What `kspect probe` puts in the inventory: one `ProbedEndpoint` per host:port it tried — whether the port was
 * open, closed or filtered, whether it spoke TLS, which service answered, every request sent with its status and a
 * safe summary of the answer (never a body), and for TLS endpoints the served chain, protocol versions and cipher
 * suites. Checks read these like any other object, so suppression, baselines and every format work unchanged.
 */
import type { ResourceRef, SourceRef } from '../../core/finding.js';
import { getArray, getBool, getNumber, getObject, getString, isObject, toK8sObject, type JsonObject, type JsonValue, type K8sObject } from '../../model/object.js';
import type { EndpointProbe, TlsVersion } from '../x509/material.js';
import { TLS_VERSIONS } from '../x509/material.js';
import type { Answer, Shape } from './answers.js';
import { SERVICE_NAMES, type ServiceId } from './catalog.js';
import type { Transport } from './identify.js';

export const PROBE_API_VERSION = 'kspect.dev/v1alpha1';
export const PROBED_ENDPOINT = 'ProbedEndpoint';

export type PortState = 'open' | 'closed' | 'filtered' | 'unreachable';

/** The TLS analysis of an endpoint (the `pki` endpoint probe), with the served chain as base64 DER. */
export interface TlsView {
  readonly protocols: Readonly<Record<TlsVersion, { readonly accepted: boolean; readonly detail?: string }>>;
  readonly ciphers: readonly { readonly version: TlsVersion; readonly name: string }[];
  readonly clientCertRequested?: boolean;
  readonly chain: readonly string[];
  readonly error?: string;
  /** CA certificates (base64 DER) the chain is to be verified against (`kspect probe --ca`). */
  readonly anchors?: readonly string[];
}

export interface ProbedEndpointView {
  /** `host:port` (IPv6 in brackets). */
  readonly endpoint: string;
  readonly host: string;
  readonly port: number;
  /** The target it came from: the command-line argument, or what the cluster said (`node n1 InternalIP`). */
  readonly target: string;
  readonly state: PortState;
  readonly stateDetail?: string;
  readonly transport?: Transport;
  /** The TLS server refused to talk without a client certificate. */
  readonly clientCertRequired?: boolean;
  readonly service?: ServiceId;
  readonly identifiedBy?: string;
  readonly answers: readonly Answer[];
  readonly tls?: TlsView;
}

export function endpointName(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function answerJson(a: Answer): JsonObject {
  return {
    method: a.method,
    path: a.path,
    ...(a.status !== undefined ? { status: a.status } : {}),
    ...(a.shape !== undefined ? { shape: a.shape } : {}),
    ...(a.detail !== undefined ? { detail: a.detail } : {}),
    ...(a.error !== undefined ? { error: a.error } : {}),
    ...(a.server !== undefined ? { server: a.server } : {}),
    ...(a.location !== undefined ? { location: a.location } : {}),
  };
}

function tlsJson(t: TlsView): JsonObject {
  const protocols: Record<string, JsonValue> = {};
  for (const v of TLS_VERSIONS) protocols[v] = { accepted: t.protocols[v].accepted, ...(t.protocols[v].detail !== undefined ? { detail: t.protocols[v].detail } : {}) };
  return {
    protocols,
    ciphers: t.ciphers.map((c) => ({ version: c.version, name: c.name })),
    ...(t.clientCertRequested !== undefined ? { clientCertRequested: t.clientCertRequested } : {}),
    chain: [...t.chain],
    ...(t.error !== undefined ? { error: t.error } : {}),
    ...(t.anchors && t.anchors.length > 0 ? { anchors: [...t.anchors] } : {}),
  };
}

export function probedEndpointObject(v: ProbedEndpointView): K8sObject {
  const raw: JsonObject = {
    apiVersion: PROBE_API_VERSION,
    kind: PROBED_ENDPOINT,
    metadata: { name: v.endpoint },
    spec: {
      endpoint: v.endpoint,
      host: v.host,
      port: v.port,
      target: v.target,
      state: v.state,
      ...(v.stateDetail !== undefined ? { stateDetail: v.stateDetail } : {}),
      ...(v.transport !== undefined ? { transport: v.transport } : {}),
      ...(v.clientCertRequired !== undefined ? { clientCertRequired: v.clientCertRequired } : {}),
      ...(v.service !== undefined ? { service: v.service } : {}),
      ...(v.identifiedBy !== undefined ? { identifiedBy: v.identifiedBy } : {}),
      answers: v.answers.map(answerJson),
      ...(v.tls ? { tls: tlsJson(v.tls) } : {}),
    },
  };
  return toK8sObject(raw, { source: { type: 'endpoint', uri: v.endpoint }, locate: () => undefined }) as K8sObject;
}

const STATES: readonly PortState[] = ['open', 'closed', 'filtered', 'unreachable'];

function readAnswer(v: unknown): Answer | undefined {
  const path = getString(v, 'path');
  if (path === undefined || getString(v, 'method') !== 'GET') return undefined;
  const status = getNumber(v, 'status');
  const shape = getString(v, 'shape') as Shape | undefined;
  const detail = getString(v, 'detail');
  const error = getString(v, 'error');
  const server = getString(v, 'server');
  const location = getString(v, 'location');
  return {
    method: 'GET',
    path,
    ...(status !== undefined ? { status } : {}),
    ...(shape !== undefined ? { shape } : {}),
    ...(detail !== undefined ? { detail } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(server !== undefined ? { server } : {}),
    ...(location !== undefined ? { location } : {}),
  };
}

function readTls(v: unknown): TlsView | undefined {
  if (!isObject(v)) return undefined;
  const protocolsRaw = getObject(v, 'protocols');
  const protocols = {} as Record<TlsVersion, { accepted: boolean; detail?: string }>;
  for (const ver of TLS_VERSIONS) {
    const p = getObject(protocolsRaw, ver);
    const detail = getString(p, 'detail');
    protocols[ver] = { accepted: getBool(p, 'accepted') === true, ...(detail !== undefined ? { detail } : {}) };
  }
  const ciphers: { version: TlsVersion; name: string }[] = [];
  for (const c of getArray(v, 'ciphers')) {
    const version = getString(c, 'version') as TlsVersion | undefined;
    const name = getString(c, 'name');
    if (version !== undefined && TLS_VERSIONS.includes(version) && name !== undefined) ciphers.push({ version, name });
  }
  const requested = getBool(v, 'clientCertRequested');
  const error = getString(v, 'error');
  const anchors = getArray(v, 'anchors').filter((c): c is string => typeof c === 'string');
  return {
    protocols,
    ciphers,
    ...(requested !== undefined ? { clientCertRequested: requested } : {}),
    chain: getArray(v, 'chain').filter((c): c is string => typeof c === 'string'),
    ...(error !== undefined ? { error } : {}),
    ...(anchors.length > 0 ? { anchors } : {}),
  };
}

/** Read a ProbedEndpoint back; undefined when the object is not one. */
export function readProbedEndpoint(obj: K8sObject): ProbedEndpointView | undefined {
  if (obj.kind !== PROBED_ENDPOINT || obj.apiVersion !== PROBE_API_VERSION) return undefined;
  const spec = getObject(obj.raw, 'spec');
  const endpoint = getString(spec, 'endpoint');
  const host = getString(spec, 'host');
  const port = getNumber(spec, 'port');
  const state = getString(spec, 'state') as PortState | undefined;
  if (endpoint === undefined || host === undefined || port === undefined || state === undefined || !STATES.includes(state)) return undefined;
  const transport = getString(spec, 'transport');
  const service = getString(spec, 'service');
  const stateDetail = getString(spec, 'stateDetail');
  const identifiedBy = getString(spec, 'identifiedBy');
  const clientCertRequired = getBool(spec, 'clientCertRequired');
  const tls = readTls(getObject(spec, 'tls'));
  return {
    endpoint,
    host,
    port,
    target: getString(spec, 'target') ?? endpoint,
    state,
    ...(stateDetail !== undefined ? { stateDetail } : {}),
    ...(transport === 'tls' || transport === 'plain' ? { transport } : {}),
    ...(clientCertRequired !== undefined ? { clientCertRequired } : {}),
    ...(service !== undefined && service in SERVICE_NAMES ? { service: service as ServiceId } : {}),
    ...(identifiedBy !== undefined ? { identifiedBy } : {}),
    answers: getArray(spec, 'answers').map(readAnswer).filter((a): a is Answer => a !== undefined),
    ...(tls ? { tls } : {}),
  };
}

export function probedRef(v: ProbedEndpointView): ResourceRef {
  return { apiVersion: PROBE_API_VERSION, kind: PROBED_ENDPOINT, name: v.endpoint };
}

export function probedSource(v: ProbedEndpointView): SourceRef {
  return { type: 'endpoint', uri: v.endpoint };
}

/** The TLS analysis as the x509 engine's EndpointProbe (chain decoded), for the `pki` endpoint checks. */
export function endpointProbeOf(v: ProbedEndpointView): EndpointProbe | undefined {
  const t = v.tls;
  if (!t) return undefined;
  return {
    host: v.host,
    port: v.port,
    protocols: t.protocols,
    ciphers: t.ciphers,
    ...(t.clientCertRequested !== undefined ? { clientCertRequested: t.clientCertRequested } : {}),
    chain: t.chain.map((b) => new Uint8Array(Buffer.from(b, 'base64'))),
    ...(t.error !== undefined ? { error: t.error } : {}),
  };
}

/** `kubelet (10250)`: the service name for messages. */
export function serviceName(v: ProbedEndpointView): string {
  return v.service ? SERVICE_NAMES[v.service] : 'unidentified service';
}
