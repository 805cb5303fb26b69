/** `kspect explain ID`: what a check looks for, why, how to fix it, and a failing and a passing example. */
import { readFile } from 'node:fs/promises';
import { findCheck } from '../../checks/index.js';
import { confusableWith } from '../../checks/confusable.js';
import { retiredCheckMessage } from '../../checks/retired.js';
import { redactPrivateKeys } from '../../core/redact.js';
import { UsageError } from '../../core/result.js';
import { guard, parse } from '../args.js';
import type { Io } from '../io.js';
import { EXAMPLES_FILE } from '../paths.js';
import { refsLine } from './checks.js';


interface Example {
  readonly file: string;
  readonly text: string;
}
type Examples = Readonly<Record<string, { readonly fail?: Example; readonly pass?: Example }>>;

/**
 * A fixture as explain shows it: private-key blocks (PEM, or base64 of PEM) redacted first, without its expectation
 * comments, long base64 values (Secret data, kubeconfig *-data: certificates and keys) not shown.
 */
export function exampleShown(text: string): string {
  // `[ \t]`, not `\s`: with /m, `\s` runs across lines.
  return redactPrivateKeys(text)
    .replace(/^#[ \t]*(expect|options|settings):.*\n/gm, '')
    .replace(/^([ \t]*[\w.-]+:[ \t]+)([A-Za-z0-9+/]{60,}={0,2})[ \t]*$/gm, (_m, k: string, v: string) => `${k}<${v.length} characters of base64, not shown>`);
}

async function loadExamples(): Promise<Examples | undefined> {
  try {
    return JSON.parse(await readFile(EXAMPLES_FILE, 'utf8')) as Examples;
  } catch {
    return undefined;
  }
}

function shown(e: Example | undefined): string | undefined {
  return e === undefined ? undefined : `# ${e.file}\n${exampleShown(e.text)}`;
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
    if (!check) throw new UsageError('usage', (await retiredCheckMessage(id)) ?? `unknown check "${id}" (see kspect checks)`);
    const m = check.meta;
    const out = [
      `${check.id} — ${m.title}`,
      `severity: ${m.severity} · category: ${m.category} · ${m.recommended ? 'enabled by default' : 'opt-in (enable it in .kspect.yaml)'}`,
      '',
      m.description,
      '',
      `Remediation: ${m.remediation}`,
    ];
    for (const c of confusableWith(check.id)) out.push('', `Not to be confused with ${c.id} — ${c.note}`);
    const refs = refsLine(m.references);
    if (refs) out.push(`References: ${refs}`);
    for (const u of m.references.urls ?? []) out.push(`  ${u}`);
    if (m.options) {
      out.push('', 'Parameters (.kspect.yaml → parameters.' + check.id + '):');
      for (const [k, v] of Object.entries(m.options.docs)) out.push(`  ${k}: ${v}`);
    }
    const examples = await loadExamples();
    if (examples === undefined) out.push('', `(examples not installed: ${EXAMPLES_FILE.pathname} is missing; npm run build writes it)`);
    const fail = shown(examples?.[check.id]?.fail);
    const pass = shown(examples?.[check.id]?.pass);
    if (fail !== undefined) out.push('', 'Failing example:', fail.trimEnd());
    if (pass !== undefined) out.push('', 'Passing example:', pass.trimEnd());
    io.stdout(`${out.join('\n')}\n`);
    return 0;
  });
}
