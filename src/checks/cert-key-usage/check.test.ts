import { testCheck } from '../support/tester.js';
import { certKeyUsage } from './check.js';

testCheck(certKeyUsage, import.meta.dirname);
