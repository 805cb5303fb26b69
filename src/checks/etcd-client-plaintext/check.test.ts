import { testCheck } from '../support/tester.js';
import { etcdClientPlaintext } from './check.js';

testCheck(etcdClientPlaintext, import.meta.dirname);
