/**
 * Registry credentials as container tools keep them: a Docker `config.json` (`auths` entries with `auth`
 * base64 `user:password`, or `username`/`password`, or an `identitytoken`), the same document a
 * `kubernetes.io/dockerconfigjson` imagePullSecret holds (and the older `.dockercfg` shape, a bare `auths` map).
 * Credentials are only ever sent to the registry they are for; they never reach a report.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Credentials {
  readonly username?: string;
  readonly password?: string;
  readonly identityToken?: string;
}

export type CredentialStore = ReadonlyMap<string, Credentials>;

/** The registry host a config key names: `https://index.docker.io/v1/` → `docker.io`, `ghcr.io/org` → `ghcr.io`. */
export function registryOfKey(key: string): string {
  let k = key.trim().replace(/^[a-z]+:\/\//i, '');
  k = k.split('/')[0] ?? '';
  k = k.toLowerCase();
  return k === 'index.docker.io' || k === 'registry-1.docker.io' ? 'docker.io' : k;
}

/** Parse a docker config document (config.json or .dockercfg); problems are one line each, never echoing secrets. */
export function parseDockerConfig(doc: unknown, where: string, problems: string[]): Map<string, Credentials> {
  const out = new Map<string, Credentials>();
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    problems.push(`${where}: not a docker config (a JSON object with "auths")`);
    return out;
  }
  const rec = doc as Record<string, unknown>;
  const auths = typeof rec.auths === 'object' && rec.auths !== null ? (rec.auths as Record<string, unknown>) : rec;
  for (const [key, v] of Object.entries(auths)) {
    if (typeof v !== 'object' || v === null) continue;
    const e = v as Record<string, unknown>;
    let username = typeof e.username === 'string' ? e.username : undefined;
    let password = typeof e.password === 'string' ? e.password : undefined;
    if (typeof e.auth === 'string' && e.auth !== '') {
      const decoded = Buffer.from(e.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) {
        problems.push(`${where}: the auth entry for ${registryOfKey(key)} is not base64 of user:password`);
        continue;
      }
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
    const identityToken = typeof e.identitytoken === 'string' && e.identitytoken !== '' ? e.identitytoken : undefined;
    if (username === undefined && identityToken === undefined) continue;
    out.set(registryOfKey(key), { ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}), ...(identityToken !== undefined ? { identityToken } : {}) });
  }
  if (typeof rec.credsStore === 'string' || (typeof rec.credHelpers === 'object' && rec.credHelpers !== null)) {
    problems.push(`${where}: credential helpers (credsStore, credHelpers) are not run by kspect; registries that need them are read anonymously`);
  }
  return out;
}

/**
 * Read the docker config: `file` when given (it must exist), else `$DOCKER_CONFIG/config.json`, else
 * `~/.docker/config.json` when present.
 */
export async function loadDockerConfig(file: string | undefined, env: Readonly<Record<string, string | undefined>>, problems: string[]): Promise<Map<string, Credentials>> {
  const candidates = file !== undefined ? [file] : [env.DOCKER_CONFIG !== undefined ? join(env.DOCKER_CONFIG, 'config.json') : join(env.HOME ?? homedir(), '.docker', 'config.json')];
  const path = candidates[0] as string;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if (file === undefined && (e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    problems.push(`${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    return new Map();
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    problems.push(`${path}: not JSON`);
    return new Map();
  }
  return parseDockerConfig(doc, path, problems);
}

/** Merge stores; earlier ones win. */
export function mergeCredentials(...stores: readonly ReadonlyMap<string, Credentials>[]): Map<string, Credentials> {
  const out = new Map<string, Credentials>();
  for (const s of stores) for (const [k, v] of s) if (!out.has(k)) out.set(k, v);
  return out;
}
