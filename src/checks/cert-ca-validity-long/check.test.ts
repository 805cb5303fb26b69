import { testCheck } from '../framework/tester.js';
import { certCaValidityLong } from './check.js';

testCheck(certCaValidityLong, import.meta.dirname);
