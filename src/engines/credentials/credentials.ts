/**
 * Recognising credentials without printing them: value shapes (AWS access keys, private keys, JWTs,
 * GitHub/GitLab/Slack/Stripe/npm/Google tokens, connection strings with a password) and credential-like
 * names (`DB_PASSWORD`, `apiKey`, `AZURE_BATCH_KEY`), with the placeholders and references that are
 * not credentials (`$(VAR)`, `${VAR}`, `{{ .Values.x }}`, `changeme`, `xxx`, paths, booleans).
 *
 * Every function returns a *hint* (a short description such as "looks like an AWS access key id"),
 * never a part of the value.
 */

/** A value shape that identifies a credential by itself. */
interface Shape {
  readonly id: string;
  readonly hint: string;
  readonly re: RegExp;
}

const SHAPES: readonly Shape[] = [
  { id: 'private-key', hint: 'contains a private key (PEM)', re: /(?<!-)-{3,}\s*BEGIN\s+(?:[A-Z0-9]+\s+)*PRIVATE\s+KEY(?:\s+BLOCK)?\s*-{3,}/i },
  { id: 'aws-access-key', hint: 'looks like an AWS access key id', re: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|APKA)[A-Z0-9]{16}(?![A-Z0-9])/ },
  { id: 'github-token', hint: 'looks like a GitHub token', re: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})/ },
  { id: 'gitlab-token', hint: 'looks like a GitLab token', re: /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,}/ },
  { id: 'slack-token', hint: 'looks like a Slack token', re: /(?<![A-Za-z0-9])xox[abposr]-[A-Za-z0-9-]{10,}/ },
  { id: 'slack-webhook', hint: 'looks like a Slack webhook URL', re: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9_]+\/B[A-Za-z0-9_]+\/[A-Za-z0-9_]{8,}/ },
  { id: 'stripe-key', hint: 'looks like a Stripe secret key', re: /(?<![A-Za-z0-9])[sr]k_live_[A-Za-z0-9]{20,}/ },
  { id: 'google-api-key', hint: 'looks like a Google API key', re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/ },
  { id: 'npm-token', hint: 'looks like an npm token', re: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/ },
  { id: 'jwt', hint: 'looks like a JSON Web Token', re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/ },
];

/**
 * Whether `c` may appear in a URL scheme (`[a-z0-9+.-]`, either case); `letter` asks for `[a-zA-Z]` only.
 */
function schemeChar(c: number, letter = false): boolean {
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x7a) return true;
  if (letter) return false;
  return (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2e || c === 0x2d;
}

/** JS `\s`: WhiteSpace and LineTerminator. */
export function isJsSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/**
 * The passwords of every `scheme://user:password@host` in `value`, in order — what the regular expression
 * `/[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]*:([^\s@/'"]+)@[^\s'"]/gi` captures with `matchAll`, found by a scanner that
 * visits every character a bounded number of times (the regular expression is quadratic on long runs of
 * scheme-like characters).
 */
export function urlPasswords(value: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (let q = value.indexOf('://'); q >= 0; q = value.indexOf('://', q + 1)) {
    // A scheme: a letter, then scheme characters up to `://`, starting at or after the end of the last match.
    let p = q;
    let letter = -1;
    while (p > from && schemeChar(value.charCodeAt(p - 1))) {
      p--;
      if (schemeChar(value.charCodeAt(p), true)) letter = p;
    }
    if (letter < 0) continue;
    // user: [^\s/:@'"]*, then `:`; password: [^\s@/'"]+, then `@` and one more character that is not \s ' ".
    let i = q + 3;
    while (i < value.length && !stopsUser(value.charCodeAt(i))) i++;
    if (value.charCodeAt(i) !== 0x3a) continue;
    const pwStart = ++i;
    while (i < value.length && !stopsPassword(value.charCodeAt(i))) i++;
    if (i === pwStart || value.charCodeAt(i) !== 0x40) continue;
    const after = value.charCodeAt(i + 1);
    if (Number.isNaN(after) || isJsSpace(after) || after === 0x27 || after === 0x22) continue;
    out.push(value.slice(pwStart, i));
    from = i + 2;
    q = i + 1;
  }
  return out;
}

function stopsUser(c: number): boolean {
  return isJsSpace(c) || c === 0x2f || c === 0x3a || c === 0x40 || c === 0x27 || c === 0x22;
}

function stopsPassword(c: number): boolean {
  return isJsSpace(c) || c === 0x40 || c === 0x2f || c === 0x27 || c === 0x22;
}

/** `…;Password=…;` in ADO.NET / JDBC-style connection strings. */
const KV_PASSWORD = /(?:^|;)\s*(?:password|pwd)\s*=\s*([^;]+)/gi;

