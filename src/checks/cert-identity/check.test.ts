import { testCheck } from '../support/tester.js';
import { certIdentity } from './check.js';

testCheck(certIdentity, import.meta.dirname);
