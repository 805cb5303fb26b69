import { testNodeControl } from '../node-controls/tester.js';
import { kubeletClientCaFile } from './check.js';

testNodeControl(kubeletClientCaFile, import.meta.dirname);
