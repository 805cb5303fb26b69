import { testCheck } from '../framework/tester.js';
import { controllerManagerInsecureFlags } from './check.js';

testCheck(controllerManagerInsecureFlags, import.meta.dirname);
