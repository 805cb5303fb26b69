/**
 * The image policy decision: which signature rules cover an image (by `domain/path` glob and namespace) and whether
 * the image's signatures satisfy each of them. `judgeImage(ref, policy, evidence)` is pure so the admission webhook
 * and the ImageReview endpoint can call it with evidence they gathered the same way.
 */
import type { SignatureRule } from '../../core/image-policy.js';
import type { ImageRef } from '../../model/image.js';
import { checkSignature, identityMatches, type SignatureCheck, type SignatureEvidence, type SignatureVia, type TrustSet } from './signatures.js';

/** What the sources found about one image. */
export interface ImageEvidence {
  /** The digest the reference resolved to (the written digest, the tag's current digest, or a running imageID). */
  readonly digest?: string;
  /** The tag that was resolved, when the digest came from one. */
  readonly resolvedTag?: string;
  /** The image manifest (or index) bytes, for message-signature bundles. */
  readonly manifest?: Buffer;
  readonly signatures: readonly SignatureEvidence[];
  /** Why the image or its signatures could not be read (registry down, forbidden, not found): not evaluated. */
  readonly error?: string;
  /** Where the evidence came from: `https://host`, `layout:/dir`. */
  readonly source: string;
}

/** A signature rule with its trust material loaded. */
export interface LoadedRule {
  readonly rule: SignatureRule;
  readonly trust: TrustSet;
  /** Why the trust material could not be loaded (unreadable key file …): images under the rule are not evaluated. */
  readonly error?: string;
}

export type RuleVerdict =
  | { readonly status: 'verified'; readonly rule: SignatureRule; readonly signer: string; readonly via: SignatureVia; readonly location: string }
  | { readonly status: 'unsigned'; readonly rule: SignatureRule; readonly detail: string }
  | { readonly status: 'rejected'; readonly rule: SignatureRule; readonly problem: 'untrusted' | 'digest-mismatch' | 'reference-mismatch'; readonly detail: string; readonly checks: readonly SignatureCheck[] }
  | { readonly status: 'not-evaluated'; readonly rule: SignatureRule; readonly detail: string };

export interface ImageDecision {
  /** allow: every covering rule verified; deny: some rule failed; unknown: something could not be evaluated; none: no rule covers the image. */
  readonly decision: 'allow' | 'deny' | 'unknown' | 'none';
  readonly verdicts: readonly RuleVerdict[];
}

/**
 * Match a `domain/path` glob: `*` matches within one path component, `**` any number of components (also none).
 * Hosts compare case-insensitively. Linear in the product of the component counts; no regular expressions.
 */
export function imageGlobMatches(glob: string, name: string): boolean {
  const p = glob.split('/');
  const n = name.split('/');
  const comp = (pat: string, value: string, host: boolean): boolean => (host ? identityMatches(pat.toLowerCase(), value.toLowerCase()) : identityMatches(pat, value));
  // reach[j]: pattern prefix consumed so far matches name prefix of length j.
  let reach = new Array<boolean>(n.length + 1).fill(false);
  reach[0] = true;
  for (let i = 0; i < p.length; i++) {
    const pat = p[i] ?? '';
    const next = new Array<boolean>(n.length + 1).fill(false);
    if (pat === '**') {
      let any = false;
      for (let j = 0; j <= n.length; j++) {
        any ||= reach[j] === true;
        next[j] = any;
      }
    } else {
      for (let j = 0; j < n.length; j++) if (reach[j] && comp(pat, n[j] ?? '', i === 0 && j === 0)) next[j + 1] = true;
    }
    reach = next;
  }
  return reach[n.length] === true;
}

/** The rules that cover an image in a namespace (undefined namespace: an image given directly, every rule applies by image). */
export function rulesFor<R extends { readonly rule: SignatureRule }>(rules: readonly R[], ref: Pick<ImageRef, 'name'>, namespace: string | undefined): R[] {
  return rules.filter((r) => r.rule.images.some((g) => imageGlobMatches(g, ref.name)) && (r.rule.namespaces === undefined || namespace === undefined || r.rule.namespaces.some((ns) => identityMatches(ns, namespace))));
}

/** Judge one image against the rules that cover it. */
export function judgeImage(ref: Pick<ImageRef, 'name'>, rules: readonly LoadedRule[], evidence: ImageEvidence, namespace?: string): ImageDecision {
  const covering = rulesFor(rules, ref, namespace);
  if (covering.length === 0) return { decision: 'none', verdicts: [] };
  const verdicts: RuleVerdict[] = covering.map((r): RuleVerdict => {
    if (r.error !== undefined) return { status: 'not-evaluated', rule: r.rule, detail: r.error };
    if (evidence.error !== undefined) return { status: 'not-evaluated', rule: r.rule, detail: evidence.error };
    if (evidence.digest === undefined) return { status: 'not-evaluated', rule: r.rule, detail: 'the image digest is not known' };
    if (evidence.signatures.length === 0) return { status: 'unsigned', rule: r.rule, detail: `no signature for ${evidence.digest} (referrers, referrers tag and ${evidence.digest.replace(':', '-')}.sig looked up)` };
    const checks = evidence.signatures.map((s) => checkSignature(s, { digest: evidence.digest as string, name: ref.name, ...(evidence.manifest ? { manifest: evidence.manifest } : {}) }, r.trust));
    const good = checks.find((c): c is Extract<SignatureCheck, { ok: true }> => c.ok);
    if (good) return { status: 'verified', rule: r.rule, signer: good.signer, via: good.via, location: good.location };
    const bad = checks.filter((c): c is Extract<SignatureCheck, { ok: false }> => !c.ok);
    // The most telling failure: a trusted signature over something else beats an untrusted one.
    const rank = (p: string): number => (p === 'digest-mismatch' ? 0 : p === 'reference-mismatch' ? 1 : p === 'untrusted' ? 2 : 3);
    bad.sort((a, b) => rank(a.problem) - rank(b.problem));
    const top = bad[0];
    const problem = top?.problem === 'digest-mismatch' || top?.problem === 'reference-mismatch' ? top.problem : 'untrusted';
    return { status: 'rejected', rule: r.rule, problem, detail: bad.map((c) => `${c.location}: ${c.detail}`).join('; '), checks };
  });
  const decision = verdicts.some((v) => v.status === 'unsigned' || v.status === 'rejected') ? 'deny' : verdicts.some((v) => v.status === 'not-evaluated') ? 'unknown' : 'allow';
  return { decision, verdicts };
}
