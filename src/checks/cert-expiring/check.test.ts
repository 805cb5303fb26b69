import { testCheck } from '../support/tester.js';
import { certExpiring } from './check.js';

testCheck(certExpiring, import.meta.dirname);
