/**
 * `checkEtcd()`: read how Secrets (and every resource an EncryptionConfiguration names) are stored in etcd, prove
 * the encryption by decrypting with the configured keys, probe etcd's own posture, and return a Report.
 * Reads only. Values are classified and dropped as they stream in: none is kept, none reaches the report.
 */
import type { Problem } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { UsageError } from '../core/result.js';
import { etcdChecks } from '../checks/registry/cluster.js';
import { hasWildcard, namedResources, providersFor, type EncryptionConfig, type GroupResource } from '../engines/encryption-at-rest/config.js';
import { evaluateValue } from '../engines/encryption-at-rest/evaluate.js';
import { parseKey, storagePathOf } from '../engines/encryption-at-rest/keys.js';
import { etcdEndpointObject, etcdValueObject, viewFromEvaluation } from '../engines/encryption-at-rest/objects.js';
import type { K8sObject } from '../model/object.js';
import { probePosture, rangePrefix, type EtcdConnection, type EtcdTls } from '../sources/etcd.js';
import { judge, type JudgeCommonOptions } from './run.js';
import { appendAll } from '../core/arrays.js';

export interface CheckEtcdOptions extends JudgeCommonOptions {
  /** Client URLs; data is read from the first that answers, posture is probed on each. */
  readonly endpoints: readonly string[];
  readonly tls: EtcdTls;
  readonly encryptionConfig?: EncryptionConfig;
  /** `--etcd-prefix` of kube-apiserver (default `/registry`). */
  readonly prefix?: string;
  /** Metrics URLs to probe for unauthenticated access (e.g. etcd's `--listen-metrics-urls`). */
  readonly metricsUrls?: readonly string[];
  readonly timeoutMs?: number;
  /** The clock (default: now); same as settings.now. */
  readonly now?: Date;
  readonly extraProblems?: readonly Problem[];
  /** Called now and then with the number of values read so far. */
  readonly onProgress?: (read: number) => void;
}

const SECRETS: GroupResource = { group: '', resource: 'secrets' };

function isSecret(gr: GroupResource | undefined): boolean {
  return gr?.group === '' && gr.resource === 'secrets';
}

/** The key prefixes to read: Secrets, plus each resource the configuration names; the whole prefix for wildcards. */
export function prefixesToRead(prefix: string, config: EncryptionConfig | undefined): string[] {
  const base = prefix.endsWith('/') ? prefix : `${prefix}/`;
  if (config && hasWildcard(config)) return [base];
  const paths = new Set([storagePathOf(SECRETS)]);
  if (config) for (const gr of namedResources(config)) paths.add(storagePathOf(gr));
  return [...paths].sort().map((p) => `${base}${p}/`);
}

/** Read etcd and judge what it stores and how it listens. Throws UsageError only for invalid options. */
export async function checkEtcd(options: CheckEtcdOptions): Promise<Report> {
  if (options.endpoints.length === 0) throw new UsageError('usage', '--endpoints needs at least one URL');
  const prefix = options.prefix ?? '/registry';
  const problems: Problem[] = [...(options.extraProblems ?? [])];
  const objects: K8sObject[] = [];
  const timeoutMs = options.timeoutMs ?? 15_000;

  for (const endpoint of options.endpoints) {
    const posture = await probePosture({ endpoint, tls: options.tls, timeoutMs }, options.metricsUrls ?? []);
    objects.push(etcdEndpointObject(posture));
  }

  let readFrom: string | undefined;
  const errors: string[] = [];
  for (const endpoint of options.endpoints) {
    const conn: EtcdConnection = { endpoint, tls: options.tls, timeoutMs };
    const values: K8sObject[] = [];
    try {
      let read = 0;
      for (const p of prefixesToRead(prefix, options.encryptionConfig)) {
        for await (const kv of rangePrefix(conn, p)) {
          read++;
          if (read % 1000 === 0) options.onProgress?.(read);
          const info = parseKey(kv.key, prefix);
          const covered = isSecret(info.resource) || (options.encryptionConfig !== undefined && info.resource !== undefined && providersFor(options.encryptionConfig, info.resource) !== undefined);
          if (!covered) continue;
          const evaluation = evaluateValue(kv.value, kv.key, info.resource, options.encryptionConfig);
          kv.value.fill(0);
          values.push(etcdValueObject(viewFromEvaluation(kv.key, info, evaluation, endpoint)));
        }
      }
      options.onProgress?.(read);
      appendAll(objects, values);
      readFrom = endpoint;
      break;
    } catch (e) {
      errors.push(`${endpoint}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (readFrom === undefined) {
    for (const e of errors) problems.push({ code: 'etcd-unreadable', severity: 'error', file: e.split(': ')[0] ?? '', message: `cannot read etcd: ${e.slice(e.indexOf(': ') + 2)}` });
  }

  const now = options.now ?? options.settings?.now;
  return judge({
    ...options,
    ...(now ? { settings: { ...options.settings, now } } : {}),
    objects,
    checks: etcdChecks,
    defaultOn: 'all',
    problems,
    inputs: options.endpoints,
  });
}

