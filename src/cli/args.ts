/** Argument parsing shared by commands: node:util parseArgs with one-line usage errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/result.js';
import { isSeverity, type Severity } from '../core/severity.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<T extends Options>(argv: string[], options: T, allowPositionals = true): ReturnType<typeof parseArgs<{ options: T; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError('usage', e instanceof Error ? e.message.split('\n')[0] ?? e.message : String(e));
  }
}

export function severityArg(value: string | undefined, flag: string, fallback: Severity): Severity {
  if (value === undefined) return fallback;
  if (value === 'none') return 'info';
  if (!isSeverity(value)) throw new UsageError('usage', `${flag} must be one of critical, high, medium, low, info`);
  return value;
}

export function choiceArg<C extends string>(value: string | undefined, flag: string, choices: readonly C[], fallback: C): C {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) throw new UsageError('usage', `${flag} must be one of ${choices.join(', ')}`);
  return value as C;
}

/** Run a command body, turning UsageError into a one-line message and exit code 2. */
export async function guard(io: { stderr: (t: string) => void }, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`kspect: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
