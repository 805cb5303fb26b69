import { testCheck } from '../support/tester.js';
import { certValidityLong } from './check.js';

testCheck(certValidityLong, import.meta.dirname);
