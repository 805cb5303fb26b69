import { testCheck } from '../support/tester.js';
import { pkiKeyMismatch } from './check.js';

testCheck(pkiKeyMismatch, import.meta.dirname);
