import { testCheck } from '../support/tester.js';
import { certCaAsLeaf } from './check.js';

testCheck(certCaAsLeaf, import.meta.dirname);
