import { testCheck } from '../framework/tester.js';
import { etcdValueUnknownKey } from './check.js';

testCheck(etcdValueUnknownKey, import.meta.dirname);
