import { testCheck } from '../support/tester.js';
import { certUnknownCriticalExtension } from './check.js';

testCheck(certUnknownCriticalExtension, import.meta.dirname);
