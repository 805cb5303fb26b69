import { testCheck } from '../support/tester.js';
import { etcdSecretPlaintext } from './check.js';

testCheck(etcdSecretPlaintext, import.meta.dirname);
