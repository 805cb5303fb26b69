import { testCheck } from '../support/tester.js';
import { certNoSan } from './check.js';

testCheck(certNoSan, import.meta.dirname);
