import { testCheck } from '../framework/tester.js';
import { pssRestricted } from './check.js';

testCheck(pssRestricted, import.meta.dirname);
