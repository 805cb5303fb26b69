import { testCheck } from '../framework/tester.js';
import { certIdentity } from './check.js';

testCheck(certIdentity, import.meta.dirname);
