import { testCheck } from '../support/tester.js';
import { certNotYetValid } from './check.js';

testCheck(certNotYetValid, import.meta.dirname);
