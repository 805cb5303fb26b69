/**
 * Reading PKI inputs for `kspect pki check`: certificate, key and CSR files (PEM or DER), folders
 * such as /etc/kubernetes/pki (kubeadm's file names give each certificate its role), kubeconfigs
 * (embedded data and referenced files), manifests with TLS Secrets, and HOST:PORT endpoints.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Problem } from '../core/finding.js';
import { MaterialBuilder } from '../engines/x509/builder.js';
import { pkiFileObject, tlsEndpointObject, trustAnchorsObject } from '../engines/x509/inventory.js';
import { decodeBlob, isPkiFileName } from '../engines/x509/material.js';
import { addManifestMaterial } from '../engines/x509/manifests.js';
import { buildInventory } from '../model/inventory.js';
import type { K8sObject } from '../model/object.js';
import { errnoText, DEFAULT_MAX_FILE_SIZE } from './files.js';
import { parseManifests } from './yaml.js';
import { probeEndpoint, type ProbeOptions } from './tls.js';
import { ReadRefusedError, readRegularWithStats } from './safe-read.js';
import { appendAll } from '../core/arrays.js';

export interface PkiLoadOptions {
  readonly cwd: string;
  /** HOST:PORT endpoints given as such (`--endpoint`): never taken for files. */
  readonly endpoints?: readonly string[];
  readonly maxFileSize?: number;
  readonly probe?: ProbeOptions;
  /** Progress lines (endpoints being probed), for stderr. */
  readonly progress?: (line: string) => void;
  /** Accept inputs that hold nothing to check (default false: the error `nothing-to-scan`, as for manifests). */
  readonly allowEmpty?: boolean;
}

export interface PkiLoaded {
  /**
   * The inventory of the run: manifest objects (TLS Secrets, kubeconfigs, CSRs), a PkiFile per file of
   * certificates or keys, a TlsEndpoint per endpoint, and the TrustAnchors of the run (`--ca`).
   */
  readonly objects: readonly K8sObject[];
  readonly problems: readonly Problem[];
}

const ENDPOINT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})$/;
const MANIFEST = /\.(ya?ml|json)$/i;
const KUBECONFIG_NAME = /(\.conf|^kubeconfig|^config)$/i;
const SKIP_DIRS = new Set(['node_modules', '.git']);

/** `host:port` → [host, port], or undefined. */
export function parseEndpoint(s: string): { host: string; port: number } | undefined {
  const m = ENDPOINT.exec(s);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: (m[1] ?? '').replace(/^\[|\]$/g, ''), port };
}

/** Extensions of the files `pki check` reads: a HOST ending in one is a file name, not a host. */
const FILE_LIKE_HOST = /\.(?:crt|cer|pem|der|key|csr|conf|kubeconfig|ya?ml|json|p12|pfx|txt)$/i;

/**
 * The rule that keeps a mistyped path from being probed as an endpoint. A positional argument of `pki check` is an
 * endpoint only when (1) it is not an existing file or folder, (2) it is HOST:PORT — a DNS name, an IPv4 address or
 * [IPv6], a colon, a port 1-65535 (a path separator rules it out) — and (3) HOST does not look like a file: it does
 * not end in an extension kspect reads (`ca.crt:443`) and is not itself an existing file or folder (`pki:443`).
 * `--endpoint HOST:PORT` always probes. Returns why `host` looks like a file, or undefined.
 */
export async function looksLikeFile(host: string, cwd: string): Promise<string | undefined> {
  if (FILE_LIKE_HOST.test(host)) return `"${host}" is a file name, not a host name`;
  if (await stat(resolve(cwd, host)).then(() => true, () => false)) return `"${host}" is a file or folder here`;
  return undefined;
}