/** The hint of a credential-shaped value, or undefined. Searches anywhere in the value. */
export function credentialShape(value: string): string | undefined {
  for (const s of SHAPES) if (s.re.test(value)) return s.hint;
  for (const pw of urlPasswords(value)) if (!isPlaceholder(decodeSafe(pw))) return 'is a connection string with a password';
  for (const m of value.matchAll(KV_PASSWORD)) {
    const pw = m[1]?.trim();
    if (pw !== undefined && pw !== '' && !isPlaceholder(pw)) return 'is a connection string with a password';
  }
  return undefined;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Words that make a name a credential on their own. */
const CREDENTIAL_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'apikey',
  'apikeys',
  'credential',
  'credentials',
  'creds',
  'bearer',
  'privatekey',
  'secretkey',
  'accesskey',
  'authkey',
  'sessionkey',
  'clientsecret',
  'authtoken',
  'accesstoken',
  'refreshtoken',
  'masterkey',
  'signingkey',
  'encryptionkey',
  'htpasswd',
  'kubeconfig',
]);

/** Words that, followed by `key`, name a key that is a credential (`API_KEY`, `ACCESS_KEY`). */
const KEY_QUALIFIERS = new Set(['api', 'access', 'secret', 'private', 'auth', 'signing', 'encryption', 'master', 'account', 'client', 'ssh', 'session', 'license', 'storage', 'shared', 'service', 'webhook', 'hmac', 'jwt', 'crypt', 'crypto', 'cipher', 'decryption', 'app', 'subscription', 'primary', 'secondary', 'admin']);

/** Cloud prefixes whose `…_KEY` variables are credentials (`AZURE_BATCH_KEY`, `OCI_CLI_KEY_CONTENT`). */
const CLOUD_PREFIXES = new Set(['aws', 'azure', 'gcp', 'google', 'gcloud', 'oci', 'digitalocean', 'do', 'alibaba', 'aliyun', 'ibm', 'linode', 'hcloud', 'scw', 'ovh']);

/** Last words that make a credential-looking name describe something else (`PASSWORD_FILE`, `TOKEN_TTL`). */
const MODIFIERS = new Set([
  'file', 'files', 'path', 'dir', 'directory', 'name', 'names', 'ref', 'reference', 'url', 'uri', 'endpoint', 'host', 'hostname', 'port', 'user', 'username', 'length', 'len', 'min', 'max',
  'ttl', 'expiry', 'expires', 'expiration', 'timeout', 'lifetime', 'duration', 'seconds', 'minutes', 'hours', 'days', 'enabled', 'enable', 'disabled', 'disable', 'required', 'policy', 'type',
  'mode', 'header', 'field', 'location', 'format', 'algorithm', 'alg', 'version', 'count', 'rotation', 'issuer', 'audience', 'scope', 'scopes', 'provider', 'store', 'manager', 'backend', 'mount',
  'volume', 'prefix', 'suffix', 'regex', 'pattern', 'strength', 'complexity', 'id', 'ids', 'arn', 'kind', 'source', 'lookup', 'env', 'var', 'namespace', 'size', 'bits', 'interval', 'period',
  'retries', 'attempts', 'limit', 'cache', 'generator', 'connector', 'connectors', 'db', 'database', 'auth', 'authentication', 'login', 'flow', 'grant', 'strategy', 'plugin', 'label', 'annotation', 'selector', 'reset', 'hint', 'hash', 'hashed', 'salt', 'rounds', 'iterations', 'cost', 'digest', 'check', 'validation', 'verify', 'secretref',
]);

function isUpper(c: number): boolean {
  return c >= 0x41 && c <= 0x5a;
}

function isLowerOrDigit(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
}

/**
 * Split `DB_PASSWORD`, `dbPassword`, `db-password`, `db.password` into lower-case words: a word boundary before an
 * upper-case letter that follows a lower-case letter or digit (`dbPassword`) and before the last capital of a run
 * followed by a lower-case letter (`HTTPServer` → http server). One pass (the equivalent `replace` with
 * `/([A-Z]+)([A-Z][a-z])/g` is quadratic on long runs of capitals).
 */
