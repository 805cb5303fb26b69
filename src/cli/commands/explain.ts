/** `kspect explain ID`: what a check looks for, why, how to fix it, and a failing and a passing example. */
import { readdir, readFile } from 'node:fs/promises';
import { findCheck } from '../../checks/index.js';
import { redactPrivateKeys } from '../../core/redact.js';
import { UsageError } from '../../core/result.js';
import { guard, parse } from '../args.js';
import type { Io } from '../io.js';
import { refsLine } from './checks.js';

async function firstExample(id: string, kind: 'pass' | 'fail'): Promise<string | undefined> {
  const dir = new URL(`../../../src/checks/${id}/fixtures/${kind}/`, import.meta.url);
  try {
    const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
    const f = files[0];
    if (f === undefined) return undefined;
    const text = await readFile(new URL(f, dir), 'utf8');
    // Long base64 values (Secret data, kubeconfig *-data: certificates and keys) are not printed.
    // Private-key blocks (PEM, or base64 of PEM) are redacted first. `[ \t]`, not `\s`: with /m, `\s` runs across lines.
    const shown = redactPrivateKeys(text)
      .replace(/^#[ \t]*(expect|options|settings):.*\n/gm, '')
      .replace(/^([ \t]*[\w.-]+:[ \t]+)([A-Za-z0-9+/]{60,}={0,2})[ \t]*$/gm, (_m, k: string, v: string) => `${k}<${v.length} characters of base64, not shown>`);
    return `# ${f}\n${shown}`;
  } catch {
    return undefined;
  }
}

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const { values, positionals } = parse(argv, { help: { type: 'boolean', short: 'h' } });
    if (values.help) {
      io.stdout('Usage: kspect explain CHECK_ID\n\nDescribe a check: the risk, the fix, references, and a failing and a passing example.\n');
      return 0;
    }
    const id = positionals[0];
    if (id === undefined) throw new UsageError('usage', 'explain needs a check id (see kspect checks)');
    const check = findCheck(id);
    if (!check) throw new UsageError('usage', `unknown check "${id}" (see kspect checks)`);
    const m = check.meta;
    const out = [
      `${check.id} — ${m.title}`,
      `severity: ${m.severity} · category: ${m.category} · ${m.recommended ? 'enabled by default' : 'opt-in (enable it in .kspect.yaml)'}`,
      '',
      m.description,
      '',
      `Remediation: ${m.remediation}`,
    ];
    const refs = refsLine(m.references);
    if (refs) out.push(`References: ${refs}`);
    for (const u of m.references.urls ?? []) out.push(`  ${u}`);
    if (m.options) {
      out.push('', 'Parameters (.kspect.yaml → parameters.' + check.id + '):');
      for (const [k, v] of Object.entries(m.options.docs)) out.push(`  ${k}: ${v}`);
    }
    const fail = await firstExample(check.id, 'fail');
    const pass = await firstExample(check.id, 'pass');
    if (fail !== undefined) out.push('', 'Failing example:', fail.trimEnd());
    if (pass !== undefined) out.push('', 'Passing example:', pass.trimEnd());
    io.stdout(`${out.join('\n')}\n`);
    return 0;
  });
}
