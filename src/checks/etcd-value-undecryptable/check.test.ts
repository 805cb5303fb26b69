import { testCheck } from '../support/tester.js';
import { etcdValueUndecryptable } from './check.js';

testCheck(etcdValueUndecryptable, import.meta.dirname);
