import { testCheck } from '../framework/tester.js';
import { certValidityLong } from './check.js';

testCheck(certValidityLong, import.meta.dirname);
