import { testCheck } from '../framework/tester.js';
import { certWeakKey } from './check.js';

testCheck(certWeakKey, import.meta.dirname);
