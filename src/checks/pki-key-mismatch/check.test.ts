import { testCheck } from '../framework/tester.js';
import { pkiKeyMismatch } from './check.js';

testCheck(pkiKeyMismatch, import.meta.dirname);
