import { testCheck } from '../support/tester.js';
import { certInvalid } from './check.js';

testCheck(certInvalid, import.meta.dirname);
