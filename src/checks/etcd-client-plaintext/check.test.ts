import { testCheck } from '../framework/tester.js';
import { etcdClientPlaintext } from './check.js';

testCheck(etcdClientPlaintext, import.meta.dirname);
