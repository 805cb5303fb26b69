import { testNodeControl } from '../node-controls/tester.js';
import { proxyKubeconfigOwner } from './check.js';

testNodeControl(proxyKubeconfigOwner, import.meta.dirname);
