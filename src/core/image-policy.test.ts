import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';
import { DEFAULT_IMAGE_POLICY, parseImagePolicy } from './image-policy.js';

describe('images: section of .kspect.yaml', () => {
  it('defaults when absent', () => {
    expect(parseConfig({}, new Set()).config.images).toBeUndefined();
    expect(parseImagePolicy(undefined, [])).toBe(DEFAULT_IMAGE_POLICY);
  });
  it('reads a full policy', () => {
    const errors: string[] = [];
    const p = parseImagePolicy(
      {
        signatures: [
          { name: 'prod', images: ['registry.example.com/acme/**'], namespaces: ['prod-*'], keys: ['cosign.pub'] },
          { images: ['ghcr.io/acme/*'], keyless: [{ identity: 'https://github.com/acme/app/*', issuer: 'https://token.actions.githubusercontent.com' }], trustedRoot: 'trusted_root.json', mode: 'warn' },
        ],
        hygiene: { distroless: ['registry.example.com/acme/**'] },
        registries: { insecure: ['127.0.0.1:5000'], layouts: ['./oci'], concurrency: 4, timeoutSeconds: 5 },
      },
      errors,
    );
    expect(errors).toEqual([]);
    expect(p.signatures.map((r) => [r.name, r.mode])).toEqual([
      ['prod', 'enforce'],
      ['rule 2', 'warn'],
    ]);
    expect(p.hygiene.distroless).toEqual(['registry.example.com/acme/**']);
    expect(p.registries.concurrency).toBe(4);
  });
  it('collects every problem, one line each', () => {
    const { errors } = parseConfig(
      {
        images: {
          signatures: [{ images: [], keys: 3 }, { images: ['ghcr.io/x'], keyless: [{ identity: 'a@b' , issuer: 'https://i' }] }, { images: ['x@sha256:1'], keys: ['k'], mode: 'block' }, { images: ['a/b'], keys: ['k'], transparencyLog: 'required' }, { images: ['a/b'], keys: ['k'], trustedRoot: 'r.json', transparencyLog: 'yes' }],
          hygiene: { distroless: ['ghcr.io//x'], maxAgeDays: 3 },
          registries: { concurrency: 0, bogus: 1 },
          extra: true,
        },
      },
      new Set(),
    );
    expect(errors).toEqual([
      'images: unknown key "extra"',
      'images.signatures[0].images must name at least one image glob (e.g. registry.example.com/team/**)',
      'images.signatures[0].keys must be a list of non-empty strings',
      'images.signatures[0] needs keys or keyless identities',
      'images.signatures[1].trustedRoot is required for keyless identities (kspect never fetches trust material)',
      'images.signatures[2].images: "x@sha256:1" is not a domain/path glob',
      'images.signatures[2].mode: "block" is not enforce, warn or audit',
      "images.signatures[3].transparencyLog: required needs a trustedRoot holding the log's key",
      'images.signatures[4].transparencyLog: "yes" is not required or ignored',
      'images.hygiene: unknown key "maxAgeDays"',
      'images.hygiene: "ghcr.io//x" is not a domain/path glob',
      'images.registries: unknown key "bogus"',
      'images.registries.concurrency must be a whole number from 1 to 64',
    ]);
  });
});
