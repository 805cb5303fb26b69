import { testCheck } from '../support/tester.js';
import { apiserverInsecureFlags } from './check.js';

testCheck(apiserverInsecureFlags, import.meta.dirname);
