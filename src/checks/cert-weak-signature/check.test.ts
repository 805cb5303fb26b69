import { testCheck } from '../support/tester.js';
import { certWeakSignature } from './check.js';

testCheck(certWeakSignature, import.meta.dirname);
