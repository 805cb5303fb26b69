import { describe, expect, it } from 'vitest';
import { isServiceAccountKey, kubeadmCertOf, requiredEku } from './roles.js';

describe("kubeadm's file names", () => {
  it.each([
    ['/etc/kubernetes/pki/apiserver.crt', 'apiserver', 'server'],
    ['apiserver.crt', 'apiserver', 'server'],
    ['pki/apiserver-kubelet-client.crt', 'apiserver-kubelet-client', 'client'],
    ['pki/apiserver-etcd-client.key', 'apiserver-etcd-client', 'client'],
    ['pki/etcd/ca.crt', 'etcd-ca', 'ca'],
    ['pki/ca.crt', 'ca', 'ca'],
    ['etcd/server.crt', 'etcd-server', 'peer'],
    ['etcd/peer.crt', 'etcd-peer', 'peer'],
    ['etcd/healthcheck-client.crt', 'etcd-healthcheck-client', 'client'],
    ['front-proxy-ca.crt', 'front-proxy-ca', 'ca'],
    ['front-proxy-client.crt', 'front-proxy-client', 'client'],
    ['/var/lib/kubelet/pki/kubelet-client-current.pem', 'kubelet-client', 'client'],
    ['/var/lib/kubelet/pki/kubelet.crt', 'kubelet-serving', 'server'],
  ])('%s → %s (%s)', (path, name, role) => {
    expect(kubeadmCertOf(path)?.name).toBe(name);
    expect(kubeadmCertOf(path)?.role).toBe(role);
  });

  it.each(['server.crt', 'my-apiserver.crt', 'web.crt', 'pki/etcd-ca.crt'])('%s is not kubeadm’s', (p) => { expect(kubeadmCertOf(p)).toBeUndefined(); });

  it('knows the service-account key pair', () => {
    expect(isServiceAccountKey('/etc/kubernetes/pki/sa.key')).toBe('private');
    expect(isServiceAccountKey('sa.pub')).toBe('public');
    expect(isServiceAccountKey('visa.pub')).toBeUndefined();
  });

  it('required extended key usages per role', () => {
    expect(requiredEku('server')).toEqual(['serverAuth']);
    expect(requiredEku('client')).toEqual(['clientAuth']);
    expect(requiredEku('peer')).toEqual(['serverAuth', 'clientAuth']);
    expect(requiredEku('ca')).toEqual([]);
  });
});
