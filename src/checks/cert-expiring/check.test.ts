import { testCheck } from '../framework/tester.js';
import { certExpiring } from './check.js';

testCheck(certExpiring, import.meta.dirname);
