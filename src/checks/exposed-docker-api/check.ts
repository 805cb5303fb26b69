/** exposed-docker-api: a Docker Engine API (or Podman's Docker-compatible one) answers without a client certificate. */
import { accessTo, evidenceOf } from '../../engines/probe/access.js';
import { PROBED_ENDPOINT, probedRef, probedSource, readProbedEndpoint } from '../../engines/probe/objects.js';
import { defineCheck } from '../../framework/define.js';

export const exposedDockerApi = defineCheck({
  id: 'exposed-docker-api',
  meta: {
    title: 'Docker Engine API answers without authentication',
    description:
      'The Docker Engine API (plain on 2375, or TLS on 2376 without requiring a client certificate) answered /_ping or /version to a client without credentials. Whoever reaches it can start a privileged container that mounts the host filesystem: root on the node, and from there every pod, Secret and kubelet credential on it.',
    severity: 'critical',
    category: 'exposure',
    kinds: [PROBED_ENDPOINT],
    messages: {
      open: '{{endpoint}} serves the Docker Engine API to anyone ({{version}}): an unauthenticated client can run a privileged container and take over the host',
    },
    remediation:
      'Do not expose the Docker socket over TCP. If remote access is needed, serve it over TLS with --tlsverify and a client CA (dockerd --tlsverify --tlscacert …), or over SSH; bind to loopback and firewall 2375/2376.',
    references: { mitre: ['T1610', 'T1611', 'T1133'], urls: ['https://docs.docker.com/engine/security/protect-access/'] },
    // Runs in `kspect probe`, which observes the network; a manifest scan has nothing for it.
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const v = readProbedEndpoint(obj);
      if (v?.state !== 'open' || v.service !== 'docker') return;
      const ping = accessTo(v, '/_ping', ['docker-ping']);
      const version = accessTo(v, '/version', ['docker-version']);
      const seen = [ping, version].flatMap((a) => (a.verdict === 'readable' ? [a.answer] : []));
      if (seen.length === 0) return;
      const versionText = version.verdict === 'readable' ? (version.answer.detail ?? 'version unknown') : (ping.verdict === 'readable' ? (ping.answer.detail ?? '') : '');
      ctx.report({ messageId: 'open', data: { endpoint: v.endpoint, version: versionText }, object: obj, resource: probedRef(v), source: probedSource(v), path: seen[0]?.path ?? '/_ping', evidence: seen.map(evidenceOf).join('; ') });
    };
  },
});
