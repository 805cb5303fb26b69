import { testCheck } from '../support/tester.js';
import { pssRestricted } from './check.js';

testCheck(pssRestricted, import.meta.dirname);
