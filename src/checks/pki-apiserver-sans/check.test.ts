// Applies to kubeadm's apiserver.crt read from files: tested on in-memory files.
import { describe, expect, it } from 'vitest';
import { evaluate, filesMaterial, makeCa, makeLeaf } from '../support/pki.testutil.js';
import { firstServiceIp, pkiApiserverSans } from './check.js';

const FULL = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'].map((value) => ({ type: 'dns' as const, value }));

describe('pki-apiserver-sans', () => {
  it.each([
    ['10.96.0.0/12', '10.96.0.1'],
    ['10.100.0.0/16', '10.100.0.1'],
    ['172.20.0.0/16,fd00::/108', '172.20.0.1'],
    ['192.168.1.128/25', '192.168.1.129'],
  ])('first service IP of %s is %s', (cidr, ip) => { expect(firstServiceIp(cidr)).toBe(ip); });

  it('kubeadm-like apiserver.crt passes; missing names and IPs are listed', async () => {
    const ca = await makeCa('kubernetes');
    const good = await makeLeaf(ca.signer, { subject: { cn: 'kube-apiserver' }, sans: [...FULL, { type: 'ip', value: '10.96.0.1' }, { type: 'ip', value: '192.168.0.10' }] });
    expect(evaluate(pkiApiserverSans, filesMaterial([{ path: 'pki/apiserver.crt', text: good.pem }]), { advertiseAddress: '192.168.0.10' })).toEqual([]);
    const bad = await makeLeaf(ca.signer, { subject: { cn: 'kube-apiserver' }, sans: [{ type: 'dns', value: 'kubernetes' }] });
    expect(evaluate(pkiApiserverSans, filesMaterial([{ path: 'pki/apiserver.crt', text: bad.pem }]))).toEqual(['missing pki/apiserver.crt']);
    // Another cluster domain: the default-domain name is then missing.
    expect(evaluate(pkiApiserverSans, filesMaterial([{ path: 'pki/apiserver.crt', text: good.pem }]), { clusterDomain: 'corp.internal' })).toEqual(['missing pki/apiserver.crt']);
    // Only apiserver.crt is judged.
    expect(evaluate(pkiApiserverSans, filesMaterial([{ path: 'pki/front-proxy-client.crt', text: bad.pem }]))).toEqual([]);
  });
});
