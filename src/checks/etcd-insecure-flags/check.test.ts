import { testCheck } from '../framework/tester.js';
import { etcdInsecureFlags } from './check.js';

testCheck(etcdInsecureFlags, import.meta.dirname);
