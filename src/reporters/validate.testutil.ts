/** Test-only validators: the shipped JSON Schema (ajv) and Microsoft's SARIF multitool. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** A validator for schema/report.schema.json. */
export function reportSchemaValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as object;
  return addFormats(new Ajv({ allErrors: true, strict: true })).compile(schema);
}

/** Validate SARIF with Microsoft's SARIF multitool (npm @microsoft/sarif-multitool): returns its error-level results. */
export function sarifErrors(sarif: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'kspect-sarif-'));
  const input = join(dir, 'in.sarif');
  const output = join(dir, 'out.sarif');
  writeFileSync(input, sarif);
  const bin = join(require.resolve('@microsoft/sarif-multitool-linux/package.json'), '..', 'Sarif.Multitool');
  const r = spawnSync(bin, ['validate', input, '--output', output, '--log', 'ForceOverwrite'], { encoding: 'utf8', env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' } });
  if (r.status !== 0) throw new Error(`sarif-multitool failed: ${r.stderr}${r.stdout}`);
  const log = JSON.parse(readFileSync(output, 'utf8')) as { runs: { results?: { level?: string; ruleId?: string; message: { text?: string } }[] }[] };
  return (log.runs[0]?.results ?? []).filter((x) => x.level === 'error').map((x) => `${x.ruleId ?? ''}: ${x.message.text ?? ''}`);
}

