import { testCheck } from '../support/tester.js';
import { certWeakKey } from './check.js';

testCheck(certWeakKey, import.meta.dirname);
