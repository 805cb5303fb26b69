/** Argument parsing shared by commands: node:util parseArgs with one-line usage errors. The shared options live in options.ts. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/result.js';
import { escapeText } from '../core/text.js';
import type { FailOn, Severity } from '../core/severity.js';
import { failOnArg } from './options.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<T extends Options>(argv: string[], options: T, allowPositionals = true): ReturnType<typeof parseArgs<{ options: T; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args: negativeValues(argv, options), allowPositionals, options, strict: true });
  } catch (e) {
    throw new UsageError('usage', e instanceof Error ? e.message.split('\n')[0] ?? e.message : String(e));
  }
}

/**
 * `--request-timeout -1`: a negative number after an option that takes a value is that value (no option is named
 * like a number), so its own validator can say what is wrong with it instead of parseArgs' "argument is ambiguous".
 */
function negativeValues(argv: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const next = argv[i + 1];
    if (a === '--') return [...out, ...argv.slice(i)];
    const long = /^--([^=]+)$/.exec(a)?.[1];
    const name = long ?? (/^-([^-])$/.test(a) ? Object.keys(options).find((k) => options[k]?.short === a.slice(1)) : undefined);
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${long !== undefined ? a : `--${name}`}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** `--fail-on` for commands not yet moved to options.ts (failOnArg): a severity or `none`. */
export function severityArg(value: string | undefined, _flag: string, fallback: Severity): FailOn {
  return failOnArg(value, fallback);
}

export { choiceArg } from './options.js';

/** Run a command body, turning UsageError into a one-line message and exit code 2. */
export async function guard(io: { stderr: (t: string) => void }, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UsageError) {
      // Messages quote file names, flag values and config keys: one escaped line.
      io.stderr(`kspect: ${escapeText(e.message)}\n`);
      return 2;
    }
    throw e;
  }
}
