import { testCheck } from '../framework/tester.js';
import { etcdClientCertAuthDisabled } from './check.js';

testCheck(etcdClientCertAuthDisabled, import.meta.dirname);
