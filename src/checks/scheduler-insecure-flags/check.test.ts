import { testCheck } from '../support/tester.js';
import { schedulerInsecureFlags } from './check.js';

testCheck(schedulerInsecureFlags, import.meta.dirname);
