/**
 * Loading the trust material a signature rule names: PEM public keys and a Sigstore `trusted_root.json`, read from
 * the user's files (relative to the configuration's folder). kspect never fetches trust material; a file that
 * cannot be read or parsed makes the rule's images not evaluated, with one line naming the file.
 */
import { basename, isAbsolute, resolve } from 'node:path';
import type { SignatureRule } from '../../core/image-policy.js';
import type { LoadedRule } from '../../engines/images/policy.js';
import { parsePublicKey, parseTrustedRoot, type TrustedKey } from '../../engines/images/signatures.js';
import { readRegularFile, ReadRefusedError } from '../safe-read.js';

/** Largest key or trusted_root.json read. */
const MAX_TRUST_FILE_BYTES = 16 * 1024 * 1024;

/** Why a key or trust file could not be read: its refused type or size, or the system's error code. */
function readCode(e: unknown): string {
  return e instanceof ReadRefusedError ? e.message : ((e as NodeJS.ErrnoException).code ?? String(e));
}

/** Key signatures need their transparency log entry when the rule says so, or by default when it has a trusted root. */
export function requiresTlog(rule: SignatureRule): boolean {
  return rule.transparencyLog === 'required' || (rule.transparencyLog === undefined && rule.trustedRoot !== undefined);
}

export async function loadRules(rules: readonly SignatureRule[], baseDir: string): Promise<{ rules: LoadedRule[]; problems: string[] }> {
  const problems: string[] = [];
  const cache = new Map<string, Promise<string | Buffer>>();
  const read = (f: string): Promise<string | Buffer> => {
    const p = isAbsolute(f) ? f : resolve(baseDir, f);
    let hit = cache.get(p);
    if (!hit) cache.set(p, (hit = readRegularFile(p, { max: MAX_TRUST_FILE_BYTES }).catch((e: unknown) => `cannot read ${p}: ${readCode(e)}`)));
    return hit;
  };
  const out: LoadedRule[] = [];
  for (const rule of rules) {
    const errors: string[] = [];
    const keys: TrustedKey[] = [];
    for (const f of rule.keys) {
      const body = await read(f);
      if (typeof body === 'string') {
        errors.push(body);
        continue;
      }
      const k = parsePublicKey(body);
      if (typeof k === 'string') errors.push(`${f}: ${k}`);
      else keys.push({ name: basename(f), key: k });
    }
    let trustedRoot;
    if (rule.trustedRoot !== undefined) {
      const body = await read(rule.trustedRoot);
      if (typeof body === 'string') errors.push(body);
      else {
        let doc: unknown;
        try {
          doc = JSON.parse(body.toString('utf8'));
        } catch {
          doc = undefined;
        }
        const r = parseTrustedRoot(doc);
        if (typeof r === 'string') errors.push(`${rule.trustedRoot}: ${r}`);
        else trustedRoot = r;
      }
    }
    for (const e of errors) problems.push(`signature rule "${rule.name}": ${e}`);
    out.push({ rule, trust: { keys, keyless: rule.keyless, ...(trustedRoot ? { trustedRoot } : {}), requireTlog: requiresTlog(rule) }, ...(errors.length > 0 ? { error: errors.join('; ') } : {}) });
  }
  return { rules: out, problems };
}
