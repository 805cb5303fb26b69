import { testNodeControl } from '../node-controls/tester.js';
import { kubeletRotateCertificates } from './check.js';

testNodeControl(kubeletRotateCertificates, import.meta.dirname);
