// Applies to kubeadm's etcd/server.crt and etcd/peer.crt read from files: tested on in-memory files.
import { describe, expect, it } from 'vitest';
import { evaluate, filesMaterial, makeCa, makeLeaf } from '../support/pki.testutil.js';
import { pkiEtcdSans } from './check.js';

describe('pki-etcd-sans', () => {
  it('server needs localhost and 127.0.0.1, peer an IP', async () => {
    const ca = await makeCa('etcd-ca');
    const good = await makeLeaf(ca.signer, { role: 'peer', subject: { cn: 'node1' }, sans: [{ type: 'dns', value: 'localhost' }, { type: 'dns', value: 'node1' }, { type: 'ip', value: '127.0.0.1' }, { type: 'ip', value: '10.0.0.5' }] });
    const bad = await makeLeaf(ca.signer, { role: 'peer', subject: { cn: 'node1' }, sans: [{ type: 'dns', value: 'node1' }] });
    expect(evaluate(pkiEtcdSans, filesMaterial([{ path: 'pki/etcd/server.crt', text: good.pem }, { path: 'pki/etcd/peer.crt', text: good.pem }]))).toEqual([]);
    expect(evaluate(pkiEtcdSans, filesMaterial([{ path: 'pki/etcd/server.crt', text: bad.pem }, { path: 'pki/etcd/peer.crt', text: bad.pem }]))).toEqual(['peer pki/etcd/peer.crt', 'server pki/etcd/server.crt']);
    // server.crt outside etcd/ is not etcd's.
    expect(evaluate(pkiEtcdSans, filesMaterial([{ path: 'other/server.crt', text: bad.pem }]))).toEqual([]);
  });
});
