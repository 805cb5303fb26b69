/** Spawn the built CLI (bin/kspect.js) and capture exit code, stdout and stderr. Run `npm run build` first. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Report } from '../../src/core/report.js';
import { readReportJson } from '../../src/core/report-json.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/kspect.js', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], options: { stdin?: string | Buffer; cwd?: string; env?: Record<string, string>; timeoutMs?: number; nodeArgs?: readonly string[] } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/**
 * A JSON report the CLI wrote, read as every reader of reports reads it (src/core/report-json.ts): findings whole,
 * the title, remediation and references a v3 report leaves out restored from its `checks`.
 */
export function parseReport(stdout: string): Report {
  const r = readReportJson(JSON.parse(stdout));
  if (!r.ok) throw new Error(`not a kspect JSON report: ${r.error}`);
  return r.report as Report;
}