export function nameWords(name: string): string[] {
  let spaced = '';
  let from = 0;
  for (let i = 1; i < name.length; i++) {
    const prev = name.charCodeAt(i - 1);
    const c = name.charCodeAt(i);
    if (!isUpper(c)) continue;
    const next = name.charCodeAt(i + 1);
    if (isLowerOrDigit(prev) || (isUpper(prev) && next >= 0x61 && next <= 0x7a)) {
      spaced += `${name.slice(from, i)} `;
      from = i;
    }
  }
  spaced += name.slice(from);
  return spaced
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/**
 * Whether a variable or key name says it holds a credential. `PASSWORD_FILE`, `TOKEN_TTL`, `SECRET_NAME`
 * and the like are not: they name something about a credential. `PWD` alone is the working directory.
 */
export function isCredentialName(name: string): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (last === undefined || MODIFIERS.has(last)) return false;
  // Ids: `_KEY_ID` is already excluded by `id`; so is `CLIENT_ID`.
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (CREDENTIAL_WORDS.has(w)) return true;
    if ((w === 'pass' || w === 'pwd') && i === words.length - 1 && words.length > 1) return true;
    if (w === 'key' || w === 'keys') {
      const prev = words[i - 1];
      if (prev !== undefined && KEY_QUALIFIERS.has(prev)) return true;
      if (CLOUD_PREFIXES.has(words[0] ?? '') && i > 0) return true;
    }
  }
  // Joined spellings: `DBPASSWORD`, `mysecretkey`.
  const joined = words.join('');
  return /password|passwd|secret|apikey|accesstoken|authtoken|privatekey/.test(joined);
}

const BOOLEAN = /^(?:true|false|yes|no|on|off|y|n|0|1)$/i;
const PLACEHOLDER_WORDS =
  /^(?:change[-_ ]?me|change[-_ ]?it|replace[-_ ]?me|replace|todo|tbd|fixme|example|sample|dummy|placeholder|none|null|nil|undefined|unset|empty|redacted|hidden|masked|your[-_ ].*|insert[-_ ].*|enter[-_ ].*|put[-_ ].*|set[-_ ]?me|n\/a|not[-_ ]?set)$/i;
function identStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

function identChar(c: number, extra = false): boolean {
  return identStart(c) || (c >= 0x30 && c <= 0x39) || (extra && (c === 0x2e || c === 0x2d));
}

/**
 * Whether `v` consists only of references resolved elsewhere, separated by blanks: `$(VAR)` (kubelet), `${VAR}`
 * (templating), `{{ … }}`, `%VAR%`, `$VAR`. Exactly the language of
 * `/^(?:\s*(?:\$\([A-Za-z_][A-Za-z0-9_.-]*\)|\$\{[^}]*\}|\{\{.*?\}\}|%[A-Za-z_][A-Za-z0-9_]*%|\$[A-Za-z_][A-Za-z0-9_]*)\s*)+$/s`
 * — which backtracks exponentially on `{{a}}{{a}}…x` — decided right to left in linear time: `ok[i]` says the text
 * from `i` is blanks and references up to the end; a `{{` may close at any later `}}`, so `closes[i]` says some `}}`
 * at or after `i` is followed by an `ok` rest. Every character is visited a bounded number of times.
 */
export function isReferenceOnly(v: string): boolean {
  const n = v.length;
  const ok = new Uint8Array(n + 2);
  const closes = new Uint8Array(n + 3);
  ok[n] = 1;
  let sawToken = false;
  let nextBrace = -1;
  for (let i = n - 1; i >= 0; i--) {
    const c = v.charCodeAt(i);
    if (c === 0x7d) nextBrace = i;
    let good = false;
    if (isJsSpace(c)) good = ok[i + 1] === 1;
    else if (c === 0x24) {
      const d = v.charCodeAt(i + 1);
      if (d === 0x28 && identStart(v.charCodeAt(i + 2))) {
        let j = i + 3;
        while (j < n && identChar(v.charCodeAt(j), true)) j++;
        good = v.charCodeAt(j) === 0x29 && ok[j + 1] === 1;
      } else if (d === 0x7b) {
        // The first `}` after `${` (nextBrace is past i + 1, which is `{`).
        good = nextBrace >= 0 && ok[nextBrace + 1] === 1;
      } else if (identStart(d)) {
        let j = i + 2;
        while (j < n && identChar(v.charCodeAt(j))) j++;
        good = ok[j] === 1;
      }
    } else if (c === 0x7b && v.charCodeAt(i + 1) === 0x7b) good = closes[i + 2] === 1;
    else if (c === 0x25 && identStart(v.charCodeAt(i + 1))) {
      let j = i + 2;
      while (j < n && identChar(v.charCodeAt(j))) j++;
      good = v.charCodeAt(j) === 0x25 && ok[j + 1] === 1;
    }
    if (good) ok[i] = 1;
    closes[i] = closes[i + 1] === 1 || (c === 0x7d && v.charCodeAt(i + 1) === 0x7d && ok[i + 2] === 1) ? 1 : 0;
    if (!isJsSpace(c)) sawToken = true;
  }
  return sawToken && ok[0] === 1;
}

