import { testCheck } from '../framework/tester.js';
import { certNoSan } from './check.js';

testCheck(certNoSan, import.meta.dirname);
