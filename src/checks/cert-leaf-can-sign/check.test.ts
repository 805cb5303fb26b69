import { testCheck } from '../support/tester.js';
import { certLeafCanSign } from './check.js';

testCheck(certLeafCanSign, import.meta.dirname);