/**
 * Whether a value is obviously not a real credential: empty, a boolean, a reference to a value
 * supplied elsewhere, a placeholder word, a bracketed hint (`<password>`, `[token]`), or one
 * repeated character (`xxxx`, `****`).
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  if (BOOLEAN.test(v)) return true;
  if (isReferenceOnly(v)) return true;
  if (PLACEHOLDER_WORDS.test(v)) return true;
  if (/^<[^<>]*>$/.test(v) || /^\[[^[\]]*\]$/.test(v)) return true;
  // Substitution markers of install scripts: `__KUBECONFIG_FILEPATH__`, `@DB_PASSWORD@`.
  if (/^(?:__[A-Za-z0-9_]+__|@[A-Za-z0-9_]+@)$/.test(v)) return true;
  if (v.length >= 2 && v.split(v.charAt(0)).every((part) => part === '')) return true;
  if (/^\.{3}$|^-+$|^…$/.test(v)) return true;
  return false;
}

/** A file path (`/var/run/secrets/token`, `./key.json`, `file:///…`): names where the credential is, not it. */
export function isPathLike(value: string): boolean {
  const v = value.trim();
  return /^(?:\/|\.\.?\/|~\/|file:\/\/)\S*$/.test(v);
}

/** A URL without credentials in it. */
function isPlainUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^\s@]*$/i.test(value.trim());
}

/**
 * `WEBHOOK_SECRET=elastic-webhook-server-cert`: when "secret" is the only credential word of the name and
 * the value reads like the name of a Kubernetes Secret (three or more lower-case words joined by hyphens,
 * no digits), the variable names a Secret object rather than holding a secret.
 */
function namesASecretObject(name: string, value: string): boolean {
  const words = nameWords(name);
  const credential = words.filter((w) => CREDENTIAL_WORDS.has(w) || w === 'pass' || w === 'pwd' || w === 'key' || w === 'keys');
  return credential.length > 0 && credential.every((w) => w === 'secret' || w === 'secrets') && /^[a-z]+(?:-[a-z]+){2,}$/.test(value.trim());
}

export interface LiteralVerdict {
  /** `shape`: the value itself looks like a credential; `name`: the name says so. */
  readonly by: 'shape' | 'name';
  /** A description that never contains the value. */
  readonly hint: string;
}

/**
 * Judge a literal `name: value` pair (an env var, a ConfigMap key): by the value's shape first, then
 * by the name — unless the value is a placeholder, a reference, a path or a URL without credentials.
 */
export function judgeLiteral(name: string, value: string): LiteralVerdict | undefined {
  const shape = credentialShape(value);
  if (shape !== undefined) return { by: 'shape', hint: shape };
  if (!isCredentialName(name)) return undefined;
  if (isPlaceholder(value) || isPathLike(value) || isPlainUrl(value)) return undefined;
  if (namesASecretObject(name, value)) return undefined;
  return { by: 'name', hint: 'its name marks as a credential' };
}

/**
 * Lines of a configuration file that set a credential-named key to a literal
 * (`db.password=…`, `api_key: …`, `"token": "…"`): the key names, never the values.
 */
export function credentialAssignments(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = ASSIGNMENT.exec(line);
    if (!m) continue;
    const key = m[1] ?? '';
    const value = assignedValue(line.slice(m[0].length));
    if (value === undefined) continue;
    const raw = value.replace(/^(["'])(.*)\1$/, '$2');
    if (!isCredentialName(key)) continue;
    if (raw === '' || raw === '|' || raw === '>' || raw.startsWith('{') || raw.startsWith('[') || raw.startsWith('#')) continue;
    if (isPlaceholder(raw) || isPathLike(raw) || isPlainUrl(raw)) continue;
    if (!out.includes(key)) out.push(key);
  }
  return out;
}

/** `key:` / `key =` at the start of a line (optionally a list item, optionally quoted). */
const ASSIGNMENT = /^\s*(?:-\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*[:=]/;

/**
 * The value after `key:` — without the blanks around it and a trailing comma — as `\s*(.*?)\s*,?\s*$` captures it,
 * or undefined when that does not match (a line terminator inside the value). Linear; the regular expression is
 * cubic on long runs of blanks.
 */
function assignedValue(rest: string): string | undefined {
  const t = rest.trimStart();
  let end = t.trimEnd().length;
  if (t.charCodeAt(end - 1) === 0x2c) end = t.slice(0, end - 1).trimEnd().length;
  const v = t.slice(0, end);
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) return undefined;
  }
  return v;
}
