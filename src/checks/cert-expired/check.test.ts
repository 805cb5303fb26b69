import { testCheck } from '../framework/tester.js';
import { certExpired } from './check.js';

testCheck(certExpired, import.meta.dirname);
