import { testCheck } from '../framework/tester.js';
import { certKeyUsage } from './check.js';

testCheck(certKeyUsage, import.meta.dirname);
