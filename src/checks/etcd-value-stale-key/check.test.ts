import { testCheck } from '../framework/tester.js';
import { etcdValueStaleKey } from './check.js';

testCheck(etcdValueStaleKey, import.meta.dirname);
