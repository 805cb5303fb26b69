/**
 * `kspect completion bash|zsh|fish`: a completion script for the shell. The commands, subcommands and flags come
 * from the commands' own help (so they never drift from what the commands accept), the values of the shared options
 * from the one vocabulary, and `kspect explain` completes check ids.
 */
import { allChecks } from '../../checks/index.js';
import { SEVERITIES } from '../../core/severity.js';
import { UsageError } from '../../core/result.js';
import { guard, parse } from '../args.js';
import type { Io } from '../io.js';
import { FORMATS } from '../../reporters/formats.js';
import { GROUP_BY, HELP_OPTION } from '../options.js';

/** Report formats, then the query commands' own (netpol matrix: csv, dot; rbac paths: dot, mermaid). */
const ALL_FORMATS = [...FORMATS, 'csv', 'dot', 'mermaid'];

const HELP = `Usage: kspect completion bash|zsh|fish

Print a shell completion script for kspect (commands, subcommands, flags, formats, severities, check ids, files).

  bash:  source <(kspect completion bash)        # or save it in /etc/bash_completion.d/kspect
  zsh:   source <(kspect completion zsh)         # or save it as _kspect in a folder of $fpath
  fish:  kspect completion fish > ~/.config/fish/completions/kspect.fish
`;

/** How a flag's value is completed: files, folders, a fixed list, or not at all. */
type ValueKind = { readonly kind: 'file' } | { readonly kind: 'dir' } | { readonly kind: 'list'; readonly values: readonly string[] } | { readonly kind: 'free' };

interface Flag {
  readonly long: string;
  readonly short?: string;
  /** Absent for boolean flags. */
  readonly value?: ValueKind;
}

interface Command {
  readonly name: string;
  readonly help: string;
  readonly subcommands: readonly string[];
  readonly flags: readonly Flag[];
}

export interface CompletionModel {
  readonly commands: readonly Command[];
  readonly checkIds: readonly string[];
}

// A flag line of a help text: `  -f, --format FORMAT   …` or `      --fail-on SEV|none   …`. Linear: no nested quantifiers.
const FLAG_LINE = /^ {2,}(?:(-[a-zA-Z]), )?(--[a-z][a-z0-9-]*)(?: ([A-Z][A-Za-z0-9_|.:[\]/-]*))?/;

/** The values of a flag: the shared vocabulary's lists, files and folders by metavariable, the help's own list. */
function valueOf(long: string, metavar: string): ValueKind {
  switch (long) {
    case '--fail-on':
      return { kind: 'list', values: [...SEVERITIES, 'none'] };
    case '--severity':
      return { kind: 'list', values: SEVERITIES };
    case '--group-by':
      return { kind: 'list', values: GROUP_BY };
    case '--level':
    case '--pss-level':
      return { kind: 'list', values: ['privileged', 'baseline', 'restricted'] };
    case '--checks':
      return { kind: 'free' };
  }
  if (/^(FILE|PATH|BUNDLE|CSR|CERT|KEY)S?$/.test(metavar)) return { kind: 'file' };
  if (metavar === 'DIR') return { kind: 'dir' };
  return { kind: 'free' };
}

/** The flags a help text documents. */
export function flagsOfHelp(help: string): Flag[] {
  const flags = new Map<string, Flag>();
  for (const line of help.split('\n')) {
    const m = FLAG_LINE.exec(line);
    if (!m) continue;
    const [, short, long, metavar] = m;
    if (long === undefined || flags.has(long)) continue;
    flags.set(long, { long, ...(short !== undefined ? { short } : {}), ...(metavar !== undefined ? { value: valueOf(long, metavar) } : {}) });
  }
  return [...flags.values()];
}

async function helpOf(load: () => Promise<{ run(argv: string[], io: Io): Promise<number> }>, argv: string[], io: Io): Promise<string> {
  let text = '';
  const capture: Io = { ...io, stdout: (t) => (text += t), stderr: () => undefined, stdoutIsTTY: false, stderrIsTTY: false };
  await (await load()).run(argv, capture);
  return text;
}

/** Every command's flags, read from its help (and its subcommands' help). */
export async function completionModel(io: Io): Promise<CompletionModel> {
  const { COMMANDS } = await import('../main.js');
  const commands: Command[] = [];
  for (const [name, entry] of Object.entries(COMMANDS)) {
    const subcommands = entry.subcommands ?? [];
    const texts = [await helpOf(entry.load, ['--help'], io)];
    if (name !== 'completion') for (const sub of subcommands) texts.push(await helpOf(entry.load, [sub, '--help'], io));
    const flags = new Map<string, Flag>();
    for (const f of texts.flatMap(flagsOfHelp)) {
      const had = flags.get(f.long);
      // A flag whose values differ per subcommand (-f: rbac paths also draws dot and mermaid) offers them all.
      if (had?.value?.kind === 'list' && f.value?.kind === 'list') flags.set(f.long, { ...had, value: { kind: 'list', values: [...new Set([...had.value.values, ...f.value.values])] } });
      else if (!had) flags.set(f.long, f);
    }
    if (!flags.has('--help')) flags.set('--help', { long: '--help', short: '-h' });
    // -f offers every format the command's help names: the report formats, and the query formats of its subcommands.
    const format = flags.get('--format');
    if (format) {
      const words = new Set(texts.join('\n').split(/[^a-z0-9-]+/));
      flags.set('--format', { ...format, value: { kind: 'list', values: ALL_FORMATS.filter((f) => words.has(f)) } });
    }
    commands.push({ name, help: entry.help, subcommands, flags: [...flags.values()] });
  }
  return { commands, checkIds: allChecks.map((c) => c.id) };
}

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function bashValueCase(commands: readonly Command[]): string {
  const lines: string[] = [];
  for (const c of commands) {
    const cases: string[] = [];
    for (const f of c.flags) {
      if (!f.value) continue;
      const pat = [f.long, ...(f.short !== undefined ? [f.short] : [])].join('|');
      const v = f.value;
      const action =
        v.kind === 'list' ? `COMPREPLY=($(compgen -W ${q(v.values.join(' '))} -- "$cur"))` : v.kind === 'file' ? 'COMPREPLY=($(compgen -f -- "$cur"))' : v.kind === 'dir' ? 'COMPREPLY=($(compgen -d -- "$cur"))' : 'COMPREPLY=()';
      cases.push(`        ${pat}) ${action}; return 0;;`);
    }
    if (cases.length > 0) lines.push(`    ${c.name})\n      case "$prev" in\n${cases.join('\n')}\n      esac;;`);
  }
  return lines.join('\n');
}

