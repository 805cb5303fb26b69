import { describe, expect, it } from 'vitest';
import { credentialAssignments, credentialShape, isCredentialName, isPlaceholder, judgeLiteral, nameWords } from './credentials.js';

describe('credentialShape', () => {
  const cases: [string, string | undefined][] = [
    ['AKIAIOSFODNN7EXAMPLE', 'looks like an AWS access key id'],
    ['prefix AKIAIOSFODNN7EXAMPLE suffix', 'looks like an AWS access key id'],
    ['XAKIAIOSFODNN7EXAMPLE', undefined],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----', 'contains a private key (PEM)'],
    ['---BEGIN OPENSSH PRIVATE KEY---\nxxxxx', 'contains a private key (PEM)'],
    ['-----BEGIN PGP PRIVATE KEY BLOCK-----', 'contains a private key (PEM)'],
    ['-----BEGIN CERTIFICATE-----', undefined],
    ['-----BEGIN PUBLIC KEY-----', undefined],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'looks like a JSON Web Token'],
    ['ghp_' + 'a'.repeat(36), 'looks like a GitHub token'],
    ['github_pat_' + 'A1'.repeat(20), 'looks like a GitHub token'],
    ['glpat-' + 'x1'.repeat(10), 'looks like a GitLab token'],
    ['xoxb-1234567890-abcdefghij', 'looks like a Slack token'],
    ['https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXX', 'looks like a Slack webhook URL'],
    ['sk_live_' + 'a1'.repeat(12), 'looks like a Stripe secret key'],
    ['AIza' + 'b'.repeat(35), 'looks like a Google API key'],
    ['npm_' + 'c'.repeat(36), 'looks like an npm token'],
    ['postgres://app:s3cr3t@db:5432/app', 'is a connection string with a password'],
    ['redis://:hunter22@redis:6379/0', 'is a connection string with a password'],
    ['mongodb+srv://u:p%40ss@cluster0.example.net/db', 'is a connection string with a password'],
    ['postgres://app:${DB_PASSWORD}@db/app', undefined],
    ['postgres://app:$(DB_PASSWORD)@db/app', undefined],
    ['postgres://app@db/app', undefined],
    ['https://example.com:8443/path', undefined],
    ['Server=db;Database=app;User Id=sa;Password=Str0ng!;', 'is a connection string with a password'],
    ['Server=db;Password=;', undefined],
    ['hello world', undefined],
    ['', undefined],
  ];
  it.each(cases)('%j → %j', (value, hint) => {
    expect(credentialShape(value)).toBe(hint);
  });
});

