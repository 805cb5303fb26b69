import { testCheck } from '../support/tester.js';
import { controllerManagerInsecureFlags } from './check.js';

testCheck(controllerManagerInsecureFlags, import.meta.dirname);
