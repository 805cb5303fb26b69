/**
 * Command lines of Kubernetes components as flag sets, parsed the way Go's pflag (and etcd's flag
 * package) read them: `--flag=value`, `--flag value` for non-boolean flags, a bare `--flag` for
 * booleans, `--` ends the flags. Repeated flags keep every occurrence: scalar flags take the last
 * one (pflag's Set overwrites), list flags (`--enable-admission-plugins`, `--feature-gates`, …)
 * accumulate their comma-separated elements.
 */

/** One occurrence of a flag on a command line. */
export interface FlagOccurrence {
  readonly name: string;
  /** The raw value; `true` for a bare boolean flag. */
  readonly value: string;
  /** Index of the token that holds the flag in the argv. */
  readonly index: number;
  /** True when the value was given in the same token (`--flag=value`) or the flag was bare. */
  readonly inline: boolean;
}

export interface FlagSet {
  /** Every occurrence, in order. */
  readonly occurrences: readonly FlagOccurrence[];
  /** Positional arguments (not flags), argv[0] excluded. */
  readonly positionals: readonly string[];
  has(name: string): boolean;
  /** The effective value of a scalar flag: the last occurrence. */
  get(name: string): string | undefined;
  /** The last occurrence of a flag (for locating it). */
  last(name: string): FlagOccurrence | undefined;
  /** Every comma-separated element of every occurrence of a list flag, trimmed, empty ones dropped. */
  list(name: string): string[] | undefined;
  /** `--feature-gates`-style `Key=bool` maps, later occurrences override earlier keys. */
  map(name: string): ReadonlyMap<string, string> | undefined;
}

/**
 * Flags of the control-plane components and the kubelet that are booleans: for these,
 * `--flag value` does NOT consume `value` (pflag requires `--flag=false`).
 */
export const BOOLEAN_FLAGS: ReadonlySet<string> = new Set([
  'allow-privileged',
  'anonymous-auth',
  'authentication-token-webhook',
  'auto-tls',
  'client-cert-auth',
  'contention-profiling',
  'enable-aggregator-routing',
  'enable-bootstrap-token-auth',
  'enable-debugging-handlers',
  'enable-garbage-collector',
  'enable-grpc-gateway',
  'enable-logs-handler',
  'enable-pprof',
  'enable-priority-and-fairness',
  'enable-server',
  'enable-v2',
  'experimental-initial-corrupt-check',
  'fail-swap-on',
  'kubelet-https',
  'leader-elect',
  'logtostderr',
  'make-iptables-util-chains',
  'peer-auto-tls',
  'peer-client-cert-auth',
  'profiling',
  'protect-kernel-defaults',
  'rotate-certificates',
  'rotate-server-certificates',
  'seccomp-default',
  'service-account-extend-token-expiration',
  'service-account-lookup',
  'strict-reconfig-check',
  'use-service-account-credentials',
  'insecure-skip-tls-verify',
]);

/** Flags whose values are comma-separated lists (pflag StringSlice) and accumulate when repeated. */
export const LIST_FLAGS: ReadonlySet<string> = new Set([
  'authorization-mode',
  'enable-admission-plugins',
  'disable-admission-plugins',
  'admission-control',
  'tls-cipher-suites',
  'cipher-suites',
  'api-audiences',
  'service-account-issuer',
  'service-account-key-file',
  'controllers',
  'tls-sni-cert-key',
  'strict-transport-security-directives',
  'cors-allowed-origins',
  'listen-client-urls',
  'advertise-client-urls',
  'listen-peer-urls',
  'etcd-servers',
]);

/** Flags written `Key=value,Key=value` (pflag mapStringBool / mapStringString). */
export const MAP_FLAGS: ReadonlySet<string> = new Set(['feature-gates']);

/** Strip leading dashes: `--profiling` → `profiling`. Also accepts a name without dashes. */
export function flagName(flag: string): string {
  return flag.replace(/^-{1,2}/, '');
}

function isFlagToken(t: string): boolean {
  return t.startsWith('-') && t !== '-' && t !== '--' && !/^-\d/.test(t);
}

/**
 * Parse argv (argv[0] is the program, skipped when `hasProgram`) into a FlagSet.
 * Single-dash long flags (`-data-dir=x`, as etcd's Go flag package accepts) are read as long flags.
 */
export function parseFlags(argv: readonly string[], options: { hasProgram?: boolean; booleans?: ReadonlySet<string> } = {}): FlagSet {
  const booleans = options.booleans ?? BOOLEAN_FLAGS;
  const occurrences: FlagOccurrence[] = [];
  const positionals: string[] = [];
  let i = options.hasProgram === false ? 0 : 1;
  for (; i < argv.length; i++) {
    const t = argv[i] ?? '';
    if (t === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!isFlagToken(t)) {
      positionals.push(t);
      continue;
    }
    const body = flagName(t);
    const eq = body.indexOf('=');
    if (eq >= 0) {
      occurrences.push({ name: body.slice(0, eq), value: body.slice(eq + 1), index: i, inline: true });
      continue;
    }
    const next = argv[i + 1];
    if (!booleans.has(body) && next !== undefined && !isFlagToken(next) && next !== '--') {
      occurrences.push({ name: body, value: next, index: i, inline: false });
      i++;
    } else {
      occurrences.push({ name: body, value: 'true', index: i, inline: true });
    }
  }
  return makeFlagSet(occurrences, positionals);
}

export function makeFlagSet(occurrences: readonly FlagOccurrence[], positionals: readonly string[] = []): FlagSet {
  const byName = new Map<string, FlagOccurrence[]>();
  for (const o of occurrences) {
    let l = byName.get(o.name);
    if (!l) byName.set(o.name, (l = []));
    l.push(o);
  }
  return {
    occurrences,
    positionals,
    has: (name) => byName.has(flagName(name)),
    get: (name) => byName.get(flagName(name))?.at(-1)?.value,
    last: (name) => byName.get(flagName(name))?.at(-1),
    list: (name) => {
      const l = byName.get(flagName(name));
      if (!l) return undefined;
      return l.flatMap((o) => splitList(o.value));
    },
    map: (name) => {
      const l = byName.get(flagName(name));
      if (!l) return undefined;
      const out = new Map<string, string>();
      for (const o of l)
        for (const kv of splitList(o.value)) {
          const eq = kv.indexOf('=');
          if (eq > 0) out.set(kv.slice(0, eq).trim(), kv.slice(eq + 1).trim());
        }
      return out;
    },
  };
}

/** Split a comma list, trimming elements and dropping empty ones. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Go's strconv.ParseBool: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False. */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** Go's strconv.Atoi for decimal ints (an optional sign, digits). */
export function parseGoInt(value: string): number | undefined {
  return /^[+-]?\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * Split a systemd ExecStart-like or shell-like line into words: whitespace separates, single and
 * double quotes group, backslash escapes. (Enough for unit files and `ps` output; no globbing.)
 */
export function splitWords(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i] ?? '';
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      const n = line[++i] ?? '';
      if (n === '\n') continue;
      cur += n;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}
