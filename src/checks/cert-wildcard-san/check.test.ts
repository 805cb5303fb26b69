import { testCheck } from '../support/tester.js';
import { certWildcardSan } from './check.js';

testCheck(certWildcardSan, import.meta.dirname);
