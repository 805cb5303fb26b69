import { testNodeControl } from '../node-controls/tester.js';
import { apiserverEncryptionProviderConfig } from './check.js';

testNodeControl(apiserverEncryptionProviderConfig, import.meta.dirname);
