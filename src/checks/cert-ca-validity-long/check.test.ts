import { testCheck } from '../support/tester.js';
import { certCaValidityLong } from './check.js';

testCheck(certCaValidityLong, import.meta.dirname);
