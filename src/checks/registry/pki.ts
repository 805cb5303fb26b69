/** PKI and certificate checks: they run in `kspect scan` (TLS Secrets, kubeconfigs, CSR objects) and in `kspect pki check` (files, endpoints). Sorted by id. */
import type { AnyCheck } from '../../framework/define.js';
import { certCaAsLeaf } from '../cert-ca-as-leaf/check.js';
import { certCaValidityLong } from '../cert-ca-validity-long/check.js';
import { certChainUnverified } from '../cert-chain-unverified/check.js';
import { certExpired } from '../cert-expired/check.js';
import { certExpiring } from '../cert-expiring/check.js';
import { certIdentity } from '../cert-identity/check.js';
import { certInvalid } from '../cert-invalid/check.js';
import { certKeyUsage } from '../cert-key-usage/check.js';
import { certLeafCanSign } from '../cert-leaf-can-sign/check.js';
import { certNoSan } from '../cert-no-san/check.js';
import { certNotYetValid } from '../cert-not-yet-valid/check.js';
import { certSystemMasters } from '../cert-system-masters/check.js';
import { certUnknownCriticalExtension } from '../cert-unknown-critical-extension/check.js';
import { certValidityLong } from '../cert-validity-long/check.js';
import { certWeakKey } from '../cert-weak-key/check.js';
import { certWeakSignature } from '../cert-weak-signature/check.js';
import { certWildcardSan } from '../cert-wildcard-san/check.js';
import { pkiApiserverSans } from '../pki-apiserver-sans/check.js';
import { pkiEtcdSans } from '../pki-etcd-sans/check.js';
import { pkiKeyMismatch } from '../pki-key-mismatch/check.js';
import { pkiKeyPermissions } from '../pki-key-permissions/check.js';
import { pkiSaKeyMismatch } from '../pki-sa-key-mismatch/check.js';
import { tlsHostnameMismatch } from '../tls-hostname-mismatch/check.js';
import { tlsOldProtocol } from '../tls-old-protocol/check.js';
import { tlsWeakCipher } from '../tls-weak-cipher/check.js';

export const pkiChecks: readonly AnyCheck[] = [certCaAsLeaf, certCaValidityLong, certChainUnverified, certExpired, certExpiring, certIdentity, certInvalid, certKeyUsage, certLeafCanSign, certNoSan, certNotYetValid, certSystemMasters, certUnknownCriticalExtension, certValidityLong, certWeakKey, certWeakSignature, certWildcardSan, pkiApiserverSans, pkiEtcdSans, pkiKeyMismatch, pkiKeyPermissions, pkiSaKeyMismatch, tlsHostnameMismatch, tlsOldProtocol, tlsWeakCipher];
