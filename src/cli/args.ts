/** Argument parsing shared by commands: node:util parseArgs with one-line usage errors. The shared options live in options.ts. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/result.js';
import { escapeText } from '../core/text.js';
import type { FailOn, Severity } from '../core/severity.js';
import { failOnArg } from './options.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<T extends Options>(argv: string[], options: T, allowPositionals = true): ReturnType<typeof parseArgs<{ options: T; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError('usage', e instanceof Error ? e.message.split('\n')[0] ?? e.message : String(e));
  }
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
