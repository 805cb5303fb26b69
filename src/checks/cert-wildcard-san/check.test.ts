import { testCheck } from '../framework/tester.js';
import { certWildcardSan } from './check.js';

testCheck(certWildcardSan, import.meta.dirname);
