import { testNodeControl } from '../node-controls/tester.js';
import { apiserverEncryptionConfig } from './check.js';

testNodeControl(apiserverEncryptionConfig, import.meta.dirname);
