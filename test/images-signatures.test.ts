/**
 * `kspect images verify` against real components: go-containerregistry's registry over TLS (with and without the OCI
 * referrers API, and behind bearer-token auth), images built here and pushed with crane, signed with cosign
 * (`sign --key`, tlog upload off) in both storage modes — the Sigstore bundle as an OCI 1.1 referrer, and the legacy
 * `.sig` simple-signing tag — and `sign-blob --bundle` of an image manifest attached as a referrer.
 * Everything is started on loopback by this file and stopped by pid.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/core/report.js';
import { runCli } from './support/cli.js';
import { attachBundle, buildImage, imageTools, imageToolsUnavailable, makeTls, startRegistry, tool, type ImageTools, type Registry } from './support/images.js';

const skip = imageToolsUnavailable();

describe.skipIf(skip !== undefined)('images verify with cosign and a real registry', () => {
  let tools: ImageTools;
  let dir: string;
  let tls: { ca: string; cert: string; key: string };
  let reg: Registry; // referrers API
  let noRef: Registry; // no referrers API: cosign falls back to the sha256-<hex> tag
  let env: { ca: string; cwd: string };
  const d: Record<string, string> = {};

  beforeAll(async () => {
    tools = imageTools() as ImageTools;
    dir = mkdtempSync(join(tmpdir(), 'kspect-images-'));
    tls = makeTls(join(dir, 'tls'));
    env = { ca: tls.ca, cwd: dir };
    reg = await startRegistry(tools, tls);
    noRef = await startRegistry(tools, tls, { referrers: false });
    tool(tools.cosign, ['generate-key-pair'], env); // cosign.key / cosign.pub
    tool(tools.cosign, ['generate-key-pair', '--output-key-prefix', 'other'], env);
    const sign = (ref: string, extra: string[] = []): void => {
      tool(tools.cosign, ['sign', '--key', 'cosign.key', '--use-signing-config=false', '--tlog-upload=false', ...extra, ref], env);
    };
    const R = reg.host;
    // Bundle as an OCI 1.1 referrer (cosign v3's default).
    d.bundle = buildImage(tools, `${R}/app:bundle`, 'bundle', env);
    sign(`${R}/app@${d.bundle}`);
    // Legacy simple-signing .sig tag.
    d.legacy = buildImage(tools, `${R}/app:legacy`, 'legacy', env);
    sign(`${R}/app@${d.legacy}`, ['--new-bundle-format=false']);
    // Referrers tag fallback (registry without the referrers API).
    d.fallback = buildImage(tools, `${noRef.host}/app:fallback`, 'fallback', env);
    sign(`${noRef.host}/app@${d.fallback}`);
    // Unsigned.
    d.unsigned = buildImage(tools, `${R}/app:unsigned`, 'unsigned', env);
    // A tag that was signed, then moved to new, unsigned content.
    d.movedOld = buildImage(tools, `${R}/app:prod`, 'prod-1', env);
    sign(`${R}/app@${d.movedOld}`);
    d.movedNew = buildImage(tools, `${R}/app:prod`, 'prod-2', env);
    // sign-blob --bundle of the image manifest, attached as a referrer; and a tampered copy on another image.
    const manifestOf = (ref: string): Buffer => Buffer.from(tool(tools.crane, ['manifest', ref], env));
    d.blob = buildImage(tools, `${R}/app:blob`, 'blob', env);
    writeFileSync(join(dir, 'blob-manifest.json'), manifestOf(`${R}/app@${d.blob}`));
    tool(tools.cosign, ['sign-blob', '--key', 'cosign.key', '--use-signing-config=false', '--tlog-upload=false', '--bundle', 'blob.bundle', 'blob-manifest.json'], env);
    const blobBundle = readFileSync(join(dir, 'blob.bundle'));
    const subject = (ref: string, digest: string) => ({ digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: manifestOf(ref).length });
    await attachBundle(tls.ca, R, 'app', subject(`${R}/app@${d.blob}`, d.blob), blobBundle);
    d.tampered = buildImage(tools, `${R}/app:tampered`, 'tampered', env);
    writeFileSync(join(dir, 'tampered-manifest.json'), manifestOf(`${R}/app@${d.tampered}`));
    tool(tools.cosign, ['sign-blob', '--key', 'cosign.key', '--use-signing-config=false', '--tlog-upload=false', '--bundle', 'tampered.bundle', 'tampered-manifest.json'], env);
    const b = JSON.parse(readFileSync(join(dir, 'tampered.bundle'), 'utf8')) as { messageSignature: { signature: string } };
    const sig = Buffer.from(b.messageSignature.signature, 'base64');
    sig[sig.length - 1] = (sig[sig.length - 1] ?? 0) ^ 0x01;
    b.messageSignature.signature = sig.toString('base64');
    await attachBundle(tls.ca, R, 'app', subject(`${R}/app@${d.tampered}`, d.tampered), Buffer.from(JSON.stringify(b)));
    // A valid signature copied next to other content: the blob bundle (over d.blob) attached to another image.
    d.copied = buildImage(tools, `${R}/app:copied`, 'copied', env);
    await attachBundle(tls.ca, R, 'app', subject(`${R}/app@${d.copied}`, d.copied), blobBundle);
  }, 600_000);

  afterAll(async () => {
    await reg.stop();
    await noRef.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const verify = async (images: string[], key = 'cosign.pub', extra: string[] = []): Promise<{ code: number; report: Report; stderr: string }> => {
    const r = await runCli(['images', 'verify', ...images.flatMap((i) => ['--image', i]), '--key', join(dir, key), '--registry-ca', tls.ca, '-f', 'json', '--checks', 'image-signature,image-signed', ...extra], { cwd: dir });
    return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
  };
  const byImage = (report: Report) => Object.fromEntries(report.findings.map((f) => [f.resource?.name ?? '', `${f.checkId}: ${f.message}`]));

  it('verifies the right key in both storage modes, the referrers tag fallback and a sign-blob bundle', async () => {
    const R = reg.host;
    const { code, report } = await verify([`${R}/app:bundle`, `${R}/app:legacy`, `${noRef.host}/app:fallback`, `${R}/app@${d.blob ?? ''}`]);
    expect(code).toBe(0);
    const found = byImage(report);
    expect(found[`${R}/app:bundle`]).toMatch(/^image-signed: .*signed by key cosign\.pub \(OCI referrer\)/);
    expect(found[`${R}/app:legacy`]).toMatch(/^image-signed: .*signed by key cosign\.pub \(legacy \.sig tag\)/);
    expect(found[`${noRef.host}/app:fallback`]).toMatch(/^image-signed: .*signed by key cosign\.pub \(referrers tag\)/);
    expect(found[`${R}/app@${d.blob ?? ''}`]).toMatch(/^image-signed: .*signed by key cosign\.pub/);
    expect(report.notEvaluated).toEqual([]);
  }, 120_000);

  it('rejects another key', async () => {
    const R = reg.host;
    const { code, report } = await verify([`${R}/app:bundle`, `${R}/app:legacy`, `${noRef.host}/app:fallback`], 'other.pub');
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.checkId)).toEqual(['image-signature', 'image-signature', 'image-signature']);
    for (const f of report.findings) expect(f.message).toMatch(/none by a key or identity rule "command line" trusts/);
  }, 120_000);

  it('with a trusted root, key signatures need their transparency log entry (cosign verify --key); --insecure-ignore-tlog waives it', async () => {
    const R = reg.host;
    const root = join(import.meta.dirname, '..', 'src', 'engines', 'images', 'testdata', 'trusted_root.json');
    const images = [`${R}/app:bundle`, `${R}/app:legacy`];
    // Signed with --tlog-upload=false: the signature is good, but nothing is logged.
    const strict = await verify(images, 'cosign.pub', ['--trusted-root', root]);
    expect(strict.code).toBe(1);
    expect(strict.report.findings.map((f) => f.message)).toEqual(images.map(() => expect.stringMatching(/no transparency log entry, which the rule requires/) as unknown));
    const waived = await verify(images, 'cosign.pub', ['--trusted-root', root, '--insecure-ignore-tlog']);
    expect(waived.code).toBe(0);
    expect(waived.report.findings.map((f) => f.checkId)).toEqual(['image-signed', 'image-signed']);
  }, 120_000);

  it('catches a tag moved to an unsigned digest, an unsigned image, a tampered bundle and a signature copied to other content', async () => {
    const R = reg.host;
    const { code, report } = await verify([`${R}/app:prod`, `${R}/app:unsigned`, `${R}/app:tampered`, `${R}/app:copied`, `${R}/app@${d.movedOld ?? ''}`]);
    expect(code).toBe(1);
    const found = byImage(report);
    expect(found[`${R}/app:prod`]).toBe(`image-signature: image ${R}/app:prod (${d.movedNew ?? ''}) is not signed; rule "command line" requires a signature`);
    expect(found[`${R}/app@${d.movedOld ?? ''}`]).toMatch(/^image-signed:/);
    expect(found[`${R}/app:unsigned`]).toMatch(/^image-signature: .* is not signed/);
    expect(found[`${R}/app:tampered`]).toMatch(/^image-signature: .*none by a key .*signature verification failed/);
    expect(found[`${R}/app:copied`]).toMatch(new RegExp(`^image-signature: .*signature of other content: .*signs ${d.blob ?? ''}, not ${d.copied ?? ''}`));
  }, 120_000);

  it('a registry that is down is not evaluated, never passed', async () => {
    const down = await startRegistry(tools, tls);
    const host = down.host;
    await down.stop();
    const { code, report } = await verify([`${host}/app:bundle`]);
    expect(code).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.notEvaluated.map((n) => n.message)).toEqual([expect.stringMatching(new RegExp(`signature rule "command line" not evaluated: ${host.replace(/\./g, '\\.')}: (ECONNREFUSED|connect)`))]);
    const strict = await verify([`${host}/app:bundle`], 'cosign.pub', ['--fail-on-not-evaluated']);
    expect(strict.code).toBe(1);
  }, 120_000);

  it('reads an OCI image layout without any registry (air-gapped)', async () => {
    const R = reg.host;
    const referrers = JSON.parse((await (await import('./support/images.js')).httpsCall(tls.ca, `https://${R}/v2/app/referrers/${d.bundle ?? ''}`, 'GET')).body.toString()) as { manifests: { digest: string }[] };
    const layout = join(dir, 'layout');
    tool(tools.crane, ['pull', '--format=oci', `${R}/app@${d.bundle ?? ''}`, ...referrers.manifests.map((m) => `${R}/app@${m.digest}`), layout], env);
    const down = await startRegistry(tools, tls);
    const host = down.host;
    await down.stop();
    // The reference names a registry that is gone; the layout has the digest and its referrer.
    const { code, report } = await verify([`${host}/app@${d.bundle ?? ''}`], 'cosign.pub', ['--layout', layout]);
    expect(code).toBe(0);
    expect(report.findings.map((f) => f.message)).toEqual([expect.stringMatching(/signed by key cosign\.pub \(OCI layout\)/)]);
  }, 120_000);

  it('uses docker config credentials for a registry behind bearer-token auth', async () => {
    const secured = await startRegistry(tools, tls, { basic: 'ci:s3cret-pass', token: true });
    try {
      const R = secured.host;
      const cfg = join(dir, 'docker');
      const login = { auths: { [R]: { auth: Buffer.from('ci:s3cret-pass').toString('base64') } } };
      mkdirSync(cfg, { recursive: true });
      writeFileSync(join(cfg, 'config.json'), JSON.stringify(login));
      const e = { ...env, extra: { DOCKER_CONFIG: cfg } };
      const digest = buildImage(tools, `${R}/team/app:1`, 'auth', e);
      tool(tools.cosign, ['sign', '--key', 'cosign.key', '--use-signing-config=false', '--tlog-upload=false', `${R}/team/app@${digest}`], e);
      const ok = await verify([`${R}/team/app:1`], 'cosign.pub', ['--docker-config', join(cfg, 'config.json')]);
      expect(ok.code).toBe(0);
      expect(ok.report.findings.map((f) => f.checkId)).toEqual(['image-signed']);
      expect(JSON.stringify(ok.report)).not.toContain('s3cret-pass');
      const anon = await verify([`${R}/team/app:1`], 'cosign.pub', ['--docker-config', join(dir, 'no-such-config.json')]);
      expect(anon.code).toBe(2); // an explicit --docker-config that cannot be read is an input error
      writeFileSync(join(cfg, 'empty.json'), '{"auths":{}}');
      const noCreds = await verify([`${R}/team/app:1`], 'cosign.pub', ['--docker-config', join(cfg, 'empty.json')]);
      expect(noCreds.report.findings).toEqual([]);
      expect(noCreds.report.notEvaluated[0]?.message).toMatch(/HTTP 401/);
      // A credential helper, as the docker CLI runs it: `docker-credential-<name> get`, the server on stdin.
      const bin = join(dir, 'bin');
      mkdirSync(bin, { recursive: true });
      const helper = join(bin, 'docker-credential-kspecttest');
      writeFileSync(helper, `#!/bin/sh\nread server\necho "$server" >> "${join(dir, 'helper.log')}"\nif [ "$server" = "${R}" ]; then printf '{"ServerURL":"%s","Username":"ci","Secret":"s3cret-pass"}' "$server"; else echo "credentials not found in native keychain"; exit 1; fi\n`, { mode: 0o755 });
      writeFileSync(join(cfg, 'helper.json'), JSON.stringify({ auths: { [R]: {} }, credHelpers: { [R]: 'kspecttest' } }));
      const viaHelper = await runCli(['images', 'verify', '--image', `${R}/team/app:1`, '--image', `${R}/team/app:1`, '--key', join(dir, 'cosign.pub'), '--registry-ca', tls.ca, '-f', 'json', '--docker-config', join(cfg, 'helper.json')], { cwd: dir, env: { PATH: `${bin}:${process.env.PATH ?? ''}` } });
      expect(viaHelper.code).toBe(0);
      const hr = JSON.parse(viaHelper.stdout) as Report;
      expect(hr.findings.map((f) => f.checkId)).toContain('image-signed');
      expect(JSON.stringify(hr)).not.toContain('s3cret-pass');
      expect(readFileSync(join(dir, 'helper.log'), 'utf8')).toBe(`${R}\n`); // asked once
      // A helper that is not installed: one warning, the registry read anonymously (401: not evaluated).
      writeFileSync(join(cfg, 'nohelper.json'), JSON.stringify({ credsStore: 'kspect-absent' }));
      const absent = await verify([`${R}/team/app:1`], 'cosign.pub', ['--docker-config', join(cfg, 'nohelper.json')]);
      expect(absent.report.findings).toEqual([]);
      expect(absent.report.problems.map((p) => p.message)).toContain(`docker-credential-kspect-absent is not on PATH; ${R} is read anonymously`);
    } finally {
      await secured.stop();
    }
  }, 180_000);

  it('fetches each manifest and signature once for repeated images, and judges workloads from manifests with file and line', async () => {
    const R = reg.host;
    const manifests = join(dir, 'deploy.yaml');
    const containers = (n: number) => Array.from({ length: n }, (_, i) => `        - name: c${i}\n          image: ${R}/app:bundle`).join('\n');
    writeFileSync(
      manifests,
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: prod\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n${containers(3)}\n        - name: bad\n          image: ${R}/app:unsigned\n`,
    );
    await reg.stats(true);
    const r = await runCli(['images', 'verify', manifests, '--key', join(dir, 'cosign.pub'), '--registry-ca', tls.ca, '-f', 'json', '--checks', 'image-signature'], { cwd: dir });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.findings.map((f) => [f.resource?.kind, f.resource?.name, f.resource?.container, f.location?.line, f.path])).toEqual([['Deployment', 'web', 'bad', 21, 'spec.template.spec.containers[3].image']]);
    const stats = await reg.stats();
    expect(Object.values(stats).every((n) => n === 1)).toBe(true);
    expect(stats[`GET /v2/app/manifests/bundle`]).toBe(1);
  }, 120_000);
});
