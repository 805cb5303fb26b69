import { testCheck } from '../support/tester.js';
import { etcdValueUnknownKey } from './check.js';

testCheck(etcdValueUnknownKey, import.meta.dirname);
