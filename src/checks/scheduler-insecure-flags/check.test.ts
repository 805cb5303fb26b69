import { testCheck } from '../framework/tester.js';
import { schedulerInsecureFlags } from './check.js';

testCheck(schedulerInsecureFlags, import.meta.dirname);
