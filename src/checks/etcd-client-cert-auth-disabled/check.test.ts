import { testCheck } from '../support/tester.js';
import { etcdClientCertAuthDisabled } from './check.js';

testCheck(etcdClientCertAuthDisabled, import.meta.dirname);
