/**
 * `main(argv, io)` returns an exit code: 0 clean, 1 findings at or above --fail-on, 2 usage/input/internal error.
 * Commands are loaded on demand so `kspect --version` starts fast.
 */
import { escapeText } from '../core/text.js';
import type { Io } from './io.js';
import { packageVersion } from './io.js';

interface CommandModule {
  run(argv: string[], io: Io): Promise<number>;
}

/** Every command: its module and a line of help. Sorted as shown in help. */
const COMMANDS: Readonly<Record<string, { load: () => Promise<CommandModule>; help: string }>> = {
  scan: { load: () => import('./commands/scan.js'), help: 'scan manifests (files, folders, globs, - for stdin) for security risks' },
  node: { load: () => import('./commands/node.js'), help: 'audit a node (control plane, etcd, kubelet) against the CIS Kubernetes Benchmark and beyond' },
  baseline: { load: () => import('./commands/baseline.js'), help: 'write a baseline file of the current findings, to accept them' },
  rbac: { load: () => import('./commands/rbac.js'), help: 'RBAC questions: can-i, who-can, access, risks, escalation paths' },
  checks: { load: () => import('./commands/checks.js'), help: 'list every check' },
  explain: { load: () => import('./commands/explain.js'), help: 'describe a check, its remediation and examples' },
  pki: { load: () => import('./commands/pki.js'), help: 'audit certificates, keys, kubeconfigs and TLS endpoints; issue a sound cluster PKI' },
  etcd: { load: () => import('./commands/etcd.js'), help: 'etcd check: which Secrets etcd stores in plaintext or with stale keys; etcd TLS posture' },
  netpol: { load: () => import('./commands/netpol.js'), help: 'NetworkPolicy reachability: matrix, can-reach SRC DST, explain WORKLOAD' },
  pss: { load: () => import('./commands/pss.js'), help: 'pss check: judge pods against a Pod Security Standards level and version, as admission does' },
  probe: { load: () => import('./commands/probe.js'), help: 'which component ports answer without authentication (kubelet, API server, etcd, Docker, Dashboard …), read-only' },
};

export const HELP = `kspect — Kubernetes security posture, faithful to Kubernetes semantics

Usage: kspect <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.help}`)
  .join('\n')}

Run \`kspect <command> --help\` for a command's options.
Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage, configuration, input or internal error.
`;

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout(HELP);
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-v' || first === 'version') {
    io.stdout(`${await packageVersion()}\n`);
    return 0;
  }
  const command = COMMANDS[first];
  if (!command) {
    io.stderr(`kspect: unknown command "${escapeText(first)}" (run kspect --help)\n`);
    return 2;
  }
  try {
    const mod = await command.load();
    return await mod.run([...rest], io);
  } catch (e) {
    // Only bugs reach here: user mistakes are reported by the commands themselves.
    io.stderr(`kspect: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}
