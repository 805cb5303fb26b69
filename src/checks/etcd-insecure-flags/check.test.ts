import { testCheck } from '../support/tester.js';
import { etcdInsecureFlags } from './check.js';

testCheck(etcdInsecureFlags, import.meta.dirname);
