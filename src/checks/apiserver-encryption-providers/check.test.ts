import { testNodeControl } from '../node-controls/tester.js';
import { apiserverEncryptionProviders } from './check.js';

testNodeControl(apiserverEncryptionProviders, import.meta.dirname);
