import { testCheck } from '../framework/tester.js';
import { apiserverInsecureFlags } from './check.js';

testCheck(apiserverInsecureFlags, import.meta.dirname);
