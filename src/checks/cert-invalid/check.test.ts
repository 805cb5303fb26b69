import { testCheck } from '../framework/tester.js';
import { certInvalid } from './check.js';

testCheck(certInvalid, import.meta.dirname);
