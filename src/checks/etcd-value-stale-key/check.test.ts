import { testCheck } from '../support/tester.js';
import { etcdValueStaleKey } from './check.js';

testCheck(etcdValueStaleKey, import.meta.dirname);