export async function loadPkiInputs(inputs: readonly string[], caBundle: string | undefined, options: PkiLoadOptions): Promise<PkiLoaded> {
  const objects: K8sObject[] = [];
  const problems: Problem[] = [];
  const max = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const display = (abs: string): string => {
    const r = relative(options.cwd, abs);
    return r === '' ? '.' : r.startsWith('..') ? abs : r;
  };

  const read = async (abs: string): Promise<{ bytes: Uint8Array; mode: number } | undefined> => {
    try {
      const r = await readRegularWithStats(abs, { max });
      return { bytes: new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.length), mode: r.stats.mode & 0o7777 };
    } catch (e) {
      if (e instanceof ReadRefusedError && e.code === 'EFBIG') {
        problems.push({ code: 'file-too-large', severity: 'error', file: display(abs), message: `file ${e.message}; not read` });
        return undefined;
      }
      problems.push({ code: 'not-readable', severity: 'error', file: display(abs), message: `cannot read: ${errnoText(e)}` });
      return undefined;
    }
  };

  /** A YAML/JSON file: a kubeconfig, or manifests that may hold TLS Secrets. True when it was one. */
  const addYaml = async (abs: string, bytes: Uint8Array, explicit: boolean): Promise<boolean> => {
    const file = display(abs);
    const text = Buffer.from(bytes).toString('utf8');
    const parsed = parseManifests(text, file, { type: 'file', uri: file });
    const found = parsed.objects;
    if (found.length === 0 && !parsed.problems.length) {
      if (explicit) problems.push({ code: 'pki-input', severity: 'error', file, message: 'holds no certificate, key, kubeconfig or Kubernetes object' });
      return explicit;
    }
    if (parsed.problems.length > 0 && found.length === 0) {
      if (explicit) appendAll(problems, parsed.problems);
      return explicit;
    }
    appendAll(objects, found);
    // Files the kubeconfigs name are read here and judged as what the kubeconfig says they are.
    const unread = addManifestMaterial(new MaterialBuilder(), buildInventory(found));
    for (const u of unread) {
      const target = isAbsolute(u.file) ? u.file : resolve(dirname(abs), u.file);
      const r = await read(target);
      if (!r) continue;
      objects.push(
        pkiFileObject({
          file: display(target),
          data: r.bytes,
          mode: r.mode,
          reference: { name: u.name, path: u.path },
          ...(u.role ? { role: u.role } : {}),
          ...(u.pairKey !== undefined ? { pairKey: u.pairKey } : {}),
        }),
      );
    }
    return true;
  };

  const addFile = async (abs: string, root: string | undefined, explicit: boolean): Promise<void> => {
    const name = basename(abs);
    const isPki = isPkiFileName(name);
    const maybeYaml = MANIFEST.test(name) || KUBECONFIG_NAME.test(name);
    if (!explicit && !isPki && !maybeYaml) return;
    const r = await read(abs);
    if (!r) return;
    const file = display(abs);
    const head = Buffer.from(r.bytes.subarray(0, 4096)).toString('latin1');
    if (!head.includes('-----BEGIN') && (maybeYaml || (explicit && !isPki && r.bytes[0] !== 0x30))) {
      if (await addYaml(abs, r.bytes, explicit)) return;
      if (!isPki) return;
    }
    const stem = join(dirname(abs), name.replace(/\.(crt|cer|pem|der|key)$/i, ''));
    objects.push(pkiFileObject({ file, data: r.bytes, layoutPath: root !== undefined ? relative(root, abs) : abs, mode: r.mode, pairKey: `file:${stem}` }));
  };

  const walk = async (dir: string, root: string, seen: Set<string>): Promise<void> => {
    let real: string;
    try {
      real = await realpath(dir);
    } catch (e) {
      problems.push({ code: 'not-readable', severity: 'error', file: display(dir), message: `cannot read folder: ${errnoText(e)}` });
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    let entries: string[];
    try {
      entries = (await readdir(dir)).sort();
    } catch (e) {
      problems.push({ code: 'not-readable', severity: 'error', file: display(dir), message: `cannot read folder: ${errnoText(e)}` });
      return;
    }
    for (const e of entries) {
      if (SKIP_DIRS.has(e)) continue;
      const p = join(dir, e);
      const st = await stat(p).catch(() => undefined);
      if (!st) continue;
      if (st.isDirectory()) await walk(p, root, seen);
      else if (st.isFile()) await addFile(p, root, false);
    }
  };

  const probe = async (input: string, ep: { host: string; port: number }): Promise<void> => {
    options.progress?.(`probing ${input}`);
    const probed = await probeEndpoint(ep.host, ep.port, options.probe);
    if (probed.error !== undefined) problems.push({ code: 'endpoint-unreachable', severity: 'error', file: input, message: probed.error });
    objects.push(tlsEndpointObject(input, probed));
  };

  for (const input of inputs) {
    const abs = resolve(options.cwd, input);
    const st = await stat(abs).catch(() => undefined);
    if (st?.isDirectory()) {
      await walk(abs, abs, new Set());
      continue;
    }
    if (st) {
      await addFile(abs, undefined, true);
      continue;
    }
    const ep = parseEndpoint(input);
    if (!ep) {
      problems.push({ code: 'not-readable', severity: 'error', file: input, message: 'no such file or folder, and not HOST:PORT' });
      continue;
    }
    const typo = await looksLikeFile(ep.host, options.cwd);
    if (typo !== undefined) {
      problems.push({ code: 'not-readable', severity: 'error', file: input, message: `no such file or folder; not probed as an endpoint because ${typo} (--endpoint ${input} probes it)` });
      continue;
    }
    await probe(input, ep);
  }
  for (const input of options.endpoints ?? []) {
    const ep = parseEndpoint(input);
    if (!ep) problems.push({ code: 'endpoint-invalid', severity: 'error', file: input, message: '--endpoint must be HOST:PORT (a DNS name, an IPv4 address or [IPv6], and a port 1-65535)' });
    else await probe(input, ep);
  }

  // An empty folder is not a clean result: said once, unless another error already explains it.
  if (inputs.length > 0 && objects.length === 0 && options.allowEmpty !== true && !problems.some((p) => p.severity === 'error'))
    problems.push({ code: 'nothing-to-scan', severity: 'error', message: `nothing to check: ${inputs.join(', ')} held no certificate, key, kubeconfig or Kubernetes object (--allow-empty accepts that)` });
  let trust = trustAnchorsObject();
  if (caBundle !== undefined) {
    const abs = resolve(options.cwd, caBundle);
    const r = await read(abs);
    if (r) {
      const d = decodeBlob(r.bytes);
      for (const p of d.problems) problems.push({ code: 'pki-input', severity: 'error', file: display(abs), ...(p.line !== undefined ? { line: p.line } : {}), message: p.message });
      if (d.certs.length === 0) problems.push({ code: 'pki-input', severity: 'error', file: display(abs), message: '--ca holds no certificate' });
      else trust = trustAnchorsObject(display(abs), r.bytes);
    }
  }
  objects.push(trust);
  return { objects, problems };
}
