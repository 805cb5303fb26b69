import { testCheck } from '../framework/tester.js';
import { etcdResourcePlaintext } from './check.js';

testCheck(etcdResourcePlaintext, import.meta.dirname);
