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

/** A command: its module, a line of help, and its subcommands (for shell completion). */
export interface CommandEntry {
  readonly load: () => Promise<CommandModule>;
  readonly help: string;
  readonly subcommands?: readonly string[];
}

/** Every command. Sorted as shown in help. */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  scan: { load: () => import('./commands/scan.js'), help: 'scan manifests (files, folders, globs, - for stdin) for security risks' },
  node: { load: () => import('./commands/node.js'), help: 'audit a node (control plane, etcd, kubelet) against the CIS Kubernetes Benchmark and beyond' },
  baseline: { load: () => import('./commands/baseline.js'), help: 'write a baseline file of the current findings, to accept them' },
  rbac: { load: () => import('./commands/rbac.js'), help: 'RBAC questions: can-i, who-can, access, risks, escalation paths', subcommands: ['can-i', 'who-can', 'access', 'risks', 'paths'] },
  checks: { load: () => import('./commands/checks.js'), help: 'list every check' },
  explain: { load: () => import('./commands/explain.js'), help: 'describe a check, its remediation and examples' },
  pki: { load: () => import('./commands/pki.js'), help: 'audit certificates, keys, kubeconfigs and TLS endpoints; issue a sound cluster PKI', subcommands: ['check', 'init', 'issue', 'csr', 'sign'] },
  etcd: { load: () => import('./commands/etcd.js'), help: 'etcd check: which Secrets etcd stores in plaintext or with stale keys; etcd TLS posture', subcommands: ['check'] },
  netpol: { load: () => import('./commands/netpol.js'), help: 'NetworkPolicy reachability: matrix, can-reach SRC DST, explain WORKLOAD', subcommands: ['check', 'matrix', 'can-reach', 'explain'] },
  pss: { load: () => import('./commands/pss.js'), help: 'pss check: judge pods against a Pod Security Standards level and version, as admission does', subcommands: ['check'] },
  images: { load: () => import('./commands/images.js'), help: 'images verify: image signatures (cosign, Sigstore bundles) and image hygiene, from manifests, a cluster or registries', subcommands: ['verify'] },
  audit: { load: () => import('./commands/audit.js'), help: 'audit policies as kube-apiserver loads them; simulate levels; Falco k8saudit rules over audit logs', subcommands: ['policy-check', 'simulate', 'analyze', 'coverage'] },
  webhook: { load: () => import('./commands/webhook.js'), help: 'an admission webhook (enforce / warn / audit per namespace) and ImagePolicyWebhook backend; its manifests', subcommands: ['serve', 'manifests'] },
  probe: { load: () => import('./commands/probe.js'), help: 'which component ports answer without authentication (kubelet, API server, etcd, Docker, Dashboard …), read-only' },
  init: { load: () => import('./commands/init.js'), help: 'write a commented .kspect.yaml' },
  completion: { load: () => import('./commands/completion.js'), help: 'shell completion: kspect completion bash|zsh|fish', subcommands: ['bash', 'zsh', 'fish'] },
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
    // A system error about a path (a file that vanished, a folder that cannot be created, permission denied) is the
    // user's environment, not a bug: one line naming the path, never a stack trace.
    const sys = systemError(e);
    if (sys !== undefined) {
      io.stderr(`kspect: ${sys}\n`);
      return 2;
    }
    // Only bugs reach here: user mistakes are reported by the commands themselves.
    io.stderr(`kspect: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}

const SYSCALL_VERB: Readonly<Record<string, string>> = { open: 'open', mkdir: 'create', write: 'write', read: 'read', scandir: 'list', stat: 'read', lstat: 'read', rename: 'rename', unlink: 'remove', rmdir: 'remove', access: 'read' };
const ERRNO_TEXT: Readonly<Record<string, string>> = { ENOENT: 'no such file or folder', EACCES: 'permission denied', EPERM: 'operation not permitted', EEXIST: 'it exists, or a part of its path is a file', ENOTDIR: 'a part of the path is not a folder', EISDIR: 'is a folder', EROFS: 'read-only file system', ENOSPC: 'no space left on the device', EIO: 'input/output error', ELOOP: 'too many levels of symbolic links', ENAMETOOLONG: 'the path is too long', EMFILE: 'too many open files' };

/** `cannot create PATH: permission denied` for a Node system error about a path, else undefined. */
function systemError(e: unknown): string | undefined {
  if (!(e instanceof Error) || !('code' in e) || !('syscall' in e) || !('path' in e)) return undefined;
  const code = String(e.code);
  const text = ERRNO_TEXT[code];
  if (text === undefined) return undefined;
  return `cannot ${SYSCALL_VERB[String(e.syscall)] ?? String(e.syscall)} ${escapeText(String(e.path))}: ${text}`;
}
