import { testCheck } from '../framework/tester.js';
import { etcdValueUndecryptable } from './check.js';

testCheck(etcdValueUndecryptable, import.meta.dirname);
