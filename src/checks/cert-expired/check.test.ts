import { testCheck } from '../support/tester.js';
import { certExpired } from './check.js';

testCheck(certExpired, import.meta.dirname);