describe('isCredentialName', () => {
  const yes = ['DB_PASSWORD', 'password', 'my_password', 'dbPassword', 'API_KEY', 'apiKey', 'x-api-key', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY', 'GITHUB_TOKEN', 'SLACK_BOT_TOKEN', 'CLIENT_SECRET', 'AZURE_BATCH_KEY', 'OCI_CLI_KEY_CONTENT', 'GOOGLE_APPLICATION_CREDENTIALS', 'SMTP_PASS', 'DB_PWD', 'PRIVATE_KEY', 'JWT_SIGNING_KEY', 'BEARER', 'DBPASSWORD', 'db.password', 'REDIS_AUTH_TOKEN', 'STRIPE_SECRET', 'SENDGRID_API_KEYS'];
  const no = ['PASSWORD_FILE', 'TOKEN_TTL', 'SECRET_NAME', 'PWD', 'PASS', 'TOKEN_URL', 'CLIENT_ID', 'AWS_ACCESS_KEY_ID', 'USERNAME', 'CACHE_KEY', 'SORT_KEY', 'KEY', 'PASSWORD_MIN_LENGTH', 'TOKEN_AUDIENCE', 'LOG_LEVEL', 'monkey', 'turkey', 'KEYCLOAK_URL', 'SECRETS_DIR', 'PASSWORD_HASH'];
  it.each(yes)('%s is a credential name', (n) => {
    expect(isCredentialName(n)).toBe(true);
  });
  it.each(no)('%s is not a credential name', (n) => {
    expect(isCredentialName(n)).toBe(false);
  });
  it('splits names into words', () => {
    expect(nameWords('awsSecretAccessKEY_id')).toEqual(['aws', 'secret', 'access', 'key', 'id']);
    expect(nameWords('HTTPProxyToken')).toEqual(['http', 'proxy', 'token']);
  });
});

describe('isPlaceholder', () => {
  const yes = ['', '  ', 'true', 'False', 'yes', 'changeme', 'CHANGE_ME', 'replace-me', 'TODO', 'xxx', 'xxxxx', '****', '<password>', '[token]', '$(DB_PASSWORD)', '${DB_PASSWORD}', '{{ .Values.password }}', '%TOKEN%', '$TOKEN', 'your-api-key', 'null', 'redacted', '...', 'n/a'];
  const no = ['abc123', 'hunter2', 'password', 'secret', 'my-super-secret', 'Str0ng!', 'x1x1'];
  it.each(yes)('%j is a placeholder', (v) => {
    expect(isPlaceholder(v)).toBe(true);
  });
  it.each(no)('%j is not a placeholder', (v) => {
    expect(isPlaceholder(v)).toBe(false);
  });
});

describe('judgeLiteral', () => {
  it('judges by shape before name', () => {
    expect(judgeLiteral('GREETING', 'AKIAIOSFODNN7EXAMPLE')).toEqual({ by: 'shape', hint: 'looks like an AWS access key id' });
    expect(judgeLiteral('DB_PASSWORD', 'abc123')).toEqual({ by: 'name', hint: 'its name marks as a credential' });
  });
  it('skips placeholders, paths, plain URLs and booleans under credential names', () => {
    for (const v of ['', 'true', 'changeme', '$(OTHER)', '/var/run/secrets/token', './key.json', 'https://vault:8200']) expect(judgeLiteral('API_TOKEN', v)).toBeUndefined();
  });
  it('ignores ordinary names with ordinary values', () => {
    expect(judgeLiteral('LOG_LEVEL', 'debug')).toBeUndefined();
  });
});

describe('credentialAssignments', () => {
  it('names the keys of config-file lines that set credentials, never the values', () => {
    const text = ['db.url=jdbc:postgresql://db/app', 'db.password=hunter22', 'api_key: "k-123456"', '"token": "t0k3n",', 'password_file=/run/secrets/pw', 'secret: ${SECRET}', 'token: |', 'password:'].join('\n');
    expect(credentialAssignments(text)).toEqual(['db.password', 'api_key', 'token']);
  });
});

describe('false positives seen in real manifests', () => {
  it('ignores install-script substitution markers', () => {
    expect(isPlaceholder('__KUBECONFIG_FILEPATH__')).toBe(true);
    expect(isPlaceholder('@DB_PASSWORD@')).toBe(true);
    expect(credentialAssignments('"kubeconfig": "__KUBECONFIG_FILEPATH__"')).toEqual([]);
  });
  it('ignores names that describe a mechanism, and config list items are still read', () => {
    expect(isCredentialName('passwordConnector')).toBe(false);
    expect(credentialAssignments('oauth2:\n  passwordConnector: local\nstaticClients:\n  - secret: cG9kY2hlY2tlcmF1dGgK\n    id: x')).toEqual(['secret']);
  });
  it('treats a *_SECRET whose value names a Secret object as a reference', () => {
    expect(judgeLiteral('WEBHOOK_SECRET', 'elastic-webhook-server-cert')).toBeUndefined();
    expect(judgeLiteral('WEBHOOK_SECRET', 'x7-Kq2-9vPz')).toBeDefined();
    expect(judgeLiteral('DB_PASSWORD', 'correct-horse-battery-staple')).toBeDefined();
  });
});
