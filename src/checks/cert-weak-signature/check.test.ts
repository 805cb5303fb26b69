import { testCheck } from '../framework/tester.js';
import { certWeakSignature } from './check.js';

testCheck(certWeakSignature, import.meta.dirname);
