import { testCheck } from '../framework/tester.js';
import { certUnknownCriticalExtension } from './check.js';

testCheck(certUnknownCriticalExtension, import.meta.dirname);
