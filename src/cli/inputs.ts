/**
 * `-f PATH` inputs for the analysis commands (rbac, netpol, pss): load manifests into an inventory,
 * printing each load problem as one line on stderr.
 */
import type { Problem } from '../core/finding.js';
import { buildInventory, type Inventory } from '../model/inventory.js';
import type { K8sObject } from '../model/object.js';
import { loadManifests } from '../sources/files.js';
import type { Io } from './io.js';

export interface LoadedInputs {
  readonly inventory: Inventory;
  readonly problems: readonly Problem[];
  /** True when some input could not be read or parsed (the command should exit 2 unless --allow-invalid). */
  readonly failed: boolean;
}

export function problemLine(p: Problem): string {
  const where = p.file !== undefined ? `${p.file}${p.line !== undefined ? `:${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : ''}: ` : '';
  return `kspect: ${p.severity === 'warning' ? 'warning: ' : ''}${where}${p.message}\n`;
}

export async function loadInputs(paths: readonly string[], io: Io, extra: readonly K8sObject[] = []): Promise<LoadedInputs> {
  const loaded = await loadManifests(paths, { readStdin: io.readStdin, cwd: io.cwd });
  for (const p of loaded.problems) io.stderr(problemLine(p));
  return {
    inventory: buildInventory([...extra, ...loaded.objects], loaded.skipped),
    problems: loaded.problems,
    failed: loaded.problems.some((p) => p.severity === 'error'),
  };
}
