import { testNodeControl } from '../node-controls/tester.js';
import { kubeletRotateServerCertificates } from './check.js';

testNodeControl(kubeletRotateServerCertificates, import.meta.dirname);
