import { testNodeControl } from '../node-controls/tester.js';
import { apiserverKubeletCertificateAuthority } from './check.js';

testNodeControl(apiserverKubeletCertificateAuthority, import.meta.dirname);
