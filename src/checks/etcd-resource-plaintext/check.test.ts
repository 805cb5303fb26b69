import { testCheck } from '../support/tester.js';
import { etcdResourcePlaintext } from './check.js';

testCheck(etcdResourcePlaintext, import.meta.dirname);
