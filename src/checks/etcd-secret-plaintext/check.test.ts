import { testCheck } from '../framework/tester.js';
import { etcdSecretPlaintext } from './check.js';

testCheck(etcdSecretPlaintext, import.meta.dirname);