export function bashScript(m: CompletionModel): string {
  const names = m.commands.map((c) => c.name).join(' ');
  const optsCase = m.commands.map((c) => `    ${c.name}) opts=${q(c.flags.flatMap((f) => [f.long, ...(f.short !== undefined ? [f.short] : [])]).join(' '))}; subs=${q(c.subcommands.join(' '))};;`).join('\n');
  return `# kspect completion for bash (kspect completion bash). Generated from the commands' help.
_kspect() {
  local cur prev cmd opts subs i nonflag
  COMPREPLY=()
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev=""
  if [ "$COMP_CWORD" -gt 0 ]; then prev="\${COMP_WORDS[COMP_CWORD-1]}"; fi
  if [ "$COMP_CWORD" -le 1 ]; then
    COMPREPLY=($(compgen -W ${q(`${names} --help --version`)} -- "$cur"))
    return 0
  fi
  cmd="\${COMP_WORDS[1]}"
  case "$cmd" in
${bashValueCase(m.commands)}
  esac
  opts=""; subs=""
  case "$cmd" in
${optsCase}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return 0
  fi
  # The first word after the command that is not a flag is its subcommand.
  nonflag=0
  for ((i = 2; i < COMP_CWORD; i++)); do
    [[ "\${COMP_WORDS[i]}" == -* ]] || nonflag=$((nonflag + 1))
  done
  if [ -n "$subs" ] && [ "$nonflag" -eq 0 ]; then
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
    return 0
  fi
  if [ "$cmd" = explain ]; then
    COMPREPLY=($(compgen -W ${q(m.checkIds.join(' '))} -- "$cur"))
    return 0
  fi
  COMPREPLY=($(compgen -f -- "$cur"))
  return 0
}
complete -o filenames -o bashdefault -F _kspect kspect kubectl-kspect
`;
}

export function zshScript(m: CompletionModel): string {
  // zsh runs the bash completion through bashcompinit: one definition of what completes where.
  return `#compdef kspect kubectl-kspect
# kspect completion for zsh (kspect completion zsh). Generated from the commands' help.
autoload -U +X compinit && compinit -u
autoload -U +X bashcompinit && bashcompinit
${bashScript(m)}`;
}

export function fishScript(m: CompletionModel): string {
  const lines = ['# kspect completion for fish (kspect completion fish). Generated from the commands\' help.', 'complete -c kspect -f'];
  for (const c of m.commands) lines.push(`complete -c kspect -n '__fish_use_subcommand' -a ${q(c.name)} -d ${q(c.help)}`);
  for (const c of m.commands) {
    const seen = `__fish_seen_subcommand_from ${c.name}`;
    if (c.subcommands.length > 0) {
      const noSub = `${seen}; and not __fish_seen_subcommand_from ${c.subcommands.join(' ')}`;
      lines.push(`complete -c kspect -n ${q(noSub)} -a ${q(c.subcommands.join(' '))}`);
    }
    for (const f of c.flags) {
      const parts = [`complete -c kspect -n ${q(seen)} -l ${f.long.slice(2)}`];
      if (f.short !== undefined) parts.push(`-s ${f.short.slice(1)}`);
      const v = f.value;
      if (v?.kind === 'list') parts.push(`-x -a ${q(v.values.join(' '))}`);
      else if (v?.kind === 'file') parts.push('-r -F');
      else if (v?.kind === 'dir') parts.push(`-x -a '(__fish_complete_directories)'`);
      else if (v?.kind === 'free') parts.push('-x');
      lines.push(parts.join(' '));
    }
    if (c.name === 'explain') lines.push(`complete -c kspect -n ${q(seen)} -a ${q(m.checkIds.join(' '))}`);
    else if (!['checks', 'init', 'completion'].includes(c.name)) lines.push(`complete -c kspect -n ${q(seen)} -F`);
  }
  return `${lines.join('\n')}\n`;
}

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const { values, positionals } = parse(argv, { ...HELP_OPTION });
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    const shell = positionals[0];
    if (positionals.length !== 1 || (shell !== 'bash' && shell !== 'zsh' && shell !== 'fish')) throw new UsageError('usage', 'completion needs one shell: bash, zsh or fish');
    const model = await completionModel(io);
    io.stdout(shell === 'bash' ? bashScript(model) : shell === 'zsh' ? zshScript(model) : fishScript(model));
    return 0;
  });
}
